"""The region's moderation log (regions.audit): every decision — approvals, rejections,
removals, verifications, suspensions, report decisions — with who, when, what and why;
staff of the region filter and export it, staff of another region see none of it."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inquiries import safety_steps
from inquiries import services as inquiry_services
from listings.models import Status
from organisations import services as organisation_services
from regions.audit import AuditAction, AuditEntry

from .factories import make_listing, make_organisation, make_user, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

LOG = "/admin/regions/auditentry/"


def backoffice(user, host="pm.localhost"):
    return sign_in_with_two_factor(Client(HTTP_HOST=host), user)


def decide(client, changelist, action, objects, **data):
    return client.post(
        changelist,
        {"action": action, "_selected_action": [o.pk for o in objects], "confirm": "yes", **data},
    )


def csv_rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.fixture
def decisions(pm, organisation, owner, pm_moderator):
    """An approval, a rejection and a removal of listings, a verification and a rejection
    of organisations, by pm's moderator through the back office."""
    client = backoffice(pm_moderator)
    first, second, third = (
        make_listing(organisation, title, status=Status.PENDING, author=owner)
        for title in ("Erste", "Zweite", "Dritte")
    )
    listings = "/admin/listings/listing/"
    decide(client, listings, "approve", [first])
    decide(client, listings, "reject", [second], reason="Bitte mit Preis.")
    decide(client, listings, "remove", [third], reason="Doppelt eingestellt.")
    other = make_organisation(pm, "Verein Eins")
    organisations = "/admin/organisations/organisation/"
    decide(client, organisations, "verify", [organisation], note="Handelsregister geprüft.")
    decide(client, organisations, "reject", [other], reason="Adresse fehlt.")
    return client


def test_each_decision_is_logged_with_who_what_and_why(decisions, pm, pm_moderator):
    entries = list(AuditEntry.objects.in_region(pm).order_by("pk"))
    assert [(e.action, e.subject, e.reason) for e in entries] == [
        (AuditAction.LISTING_APPROVED, "Erste", ""),
        (AuditAction.LISTING_REJECTED, "Zweite", "Bitte mit Preis."),
        (AuditAction.LISTING_REMOVED, "Dritte", "Doppelt eingestellt."),
        (AuditAction.ORGANISATION_VERIFIED, "Tischlerei Holzwurm", "Handelsregister geprüft."),
        (AuditAction.ORGANISATION_REJECTED, "Verein Eins", "Adresse fehlt."),
    ]
    assert {entry.actor for entry in entries} == {pm_moderator}
    assert all(entry.created_at for entry in entries)


def test_staff_filter_the_log_by_what(decisions):
    shown = decisions.get(LOG, {"action__exact": AuditAction.LISTING_REMOVED}).context["cl"]
    assert [entry.subject for entry in shown.result_list] == ["Dritte"]
    searched = decisions.get(LOG, {"q": "Preis"}).context["cl"]
    assert [entry.subject for entry in searched.result_list] == ["Zweite"]


def test_staff_export_the_log_as_csv(decisions, pm_moderator):
    response = decisions.get(f"{LOG}export/", {"action__exact": AuditAction.LISTING_REJECTED})
    assert response["Content-Disposition"].startswith('attachment; filename="moderation-log-pm-')
    header, *rows = csv_rows(response)
    assert header[:3] == ["Zeitpunkt", "Wer", "Was"]
    assert len(rows) == 1
    assert rows[0][1:3] == [pm_moderator.email, "Anzeige abgelehnt"]
    assert rows[0][5:7] == ["Zweite", "Bitte mit Preis."]


def test_a_reason_like_a_formula_is_exported_as_text(pm, organisation, pm_moderator):
    organisation_services.suspend(organisation, pm_moderator, '=HYPERLINK("x")')
    client = backoffice(pm_moderator)
    (_header, row) = csv_rows(client.get(f"{LOG}export/"))
    assert row[6] == '\'=HYPERLINK("x")'


def test_the_log_cannot_be_changed_in_the_back_office(decisions, pm_admin):
    entry = AuditEntry.objects.first()
    client = backoffice(pm_admin)
    page = client.get(f"{LOG}{entry.pk}/change/")
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    client.post(f"{LOG}{entry.pk}/change/", {"reason": "anders"})
    assert AuditEntry.objects.get(pk=entry.pk).reason == entry.reason
    assert client.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_staff_of_another_region_see_none_of_it(decisions, ohv, ohv_admin):
    client = backoffice(ohv_admin, "ohv.localhost")
    assert list(client.get(LOG).context["cl"].result_list) == []
    entry = AuditEntry.objects.first()
    assert client.get(f"{LOG}{entry.pk}/change/").status_code == 404
    (_header, *rows) = csv_rows(client.get(f"{LOG}export/"))
    assert rows == []
    # Their own region's decisions are theirs.
    other = make_organisation(ohv, "Havelwerft", owner=make_user("chef@havelwerft.example"))
    organisation_services.verify(other, ohv_admin)
    assert [e.subject for e in client.get(LOG).context["cl"].result_list] == ["Havelwerft"]


def test_the_operator_sees_every_region_on_the_portal(decisions, ohv, ohv_admin, operator):
    other = make_organisation(ohv, "Havelwerft")
    organisation_services.verify(other, ohv_admin)
    shown = backoffice(operator, "localhost").get(LOG).context["cl"].result_list
    assert {entry.region.slug for entry in shown} == {"pm", "ohv"}


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_log_runs_a_constant_number_of_queries(decisions, pm, pm_moderator, organisation):
    decisions.get(LOG)
    before = count_queries(decisions, LOG)
    export_before = count_queries(decisions, f"{LOG}export/")
    for number in range(5):
        staff = make_user(f"mod{number}@pm.example")
        organisation_services.suspend(organisation, staff, f"Grund {number}")
        organisation_services.reinstate(organisation, staff)
    assert count_queries(decisions, LOG) == before
    assert count_queries(decisions, f"{LOG}export/") == export_before


def test_resolving_a_reported_message_is_logged(
    desks, inquirer_organisation, inquirer, owner, pm_moderator
):
    inquiry = inquiry_services.create_inquiry(
        desks, inquirer_organisation, inquirer, body="Blöde Frage", quantity=1
    )
    message = inquiry.messages.get(kind="text")
    report = safety_steps.report_message(message, owner, reason="abuse")
    safety_steps.resolve_report(report, pm_moderator, "Verwarnt.")
    entry = AuditEntry.objects.get(action=AuditAction.MESSAGE_REPORT_RESOLVED)
    assert (entry.region, entry.actor, entry.reason) == (desks.region, pm_moderator, "Verwarnt.")

"""Reports of what is public (issue #17): anyone logged in reports a listing or an
organisation; reports from three organisations hide a listing; staff decide from the
report (dismiss, ask to fix, remove, suspend); the owner is told why and may ask once for
a review, which staff read and answer. Every decision is in the region's moderation log,
and staff of another region see none of it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from listings.models import Listing, Status
from moderation import services
from moderation.models import Case, CaseState, Decision, Report
from organisations.models import Organisation
from regions.audit import AuditAction, AuditEntry

from .factories import fresh, make_listing, make_organisation, make_user, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/case/"


def report_url(listing):
    return f"/report/listings/{listing.pk}/"


def backoffice(user, host="pm.localhost"):
    return sign_in_with_two_factor(Client(HTTP_HOST=host), user)


def site(user, host="pm.localhost"):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


@pytest.fixture
def reporters(pm):
    """Three people of three different pm organisations."""
    people = []
    for number in range(3):
        user = make_user(f"leitung{number}@firma{number}.example")
        make_organisation(pm, f"Firma {number}", owner=user)
        people.append(user)
    return people


def report(post, user, listing, reason="fraud", text="Das Angebot gibt es nicht."):
    return post(site(user), report_url(listing), {"reason": reason, "text": text})


def decide(post, staff, case, action, text=""):
    client = backoffice(staff)
    return post(
        client,
        QUEUE,
        {"action": action, "_selected_action": [case.pk], "confirm": "yes", "text": text},
    )


def actions(region):
    return list(AuditEntry.objects.in_region(region).values_list("action", flat=True))


# Reporting ----------------------------------------------------------------------------------


def test_the_listing_page_offers_report_to_others_but_not_to_its_own_members(
    client_for, listing, owner, member
):
    page = client_for(member).get(f"/listings/{listing.pk}/")
    assert report_url(listing) in page.content.decode()
    own = client_for(owner).get(f"/listings/{listing.pk}/")
    assert report_url(listing) not in own.content.decode()


def test_the_profile_offers_report_to_others(client_for, organisation, member, owner):
    url = f"/report/organisations/{organisation.pk}/"
    assert url in client_for(member).get(f"/organisations/{organisation.pk}/").content.decode()
    assert url not in client_for(owner).get(f"/organisations/{organisation.pk}/").content.decode()


def test_reporting_needs_a_login(pm_client, listing):
    response = pm_client.get(report_url(listing))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_report_form_error_is_german_and_at_its_field(client_for, listing, member):
    response = client_for(member).post(report_url(listing), {"reason": "other", "text": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_text_error"' in page
    assert "Bitte beschreiben Sie, was nicht stimmt." in page
    assert not Report.objects.exists()


def test_a_report_reaches_the_staff_once_per_case(
    post, listing, reporters, pm_moderator, mailoutbox
):
    response = report(post, reporters[0], listing)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.listing, case.organisation, case.report_count) == (
        listing,
        listing.organisation,
        1,
    )
    staff_mails = [m for m in mailoutbox if m.to == [pm_moderator.email]]
    assert len(staff_mails) == 1
    assert f"/admin/moderation/case/{case.pk}/change/" in staff_mails[0].body
    report(post, reporters[1], listing)
    assert len([m for m in mailoutbox if m.to == [pm_moderator.email]]) == 1


def test_one_person_reports_a_thing_once(post, listing, reporters):
    report(post, reporters[0], listing)
    report(post, reporters[0], listing)
    assert Report.objects.count() == 1
    assert fresh(Case.objects.get()).report_count == 1


def test_members_cannot_report_their_own_organisation(client_for, listing, organisation_member):
    response = client_for(organisation_member).post(
        report_url(listing), {"reason": "fraud", "text": "x"}
    )
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_person(settings, client_for, pm, member):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "report_create": "2/h/user"}
    other = make_organisation(pm, "Andere GmbH", owner=make_user("a@andere.example"))
    listings = [make_listing(other, f"Anzeige {n}") for n in range(3)]
    client = client_for(member)
    for listing in listings[:2]:
        assert client.post(report_url(listing), {"reason": "fraud"}).status_code == 302
    refused = client.post(report_url(listings[2]), {"reason": "fraud"})
    assert refused.status_code == 429
    assert "Bitte versuchen Sie es später noch einmal." in refused.content.decode()
    assert Report.objects.count() == 2


def test_another_regions_listing_cannot_be_reported_from_here(client_for, ohv, member):
    other = make_organisation(ohv, "Havelwerft", owner=make_user("chef@havelwerft.example"))
    ohv_listing = make_listing(other, "Bootskran")
    assert client_for(member).get(report_url(ohv_listing)).status_code == 404
    assert client_for(member).post(report_url(ohv_listing), {"reason": "fraud"}).status_code == 404


# Three organisations hide a listing -----------------------------------------------------------


def test_reports_from_three_organisations_hide_the_listing(
    post, pm_client, listing, reporters, owner, mailoutbox
):
    report(post, reporters[0], listing)
    report(post, reporters[1], listing)
    assert fresh(listing).status == Status.PUBLISHED
    report(post, reporters[2], listing)
    assert fresh(listing).status == Status.HIDDEN
    case = Case.objects.get()
    assert case.hidden and case.report_count == 3
    assert pm_client.get(f"/listings/{listing.pk}/").status_code == 404
    assert listing.pk not in Listing.objects.published().values_list("pk", flat=True)
    assert any(owner.email in m.to and "ausgeblendet" in m.body for m in mailoutbox)
    entry = AuditEntry.objects.get(action=AuditAction.LISTING_HIDDEN)
    assert entry.actor is None and entry.region == listing.region


def test_two_people_of_one_organisation_count_once(post, pm, listing, reporters):
    colleague = make_user("kollege@firma0.example")
    Organisation.objects.get(name="Firma 0").memberships.create(user=colleague, role="member")
    report(post, reporters[0], listing)
    report(post, colleague, listing)
    report(post, reporters[1], listing)
    assert fresh(listing).status == Status.PUBLISHED
    assert Case.objects.get().report_count == 3


# From report to decision, end to end ---------------------------------------------------------


def test_report_to_removal_review_and_answer(
    post, listing, reporters, owner, pm_moderator, mailoutbox
):
    for reporter in reporters:
        report(post, reporter, listing)
    case = Case.objects.get()
    assert fresh(listing).status == Status.HIDDEN

    # The staff queue shows it, and its page offers the decisions.
    staff = backoffice(pm_moderator)
    assert case in staff.get(QUEUE).context["cl"].result_list
    page = staff.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert 'value="remove_listing"' in page and "Das Angebot gibt es nicht." in page

    # A decision without a reason is refused at its field, in German.
    asked = staff.post(QUEUE, {"action": "remove_listing", "_selected_action": [case.pk]})
    assert asked.status_code == 200
    refused = staff.post(
        QUEUE, {"action": "remove_listing", "_selected_action": [case.pk], "confirm": "yes"}
    )
    assert "Bitte geben Sie eine Begründung an" in refused.content.decode()
    assert fresh(listing).status == Status.HIDDEN

    mailoutbox.clear()
    decide(post, pm_moderator, case, "remove_listing", "Betrugsverdacht: kein echtes Angebot.")
    assert fresh(listing).status == Status.REMOVED
    case = fresh(case)
    assert (case.state, case.decision, case.decided_by) == (
        CaseState.DECIDED,
        Decision.LISTING_REMOVED,
        pm_moderator,
    )
    (told,) = [m for m in mailoutbox if owner.email in m.to]
    assert "Betrugsverdacht: kein echtes Angebot." in told.body
    link = f"/report/decisions/{case.pk}/"
    assert link in told.body

    # The owner reads the decision and asks for a review, once.
    owner_client = site(owner)
    assert "Betrugsverdacht" in owner_client.get(link).content.decode()
    mailoutbox.clear()
    post(owner_client, link, {"text": "Der Stapler steht wirklich bei uns, Fotos folgen."})
    case = fresh(case)
    assert case.state == CaseState.REVIEW
    assert any(pm_moderator.email in m.to and "Fotos folgen" in m.body for m in mailoutbox)
    post(owner_client, link, {"text": "Noch einmal!"})
    assert fresh(case).review_text == "Der Stapler steht wirklich bei uns, Fotos folgen."

    # Staff see the reply on the report's page, answer it, and the owner hears.
    page = staff.get(f"{QUEUE}{case.pk}/change/").content.decode()
    assert "Fotos folgen" in page and 'value="uphold"' in page
    mailoutbox.clear()
    decide(post, pm_moderator, case, "uphold", "Bitte stellen Sie die Anzeige mit Fotos neu ein.")
    assert fresh(case).state == CaseState.CLOSED
    assert any(owner.email in m.to and "mit Fotos neu ein" in m.body for m in mailoutbox)

    assert actions(listing.region) == [
        AuditAction.REVIEW_ANSWERED,
        AuditAction.REVIEW_REQUESTED,
        AuditAction.LISTING_REMOVED,
        AuditAction.LISTING_HIDDEN,
    ]
    removed = AuditEntry.objects.get(action=AuditAction.LISTING_REMOVED)
    assert (removed.actor, removed.reason, removed.subject) == (
        pm_moderator,
        "Betrugsverdacht: kein echtes Angebot.",
        listing.title,
    )


def test_dismissing_shows_the_hidden_listing_again(
    post, pm_client, listing, reporters, owner, pm_moderator, mailoutbox
):
    for reporter in reporters:
        report(post, reporter, listing)
    case = Case.objects.get()
    mailoutbox.clear()
    decide(post, pm_moderator, case, "dismiss")
    assert fresh(listing).status == Status.PUBLISHED
    assert pm_client.get(f"/listings/{listing.pk}/").status_code == 200
    assert fresh(case).state == CaseState.CLOSED
    assert any(owner.email in m.to and "wieder angezeigt" in m.body for m in mailoutbox)
    assert not fresh(case).may_ask_for_review
    assert site(owner).get(f"/report/decisions/{case.pk}/").status_code == 200
    assert actions(listing.region)[:2] == [AuditAction.REPORT_DISMISSED, AuditAction.LISTING_SHOWN]


def test_asking_to_fix_tells_the_owner_and_keeps_the_listing_public(
    post, listing, reporters, owner, pm_moderator, mailoutbox
):
    report(post, reporters[0], listing, reason="category", text="Gehört zu Fahrzeugen.")
    case = Case.objects.get()
    decide(post, pm_moderator, case, "ask_to_fix", "Bitte ordnen Sie die Anzeige neu ein.")
    assert fresh(listing).status == Status.PUBLISHED
    assert fresh(case).decision == Decision.FIX_REQUESTED
    assert any(owner.email in m.to and "neu ein" in m.body for m in mailoutbox)
    assert AuditEntry.objects.filter(action=AuditAction.FIX_REQUESTED, actor=pm_moderator).exists()


def test_suspending_from_a_report_and_withdrawing_it_after_review(
    post, listing, organisation, reporters, owner, pm_moderator
):
    report(post, reporters[0], listing)
    case = Case.objects.get()
    decide(post, pm_moderator, case, "suspend_organisation", "Wiederholt falsche Angebote.")
    assert fresh(organisation).is_suspended
    post(site(owner), f"/report/decisions/{case.pk}/", {"text": "Ein Missverständnis."})
    decide(post, pm_moderator, fresh(case), "withdraw", "Sie haben recht.")
    assert not fresh(organisation).is_suspended
    assert actions(listing.region)[:3] == [
        AuditAction.REVIEW_ANSWERED,
        AuditAction.ORGANISATION_REINSTATED,
        AuditAction.REVIEW_REQUESTED,
    ]


def test_an_organisation_report_can_be_decided_but_no_listing_removed(
    post, pm_moderator, organisation, reporters
):
    post(
        site(reporters[0]),
        f"/report/organisations/{organisation.pk}/",
        {"reason": "inappropriate", "text": "Beleidigendes Profil."},
    )
    case = Case.objects.get()
    assert case.listing is None and case.organisation == organisation
    decide(post, pm_moderator, case, "remove_listing", "x")
    assert fresh(case).state == CaseState.OPEN


def test_only_the_organisations_members_see_a_decision(client_for, post, listing, reporters, pm):
    report(post, reporters[0], listing)
    case = Case.objects.get()
    staff = make_user("mod2@pm.example")
    services.decide(case, staff, Decision.FIX_REQUESTED, "Bitte korrigieren.")
    assert client_for(reporters[0]).get(f"/report/decisions/{case.pk}/").status_code == 404


# The staff queue --------------------------------------------------------------------------


def test_the_queue_shows_waiting_most_reported_newest_first(post, pm, reporters, pm_moderator):
    owner = make_user("x@y.example")
    seller = make_organisation(pm, "Verkauf GmbH", owner=owner)
    once, twice, decided = (make_listing(seller, title) for title in ("Eins", "Zwei", "Drei"))
    report(post, reporters[0], decided)
    services.decide(Case.objects.get(listing=decided), pm_moderator, Decision.DISMISSED)
    report(post, reporters[0], twice)
    report(post, reporters[1], twice)
    report(post, reporters[2], once)
    shown = list(backoffice(pm_moderator).get(QUEUE).context["cl"].result_list)
    assert [case.listing for case in shown] == [twice, once, decided]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_queue_and_a_reports_page_run_a_constant_number_of_queries(
    post, pm, ohv, listing, reporters, pm_moderator
):
    report(post, reporters[0], listing)
    case = Case.objects.get()
    client = backoffice(pm_moderator)
    client.get(QUEUE)
    client.get(f"{QUEUE}{case.pk}/change/")
    queue_before = count_queries(client, QUEUE)
    page_before = count_queries(client, f"{QUEUE}{case.pk}/change/")
    for number in range(5):
        owner = make_user(f"owner{number}@more.example")
        other = make_organisation(pm, f"Mehr {number}", owner=owner)
        report(post, reporters[number % 3], make_listing(other, f"Mehr {number}"))
        user = make_user(f"noch{number}@more.example")
        make_organisation(pm, f"Melder {number}", owner=user)
        report(post, user, listing)
    assert count_queries(client, QUEUE) == queue_before
    assert count_queries(client, f"{QUEUE}{case.pk}/change/") == page_before


# Region isolation -------------------------------------------------------------------------


def test_staff_of_another_region_see_none_of_it(post, listing, reporters, ohv_admin, pm_moderator):
    report(post, reporters[0], listing)
    case = Case.objects.get()
    services.decide(case, pm_moderator, Decision.FIX_REQUESTED, "Bitte korrigieren.")
    ohv_staff = backoffice(ohv_admin, "ohv.localhost")
    assert list(ohv_staff.get(QUEUE).context["cl"].result_list) == []
    assert ohv_staff.get(f"{QUEUE}{case.pk}/change/").status_code == 404
    assert list(ohv_staff.get("/admin/regions/auditentry/").context["cl"].result_list) == []
    # Not on the pm host either, nor through the actions.
    assert backoffice(ohv_admin).get(QUEUE).status_code in {302, 403}
    ohv_staff.post(
        QUEUE,
        {"action": "dismiss", "_selected_action": [case.pk], "confirm": "yes", "text": ""},
    )
    assert fresh(case).state == CaseState.DECIDED
    assert reverse("admin:moderation_case_changelist") == QUEUE


def test_a_decision_is_read_on_its_own_regions_host_only(post, listing, reporters, owner, ohv):
    report(post, reporters[0], listing)
    case = Case.objects.get()
    services.decide(case, make_user("mod3@pm.example"), Decision.FIX_REQUESTED, "Bitte.")
    assert site(owner).get(f"/report/decisions/{case.pk}/").status_code == 200
    assert site(owner, "ohv.localhost").get(f"/report/decisions/{case.pk}/").status_code == 404


def test_an_empty_request_for_review_is_refused_at_its_field(post, listing, reporters, owner):
    report(post, reporters[0], listing)
    case = Case.objects.get()
    services.decide(case, make_user("mod4@pm.example"), Decision.FIX_REQUESTED, "Bitte.")
    response = site(owner).post(f"/report/decisions/{case.pk}/", {"text": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_text_error"' in page and "Bitte schreiben Sie ein paar Worte." in page
    assert fresh(case).state == CaseState.DECIDED

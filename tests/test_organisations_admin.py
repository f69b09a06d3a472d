"""Organisations in the back office: staff of a region see, verify, reject and export only
their own region's organisations; every decision is logged and told to the organisation."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation, OrganisationType, Role, Verification
from regions.models import Place, StaffMembership, StaffRole
from regions.places import import_places

from .factories import make_membership, make_organisation, make_user, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/organisations/organisation/"
EXPORT = "/admin/organisations/organisation/export/"


@pytest.fixture(autouse=True)
def places_of_both_regions(pm, ohv):
    import_places("12069")
    import_places("12065")


@pytest.fixture
def bad_belzig():
    return Place.objects.get(postal_code="14806", name="Belzig")


@pytest.fixture
def oranienburg():
    return Place.objects.get(postal_code="16515", name="Oranienburg")


@pytest.fixture
def pm_organisation(pm, bad_belzig):
    """A pm company with an owner, an administrator and a plain member."""
    organisation = make_organisation(
        pm, "Fläming Holzbau GmbH", place=bad_belzig, owner=make_user("chefin@holzbau.example")
    )
    make_membership(organisation, make_user("buero@holzbau.example"), Role.ADMIN)
    make_membership(organisation, make_user("azubi@holzbau.example"), Role.MEMBER)
    return organisation


@pytest.fixture
def ohv_organisation(ohv, oranienburg):
    return make_organisation(
        ohv, "Havel Holzbau GmbH", place=oranienburg, owner=make_user("chef@havel.example")
    )


def login(user, host="pm.localhost"):
    """A client on `host`, signed in as `user` with password and authenticator code."""
    return sign_in_with_two_factor(Client(HTTP_HOST=host), user)


def change_url(organisation, view="change"):
    return reverse(f"admin:organisations_organisation_{view}", args=[organisation.pk])


def act(client, action, organisations, **data):
    """Posts an action for the selected organisations as the changelist (or the
    intermediate page, with confirm="yes") does."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [o.pk for o in organisations], **data},
    )


def shown(response):
    return set(response.context["cl"].result_list)


def csv_rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


# Who gets in ---------------------------------------------------------------------------------


def test_moderator_lists_and_searches_only_their_regions_organisations(
    pm_moderator, pm_organisation, ohv_organisation
):
    client = login(pm_moderator)
    assert shown(client.get(CHANGELIST)) == {pm_organisation}
    for query in ["Holzbau", "14806", "Belzig", "buero@holzbau.example"]:
        assert shown(client.get(CHANGELIST, {"q": query})) == {pm_organisation}, query
    for query in ["Havel", "16515", "Oranienburg", "chef@havel.example"]:
        assert shown(client.get(CHANGELIST, {"q": query})) == set(), query


def test_staff_get_404_for_another_regions_organisation(pm_moderator, pm_admin, ohv_organisation):
    for user in [pm_moderator, pm_admin]:
        client = login(user)
        for view in ["change", "history"]:
            url = change_url(ohv_organisation, view)
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"name": "Gekapert"}).status_code == 404, url
    # Staff delete no organisation (403 whatever the id).
    delete = change_url(ohv_organisation, "delete")
    assert login(pm_admin).get(delete).status_code == 403
    assert login(pm_admin).post(delete, {"post": "yes"}).status_code == 403
    ohv_organisation.refresh_from_db()
    assert ohv_organisation.name == "Havel Holzbau GmbH"


def test_region_filter_offers_only_the_staff_members_regions(
    operator, pm_moderator, pm_organisation, ohv_organisation
):
    def region_choices(user, host="pm.localhost"):
        specs = login(user, host).get(CHANGELIST).context["cl"].filter_specs
        return {
            label
            for spec in specs
            if getattr(spec, "field_path", None) == "region"
            for _pk, label in spec.lookup_choices
        }

    assert region_choices(operator, "localhost") == {"Potsdam-Mittelmark", "Oberhavel"}
    assert region_choices(pm_moderator) == set(), "one region: no filter, and never another's"


def test_members_without_a_staff_role_get_no_access(member, pm_organisation):
    make_membership(pm_organisation, member, Role.OWNER)
    client = login(member)
    for url in [CHANGELIST, change_url(pm_organisation), EXPORT]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    act(client, "verify", [pm_organisation], confirm="yes")
    pm_organisation.refresh_from_db()
    assert pm_organisation.verification == Verification.NEW


def test_operator_sees_all_regions_on_the_portal_host_and_one_on_a_regions_host(
    operator, pm_organisation, ohv_organisation
):
    portal = login(operator, "localhost").get(CHANGELIST)
    assert shown(portal) == {pm_organisation, ohv_organisation}
    assert "region" in portal.context["cl"].list_display
    on_pm = login(operator).get(CHANGELIST)
    assert shown(on_pm) == {pm_organisation}
    assert "region" not in on_pm.context["cl"].list_display


def test_operator_adds_an_organisation_at_a_place_of_its_region(
    operator, pm, bad_belzig, oranienburg
):
    client = login(operator, "localhost")
    data = {
        "name": "Neue Werkstatt GmbH",
        "type": "company",
        "sector": "crafts",
        "size": "micro",
        "region": pm.pk,
        "street": "Am Markt 1",
        "place": oranienburg.pk,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    add = "/admin/organisations/organisation/add/"
    response = client.post(add, data)
    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors
    response = client.post(add, {**data, "place": bad_belzig.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(name="Neue Werkstatt GmbH")
    assert (organisation.region, organisation.place) == (pm, bad_belzig)
    assert organisation.verification == Verification.NEW


def test_only_the_operator_adds_organisations(pm_moderator, pm_admin, operator):
    add = "/admin/organisations/organisation/add/"
    assert login(pm_moderator).get(add).status_code == 403
    assert login(pm_admin).get(add).status_code == 403
    assert login(operator).get(add).status_code == 200


def test_only_the_operator_deletes_organisations(pm_moderator, pm_admin, operator, pm_organisation):
    """Deleting takes an organisation's listings, conversations and history with it: staff
    reject an organisation instead, and only the operator deletes one."""
    for user in [pm_moderator, pm_admin]:
        client = login(user)
        assert client.get(change_url(pm_organisation, "delete")).status_code == 403
        choices = client.get(CHANGELIST).context["action_form"].fields["action"].choices
        assert "delete_selected" not in dict(choices)
        change_page = client.get(change_url(pm_organisation)).content.decode()
        assert change_url(pm_organisation, "delete") not in change_page
        act(client, "delete_selected", [pm_organisation], post="yes")
        client.post(change_url(pm_organisation, "delete"), {"post": "yes"})
        assert Organisation.objects.filter(pk=pm_organisation.pk).exists()

    response = login(operator).post(change_url(pm_organisation, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=pm_organisation.pk).exists()


# The change form ---------------------------------------------------------------------------


def form_data(client, organisation, **changes):
    """What the change form would post back unchanged, with `changes` applied."""
    response = client.get(change_url(organisation))
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name != "logo"}
    data = {name: "" if value is None else value for name, value in data.items()}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    return {**data, **changes}


def test_moderator_edits_the_profile_but_not_the_verification(pm_moderator, pm_organisation):
    client = login(pm_moderator)
    form = client.get(change_url(pm_organisation)).context["adminform"].form
    for field in ["verification", "verified_at", "verified_by", "rejection_reason", "region"]:
        assert field not in form.fields, field
    data = form_data(
        client,
        pm_organisation,
        description="Zimmerei und Holzrahmenbau.",
        verification="verified",
        rejection_reason="x",
    )
    response = client.post(change_url(pm_organisation), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    pm_organisation.refresh_from_db()
    assert pm_organisation.description == "Zimmerei und Holzrahmenbau."
    assert pm_organisation.verification == Verification.NEW
    assert pm_organisation.rejection_reason == ""


def test_the_place_must_lie_in_the_organisations_region(pm_moderator, pm_organisation, oranienburg):
    client = login(pm_moderator)
    response = client.post(
        change_url(pm_organisation), form_data(client, pm_organisation, place=oranienburg.pk)
    )
    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors
    pm_organisation.refresh_from_db()
    assert pm_organisation.place.district_key == "12069"


def test_change_form_links_the_proof_to_the_protected_view_and_lists_members(
    pm_moderator, pm_organisation
):
    pm_organisation.proof.name = "proofs/2025/freistellung.pdf"
    pm_organisation.save()
    content = login(pm_moderator).get(change_url(pm_organisation)).content.decode()
    assert reverse("organisation_proof_file", args=[pm_organisation.pk]) in content
    assert "freistellung.pdf" not in content
    assert "/no-public-url/" not in content
    for email in ["chefin@holzbau.example", "buero@holzbau.example", "azubi@holzbau.example"]:
        assert email in content


# Verify and reject --------------------------------------------------------------------------


def test_verify_asks_for_confirmation_then_verifies_logs_and_tells_the_managers(
    pm_moderator, pm_organisation, django_capture_on_commit_callbacks
):
    pm_organisation.proof.name = "proofs/2025/registerauszug.pdf"
    pm_organisation.save()
    client = login(pm_moderator)
    page = act(client, "verify", [pm_organisation])
    assert page.status_code == 200
    assert "admin/organisations/decision.html" in [t.name for t in page.templates]
    content = page.content.decode()
    assert "Fläming Holzbau GmbH" in content
    assert reverse("organisation_proof_file", args=[pm_organisation.pk]) in content
    pm_organisation.refresh_from_db()
    assert pm_organisation.verification == Verification.NEW, "nothing happens before confirming"

    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            client, "verify", [pm_organisation], confirm="yes", note="Handelsregister geprüft"
        )
    assert response.status_code == 302
    pm_organisation.refresh_from_db()
    assert pm_organisation.verification == Verification.VERIFIED
    assert pm_organisation.verified_by == pm_moderator
    assert pm_organisation.verified_at is not None
    entry = LogEntry.objects.get(object_id=str(pm_organisation.pk))
    assert entry.user == pm_moderator
    assert "Handelsregister geprüft" in entry.change_message

    [email] = mail.outbox
    assert set(email.to) == {"chefin@holzbau.example", "buero@holzbau.example"}
    assert "Potsdam-Mittelmark" in email.subject
    assert f"://pm.localhost/organisations/{pm_organisation.pk}/manage/" in email.body


def test_reject_needs_a_reason(pm_moderator, pm_organisation, django_capture_on_commit_callbacks):
    client = login(pm_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "reject", [pm_organisation], confirm="yes", reason="   ")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    assert 'class="errornote"' in response.content.decode()
    pm_organisation.refresh_from_db()
    assert pm_organisation.verification == Verification.NEW
    assert not LogEntry.objects.exists()
    assert mail.outbox == []


def test_reject_saves_and_logs_the_reason_and_tells_the_managers(
    pm_moderator, pm_organisation, django_capture_on_commit_callbacks
):
    reason = "Die hochgeladene Gewerbeanmeldung ist nicht lesbar."
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            login(pm_moderator), "reject", [pm_organisation], confirm="yes", reason=reason
        )
    assert response.status_code == 302
    pm_organisation.refresh_from_db()
    assert pm_organisation.verification == Verification.REJECTED
    assert pm_organisation.rejection_reason == reason
    entry = LogEntry.objects.get(object_id=str(pm_organisation.pk))
    assert entry.user == pm_moderator
    assert reason in entry.change_message

    [email] = mail.outbox
    assert set(email.to) == {"chefin@holzbau.example", "buero@holzbau.example"}
    assert "Potsdam-Mittelmark" in email.subject
    assert reason in email.body
    assert f"://pm.localhost/organisations/{pm_organisation.pk}/manage/" in email.body


def test_actions_on_another_regions_organisations_change_nothing(
    pm_moderator, pm_admin, ohv_organisation, django_capture_on_commit_callbacks
):
    moderator = login(pm_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        act(moderator, "verify", [ohv_organisation], confirm="yes")
        act(moderator, "reject", [ohv_organisation], confirm="yes", reason="Fremd")
        act(login(pm_admin), "delete_selected", [ohv_organisation], post="yes")
    ohv_organisation.refresh_from_db()
    assert ohv_organisation.verification == Verification.NEW
    assert not LogEntry.objects.exists()
    assert mail.outbox == []

    export = act(moderator, "export_csv", [ohv_organisation])
    assert len(csv_rows(export)) == 1  # the header only
    assert "Havel" not in export.content.decode()


def test_a_mixed_selection_acts_only_on_the_own_regions_organisations(
    pm_moderator, pm_organisation, ohv_organisation
):
    response = act(
        login(pm_moderator),
        "reject",
        [pm_organisation, ohv_organisation],
        confirm="yes",
        reason="Bitte Nachweis erneuern.",
    )
    assert response.status_code == 302
    pm_organisation.refresh_from_db()
    ohv_organisation.refresh_from_db()
    assert pm_organisation.verification == Verification.REJECTED
    assert ohv_organisation.verification == Verification.NEW


# Filters --------------------------------------------------------------------------------------


def test_eligibility_filter(pm, pm_moderator, bad_belzig):
    verified = {"verification": Verification.VERIFIED}
    school = make_organisation(pm, "Grundschule", type=OrganisationType.SCHOOL, **verified)
    new_school = make_organisation(pm, "Oberschule", type=OrganisationType.SCHOOL)
    company = make_organisation(pm, "Firma", type=OrganisationType.COMPANY, **verified)
    client = login(pm_moderator)
    assert shown(client.get(CHANGELIST, {"eligible": "yes"})) == {school}
    assert shown(client.get(CHANGELIST, {"eligible": "no"})) == {new_school, company}


def test_lapsing_proof_filter(pm, pm_moderator):
    today = timezone.localdate()
    soon = make_organisation(pm, "Bald", proof_valid_until=today + timedelta(days=10))
    lapsed = make_organisation(pm, "Abgelaufen", proof_valid_until=today - timedelta(days=5))
    make_organisation(pm, "Lange gültig", proof_valid_until=today + timedelta(days=300))
    make_organisation(pm, "Ohne Nachweis")
    client = login(pm_moderator)
    assert shown(client.get(CHANGELIST, {"proof": "lapsing"})) == {soon, lapsed}
    assert shown(client.get(CHANGELIST, {"proof": "lapsed"})) == {lapsed}


# CSV ----------------------------------------------------------------------------------------


def test_csv_export_of_the_selected_organisations(pm, pm_moderator, pm_organisation):
    school = make_organisation(
        pm,
        "=HYPERLINK(evil)",
        type=OrganisationType.SCHOOL,
        verification=Verification.VERIFIED,
        proof_valid_until=date(2031, 7, 31),
    )
    make_organisation(pm, "Nicht ausgewählt")
    response = act(login(pm_moderator), "export_csv", [pm_organisation, school])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organisations-pm-')
    header, *rows = csv_rows(response)
    assert len(header) == 10
    assert len(rows) == 2
    by_name = {row[0]: row for row in rows}
    assert set(by_name) == {"'=HYPERLINK(evil)", "Fläming Holzbau GmbH"}
    company = by_name["Fläming Holzbau GmbH"]
    assert company[4:6] == ["14806", "Belzig"]
    assert company[8] == ""
    assert company[9] == timezone.localdate().isoformat()
    assert by_name["'=HYPERLINK(evil)"][8] == "2031-07-31"
    assert by_name["'=HYPERLINK(evil)"][7] != company[7]  # eligible vs. not
    content = response.content.decode()
    assert "Nicht ausgewählt" not in content
    assert "@holzbau.example" not in content  # no personal data of members


def test_csv_export_of_the_filtered_list(pm, pm_moderator, pm_organisation, ohv):
    verified = make_organisation(pm, "Geprüft e. V.", verification=Verification.VERIFIED)
    make_organisation(ohv, "Auch geprüft", verification=Verification.VERIFIED)
    client = login(pm_moderator)
    changelist = client.get(CHANGELIST, {"verification__exact": "verified"}).content.decode()
    assert f"{EXPORT}?verification__exact=verified" in changelist
    _header, *rows = csv_rows(client.get(EXPORT, {"verification__exact": "verified"}))
    assert [row[0] for row in rows] == [verified.name]
    _header, *rows = csv_rows(client.get(EXPORT, {"q": "Holzbau"}))
    assert [row[0] for row in rows] == [pm_organisation.name]


@pytest.mark.parametrize(
    "query", [{"nonsense": "1"}, {"eligible": "vielleicht"}, {"proof": "bald"}]
)
def test_csv_export_refuses_an_unknown_filter(pm_moderator, pm_organisation, query):
    """Like the listings' export: a file that quietly ignored a filter would count wrong."""
    response = login(pm_moderator).get(EXPORT, query)
    assert response.status_code == 400
    assert "Filter" in response.content.decode()
    assert "Holzbau" not in response.content.decode()


# Queries ------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_changelist_query_count_does_not_grow_with_the_data(pm, ohv, pm_moderator):
    StaffMembership.objects.create(user=pm_moderator, region=ohv, role=StaffRole.MODERATOR)
    make_organisation(pm, "Erste GmbH", owner=make_user("eins@example.org"))
    client = login(pm_moderator)
    client.get(CHANGELIST)  # warm caches
    before = count_queries(client, CHANGELIST)
    for number in range(5):
        region = pm if number % 2 else ohv
        organisation = make_organisation(
            region,
            f"Weitere {number} GmbH",
            type=OrganisationType.SCHOOL,
            verification=Verification.VERIFIED,
            owner=make_user(f"person{number}@example.org"),
        )
        organisation.place = Place.objects.in_region(region).last()
        organisation.save()
    assert count_queries(client, CHANGELIST) == before


def test_verifying_from_the_portal_host_links_to_the_regions_host(
    operator, pm, django_capture_on_commit_callbacks
):
    """The portal's URLconf has none of the region's URLs; the mail must still link there."""
    from django.conf import settings
    from django.urls import set_urlconf

    from organisations import services

    from .factories import make_organisation, make_user

    owner = make_user("leitung@schule.example")
    organisation = make_organisation(pm, "Grundschule Am See", owner=owner)
    set_urlconf(settings.PORTAL_URLCONF)  # as during a request to the portal host
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.verify(organisation, operator)
    finally:
        set_urlconf(None)
    link = f"http://pm.localhost/organisations/{organisation.pk}/manage/"
    assert link in mail.outbox[0].body

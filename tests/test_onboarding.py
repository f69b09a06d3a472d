"""A new district from its key to live: `manage.py add_region` sets it up switched off, the
region's admin page shows the checklist, and only the operator takes it live once every item
holds – refused, naming what is missing, before."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regions import onboarding
from regions.audit import AuditAction, AuditEntry
from regions.invitations import StaffInvitation
from regions.models import Place, Region, RegionPage, StaffMembership, StaffRole
from regions.operators import InstallationOperator

from .factories import fresh, make_staff, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

HVL = "12063"
TO_DO = re.compile(r"\[Bitte [^\]]*\]")


def add_havelland(**options):
    out = io.StringIO()
    call_command("add_region", HVL, host="hvl.localhost", stdout=out, **options)
    return Region.objects.get(district_key=HVL), out.getvalue()


OPERATOR = {
    "operator_name": "Wirtschaftsförderung Havelland GmbH",
    "operator_address": "Platz der Freiheit 1\n14712 Rathenow",
    "operator_email": "kontakt@hvl.example.org",
    "operator_phone": "03385 0000",
    "operator_representative": "Erika Muster (Geschäftsführerin)",
    "operator_responsible_person": "Erika Muster, Platz der Freiheit 1, 14712 Rathenow",
    "operator_privacy_officer": "datenschutz@hvl.example.org",
}


def set_up_installation_operator():
    """The installation's operator, whom every region's privacy policy names."""
    InstallationOperator.objects.create(
        operator_name="starkeRegion Betriebs-GmbH",
        operator_address="Plattformweg 1\n10115 Berlin",
        operator_email="betrieb@starkeregion.example",
        operator_representative="Max Muster (Geschäftsführer)",
        state="11",
        hosting_provider="Hosting AG, Serverweg 1, 10115 Berlin (Server in Deutschland)",
        email_provider="Mail GmbH, Postweg 2, 10115 Berlin",
        log_retention="7 Tage",
    )


def make_ready(region):
    """Everything the checklist asks, done as the operator and the region's staff would."""
    if not InstallationOperator.objects.exists():
        set_up_installation_operator()
    Region.objects.filter(pk=region.pk).update(
        logo="regions/logos/hvl.png", primary_color="#1d4f91", **OPERATOR
    )
    make_staff("moderation@hvl.example.org", region, StaffRole.ADMIN)
    for page in RegionPage.objects.filter(region=region):
        adapt(page)
    return fresh(region)


def adapt(page):
    """The page as staff save it once they have written what only they know."""
    page.body = TO_DO.sub("Das steht jetzt hier.", page.body)
    page.adapted_at = timezone.now()
    page.save()


def operator_client(operator, host="localhost"):
    return sign_in_with_two_factor(Client(HTTP_HOST=host), operator)


def change_url(region):
    return reverse("admin:regions_region_change", args=[region.pk])


def go_live_url(region):
    return reverse("admin:regions_region_go_live", args=[region.pk])


# The command ---------------------------------------------------------------------------------


def test_add_region_sets_up_the_district_switched_off(db):
    region, output = add_havelland()
    assert (region.name, region.preposition, region.slug) == ("Havelland", "im", "hvl")
    assert not region.is_active
    assert region.primary_host == "hvl.localhost"
    assert Place.objects.in_region(region).filter(postal_code="14712", name="Rathenow").exists()
    assert set(region.pages.values_list("kind", flat=True)) == set(RegionPage.Kind.values)
    assert "switched off" in output and "Logo" in output  # what is still to do
    assert change_url(region) in output


def test_add_region_takes_the_operator_data_and_a_name_of_its_own(db):
    region, _output = add_havelland(
        name="Havelland (Test)",
        preposition="im",
        slug="havelland",
        operator_name="WFG Havelland",
        operator_address="Platz der Freiheit 1\\n14712 Rathenow",
        operator_email="kontakt@hvl.example.org",
        operator_phone="03385 0000",
    )
    assert (region.name, region.slug) == ("Havelland (Test)", "havelland")
    assert region.operator_address == "Platz der Freiheit 1\n14712 Rathenow"
    assert onboarding.missing_operator_data(region) == [
        "Vertretungsberechtigte Person",
        "Verantwortliche Person für den Inhalt",
        "Datenschutzbeauftragte(r)",
    ]


@pytest.mark.parametrize(
    ("key", "message"),
    [("1206", "fünf Ziffern"), ("99999", "keine Orte"), ("12069", "existiert bereits")],
)
def test_add_region_refuses_a_wrong_or_taken_district_key(pm, key, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_region", key, host="neu.localhost", stdout=io.StringIO())
    assert not Region.objects.filter(domains__host="neu.localhost").exists()


def test_add_region_refuses_a_host_name_in_use(pm):
    with pytest.raises(CommandError, match="Hostname mit diesem Wert"):
        call_command("add_region", HVL, host="pm.localhost", slug="hvl", stdout=io.StringIO())
    assert not Region.objects.filter(district_key=HVL).exists()


@pytest.mark.parametrize(
    ("key", "name", "preposition"),
    [
        ("12063", "Havelland", "im"),
        ("12073", "Uckermark", "in der"),
        ("05382", "Rhein-Sieg-Kreis", "im"),
        ("09187", "Landkreis Rosenheim", "im"),  # the city of Rosenheim is a district too
        ("09163", "Rosenheim", "in"),
        ("03241", "Region Hannover", "in der"),
    ],
)
def test_the_name_and_preposition_come_from_the_district_key(key, name, preposition):
    assert onboarding.district_name(key) == name
    assert onboarding.preposition_for(name) == preposition


# Inactive until live -------------------------------------------------------------------------


def test_a_region_that_is_not_live_is_neither_served_nor_listed(portal_client, pm):
    add_havelland()
    for path in ["/", "/imprint/", "/listings/"]:
        assert Client(HTTP_HOST="hvl.localhost").get(path).status_code == 404, path
    portal = portal_client.get("/").content.decode()
    assert "Potsdam-Mittelmark" in portal and "Havelland" not in portal


def test_existing_regions_stay_live_and_a_region_saved_in_code_starts_switched_off(pm):
    assert fresh(pm).is_active
    region = Region.objects.create(
        name="Barnim", slug="bar", district_key="12060", operator_name="x"
    )
    assert not region.is_active


# The checklist -------------------------------------------------------------------------------


def open_items(region):
    return [item.label for item in onboarding.checklist(fresh(region)) if not item.done]


def test_a_fresh_region_has_everything_but_its_places_to_do(db):
    region, _output = add_havelland()
    assert open_items(region) == [
        "Logo und Farbe festgelegt",
        "Mitarbeitende eingeladen",
        "Rechtstexte angepasst",
        "Betreiberangaben vollständig",
    ]


def test_the_checklist_misses_the_places_until_they_are_imported(db):
    region, _output = add_havelland()
    Place.objects.filter(district_key=HVL).delete()
    assert "Postleitzahlen importiert" in open_items(region)


def test_logo_and_colour_both_count(db):
    region = make_ready(add_havelland()[0])
    Region.objects.filter(pk=region.pk).update(logo="")
    assert open_items(region) == ["Logo und Farbe festgelegt"]
    Region.objects.filter(pk=region.pk).update(
        logo="regions/logos/hvl.png", primary_color=onboarding.DEFAULT_PRIMARY_COLOR
    )
    assert open_items(region) == ["Logo und Farbe festgelegt"]


def test_an_open_invitation_counts_as_staff_but_an_expired_or_revoked_one_does_not(db):
    region = make_ready(add_havelland()[0])
    StaffMembership.objects.filter(region=region).delete()
    assert open_items(region) == ["Mitarbeitende eingeladen"]
    invitation = StaffInvitation.objects.create(region=region, email="neu@hvl.example.org")
    assert open_items(region) == []
    StaffInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert open_items(region) == ["Mitarbeitende eingeladen"]
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        revoked_at=None, sent_at=timezone.now() - timezone.timedelta(days=8)
    )
    assert open_items(region) == ["Mitarbeitende eingeladen"]


def test_each_legal_page_must_be_adapted_and_the_guide_need_not(db):
    region = make_ready(add_havelland()[0])
    RegionPage.objects.filter(region=region, kind="privacy").update(adapted_at=None)
    RegionPage.objects.filter(region=region, kind="how-it-works").update(adapted_at=None)
    (item,) = [item for item in onboarding.checklist(fresh(region)) if not item.done]
    assert (item.label, item.missing) == ("Rechtstexte angepasst", "Datenschutzerklärung")


def test_a_legal_page_that_still_asks_the_operator_for_something_is_not_adapted(db):
    region = make_ready(add_havelland()[0])
    page = RegionPage.objects.get(region=region, kind="accessibility")
    RegionPage.objects.filter(pk=page.pk).update(body=page.body + "\n\n[Bitte Datum eintragen]")
    assert onboarding.unadapted_legal_pages(region) == ["Erklärung zur Barrierefreiheit"]
    RegionPage.objects.filter(pk=page.pk).update(body=page.body)
    Region.objects.filter(pk=region.pk).update(operator_representative="")
    assert onboarding.unadapted_legal_pages(fresh(region)) == ["Impressum"], (
        "the imprint shows a note for the missing representative"
    )


def test_saving_a_changed_legal_page_in_the_back_office_adapts_it(operator):
    region, _output = add_havelland()
    set_up_installation_operator()
    Region.objects.filter(pk=region.pk).update(**OPERATOR)
    page = RegionPage.objects.get(region=region, kind="imprint")
    client = operator_client(operator)
    url = reverse("admin:regions_regionpage_change", args=[page.pk])
    client.post(url, {"title": page.title, "body": page.body})
    assert fresh(page).adapted_at is None, "saved unchanged, it is still the starter text"
    response = client.post(url, {"title": page.title, "body": page.body + "\n\nRegister: HRB 1"})
    assert response.status_code == 302
    assert fresh(page).adapted_at is not None
    assert onboarding.unadapted_legal_pages(fresh(region)) == [
        "Datenschutzerklärung",
        "Erklärung zur Barrierefreiheit",
    ]


def test_operator_data_names_each_missing_field(db):
    region = make_ready(add_havelland()[0])
    Region.objects.filter(pk=region.pk).update(operator_phone="", operator_email=" ")
    items = [item for item in onboarding.checklist(fresh(region)) if not item.done]
    # The legal pages show notes for what is missing, too.
    assert [item.label for item in items] == [
        "Rechtstexte angepasst",
        "Betreiberangaben vollständig",
    ]
    assert "E-Mail-Adresse" in items[1].missing and "Telefonnummer" in items[1].missing


def test_the_region_page_shows_the_checklist_and_the_go_live_button(operator):
    region, _output = add_havelland()
    page = operator_client(operator).get(change_url(region)).content.decode()
    assert "Checkliste vor dem Freischalten" in page
    assert "fehlt: Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit" in page
    assert f'action="{go_live_url(region)}"' in page
    assert "Mitarbeitende einladen" in page


# Going live ----------------------------------------------------------------------------------


def test_going_live_is_refused_naming_what_is_missing(operator):
    region, _output = add_havelland()
    client = operator_client(operator)
    response = client.post(go_live_url(region), follow=True)
    assert response.status_code == 200
    message = str(next(iter(response.context["messages"])))
    assert message.startswith("Havelland kann noch nicht freigeschaltet werden. Es fehlt:")
    assert "Logo und Farbe festgelegt" in message and "Impressum" in message
    assert not fresh(region).is_active
    assert not AuditEntry.objects.filter(action=AuditAction.REGION_WENT_LIVE).exists()


def test_going_live_once_the_checklist_holds_is_logged_and_serves_the_region(
    operator, portal_client
):
    region = make_ready(add_havelland()[0])
    client = operator_client(operator)
    response = client.post(go_live_url(region), follow=True)
    assert "Havelland ist freigeschaltet." in [str(m) for m in response.context["messages"]]
    assert fresh(region).is_active
    entry = AuditEntry.objects.get(region=region)
    assert (entry.action, entry.actor, entry.subject) == (
        AuditAction.REGION_WENT_LIVE,
        operator,
        "Havelland",
    )
    assert "im Havelland" in Client(HTTP_HOST="hvl.localhost").get("/").content.decode()
    assert "Havelland" in portal_client.get("/").content.decode()


def test_switching_off_takes_the_region_off_the_web_and_is_logged(operator):
    region = make_ready(add_havelland()[0])
    onboarding.go_live(region, operator)
    client = operator_client(operator)
    url = reverse("admin:regions_region_switch_off", args=[region.pk])
    client.post(url)
    assert not fresh(region).is_active
    assert Client(HTTP_HOST="hvl.localhost").get("/").status_code == 404
    assert AuditEntry.objects.filter(region=region, action=AuditAction.REGION_SWITCHED_OFF).exists()


def test_the_active_checkbox_no_longer_switches_a_region_on(operator):
    region = make_ready(add_havelland()[0])
    client = operator_client(operator)
    form = client.get(change_url(region)).context["adminform"].form
    assert "is_active" not in form.fields


def test_region_staff_cannot_go_live_even_in_their_own_region(pm_admin, ohv_admin, operator):
    region = make_ready(add_havelland()[0])
    own_admin = StaffMembership.objects.get(region=region).user
    assert (
        sign_in_with_two_factor(Client(HTTP_HOST="localhost"), own_admin)
        .post(go_live_url(region))
        .status_code
        == 403
    )
    assert (
        sign_in_with_two_factor(Client(HTTP_HOST="localhost"), ohv_admin)
        .post(go_live_url(region))
        .status_code
        == 404
    )
    assert not fresh(region).is_active


def test_going_live_answers_post_only_and_needs_the_csrf_token(operator):
    region = make_ready(add_havelland()[0])
    client = operator_client(operator)
    assert client.get(go_live_url(region)).status_code == 405
    strict = sign_in_with_two_factor(
        Client(HTTP_HOST="localhost", enforce_csrf_checks=True), operator
    )
    assert strict.post(go_live_url(region)).status_code == 403
    assert not fresh(region).is_active


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_region_page_query_count_does_not_grow_with_staff_and_invitations(
    operator, django_assert_max_num_queries
):
    region = make_ready(add_havelland()[0])
    client = operator_client(operator)
    client.get(change_url(region))  # warm caches
    before = count_queries(client, change_url(region))
    for number in range(5):
        make_staff(f"kollege{number}@hvl.example.org", region, StaffRole.MODERATOR)
        StaffInvitation.objects.create(region=region, email=f"neu{number}@hvl.example.org")
    with django_assert_max_num_queries(before):
        assert client.get(change_url(region)).status_code == 200

"""Legal pages that stay right: worded for the district's federal state, with the operator's
details filled in whenever a page is shown, and never deleted."""

import importlib
import re

import pytest
from django.test import Client
from django.utils import translation

from regions.legal import pages_adapted
from regions.models import Region, RegionPage
from regions.operators import InstallationOperator
from regions.states import STATES

from .factories import make_region, make_staff, page_of, sign_in_with_two_factor

pytestmark = pytest.mark.django_db


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    article = re.search(r"<article.*?</article>", response.content.decode(), re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


@pytest.fixture
def havelland(db):
    return make_region("hvl", district_key="12063", name="Havelland", preposition="im")


@pytest.fixture
def munich(db):
    return make_region("m", district_key="09184", name="München")


def test_a_brandenburg_district_names_brandenburgs_laws_and_authority(havelland):
    client = Client(HTTP_HOST="hvl.localhost")
    accessibility = page_text(client, "/accessibility/")
    assert "Brandenburgisches Behindertengleichstellungsgesetz (BbgBGG)" in accessibility
    assert "BayBGG" not in accessibility
    privacy = page_text(client, "/privacy/")
    assert "Recht auf Akteneinsicht Brandenburg" in privacy
    assert "lda.brandenburg.de" in privacy


def test_a_bavarian_district_names_bavarias_laws_and_leaves_the_choice_of_authority(munich):
    client = Client(HTTP_HOST="m.localhost")
    accessibility = page_text(client, "/accessibility/")
    assert "Bayerisches Behindertengleichstellungsgesetz (BayBGG)" in accessibility
    assert "Landesamt für Digitalisierung, Breitband und Vermessung" in accessibility
    assert "BbgBGG" not in accessibility
    assert "Brandenburg" not in accessibility
    privacy = page_text(client, "/privacy/")
    assert "[Bitte die zuständige wählen: Der Bayerische Landesbeauftragte" in privacy
    assert "Brandenburg" not in privacy


@pytest.mark.parametrize("code", sorted(STATES))
def test_every_state_gets_its_own_law_or_a_note_to_name_it(code):
    state = STATES[code]
    region = make_region(f"r{code}", district_key=f"{code}001")
    text = region.pages.get(kind="accessibility").body
    if state.accessibility_law:
        assert state.accessibility_law in text
    else:
        law_note = "[Bitte das Gesetz über barrierefreie Informationstechnik des Landes"
        assert f"{law_note} {state.name}" in text
    if state.enforcement:
        assert state.enforcement in text
    else:
        assert f"[Bitte die Durchsetzungs- oder Schlichtungsstelle des Landes {state.name}" in text
    assert ("BbgBGG" in text) == (code == "12")
    assert state.data_protection_authority in region.pages.get(kind="privacy").body


def test_a_change_of_the_operators_details_reaches_every_page(pm_client, pm):
    pm.operator_name = "Standortmarketing Mittelmark GmbH"
    pm.operator_address = "Am Markt 5\n14806 Bad Belzig"
    pm.operator_email = "hallo@mittelmark.example"
    pm.save()
    for path in ["/imprint/", "/privacy/", "/accessibility/", "/how-it-works/"]:
        text = page_text(pm_client, path)
        assert "Standortmarketing Mittelmark GmbH" in text, path
        assert "Wirtschaftsförderung PM" not in text, path
    imprint = page_text(pm_client, "/imprint/")
    assert "Am Markt 5 14806 Bad Belzig" in imprint
    assert "hallo@mittelmark.example" in imprint


def test_details_the_law_asks_for_show_a_note_until_filled_in(pm_client, pm):
    imprint = page_text(pm_client, "/imprint/")
    assert "[Angabe fehlt: Vertretungsberechtigte Person" in imprint
    assert "[Angabe fehlt: Verantwortliche Person nach § 18 Abs. 2 MStV" in imprint
    # Optional details leave their line out while empty.
    assert "Registereintrag" not in imprint
    assert "Umsatzsteuer" not in imprint
    pm.operator_representative = "Erika Muster (Geschäftsführerin)"
    pm.operator_responsible_person = "Erika Muster\nAm Markt 5\n14806 Bad Belzig"
    pm.operator_register = "Amtsgericht Potsdam, HRB 12345"
    pm.save()
    imprint = page_text(pm_client, "/imprint/")
    assert "Vertreten durch: Erika Muster (Geschäftsführerin)" in imprint
    assert "Registereintrag: Amtsgericht Potsdam, HRB 12345" in imprint
    assert "Angabe fehlt" not in imprint.split(" Kontakt ")[0]
    assert "Umsatzsteuer" not in imprint


def test_details_are_shown_as_typed_never_as_markup(pm_client, pm):
    pm.operator_name = "<script>alert(1)</script> *Fett* GmbH"
    pm.save()
    html = pm_client.get("/imprint/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *Fett* GmbH" in html


def test_the_installation_operator_is_named_in_every_regions_privacy_policy(pm_client, ohv_client):
    InstallationOperator.objects.create(
        operator_name="starkeRegion Betriebs-GmbH",
        operator_address="Plattformweg 1\n10115 Berlin",
        operator_email="betrieb@starkeregion.example",
        hosting_provider="Rechenzentrum Nord GmbH, Hamburg; Server in Deutschland",
        email_provider="Postdienst AG, Köln",
        log_retention="7 Tagen",
    )
    for client in (pm_client, ohv_client):
        privacy = page_text(client, "/privacy/")
        assert "Die Plattform betreibt technisch starkeRegion Betriebs-GmbH" in privacy
        assert "Hosting: Rechenzentrum Nord GmbH, Hamburg; Server in Deutschland" in privacy
        assert "E-Mail-Versand: Postdienst AG, Köln" in privacy
        assert "nach 7 Tagen gelöscht" in privacy
    operator = InstallationOperator.objects.get()
    operator.hosting_provider = "Wolke Süd GmbH"
    operator.save()
    assert "Hosting: Wolke Süd GmbH" in page_text(pm_client, "/privacy/")


def test_staff_edits_keep_the_placeholders_working(pm_client, pm):
    RegionPage.objects.filter(region=pm, kind="imprint").update(
        body="## Impressum\n\nBetrieben von {operator_name}. {unbekannt} bleibt stehen."
    )
    pm.operator_name = "Neuer Name e. V."
    pm.save()
    text = page_text(pm_client, "/imprint/")
    assert "Betrieben von Neuer Name e. V." in text
    assert "{unbekannt} bleibt stehen" in text


def test_a_missing_page_shows_its_starter_text_not_a_404(pm_client, pm):
    RegionPage.objects.filter(region=pm).delete()
    for path in ["/imprint/", "/privacy/", "/accessibility/", "/how-it-works/"]:
        assert pm_client.get(path).status_code == 200, path
    assert "Wirtschaftsförderung PM" in page_text(pm_client, "/imprint/")


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_footer_link_answers_200(pm_client, language):
    pm_client.cookies["django_language"] = language
    html = pm_client.get("/").content.decode()
    footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', footer)
    assert len(links) >= 5
    for link in links:
        assert pm_client.get(link).status_code == 200, link
    if language == "en":
        assert "Imprint" in footer and "Accessibility statement" in footer
    else:
        assert "Impressum" in footer and "Erklärung zur Barrierefreiheit" in footer


def test_pages_stay_german_for_english_readers(pm_client):
    pm_client.cookies["django_language"] = "en"
    html = pm_client.get("/imprint/").content.decode()
    assert '<article class="prose" lang="de">' in html
    assert "Angaben gemäß § 5 DDG" in html
    assert "Last changed" in html


# Not deletable ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(pm):
    from regions.models import StaffRole

    user = make_staff("leitung@pm.example.org", pm, StaffRole.ADMIN)
    return sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), user)


@pytest.fixture
def operator_client(operator, pm):
    return sign_in_with_two_factor(Client(HTTP_HOST="localhost"), operator)


@pytest.mark.parametrize("kind", sorted(RegionPage.REQUIRED))
@pytest.mark.parametrize("who", ["admin_client", "operator_client"])
def test_required_pages_cannot_be_deleted_in_the_back_office(request, pm, kind, who):
    client = request.getfixturevalue(who)
    page = page_of(pm, kind)
    url = f"/admin/regions/regionpage/{page.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    change = client.get(f"/admin/regions/regionpage/{page.pk}/change/")
    assert change.status_code == 200
    assert "/delete/" not in change.content.decode()
    assert RegionPage.objects.filter(pk=page.pk).exists()


@pytest.mark.parametrize("who", ["admin_client", "operator_client"])
def test_the_delete_action_refuses_required_pages(request, pm, who):
    client = request.getfixturevalue(who)
    pages = list(RegionPage.objects.filter(region=pm))
    response = client.post(
        "/admin/regions/regionpage/",
        {"action": "delete_selected", "_selected_action": [p.pk for p in pages], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert RegionPage.objects.filter(region=pm).count() == 4


def test_the_how_it_works_page_may_be_deleted_and_then_shows_its_starter_text(admin_client, pm):
    page = page_of(pm, RegionPage.Kind.HOW_IT_WORKS)
    admin_client.post(f"/admin/regions/regionpage/{page.pk}/delete/", {"post": "yes"})
    assert not RegionPage.objects.filter(pk=page.pk).exists()
    assert Client(HTTP_HOST="pm.localhost").get("/how-it-works/").status_code == 200


def test_the_admin_form_explains_the_placeholders_in_german(admin_client, pm):
    with translation.override("de"):
        html = admin_client.get(f"/admin/regions/regionpage/{page_of(pm).pk}/change/")
    assert "{operator_name}" in html.content.decode()
    assert "Angaben des Betreibers" in html.content.decode()


# For the go-live checklist ------------------------------------------------------------------


def test_pages_count_as_adapted_once_no_note_for_the_operator_is_left(pm):
    assert not pages_adapted(pm)
    for field in ["representative", "responsible_person", "privacy_officer", "phone"]:
        setattr(pm, f"operator_{field}", "ausgefüllt")
    pm.save()
    InstallationOperator.objects.create(
        operator_name="Betrieb",
        operator_address="Weg 1",
        operator_email="b@example.org",
        hosting_provider="Hoster",
        email_provider="Mailer",
        log_retention="7 Tagen",
    )
    assert not pages_adapted(pm)  # the starter texts still ask for dates and periods
    for page in RegionPage.objects.filter(region=pm):
        page.body = re.sub(r"\[Bitte [^\]]*\]", "erledigt", page.body)
        page.save()
    assert pages_adapted(Region.objects.get(pk=pm.pk))
    RegionPage.objects.filter(region=pm, kind="privacy").delete()
    assert not pages_adapted(pm)


# Existing regions ---------------------------------------------------------------------------


def test_the_migration_renews_untouched_starter_texts_and_keeps_edited_ones(munich):
    from django.apps import apps

    migration = importlib.import_module("regions.migrations.0006_starter_texts_per_federal_state")
    pages = {page.kind: page for page in RegionPage.objects.filter(region=munich)}
    for kind in ["imprint", "accessibility", "how-it-works"]:
        pages[kind].body = migration.old_starter_text(kind, munich).strip()
        pages[kind].save()
    edited = migration.old_starter_text("privacy", munich).strip() + "\n\nUnser Zusatz."
    pages["privacy"].body = edited
    pages["privacy"].save()
    assert "Brandenburgischen" in page_of(munich, "accessibility").body  # the old wrong law

    migration.renew_unchanged_pages(apps, None)

    accessibility = page_of(munich, "accessibility").body
    assert "BayBGG" in accessibility and "Brandenburg" not in accessibility
    assert "{operator_name}" in page_of(munich, "imprint").body
    assert "{operator_name}" in page_of(munich, "how-it-works").body
    assert page_of(munich, "privacy").body == edited

"""The admin is each region's back office: staff see and touch only their own regions."""

import io
import os
import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from regions.models import Place, Region, RegionPage, StaffMembership, StaffRole

from .factories import (
    PASSWORD,
    enable_totp,
    make_listing,
    make_organisation,
    make_region,
    make_staff,
    page_of,
    sign_in_with_two_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(pm, ohv):
    """A client on pm.localhost, logged in as the given user."""

    def login(user, host="pm.localhost"):
        return sign_in_with_two_factor(Client(HTTP_HOST=host), user)

    return login


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def object_urls(obj):
    base = change_url(obj)
    return [base, base.replace("/change/", "/history/"), base.replace("/change/", "/delete/")]


def test_anonymous_visitors_are_sent_to_the_allauth_login(pm_client):
    response = pm_client.get("/admin/")
    assert response.status_code == 302
    login = pm_client.get(response["Location"])
    assert login["Location"].startswith("/accounts/login/?next=")


def test_admin_login_is_the_rate_limited_allauth_login(pm_client, pm_admin):
    for _attempt in range(5):
        pm_client.post("/accounts/login/?next=/admin/", {"login": pm_admin.email, "password": "x"})
    response = pm_client.post(
        "/accounts/login/?next=/admin/", {"login": pm_admin.email, "password": "falsch"}
    )
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


def test_members_without_a_staff_role_are_refused(admin_client_for, member):
    client = admin_client_for(member)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/").status_code == 403


def test_staff_without_two_factor_must_set_it_up_first(admin_client_for, pm):
    newcomer = make_staff("neu@pm.example.org", pm, StaffRole.MODERATOR, totp=False)
    response = admin_client_for(newcomer).get("/admin/regions/regionpage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_admin_is_titled_after_the_hosts_region(admin_client_for, pm_admin, operator):
    response = admin_client_for(pm_admin).get("/admin/")
    assert response.status_code == 200
    assert "Potsdam-Mittelmark · Verwaltung" in response.content.decode()
    ohv_response = admin_client_for(operator, host="ohv.localhost").get("/admin/")
    assert "Oberhavel · Verwaltung" in ohv_response.content.decode()


def test_staff_list_and_search_only_their_regions_pages(admin_client_for, pm_admin, pm, ohv):
    client = admin_client_for(pm_admin)
    response = client.get("/admin/regions/regionpage/")
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == set(RegionPage.objects.filter(region=pm))

    search = client.get("/admin/regions/regionpage/", {"q": "OHV"})
    assert all(page.region == pm for page in search.context["cl"].result_list)
    regions = client.get("/admin/regions/region/").context["cl"].result_list
    assert list(regions) == [pm]


def test_staff_get_404_on_every_view_of_another_regions_objects(admin_client_for, pm_admin, ohv):
    client = admin_client_for(pm_admin)
    for url in object_urls(page_of(ohv)):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "gekapert"}).status_code == 404, url
    # Regions are deleted by the operator only: 403 for any id, so nothing leaks either.
    for url in object_urls(ohv):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"name": "gekapert", "post": "yes"}).status_code in (403, 404)
    assert page_of(ohv).title != "gekapert"
    assert Region.objects.filter(pk=ohv.pk).exists()


def test_staff_cannot_act_on_another_regions_objects(admin_client_for, pm_admin, pm, ohv):
    client = admin_client_for(pm_admin)
    # The page that may be deleted: the legal ones are kept (tests/test_legal_pages.py).
    foreign, own = page_of(ohv, "how-it-works"), page_of(pm, "how-it-works")
    client.post(
        "/admin/regions/regionpage/",
        {"action": "delete_selected", "_selected_action": [foreign.pk, own.pk], "post": "yes"},
    )
    assert RegionPage.objects.filter(pk=foreign.pk).exists()
    assert not RegionPage.objects.filter(pk=own.pk).exists(), "the action itself works"


def test_staff_cannot_add_a_page_to_another_region(admin_client_for, pm_admin, pm, ohv):
    client = admin_client_for(pm_admin)
    form = client.get("/admin/regions/regionpage/add/").context["adminform"].form
    assert list(form.fields["region"].queryset) == [pm]
    page_of(ohv).delete()
    response = client.post(
        "/admin/regions/regionpage/add/",
        {"region": ohv.pk, "kind": "imprint", "title": "Fremd", "body": "x"},
    )
    assert response.status_code == 200  # the form shows the error
    assert not RegionPage.objects.filter(region=ohv, kind="imprint").exists()


def test_region_admin_edits_own_branding_but_not_identity(admin_client_for, pm_admin, pm):
    client = admin_client_for(pm_admin)
    form = client.get(change_url(pm)).context["adminform"].form
    assert "slug" not in form.fields
    assert "is_active" not in form.fields
    data = {
        "claim": "Neuer Claim",
        "primary_color": "#7a1f5c",
        "operator_name": pm.operator_name,
        "operator_address": pm.operator_address,
        "operator_email": pm.operator_email,
        "moderation": "pre",
        "is_active": "",
        "slug": "gekapert",
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
    }
    response = client.post(change_url(pm), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    pm.refresh_from_db()
    assert (pm.claim, pm.primary_color, pm.moderation) == ("Neuer Claim", "#7a1f5c", "pre")
    assert pm.slug == "pm" and pm.is_active
    entry = LogEntry.objects.get(object_id=str(pm.pk))
    assert entry.user == pm_admin


def test_a_colour_without_enough_contrast_is_refused_with_a_german_message(
    admin_client_for, pm_admin, pm
):
    client = admin_client_for(pm_admin)
    data = {
        "claim": "",
        "primary_color": "#ffdd00",
        "operator_name": pm.operator_name,
        "operator_address": pm.operator_address,
        "operator_email": pm.operator_email,
        "moderation": "post",
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
    }
    response = client.post(change_url(pm), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["primary_color"]
    assert "zu hell" in errors[0]
    assert "4,5:1" in errors[0]


def test_moderators_see_pages_but_cannot_change_them(admin_client_for, pm_moderator, pm):
    client = admin_client_for(pm_moderator)
    page = page_of(pm)
    assert client.get(change_url(page)).status_code == 200
    response = client.post(change_url(page), {"title": "Geändert", "body": "x"})
    assert response.status_code == 403
    assert client.get("/admin/regions/regionpage/add/").status_code == 403
    page.refresh_from_db()
    assert page.title != "Geändert"


def test_only_the_operator_manages_regions_staff_users_and_places(
    admin_client_for, pm_admin, operator, ohv
):
    staff = admin_client_for(pm_admin)
    for url in [
        "/admin/regions/region/add/",
        "/admin/regions/staffmembership/",
        "/admin/accounts/user/",
        "/admin/regions/place/",
    ]:
        assert staff.get(url).status_code == 403, url
    staff.post(
        "/admin/regions/staffmembership/add/",
        {"user": pm_admin.pk, "region": ohv.pk, "role": "admin"},
    )
    assert not StaffMembership.objects.filter(region=ohv).exists()

    boss = admin_client_for(operator, host="localhost")  # the portal: every region
    for url in [
        "/admin/regions/region/add/",
        "/admin/regions/staffmembership/",
        "/admin/accounts/user/",
        change_url(ohv),
    ]:
        assert boss.get(url).status_code == 200, url


def test_operator_creates_a_region_switched_off_with_host_places_and_default_pages(
    admin_client_for, operator
):
    client = admin_client_for(operator)
    response = client.post(
        "/admin/regions/region/add/",
        {
            "name": "Havelland",
            "preposition": "im",
            "slug": "hvl",
            "district_key": "12063",
            "is_active": "on",
            "claim": "",
            "primary_color": "#0b5e7e",
            "operator_name": "Wirtschaftsförderung Havelland",
            "operator_address": "Platz der Freiheit 1\n14712 Rathenow",
            "operator_email": "kontakt@hvl.example.org",
            "moderation": "post",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "1",
            "domains-0-host": "hvl.localhost",
            "domains-0-is_primary": "on",
        },
    )
    assert response.status_code == 302
    region = Region.objects.get(slug="hvl")
    assert region.pages.count() == 4
    assert Place.objects.in_region(region).filter(name="Rathenow").exists()
    assert not region.is_active, "a new region waits for its checklist, whatever was posted"
    assert Client(HTTP_HOST="hvl.localhost").get("/").status_code == 404
    region.is_active = True  # as "Freischalten" does (tests/test_onboarding.py)
    region.save()
    home = Client(HTTP_HOST="hvl.localhost").get("/").content.decode()
    assert "Unternehmen und Einrichtungen im Havelland" in home


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/admin/regions/regionpage/", "/admin/regions/region/"])
def test_changelist_query_count_does_not_grow_with_the_data(admin_client_for, pm_admin, url):
    client = admin_client_for(pm_admin)
    client.get(url)  # warm caches
    before = count_queries(client, url)
    for number in range(3):
        region = make_region(f"extra{number}", district_key=f"1100{number}")
        StaffMembership.objects.create(user=pm_admin, region=region, role=StaffRole.ADMIN)
    assert count_queries(client, url) == before


def region_form_data(region, **changes):
    data = {
        "claim": region.claim,
        "primary_color": region.primary_color,
        "operator_name": region.operator_name,
        "operator_address": region.operator_address,
        "operator_email": region.operator_email,
        "moderation": region.moderation,
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def png_bytes(width=64, height=64):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f6b3a").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_region_admin_uploads_a_logo(admin_client_for, pm_admin, pm, media):
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = admin_client_for(pm_admin).post(change_url(pm), region_form_data(pm, logo=logo))
    assert response.status_code == 302
    pm.refresh_from_db()
    assert pm.logo.name.startswith("regions/logos/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"%PDF-1.4 not an image at all", "gültiges Bild"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "gültiges Bild"),
        ("bomb.png", None, "gültiges Bild"),
        ("huge.png", "noise", "2,0\xa0MB"),
    ],
)
def test_bad_logo_files_are_refused_with_a_message(
    admin_client_for, pm_admin, pm, media, name, content, message
):
    if content is None:  # a decompression bomb: tiny file, 20,000 × 20,000 pixels
        buffer = io.BytesIO()
        Image.new("1", (20000, 20000)).save(buffer, format="PNG")
        content = buffer.getvalue()
    if content == "noise":  # a real image that does not compress: over 2 MB
        buffer = io.BytesIO()
        Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(buffer, format="PNG")
        content = buffer.getvalue()
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = admin_client_for(pm_admin).post(change_url(pm), region_form_data(pm, logo=upload))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["logo"])
    assert message in errors
    pm.refresh_from_db()
    assert not pm.logo


def test_staff_sign_in_with_password_and_authenticator_code(pm, pm_client):
    staff = make_staff("zwei@pm.example.org", pm, StaffRole.MODERATOR, totp=False)
    secret = enable_totp(staff)
    response = pm_client.post(
        "/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not pm_client.session.get("_auth_user_id"), "the password alone is not enough"

    wrong = pm_client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not pm_client.session.get("_auth_user_id")

    code = totp_code(secret)
    response = pm_client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert pm_client.get("/admin/").status_code == 200


def test_the_admins_password_link_leads_to_the_account_settings(admin_client_for, pm_admin):
    response = admin_client_for(pm_admin).get("/admin/password_change/")
    assert response["Location"] == "/accounts/password/change/"


def test_staff_of_another_region_are_refused_on_this_regions_host(admin_client_for, ohv_admin, pm):
    client = admin_client_for(ohv_admin)  # on pm.localhost
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/").status_code == 403
    assert client.get(change_url(page_of(pm))).status_code == 302


def test_a_regions_host_shows_only_that_region_even_to_the_operator(
    admin_client_for, operator, pm, ohv
):
    on_pm = admin_client_for(operator)
    assert list(on_pm.get("/admin/regions/region/").context["cl"].result_list) == [pm]
    assert on_pm.get(change_url(page_of(ohv))).status_code == 404
    on_portal = admin_client_for(operator, host="localhost")
    assert set(on_portal.get("/admin/regions/region/").context["cl"].result_list) == {pm, ohv}


def test_staff_of_two_regions_see_both_on_the_portal_host(admin_client_for, pm_admin, pm, ohv):
    StaffMembership.objects.create(user=pm_admin, region=ohv, role=StaffRole.MODERATOR)
    client = admin_client_for(pm_admin, host="localhost")
    pages = client.get("/admin/regions/regionpage/").context["cl"].result_list
    assert {page.region for page in pages} == {pm, ohv}
    on_pm = admin_client_for(pm_admin).get("/admin/regions/regionpage/").context["cl"].result_list
    assert {page.region for page in on_pm} == {pm}


def test_the_back_office_needs_the_second_factor_in_this_session(pm_client, pm_admin):
    pm_client.force_login(pm_admin)  # password only, although an authenticator exists
    response = pm_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=")


def test_view_on_site_reveals_nothing_outside_the_staff_members_region(
    admin_client_for, pm_admin, pm, ohv
):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(RegionPage)
    client = admin_client_for(pm_admin)
    own = client.get(f"/admin/r/{content_type.pk}/{page_of(pm).pk}/")
    assert own.status_code == 302
    assert own["Location"] == "http://pm.localhost/imprint/"
    assert client.get(f"/admin/r/{content_type.pk}/{page_of(ohv).pk}/").status_code == 404
    assert client.get(f"/admin/r/{content_type.pk}/999999/").status_code == 404
    assert client.get(f"/admin/r/{content_type.pk}/kein-schluessel/").status_code == 404


def test_operator_adds_a_user_but_not_a_second_account_for_one_address(
    admin_client_for, operator, member
):
    from django.contrib.auth import get_user_model

    client = admin_client_for(operator, host="localhost")
    data = {
        "email": "MITGLIED@example.org",
        "password1": "",
        "password2": "",
        "usable_password": "false",
    }
    response = client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    response = client.post("/admin/accounts/user/add/", {**data, "email": "Neu@Example.org"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert get_user_model().objects.filter(email="neu@example.org").exists()


def region_with_domains_data(region, *domains):
    data = region_form_data(
        region, name=region.name, preposition=region.preposition, slug=region.slug, is_active="on"
    )
    data.update(
        {
            "district_key": region.district_key,
            "domains-TOTAL_FORMS": str(len(domains)),
            "domains-INITIAL_FORMS": str(sum(1 for d in domains if d.get("id"))),
            "domains-MIN_NUM_FORMS": "1",
        }
    )
    for index, domain in enumerate(domains):
        for key, value in domain.items():
            data[f"domains-{index}-{key}"] = value
        data[f"domains-{index}-region"] = region.pk
    return data


def test_two_primary_host_names_are_a_form_error_not_a_crash(admin_client_for, operator, pm):
    from regions.models import RegionDomain

    client = admin_client_for(operator)
    existing = RegionDomain.objects.get(region=pm)
    data = region_with_domains_data(
        pm,
        {"id": existing.pk, "host": existing.host, "is_primary": "on"},
        {"host": "zweite.localhost", "is_primary": "on"},
    )
    response = client.post(change_url(pm), data)
    assert response.status_code == 200
    assert "genau einen" in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )


def test_the_primary_host_name_can_be_moved_in_one_save(admin_client_for, operator, pm):
    from regions.models import RegionDomain

    client = admin_client_for(operator)
    existing = RegionDomain.objects.get(region=pm)
    data = region_with_domains_data(
        pm,
        {"id": existing.pk, "host": existing.host},
        {"host": "zweite.localhost", "is_primary": "on"},
    )
    response = client.post(change_url(pm), data)
    assert response.status_code == 302
    assert RegionDomain.objects.get(is_primary=True, region=pm).host == "zweite.localhost"


def test_a_region_keeps_at_least_one_host_name(admin_client_for, operator, pm):
    from regions.models import RegionDomain

    client = admin_client_for(operator)
    existing = RegionDomain.objects.get(region=pm)
    data = region_with_domains_data(
        pm, {"id": existing.pk, "host": existing.host, "is_primary": "on", "DELETE": "on"}
    )
    assert client.post(change_url(pm), data).status_code == 200
    assert RegionDomain.objects.filter(region=pm).exists()


def test_host_names_outside_allowed_hosts_are_refused(admin_client_for, operator, pm):
    client = admin_client_for(operator)
    from regions.models import RegionDomain

    existing = RegionDomain.objects.get(region=pm)
    data = region_with_domains_data(
        pm,
        {"id": existing.pk, "host": existing.host, "is_primary": "on"},
        {"host": "pm.example.com"},
    )
    response = client.post(change_url(pm), data)
    assert response.status_code == 200
    assert not RegionDomain.objects.filter(host="pm.example.com").exists()


def test_the_region_filter_lists_only_the_staff_members_regions(admin_client_for, pm_admin, ohv):
    response = admin_client_for(pm_admin).get("/admin/regions/regionpage/")
    html = response.content.decode()
    assert "Potsdam-Mittelmark" in html
    assert "Oberhavel" not in html


def test_every_changelist_counts_its_filters_facets(admin_client_for, operator, pm_admin, pm):
    """Every list counts its filters' choices ("Anzahl anzeigen", ?_facets=True)."""
    make_listing(make_organisation(pm, "Tischlerei Holzwurm"))
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for client in [admin_client_for(operator, host="localhost"), admin_client_for(pm_admin)]:
        for url in changelists:
            response = client.get(url, {"_facets": "True"})
            assert response.status_code in {200, 403}, url
    response = admin_client_for(pm_admin).get("/admin/listings/listing/", {"_facets": "True"})
    assert response.status_code == 200
    assert "Tischlerei Holzwurm" in response.content.decode()


def test_the_back_office_speaks_german_with_distinct_section_names(
    admin_client_for, operator, pm_admin
):
    client = admin_client_for(operator, host="localhost")
    index = client.get("/admin/")
    sections = [str(app["name"]) for app in index.context["app_list"]]
    assert len(sections) == len(set(sections)), sections
    assert "Konten" not in sections
    assert {"Benutzerkonten", "Anmeldung", "Zwei-Faktor-Authentifizierung", "Betrieb"} <= set(
        sections
    )
    html = index.content.decode()
    for english in ["MFA", "Authenticators", "Core"]:
        assert f">{english}<" not in html, english
    assert "Zweite Faktoren" in html

    user_page = client.get(f"/admin/accounts/user/{pm_admin.pk}/change/").content.decode()
    assert "Raw passwords" not in user_page
    assert "Passwörter werden nicht im Klartext gespeichert" in user_page
    assert "Reset password" not in user_page
    password_page = client.get(f"/admin/accounts/user/{pm_admin.pk}/password/")
    assert "geht das bisherige Passwort dieser Person verloren" in password_page.content.decode()
    authenticators = client.get("/admin/mfa/authenticator/").content.decode()
    text = re.sub(r"<[^>]+>", " ", authenticators)
    assert "zweiter Faktor zur Änderung auswählen" in text
    assert "Authenticator-App (TOTP)" in text  # the operator's
    assert "TOTP Authenticator" not in text and "authenticator " not in text

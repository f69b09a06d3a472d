"""The portal (a host without region) is a front door: the installation operator's own legal
pages and footer, robots.txt and a sitemap of the active regions; mails sent from it are
signed by that operator; one login serves every host below a shared cookie domain."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client

from regions.models import RegionDomain
from regions.operators import InstallationOperator, PortalPage

from .factories import PASSWORD, make_region
from .test_settings import PRODUCTION, run_django

pytestmark = pytest.mark.django_db

NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def installation(db):
    return InstallationOperator.objects.create(
        operator_name="starkeRegion Betriebs-GmbH",
        operator_address="Plattformweg 1\n10115 Berlin",
        operator_email="betrieb@starkeregion.example",
        operator_representative="Max Muster (Geschäftsführer)",
        operator_register="Amtsgericht Charlottenburg, HRB 99999",
        state="11",
    )


@pytest.mark.parametrize("path", ["/imprint/", "/privacy/", "/accessibility/"])
def test_the_portal_shows_the_installation_operators_legal_pages(portal_client, installation, path):
    response = portal_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "starkeRegion Betriebs-GmbH" in html
    assert "Operated by" not in html  # German by default
    assert "Betrieben von starkeRegion Betriebs-GmbH" in html


def test_the_portal_imprint_follows_the_operators_details(portal_client, installation):
    html = portal_client.get("/imprint/").content.decode()
    assert "Registereintrag: Amtsgericht Charlottenburg, HRB 99999" in html
    assert "Vertreten durch: Max Muster (Geschäftsführer)" in html
    installation.operator_name = "Plattform Deutschland eG"
    installation.save()
    assert "Plattform Deutschland eG" in portal_client.get("/imprint/").content.decode()
    accessibility = portal_client.get("/accessibility/").content.decode()
    assert "Barrierefreie-IKT-Gesetz Berlin" in accessibility  # the operator's state


def test_the_portal_pages_show_notes_until_the_operator_is_entered(portal_client):
    html = portal_client.get("/imprint/").content.decode()
    assert "[Angabe fehlt: Name des Betreibers" in html


def test_an_edited_portal_page_is_shown_with_the_details_filled_in(portal_client, installation):
    PortalPage.objects.create(kind="imprint", title="Impressum", body="Betreiber: {operator_name}")
    html = portal_client.get("/imprint/").content.decode()
    assert "Betreiber: starkeRegion Betriebs-GmbH" in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_portal_footer_link_answers_200(portal_client, installation, language):
    portal_client.cookies["django_language"] = language
    html = portal_client.get("/").content.decode()
    footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', footer)
    assert {"/imprint/", "/privacy/", "/accessibility/"} <= set(links)
    for link in links:
        assert portal_client.get(link).status_code == 200, link
    operated = "Operated by" if language == "en" else "Betrieben von"
    assert f"{operated} starkeRegion Betriebs-GmbH" in footer


def test_the_portal_robots_txt_names_its_sitemap(portal_client):
    response = portal_client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_the_portal_sitemap_lists_its_pages_and_the_active_regions_only(portal_client, pm, ohv):
    make_region("ab", district_key="09171", name="Abgeschaltet", is_active=False)
    hidden = make_region("oh", district_key="09172", name="Ohne Host")
    RegionDomain.objects.filter(region=hidden).delete()
    response = portal_client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    urls = [loc.text for loc in root.findall("sm:url/sm:loc", NAMESPACE)]
    assert urls == [
        "http://localhost/",
        "http://localhost/imprint/",
        "http://localhost/privacy/",
        "http://localhost/accessibility/",
        "http://ohv.localhost/",
        "http://pm.localhost/",
    ]


def test_region_hosts_keep_their_own_robots_txt(pm_client):
    robots = pm_client.get("/robots.txt").content.decode()
    assert "Sitemap: http://pm.localhost/sitemap.xml" in robots


def test_mails_from_the_portal_are_signed_by_the_installation_operator(
    portal_client, member, installation, post
):
    post(portal_client, "/accounts/password/reset/", {"email": member.email})
    body = mail.outbox[0].body
    assert body.rstrip().endswith("starkeRegion Betriebs-GmbH\nhttp://localhost/")


def test_mails_from_a_region_are_signed_by_its_operator(pm_client, member, installation, post):
    post(pm_client, "/accounts/password/reset/", {"email": member.email})
    body = mail.outbox[0].body
    assert "Wirtschaftsförderung PM\nhttp://pm.localhost/" in body
    assert "Betriebs-GmbH" not in body


# One login for every host below a shared parent domain ----------------------------------------


def test_the_cookie_domain_comes_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, s.LANGUAGE_COOKIE_DOMAIN)"
    )
    shared = run_django(["shell", "-c", code], **PRODUCTION, COOKIE_DOMAIN=".starkeregion.digital")
    assert shared.stdout.splitlines()[-1].split() == [".starkeregion.digital"] * 3, shared.stderr
    default = run_django(["shell", "-c", code], **PRODUCTION)
    assert default.stdout.splitlines()[-1].split() == ["None"] * 3, default.stderr


def test_a_login_sets_the_session_cookie_for_the_shared_domain(pm, ohv, member, settings):
    settings.SESSION_COOKIE_DOMAIN = ".localhost"
    settings.CSRF_COOKIE_DOMAIN = ".localhost"
    client = Client(HTTP_HOST="pm.localhost")
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"]["domain"] == ".localhost"
    # The same session opens "My account" on another region's host and on the portal.
    for host in ["ohv.localhost", "localhost"]:
        other = Client(HTTP_HOST=host)
        other.cookies["sessionid"] = client.cookies["sessionid"].value
        assert other.get("/accounts/").status_code == 200, host


# The operator's back office --------------------------------------------------------------------


@pytest.fixture
def operator_client(operator):
    from .factories import sign_in_with_two_factor

    return sign_in_with_two_factor(Client(HTTP_HOST="localhost"), operator)


def test_the_operator_enters_the_installations_details_once(operator_client, portal_client):
    assert operator_client.get("/admin/regions/installationoperator/add/").status_code == 200
    response = operator_client.post(
        "/admin/regions/installationoperator/add/",
        {
            "operator_name": "Betrieb Nord eG",
            "operator_address": "Weg 1\n24103 Kiel",
            "operator_email": "info@nord.example",
            "state": "01",
        },
    )
    assert response.status_code == 302
    operator = InstallationOperator.objects.get()
    # A second one is not offered; the list leads to the one there is; it is never deleted.
    assert operator_client.get("/admin/regions/installationoperator/add/").status_code == 403
    listing = operator_client.get("/admin/regions/installationoperator/")
    assert listing.status_code == 302
    assert listing["Location"].endswith(f"/{operator.pk}/change/")
    delete = f"/admin/regions/installationoperator/{operator.pk}/delete/"
    assert operator_client.post(delete, {"post": "yes"}).status_code == 403
    assert InstallationOperator.objects.exists()
    privacy = portal_client.get("/privacy/").content.decode()
    assert "Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein" in privacy


def test_the_installation_form_says_what_is_missing_in_german(operator_client):
    response = operator_client.post("/admin/regions/installationoperator/add/", {"state": "01"})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not InstallationOperator.objects.exists()


def test_region_staff_do_not_see_the_installations_operator_or_portal_pages(pm, pm_admin):
    from .factories import sign_in_with_two_factor

    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_admin)
    for url in ["/admin/regions/installationoperator/", "/admin/regions/portalpage/"]:
        assert client.get(url).status_code == 403, url


def test_portal_pages_are_added_from_their_starter_text_and_never_deleted(operator_client):
    form = operator_client.get("/admin/regions/portalpage/add/").context["adminform"].form
    assert form.initial["kind"] == "imprint"
    assert "{operator_name}" in form.initial["body"]
    response = operator_client.post(
        "/admin/regions/portalpage/add/",
        {"kind": "imprint", "title": "Impressum", "body": "Hier: {operator_name}"},
    )
    assert response.status_code == 302
    page = PortalPage.objects.get()
    delete = f"/admin/regions/portalpage/{page.pk}/delete/"
    assert operator_client.post(delete, {"post": "yes"}).status_code == 403
    operator_client.post(
        "/admin/regions/portalpage/",
        {"action": "delete_selected", "_selected_action": [page.pk], "post": "yes"},
    )
    assert PortalPage.objects.filter(pk=page.pk).exists()


def test_portal_pages_use_a_constant_number_of_queries(
    portal_client, installation, django_assert_max_num_queries
):
    for path in ["/", "/imprint/", "/privacy/", "/accessibility/"]:
        portal_client.get(path)
        with django_assert_max_num_queries(4):
            assert portal_client.get(path).status_code == 200, path


def test_hosts_outside_the_cookie_domain_are_warned_about(pm, settings):
    from regions.checks import check_hosts_lie_below_the_cookie_domain

    settings.COOKIE_DOMAIN = ".starkeregion.digital"
    settings.PORTAL_HOSTS = {"starkeregion.digital"}
    RegionDomain.objects.filter(region=pm).update(host="pm.starkeregion.digital")
    assert check_hosts_lie_below_the_cookie_domain(databases=["default"]) == []
    RegionDomain.objects.create(region=pm, host="wirtschaft.example.de")
    warnings = check_hosts_lie_below_the_cookie_domain(databases=["default"])
    assert [warning.id for warning in warnings] == ["regions.W002"]
    assert "wirtschaft.example.de" in warnings[0].msg
    settings.COOKIE_DOMAIN = None
    assert check_hosts_lie_below_the_cookie_domain(databases=["default"]) == []

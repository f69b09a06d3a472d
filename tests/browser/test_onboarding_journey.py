"""Onboarding a district in the back office (issue #18): the operator creates the region on
the portal host, sees its checklist, is refused "Freischalten" with what is missing, invites
a moderator (who sets a password through the mailed link and is asked for an authenticator),
completes the region's look and operator data (the legal texts adapted as in
tests/test_onboarding.py), and takes it live. axe-core checks the region
page with its checklist and the invitation page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from regions.audit import AuditAction, AuditEntry
from regions.models import Region, RegionPage, StaffMembership

from ..factories import sign_in_with_two_factor
from ..test_onboarding import adapt, set_up_installation_operator
from .test_accessibility import assert_no_violations, describe

pytestmark = pytest.mark.browser

PORTAL = "localhost"
INVITED = "moderation@hvl.example.org"


def sign_in_operator(page, site_url, operator):
    """The operator's session after password and authenticator (both have tests of their
    own), handed to the browser."""
    client = sign_in_with_two_factor(Client(HTTP_HOST=PORTAL), operator)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site_url(PORTAL),
            }
        ]
    )


def assert_checklist_accessible(page, what):
    """axe on the parts this page adds to Django's admin (the checklist and the staff). Its
    preloading of stylesheets is off: it follows the admin's `@import "widgets.css"` to a
    wrong address (a 404 in the console) and adds a style the CSP refuses."""
    context = {"include": [[".onboarding"], [".onboarding-staff"]]}
    violations = Axe().run(page, context=context, options={"preload": False}).response["violations"]
    assert not violations, f"axe on {what}:\n" + describe(violations)


@pytest.fixture
def logo(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "hvl-logo.png"
    Image.new("RGB", (64, 64), "#1d4f91").save(path)
    return path


def test_operator_onboards_a_district_and_takes_it_live(page, new_page, site_url, operator, logo):
    set_up_installation_operator()
    sign_in_operator(page, site_url, operator)

    # A new region: name, district key, host name – and no "active" box to tick.
    page.goto(site_url(PORTAL, "/admin/regions/region/add/"))
    expect(page.locator("#id_is_active")).to_have_count(0)
    page.locator("#id_name").fill("Havelland")
    page.locator("#id_preposition").select_option("im")
    page.locator("#id_district_key").fill("12063")
    page.locator("#id_operator_name").fill("Wirtschaftsförderung Havelland")
    page.locator("#id_operator_address").fill("Platz der Freiheit 1\n14712 Rathenow")
    page.locator("#id_operator_email").fill("kontakt@hvl.example.org")
    page.locator("#id_domains-0-host").fill("hvl.localhost")
    page.locator("#id_domains-0-is_primary").check()
    page.locator("input[name=_continue]").click()
    region = Region.objects.get(district_key="12063")
    checklist = page.locator(".onboarding")
    expect(checklist.get_by_role("heading")).to_have_text("Checkliste vor dem Freischalten")
    expect(checklist.locator(".onboarding__item--done")).to_have_text(
        re.compile("Postleitzahlen importiert")
    )
    expect(checklist).to_contain_text("fehlt: Telefonnummer des Betreibers")
    assert_checklist_accessible(page, "the new region's page")

    # Too early: refused, naming what is missing.
    page.get_by_role("button", name="Freischalten").click()
    error = page.locator(".messagelist .error")
    expect(error).to_contain_text("Havelland kann noch nicht freigeschaltet werden. Es fehlt:")
    expect(error).to_contain_text("Logo und Farbe festgelegt")
    expect(error).to_contain_text("Mitarbeitende eingeladen")
    assert not Region.objects.get(pk=region.pk).is_active

    # A moderator, invited by email.
    page.get_by_role("link", name="Mitarbeitende einladen").click()
    expect(page.locator("#id_region")).to_have_value(str(region.pk))
    page.locator("#id_email").fill(INVITED)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(INVITED)
    expect(page.locator(".onboarding-staff")).to_contain_text("Einladung offen")
    assert_checklist_accessible(page, "the region's page with an invitation")

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    invitee = new_page()
    invitee.goto(link.replace("//localhost/", f"//localhost:{site_url.port}/"))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Einladung in die Verwaltung")
    assert_no_violations(invitee, "the invitation page")
    invitee.locator("#id_new_password1").fill("Havelland hilft 2026")
    invitee.locator("#id_new_password2").fill("Havelland hilft anders")
    invitee.get_by_role("button", name="Passwort festlegen und annehmen").click()
    expect(invitee.locator("#id_new_password2_error")).to_contain_text("nicht identisch")
    assert_no_violations(invitee, "the invitation page with an error")
    invitee.locator("#id_new_password1").fill("Havelland hilft 2026")
    invitee.locator("#id_new_password2").fill("Havelland hilft 2026")
    invitee.get_by_role("button", name="Passwort festlegen und annehmen").click()
    expect(invitee).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert StaffMembership.objects.get(user__email=INVITED).region == region

    # The look and the operator's phone; the legal texts adapted by the region's staff.
    page.reload()
    page.locator("#id_logo").set_input_files(logo)
    page.locator("#id_primary_color").fill("#1d4f91")
    page.locator("#id_operator_phone").fill("03385 0000")
    page.locator("#id_operator_representative").fill("Erika Muster (Geschäftsführerin)")
    page.locator("#id_operator_responsible_person").fill("Erika Muster, Platz der Freiheit 1")
    page.locator("#id_operator_privacy_officer").fill("datenschutz@hvl.example.org")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    for legal_page in RegionPage.objects.filter(region=region):
        adapt(legal_page)
    page.reload()
    expect(page.locator(".onboarding__item--open")).to_have_count(0)
    assert_checklist_accessible(page, "the region's page, ready")

    page.get_by_role("button", name="Freischalten").click()
    expect(page.locator(".messagelist .success")).to_have_text("Havelland ist freigeschaltet.")
    expect(page.locator(".onboarding").get_by_role("heading")).to_have_text(
        "Die Region ist freigeschaltet"
    )
    assert AuditEntry.objects.get(region=region).action == AuditAction.REGION_WENT_LIVE
    page.goto(site_url("hvl.localhost", "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Havelland")
    expect(page.locator("main")).to_contain_text("Unternehmen und Einrichtungen im Havelland")

"""A new member of a region's staff signs in to the back office for the first time (issue
#17): the password once, then the authenticator app set up with one code, and the back
office opens; axe-core checks the page that sets the app up."""

import pytest
from playwright.sync_api import expect

from regions.models import StaffRole

from ..factories import PASSWORD, make_staff, totp_code
from .test_accessibility import assert_no_violations
from .test_signup_login import german

pytestmark = pytest.mark.browser


def test_first_sign_in_to_the_back_office_takes_one_password_and_one_code(page, site_url, pm):
    staff = make_staff("neu@pm.example.org", pm, StaffRole.MODERATOR, totp=False)
    page.goto(site_url("pm.localhost", "/admin/"))
    expect(page).to_have_url(site_url("pm.localhost", "/accounts/login/?next=%2Fadmin%2F"))
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=german("Sign In")).click()

    # Straight to setting up the app: no second request for the password.
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Activate Authenticator App"))
    expect(page.locator("#id_password")).to_have_count(0)
    assert_no_violations(page, "the page that sets up the authenticator app")
    secret = page.locator("#authenticator_secret").input_value()
    code = totp_code(secret)
    page.locator("#id_code").fill(code)
    page.locator("main").get_by_role("button", name=german("Activate")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Recovery Codes"))

    assert_no_violations(page, "the recovery codes with the way on to the back office")

    # On to the back office, without another password or code.
    page.get_by_role("link", name=german("Continue")).click()
    expect(page).to_have_url(site_url("pm.localhost", "/admin/"))
    expect(page.locator("#site-name")).to_contain_text("Potsdam-Mittelmark")

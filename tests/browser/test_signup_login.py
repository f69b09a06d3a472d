"""Signing up, confirming the address, logging in and out – with the keyboard only.

Every step is done the way someone without a mouse does it: Tab to the control,
type, press Enter. Only the start page and the link from the email are opened
directly (as a person would open the link from their mail program).
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.utils import translation
from playwright.sync_api import expect

from ..factories import PASSWORD
from .keyboard import focused, has_focus, press_and_load, tab_once_to, tab_to

pytestmark = pytest.mark.browser

# Not the address tests/test_accounts.py signs up with: allauth sends one confirmation
# mail per address every three minutes.
NEW_EMAIL = "tastatur@firma.example"
NEW_PASSWORD = "Havelland-Kirschbaum-73"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def german(text):
    """The German interface text for `text`; fails if there is none.

    Taken from the translation catalogues (ours, allauth's, Django's), so a reworded
    translation does not break the test, while English in the German UI does.
    """
    with translation.override("de"):
        translated = translation.gettext(text)
    assert translated != text, f"no German translation for {text!r}"
    return translated


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, site_url, pm):
    page.goto(site_url("pm.localhost"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=german("Skip to main content"))
    assert has_focus(skip_link), f"the first tab stop is {focused(page)}, not the skip link"
    expect(skip_link).to_be_in_viewport()  # hidden off-screen until focused

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#main")

    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        f"after the skip link, Tab went to {focused(page)} outside <main>"
    )


def test_sign_up_confirm_log_in_and_log_out_by_keyboard(page, site_url, pm, mailoutbox):
    header = page.get_by_role("banner")
    page.goto(site_url("pm.localhost"))

    # Sign up: from the home page to the form in the header, five fields, Enter.
    tab_to(page, header.get_by_role("link", name=german("Sign up"), exact=True))
    press_and_load(page)
    expect(page).to_have_url(site_url("pm.localhost", "/accounts/signup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Sign Up"))

    tab_to(page, page.get_by_label(german("First name")))
    page.keyboard.type("Karla")
    tab_once_to(page, page.get_by_label(german("Last name")))
    page.keyboard.type("Tastmann")
    tab_once_to(page, page.locator("#id_email"))
    page.keyboard.type(NEW_EMAIL)
    tab_once_to(page, page.locator("#id_password1"))
    page.keyboard.type(NEW_PASSWORD)
    tab_once_to(page, page.locator("#id_password2"))
    page.keyboard.type(NEW_PASSWORD)
    press_and_load(page)

    expect(page).to_have_url(site_url("pm.localhost", "/accounts/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Verify Your Email Address"))

    # The mail the live server sent links back to this region, on this server.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [NEW_EMAIL]
    assert "Potsdam-Mittelmark" in message.subject
    link = CONFIRM_LINK.search(message.body).group(0)
    assert urlsplit(link).hostname == "pm.localhost"
    assert urlsplit(link).port == site_url.port

    # Confirm the address: that logs in, in the browser that signed up.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Confirm Email Address"))
    expect(page.get_by_role("main")).to_contain_text("Karla Tastmann")
    tab_to(page, page.get_by_role("button", name=german("Confirm")))
    press_and_load(page)
    expect(page).to_have_url(site_url("pm.localhost", "/"))
    confirmed = german("You have confirmed %(email)s.") % {"email": NEW_EMAIL}
    expect(page.get_by_role("status")).to_contain_text(confirmed)
    assert EmailAddress.objects.get(email=NEW_EMAIL).verified
    # Logged in: the account menu holds "My account" and "Log out".
    tab_to(page, header.locator("summary.account-menu__button"))
    page.keyboard.press("Enter")
    expect(header.get_by_role("link", name=german("My account"))).to_be_visible()

    # Log out and in again; the "forgot your password?" link sits between the two fields.
    tab_to(page, header.get_by_role("button", name=german("Log out")))
    press_and_load(page)
    tab_to(page, header.get_by_role("link", name=german("Log in"), exact=True))
    press_and_load(page)
    tab_to(page, page.locator("#id_login"))
    page.keyboard.type(NEW_EMAIL)
    tab_to(page, page.locator("#id_password"))
    page.keyboard.type(NEW_PASSWORD)
    press_and_load(page)

    expect(page).to_have_url(site_url("pm.localhost", "/"))
    account_link = header.get_by_role("link", name=german("My account"))
    expect(header.get_by_role("link", name=german("Sign up"), exact=True)).to_have_count(0)

    # Log out with the button in the header's account menu.
    tab_to(page, header.locator("summary.account-menu__button"))
    page.keyboard.press("Enter")
    expect(account_link).to_be_visible()
    tab_to(page, header.get_by_role("button", name=german("Log out")))
    press_and_load(page)
    expect(header.get_by_role("link", name=german("Log in"), exact=True)).to_be_visible()
    expect(account_link).to_have_count(0)


def test_wrong_password_shows_the_german_message_in_the_focused_error_summary(
    page, site_url, pm, member
):
    page.goto(site_url("pm.localhost", "/accounts/login/"))

    tab_to(page, page.locator("#id_login"))
    page.keyboard.type(member.email)
    tab_to(page, page.locator("#id_password"))
    page.keyboard.type(PASSWORD + " – falsch")
    press_and_load(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        german("The email address and/or password you specified are not correct.")
    )
    expect(summary.get_by_role("heading")).to_have_text(german("There is a problem"))
    expect(page.locator("#id_login")).to_have_value(member.email)
    expect(page.locator("#id_password")).to_have_value("")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=german("My account"))).to_have_count(0)


def test_error_summary_links_take_the_keyboard_to_the_field_in_error(page, site_url, pm):
    page.goto(site_url("pm.localhost", "/accounts/signup/"))

    tab_to(page, page.locator("#id_first_name"))
    page.keyboard.type("Karla")
    tab_once_to(page, page.locator("#id_last_name"))
    page.keyboard.type("Tastmann")
    tab_once_to(page, page.locator("#id_email"))
    page.keyboard.type("keine-adresse")
    press_and_load(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    email_field = page.locator("#id_email")
    expect(email_field).to_have_attribute("aria-invalid", "true")

    # The first Tab from the summary goes to its first link, which leads to the field.
    first_error = summary.get_by_role("link").first
    tab_once_to(page, first_error)
    page.keyboard.press("Enter")
    expect(email_field).to_be_focused()
    expect(email_field).to_have_value("keine-adresse")

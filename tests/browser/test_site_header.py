"""The header (issue #17): one line at 1280 px, logged in and out, with the person's part in
an "Konto" dropdown whose organisation switch shows long names whole; on a phone the brand
and a "Menü" button that opens the links by keyboard and by click (a <details>, so it works
without JavaScript too). axe-core checks each state."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from ..factories import make_membership, make_organisation
from .conftest import TIMEOUT_MS
from .keyboard import has_focus, press_and_load, tab_to
from .test_accessibility import assert_no_violations
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LONG_NAME = "Gemeinnützige Beschäftigungsgesellschaft Beelitz mbH"


@pytest.fixture
def open_window(browser):
    """Opens a tab of the given size (own cookies) that fails the test on JavaScript errors."""
    contexts, problems = [], []

    def open_tab(viewport, *, javascript=True):
        context = browser.new_context(
            viewport=viewport, locale="de-DE", java_script_enabled=javascript
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(str(error)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def busy_member(pm, places, member):
    """A member of two organisations here, one with a long name."""
    make_membership(make_organisation(pm, LONG_NAME), member)
    make_membership(make_organisation(pm, "Tischlerei Brück"), member)
    return member


def log_in(page, site_url, user):
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site_url(HOST)}]
    )


def header_parts(page):
    header = page.get_by_role("banner")
    return header, header.locator("summary.site-menu__button")


def test_on_a_phone_the_menu_opens_by_keyboard_and_by_click(open_window, site_url, pm):
    page = open_window(PHONE)
    page.goto(site_url(HOST, "/"))
    header, button = header_parts(page)
    listings = header.get_by_role("link", name=german("Listings"), exact=True)
    sign_up = header.get_by_role("link", name=german("Sign up"), exact=True)

    # Folded: the brand and the button only, a small part of the screen.
    expect(button).to_be_visible()
    expect(button).to_contain_text(german("Menu"))
    expect(listings).to_be_hidden()
    assert header.bounding_box()["height"] < 80
    assert_no_violations(page, "the folded menu on a phone")

    # The keyboard: the button is the next stop after the brand, Enter opens it, Tab walks
    # its links in order, Escape closes it and gives the focus back to the button.
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(listings).to_be_visible()
    page.keyboard.press("Tab")
    assert has_focus(listings)
    tab_to(page, sign_up)
    assert_no_violations(page, "the open menu on a phone")
    page.keyboard.press("Escape")
    expect(listings).to_be_hidden()
    assert has_focus(button)

    # A click (a tap) opens it as well; its links lead where they say.
    button.click()
    expect(sign_up).to_be_visible()
    with page.expect_navigation():
        sign_up.click()
    expect(page).to_have_url(site_url(HOST, "/accounts/signup/"))
    expect(header.get_by_role("link", name=german("Log in"), exact=True)).to_be_hidden()


def test_on_a_phone_a_member_finds_everything_in_the_menu(open_window, site_url, busy_member):
    page = open_window(PHONE)
    log_in(page, site_url, busy_member)
    page.goto(site_url(HOST, "/listings/"))
    header, button = header_parts(page)
    assert header.bounding_box()["height"] < 80

    tab_to(page, button)
    page.keyboard.press("Space")
    # The person's part is open inside the menu: no second button to find.
    expect(header.locator("summary.account-menu__button")).to_be_hidden()
    for name in ["My listings", "Inquiries", "Post a listing", "Watch list", "My account"]:
        expect(header.get_by_role("link", name=german(name))).to_be_visible()
    expect(header.get_by_role("button", name=german("Log out"))).to_be_visible()
    expect(header.get_by_label(german("Acting for"))).to_be_visible()
    assert_no_violations(page, "a member's open menu on a phone")

    tab_to(page, header.get_by_role("link", name=german("Watch list")))
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Watch list"))


def test_on_a_phone_the_menu_opens_without_javascript(open_window, site_url, busy_member):
    page = open_window(PHONE, javascript=False)
    log_in(page, site_url, busy_member)
    page.goto(site_url(HOST, "/"))
    header, button = header_parts(page)
    button.click()
    expect(header.get_by_role("link", name=german("My listings"))).to_be_visible()
    expect(header.get_by_role("button", name=german("Log out"))).to_be_visible()


def one_line(page):
    """The header's height, and whether every item of its navigation stands on one line."""
    header = page.get_by_role("banner")
    items = page.locator(".site-nav__list > li, .brand")
    boxes = [item.bounding_box() for item in items.all()]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    return header.bounding_box()["height"], max(middles) - min(middles)


def test_at_1280_px_the_header_is_one_line_logged_out(open_window, site_url, pm):
    page = open_window(DESKTOP)
    page.goto(site_url(HOST, "/listings/"))
    header, button = header_parts(page)
    expect(button).to_be_hidden()
    expect(header.get_by_role("link", name=german("How it works"))).to_be_visible()
    height, spread = one_line(page)
    assert height < 72, f"the header is {height} px high"
    assert spread < 8, "every item stands on the same line"


def test_at_1280_px_the_header_is_one_line_logged_in(open_window, site_url, busy_member):
    page = open_window(DESKTOP)
    log_in(page, site_url, busy_member)
    page.goto(site_url(HOST, "/"))
    header, button = header_parts(page)
    expect(button).to_be_hidden()
    expect(header.get_by_role("link", name=german("Post a listing"))).to_be_visible()
    height, spread = one_line(page)
    assert height < 72, f"the header is {height} px high"
    assert spread < 8, "every item stands on the same line"

    # The person's part opens by keyboard; the organisation switch shows the long name whole.
    account = header.locator("summary.account-menu__button")
    tab_to(page, account)
    page.keyboard.press("Enter")
    select = header.get_by_label(german("Acting for"))
    expect(select).to_be_visible()
    select.select_option(label=LONG_NAME)
    fits = select.evaluate(
        """el => {
            const context = document.createElement("canvas").getContext("2d");
            context.font = getComputedStyle(el).font;
            // The text plus the select's arrow and padding.
            return context.measureText(el.selectedOptions[0].text).width + 40 <= el.clientWidth;
        }"""
    )
    assert fits, "the long organisation name is cut in the select"
    assert_no_violations(page, "the open account menu at 1280 px")
    tab_to(page, header.get_by_role("button", name=german("Switch")))
    press_and_load(page)
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(LONG_NAME)

    # Escape closes the dropdown, and so does a click elsewhere.
    account.click()
    expect(header.get_by_role("link", name=german("My account"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(header.get_by_role("link", name=german("My account"))).to_be_hidden()
    account.click()
    page.get_by_role("main").click(position={"x": 5, "y": 5})
    expect(header.get_by_role("link", name=german("My account"))).to_be_hidden()

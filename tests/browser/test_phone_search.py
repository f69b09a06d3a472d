"""Searching on a phone (issue #13): at 390 px the results follow the search box, the
filters open from a "Filter" button that counts the filters in use, and listings
without a photo show their group's drawing. Keyboard only where it counts; axe-core
checks each state."""

import pytest
from playwright.sync_api import expect

from ..factories import category, make_listing, make_organisation
from .conftest import TIMEOUT_MS
from .keyboard import press_and_load, tab_to
from .test_accessibility import assert_no_violations
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    problems = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert not problems, problems


@pytest.fixture
def rooms(pm, places):
    owner = make_organisation(pm, "Lagerhaus Werder")
    make_listing(
        owner, "Kühlraum am Hafen", category=category("lager"), attributes={"storage": ["gekühlt"]}
    )
    make_listing(
        owner,
        "Warme Werkhalle",
        category=category("produktionsraeume"),
        attributes={"storage": ["innen", "beheizt"]},
    )
    make_listing(owner, "Offene Lagerfläche", category=category("lager"))
    make_listing(owner, "Suchen Gabelstapler", category=category("fahrzeuge"))
    return owner


def top(locator):
    return locator.bounding_box()["y"]


def test_a_phone_search_shows_results_first_and_filters_behind_a_button(phone, site_url, rooms):
    phone.goto(site_url(HOST, "/listings/"))
    main = phone.get_by_role("main")
    button = main.locator("summary.filter-toggle__button")
    results = main.locator("#results-title")
    first_card = main.get_by_role("listitem").filter(has_text="Suchen Gabelstapler")

    # The results come before the filters, which are folded away.
    expect(button).to_be_visible()
    expect(button).to_have_text(german("Filters"))
    expect(main.get_by_label(german("Category"))).to_be_hidden()
    expect(results).to_contain_text("4")
    assert top(results) < PHONE["height"], "the number of results shows on the first screen"
    assert top(results) < top(first_card)
    # A card without a photo shows its group's drawing, decorative and lower than a photo.
    drawing = first_card.locator("img.card__illustration")
    expect(drawing).to_have_attribute("alt", "")
    assert drawing.get_attribute("src").endswith("fahrzeuge-transport.svg")
    assert drawing.bounding_box()["height"] < 120
    assert_no_violations(phone, "the search page on a phone")

    # The keyboard opens the filters; choose rooms that are cooled or heated.
    tab_to(phone, button)
    phone.keyboard.press("Enter")
    expect(main.get_by_label(german("Category"))).to_be_visible()
    assert_no_violations(phone, "the open filters on a phone")
    main.get_by_label(german("Category")).select_option("raeume-flaechen")
    with phone.expect_navigation():
        main.get_by_role("button", name=german("Apply filters")).click()
    expect(main.get_by_label(german("Category"))).to_be_hidden()
    main.locator("summary.filter-toggle__button").click()
    main.get_by_role("checkbox", name="beheizt").check()
    main.get_by_role("checkbox", name="gekühlt").check()
    tab_to(phone, main.get_by_role("button", name=german("Apply filters")))
    press_and_load(phone)

    # Two rooms; the button counts the filters in use (category, features).
    cards = main.locator("li.card--listing")
    expect(cards).to_have_count(2)
    expect(main).to_contain_text("Kühlraum am Hafen")
    expect(main).to_contain_text("Warme Werkhalle")
    expect(main.locator(".filter-toggle__count")).to_have_text("2")
    expect(main.get_by_label(german("Category"))).to_be_hidden()
    assert_no_violations(phone, "the filtered results on a phone")


def test_on_a_wide_screen_the_filters_stay_open(page, site_url, rooms):
    page.goto(site_url(HOST, "/listings/"))
    main = page.get_by_role("main")
    expect(main.get_by_label(german("Category"))).to_be_visible()
    expect(main.locator("summary.filter-toggle__button")).to_be_hidden()
    main.get_by_label(german("Category")).select_option("lager")
    with page.expect_navigation():
        main.get_by_role("button", name=german("Apply filters")).click()
    expect(main.locator("li.card--listing")).to_have_count(2)
    expect(main.get_by_label(german("Category"))).to_be_visible()

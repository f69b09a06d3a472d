"""Free capacity on a trip, in the browser: a visitor finds the route search from the
transport category, searches "von … nach …" with the keyboard alone and opens the trip
that passes both places; a company posts goods to carry with their route. axe-core
checks every page on the way."""

import pytest
from playwright.sync_api import expect

from listings.models import Direction, Listing
from trips.models import Route

from ..factories import category, in_days, make_organisation, make_user
from ..trips_helpers import make_route, place
from .test_accessibility import assert_no_violations
from .test_inquiry_journey import ui
from .test_organisation_journey import log_in_with_session_cookie

pytestmark = pytest.mark.browser

HOST = "pm.localhost"


@pytest.fixture
def trip(pm, places):
    spedition = make_organisation(
        pm,
        "Spedition Werder",
        owner=make_user("fahrt@werder.example"),
        place=place("Werder (Havel)"),
    )
    return make_route(
        spedition,
        "Werder (Havel)",
        "Wusterwitz",
        title="Beiladung frei nach Wusterwitz",
        pallet_spaces=4,
        is_cooled=True,
    )


def test_find_a_trip_from_one_place_to_another(page, site_url, trip):
    page.goto(site_url(HOST, "/listings/?category=transport"))
    page.get_by_role(
        "link",
        name=ui("Search trips with room for your goods, or goods to take along on your trip"),
    ).click()
    expect(
        page.get_by_role("heading", name=ui("Transport from one place to another"), level=1)
    ).to_be_visible()
    assert_no_violations(page, "the route search")

    page.locator("#id_origin").focus()
    page.keyboard.type("Groß Kreutz")
    page.keyboard.press("Tab")
    page.keyboard.type("Götz")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    result = page.get_by_role("link", name="Beiladung frei nach Wusterwitz")
    expect(result).to_be_visible()
    expect(page.locator(".results")).to_contain_text("Strecke: Werder (Havel) → nach Wusterwitz")
    assert_no_violations(page, "the trips found")

    result.click()
    expect(page.get_by_role("heading", name=ui("Trip"), level=2)).to_be_visible()
    expect(
        page.get_by_role("heading", name=ui("Transport requests along the route"))
    ).to_be_visible()
    assert_no_violations(page, "the trip's page")


def test_a_wrong_place_is_answered_at_its_field(page, site_url, places):
    page.goto(site_url(HOST, "/transport/?origin=Atlantis&destination=G%C3%B6tz"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Atlantis")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_origin")).to_be_focused()
    assert_no_violations(page, "the route search with an error")


def test_post_goods_to_carry_with_their_route(page, site_url, organisation, owner, places):
    log_in_with_session_cookie(page, site_url, owner)
    page.goto(
        site_url(HOST, f"/listings/new/?direction=request&category={category('transport').pk}")
    )
    expect(page.get_by_role("heading", name=ui("Route and goods"))).to_be_visible()
    assert_no_violations(page, "the form of a transport request")

    page.get_by_label(ui("Title")).fill("Zwei Paletten Bretter nach Götz")
    page.get_by_label(ui("Description")).fill("Bretter für den Hofladen, gut verpackt.")
    page.locator("#id_terms").select_option("loan")
    page.locator("#id_route-origin").fill("Groß Kreutz")
    page.locator("#id_route-destination").fill("Götz")
    page.get_by_label(ui("To arrive by")).fill(in_days(10).isoformat())
    page.get_by_label(ui("Pallet spaces")).fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name=ui("Save draft and continue")).click()

    listing = Listing.objects.get(title="Zwei Paletten Bretter nach Götz")
    assert listing.direction == Direction.REQUEST
    route = Route.objects.get(listing=listing)
    assert (route.origin.name, route.destination.name, route.date, route.pallet_spaces) == (
        "Groß Kreutz",
        "Götz",
        in_days(10),
        2,
    )

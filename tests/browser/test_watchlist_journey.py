"""The watch list in a real browser, with the keyboard: a member finds a forklift in the
search results, stars it from its card, finds it on the page "Merkliste", follows the
organisation that offers it from its profile and unfollows it on the Merkliste again.
axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from organisations.models import Verification
from regions.models import Place

from ..factories import make_listing, make_organisation, make_user
from .keyboard import press_and_load, tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
TITLE = "Gabelstapler 2,5 t tageweise"


@pytest.fixture
def carpentry(pm, places, owner):
    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    carpentry = make_organisation(
        pm, "Tischlerei Holzwurm", owner=owner, place=teltow, verification=Verification.VERIFIED
    )
    make_listing(carpentry, TITLE, author=owner)
    make_listing(carpentry, "Kreissäge mit Einweisung", author=owner)
    return carpentry


def test_star_a_listing_from_its_card_and_follow_its_organisation(page, site_url, carpentry):
    member = make_user("merkt@anderswo.example")
    log_in_with_session_cookie(page, site_url, member)
    main = page.get_by_role("main")

    # The search results (cards cached for everyone) with a star on each card.
    page.goto(site_url(HOST, "/listings/?q=Gabelstapler"))
    star = main.get_by_role("button", name=f"{german('Watch')} {TITLE}")
    expect(star).to_be_visible()
    assert_no_violations(page, "search results with stars")
    tab_to(page, star)
    press_and_load(page)
    expect(page).to_have_url(re.compile(r"/listings/\?q=Gabelstapler$"))
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(TITLE)
    watched = main.get_by_role("button", name=f"{german('Watched – remove')} {TITLE}")
    expect(watched).to_be_visible()
    assert_no_violations(page, "search results with a watched listing")

    # The Merkliste, from the header's account menu.
    account_menu = page.get_by_role("banner").locator("summary.account-menu__button")
    tab_to(page, account_menu, backwards=True)
    page.keyboard.press("Enter")
    header_link = page.get_by_role("banner").get_by_role("link", name=german("Watch list"))
    tab_to(page, header_link)
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Watch list"))
    expect(main.get_by_role("link", name=TITLE)).to_be_visible()
    expect(main.get_by_role("link", name="Kreissäge mit Einweisung")).to_have_count(0)
    assert_no_violations(page, "the watch list")

    # The organisation's profile: follow it.
    page.goto(site_url(HOST, f"/organisations/{carpentry.pk}/"))
    follow = main.get_by_role("button", name=german("Follow"), exact=True)
    tab_to(page, follow)
    press_and_load(page)
    expect(main.get_by_role("button", name=german("Following – unfollow"))).to_be_visible()
    assert_no_violations(page, "a followed organisation's profile")

    # Back on the Merkliste, the organisation is there; unfollow it with the keyboard.
    page.goto(site_url(HOST, "/watchlist/"))
    expect(main.get_by_role("link", name="Tischlerei Holzwurm")).to_be_visible()
    unfollow = main.get_by_role(
        "button", name=re.compile(rf"^{german('Unfollow')}\s*: Tischlerei Holzwurm$")
    )
    tab_to(page, unfollow)
    press_and_load(page)
    expect(page).to_have_url(re.compile(r"/watchlist/$"))
    expect(main.get_by_role("link", name="Tischlerei Holzwurm")).to_have_count(0)
    assert_no_violations(page, "the watch list after unfollowing")

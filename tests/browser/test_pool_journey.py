"""A pool forming, in three browsers: a carpentry seeks two partners to share a CNC
machine; a metalworker joins (first taking more than is open), a timber builder joins by
keyboard alone, which reaches the threshold; the carpentry sees who committed, marks the
partnership formed, and everyone meets in the group thread. axe-core checks every page.
"""

import pytest
from playwright.sync_api import expect

from pools.models import Commitment, PoolStatus

from ..factories import fresh
from ..pool_helpers import make_partner, make_pool
from .keyboard import has_focus, press_and_load, tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
NO_MONEY = "No money flows through the platform: the partners settle the cost among themselves."


@pytest.fixture
def pool(organisation, owner):
    return make_pool(organisation, owner, partners_sought=2, initiator_share=40)


def submit(page):
    with page.expect_navigation():
        page.get_by_role("main").locator("form button[type=submit]").click()


def test_two_partners_join_and_the_initiator_forms_the_partnership(
    new_page, site_url, pool, owner, pm, mailoutbox
):
    _metal, metal_owner = make_partner(pm, "Metallbau Kranich", "chefin@kranich.example")
    _timber, timber_owner = make_partner(pm, "Holzbau Werder", "chef@holzbau.example")
    listing_url = site_url(HOST, pool.listing.get_absolute_url())

    # The metalworker sees how far the pool is and that no money moves, and joins.
    metal_page = new_page()
    log_in_with_session_cookie(metal_page, site_url, metal_owner)
    metal_page.goto(listing_url)
    panel = metal_page.get_by_role("region", name=german("Cooperation pool"))
    expect(panel).to_contain_text("0 von 2 Partnern")
    expect(panel).to_contain_text("40 % der Kosten gedeckt")
    expect(panel).to_contain_text(german(NO_MONEY))
    assert_no_violations(metal_page, "the listing page with the pool")
    with metal_page.expect_navigation():
        panel.get_by_role("link", name=german("Join the pool")).click()
    expect(metal_page.get_by_role("heading", level=1)).to_contain_text(pool.listing.title)
    assert_no_violations(metal_page, "the join form")

    # More than is open: the error is at the field and in the summary, nothing is saved.
    metal_page.locator("#id_share").fill("70")
    metal_page.locator("#id_use").fill("Montags und dienstags")
    metal_page.locator("#id_confirm").check()
    submit(metal_page)
    summary = metal_page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nur noch 60 % der Kosten sind offen")
    expect(metal_page.locator("#id_share")).to_have_attribute("aria-invalid", "true")
    assert not Commitment.objects.exists()
    assert_no_violations(metal_page, "the join form with an error")

    metal_page.locator("#id_share").fill("30")
    metal_page.locator("#id_confirm").check()
    submit(metal_page)
    expect(metal_page.get_by_role("status")).to_contain_text(
        german("Your organisation has committed to this pool.")
    )
    expect(panel).to_contain_text("1 von 2 Partnern")
    expect(panel).to_contain_text("70 % der Kosten gedeckt")
    assert [message.to for message in mailoutbox] == [[owner.email]]

    # The timber builder joins by keyboard alone; that reaches the threshold.
    timber_page = new_page()
    log_in_with_session_cookie(timber_page, site_url, timber_owner)
    timber_page.goto(listing_url)
    join = timber_page.get_by_role("link", name=german("Join the pool"))
    tab_to(timber_page, join)
    press_and_load(timber_page)
    share = timber_page.locator("#id_share")
    tab_to(timber_page, share)
    timber_page.keyboard.press("Control+A")
    timber_page.keyboard.type("30")
    timber_page.keyboard.press("Tab")
    assert has_focus(timber_page.locator("#id_use"))
    timber_page.keyboard.type("Donnerstags")
    timber_page.keyboard.press("Tab")
    timber_page.keyboard.press("Space")
    expect(timber_page.locator("#id_confirm")).to_be_checked()
    tab_to(timber_page, timber_page.get_by_role("button", name=german("Commit")))
    press_and_load(timber_page)
    pool = fresh(pool)
    assert pool.thread_is_open
    told = {address for message in mailoutbox for address in message.to}
    assert {owner.email, metal_owner.email, timber_owner.email} <= told

    # The carpentry sees who committed and forms the partnership.
    owner_page = new_page()
    log_in_with_session_cookie(owner_page, site_url, owner)
    owner_page.goto(listing_url)
    owner_panel = owner_page.get_by_role("region", name=german("Cooperation pool"))
    expect(owner_panel.get_by_role("table")).to_contain_text("Metallbau Kranich")
    expect(owner_panel.get_by_role("table")).to_contain_text("Donnerstags")
    assert_no_violations(owner_page, "the listing page, initiator")
    with owner_page.expect_navigation():
        owner_panel.get_by_role("link", name=german("Mark the partnership formed")).click()
    assert_no_violations(owner_page, "the step page")
    submit(owner_page)
    expect(owner_panel).to_contain_text(german("Partnership formed"))
    assert fresh(pool).status == PoolStatus.FORMED

    # Everyone meets in the group thread.
    with owner_page.expect_navigation():
        owner_panel.get_by_role("link", name=german("Open the partners' group thread")).click()
    owner_page.locator("#id_body").fill("Lieferung in acht Wochen, Einweisung danach.")
    submit(owner_page)
    expect(owner_page.locator(".thread__entry--mine")).to_contain_text("Lieferung in acht Wochen")
    assert_no_violations(owner_page, "the group thread")

    metal_page.goto(site_url(HOST, f"/pools/{pool.pk}/thread/"))
    expect(metal_page.get_by_role("main")).to_contain_text("Lieferung in acht Wochen")
    expect(metal_page.get_by_role("complementary")).to_contain_text("Holzbau Werder")


def test_on_a_phone_the_partners_table_scrolls_in_its_box_not_the_page(
    new_page, site_url, pool, owner, pm
):
    from pools import services

    partner, partner_owner = make_partner(pm, "Metallbau Kranich", "chefin@kranich.example")
    services.commit(pool, partner, partner_owner, share=30, use="Montags, dienstags und mittwochs")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    log_in_with_session_cookie(page, site_url, owner)
    page.goto(site_url(HOST, pool.listing.get_absolute_url()))
    table_box = page.get_by_role("region", name=german("Who committed"))
    expect(table_box).to_contain_text("Metallbau Kranich")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert table_box.get_attribute("tabindex") == "0"  # keyboards scroll it too
    assert_no_violations(page, "the pool's partners on a phone")

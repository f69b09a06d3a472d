"""The impact page ("Erfolge") and its counter in Chromium: no axe violations on a desktop
and a phone, in both languages, with a year of exchanges; the chart and its table show the
same numbers without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.impact_data import build_scene

from .test_accessibility import assert_no_violations, use_language

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer):
    return build_scene(
        pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer
    )


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_impact_page_has_no_axe_violations(page, site_url, scene, language, width):
    def url(path):
        return site_url("pm.localhost", path)

    page.set_viewport_size({"width": width, "height": 900})
    use_language(page, url, language)
    page.goto(url("/impact/"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Potsdam-Mittelmark")
    # The chart is drawn (patterns, no script needed) and its table is there for everyone.
    expect(page.locator(".impact-bar")).to_have_count(12)
    assert page.locator(".impact-bar rect").count() >= 4
    table = page.get_by_role(
        "region",
        name="Erfolgreiche Übergaben nach Monat und Art"
        if language == "de"
        else "Exchanges handed over per month and kind",
    )
    expect(table.get_by_role("row")).to_have_count(13)
    # Nothing sticks out sideways on a phone but the scrollable tables.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_no_violations(page, f"the impact page at {width} px in {language}")


def test_the_impact_page_works_without_javascript(browser, site_url, scene):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        tab = context.new_page()
        tab.goto(site_url("pm.localhost", "/impact/"))
        expect(tab.locator(".impact-bar").first).to_be_visible()
        expect(tab.get_by_text("Danke!")).to_be_visible()
    finally:
        context.close()


def test_the_counter_and_the_home_teaser_have_no_axe_violations(page, site_url, scene):
    page.goto(site_url("pm.localhost", "/embed/impact/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gemeinsam erreicht in Potsdam-Mittelmark"
    )
    assert_no_violations(page, "the impact counter")
    page.goto(site_url("pm.localhost", "/"))
    expect(page.get_by_role("heading", name="Gemeinsam erreicht")).to_be_visible()
    assert_no_violations(page, "the home page with its impact teaser")

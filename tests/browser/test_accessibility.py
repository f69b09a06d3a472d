"""axe-core finds no accessibility violations on the public pages, in either region.

The regions have different brand colours (header, buttons, links), so every page
is checked in both; and in both languages, since text length and `lang` change.
axe runs with its defaults: every WCAG 2.x A/AA rule and its best practices.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from .keyboard import press_and_load, tab_to

pytestmark = pytest.mark.browser

REGION_HOSTS = {"pm": "pm.localhost", "ohv": "ohv.localhost"}
LANGUAGES = ["de", "en"]


def open_sign_up_with_errors(page, url):
    """The sign-up form after sending it with an invalid address and unequal passwords."""
    page.goto(url("/accounts/signup/"))
    tab_to(page, page.locator("#id_email"))  # the name left out
    page.keyboard.type("keine-adresse")
    page.keyboard.press("Tab")
    page.keyboard.type("kurz")
    page.keyboard.press("Tab")
    page.keyboard.type("anders")
    press_and_load(page)
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.locator(".field--error")).not_to_have_count(0)


PAGES = {
    "home": lambda page, url: page.goto(url("/")),
    "how-it-works": lambda page, url: page.goto(url("/how-it-works/")),
    "imprint": lambda page, url: page.goto(url("/imprint/")),
    "sign-up": lambda page, url: page.goto(url("/accounts/signup/")),
    "sign-up-with-errors": open_sign_up_with_errors,
    "login": lambda page, url: page.goto(url("/accounts/login/")),
}


def describe(violations):
    """One readable block per violation: rule, impact, what to do, and where."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " >> ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}\n      {summary}")
    return "\n".join(lines)


def assert_no_violations(page, what):
    violations = Axe().run(page).response["violations"]
    assert not violations, (
        f"axe found {len(violations)} accessibility violation(s) on {what} ({page.url}): "
        + ", ".join(violation["id"] for violation in violations)
        + "\n"
        + describe(violations)
    )


def use_language(page, url, language):
    if language != settings.LANGUAGE_CODE:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url("/")}]
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize("region_slug", REGION_HOSTS)
def test_region_page_has_no_axe_violations(
    request, page, site_url, region_slug, page_name, language
):
    request.getfixturevalue(region_slug)

    def url(path):
        return site_url(REGION_HOSTS[region_slug], path)

    use_language(page, url, language)
    PAGES[page_name](page, url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_violations(page, f"{page_name} of {region_slug} in {language}")


@pytest.mark.parametrize("region_slug", REGION_HOSTS)
def test_logged_in_pages_have_no_axe_violations(request, page, site_url, region_slug, member):
    """The header of a logged-in member (account link, log-out button) and the account page."""
    host = REGION_HOSTS[region_slug]
    request.getfixturevalue(region_slug)
    client = Client(HTTP_HOST=host)
    client.force_login(member)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site_url(host),
            }
        ]
    )

    page.goto(site_url(host, "/"))
    page.get_by_role("banner").locator("summary.account-menu__button").click()
    expect(page.get_by_role("banner").locator('a[href="/accounts/"]')).to_be_visible()
    assert_no_violations(page, f"home of {region_slug}, logged in, the account menu open")

    page.goto(site_url(host, "/accounts/"))
    assert_no_violations(page, f"account overview of {region_slug}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_portal_has_no_axe_violations(page, site_url, pm, ohv, language):
    def url(path):
        return site_url("localhost", path)

    use_language(page, url, language)
    page.goto(url("/"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The portal lists both regions, linking to their own hosts.
    expect(page.get_by_role("link", name="Potsdam-Mittelmark")).to_be_visible()
    expect(page.get_by_role("link", name="Oberhavel")).to_be_visible()
    assert_no_violations(page, f"the portal in {language}")


def test_german_region_texts_are_marked_as_german_in_the_english_interface(page, site_url, pm, ohv):
    """WCAG 3.1.2: the region writes its claim and pages in German; screen readers must know."""

    def language_of(locator):
        return locator.evaluate("el => el.closest('[lang]').lang")

    for region, claim in ((pm, "Teilen, was da ist"), (ohv, "Oberhavel hilft sich selbst")):
        region.claim = claim
        region.save()
    for host in ("pm.localhost", "localhost"):
        use_language(page, lambda path, host=host: site_url(host, path), "en")

    page.goto(site_url("pm.localhost", "/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teilen, was da ist")
    assert language_of(page.get_by_role("heading", level=1)) == "de"
    assert language_of(page.get_by_role("heading", level=2).first) == "en"

    page.goto(site_url("pm.localhost", "/imprint/"))
    assert language_of(page.get_by_role("heading", level=1)) == "de"
    assert language_of(page.locator("main .meta")) == "en"  # "Last changed", our own text

    page.goto(site_url("localhost", "/"))
    assert language_of(page.get_by_role("heading", level=1)) == "en"
    claims = page.locator(".card--region p")
    expect(claims).to_have_count(2)
    for claim in claims.all():
        assert language_of(claim) == "de"

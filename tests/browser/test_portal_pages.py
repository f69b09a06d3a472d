"""The portal's front door in a browser: from its home page, the footer leads to the
installation operator's imprint, privacy policy and accessibility statement, each free of
axe violations, in both languages."""

import pytest
from playwright.sync_api import expect

from regions.operators import InstallationOperator

from .test_accessibility import LANGUAGES, assert_no_violations, use_language

pytestmark = pytest.mark.browser

FOOTER_LINKS = {
    "de": ["Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit"],
    "en": ["Imprint", "Privacy policy", "Accessibility statement"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_portal_footer_leads_to_the_operators_legal_pages(page, site_url, pm, language):
    InstallationOperator.objects.create(
        operator_name="starkeRegion Betriebs-GmbH",
        operator_address="Plattformweg 1\n10115 Berlin",
        operator_email="betrieb@starkeregion.example",
        state="11",
    )

    def url(path):
        return site_url("localhost", path)

    use_language(page, url, language)
    for name in FOOTER_LINKS[language]:
        page.goto(url("/"))
        footer = page.get_by_role("contentinfo")
        footer.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("article")).to_contain_text("starkeRegion Betriebs-GmbH")
        assert_no_violations(page, f"the portal's {name} in {language}")

"""Reporting a listing from its page (issue #17), with the keyboard only: from the link
"Melden" under the listing to the form, a reason chosen with the arrow keys, an error
shown at its field, the report sent; axe-core checks the pages on the way. Then the
listing's own organisation sees its decision page in the same accessible shape."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from moderation import services
from moderation.models import Case, Decision, Report

from ..factories import make_organisation, make_user
from .keyboard import has_focus, press_and_load, tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie

pytestmark = pytest.mark.browser

HOST = "pm.localhost"


def german(text):
    with translation.override("de"):
        return translation.gettext(text)


@pytest.fixture
def reporter(pm):
    user = make_user("leitung@baeckerei.example")
    make_organisation(pm, "Bäckerei Korn", owner=user)
    return user


def test_report_a_listing_with_the_keyboard(page, site_url, listing, reporter):
    log_in_with_session_cookie(page, site_url, reporter)
    page.goto(site_url(HOST, f"/listings/{listing.pk}/"))
    link = page.get_by_role("link", name=german("Report"), exact=True)
    expect(link).to_have_attribute("href", f"/report/listings/{listing.pk}/")
    assert_no_violations(page, "the listing page with its report link")

    tab_to(page, link)
    press_and_load(page)
    expect(page).to_have_url(site_url(HOST, f"/report/listings/{listing.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(german("Report a listing"))
    assert_no_violations(page, "the report form")

    # "Something else" without a word: the error stands at the field and in the summary.
    first_reason = page.locator("#id_reason_0")
    tab_to(page, first_reason)
    for _ in range(4):  # down to the fifth reason, "Something else"
        page.keyboard.press("ArrowDown")
    assert has_focus(page.locator("#id_reason_4"))
    expect(page.locator("#id_reason_4")).to_be_checked()
    tab_to(page, page.get_by_role("button", name=german("Send report")))
    press_and_load(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(german("Please describe what is wrong."))
    expect(page.locator("#id_text_error")).to_have_text(german("Please describe what is wrong."))
    expect(page.locator("#id_text")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page, "the report form with an error")
    assert not Report.objects.exists()

    tab_to(page, page.locator("#id_text"))
    page.keyboard.type("Die Telefonnummer im Text führt zu einem Gewinnspiel.")
    tab_to(page, page.get_by_role("button", name=german("Send report")))
    press_and_load(page)
    expect(page).to_have_url(site_url(HOST, f"/listings/{listing.pk}/"))
    expect(page.get_by_role("status").first).to_contain_text("Potsdam-Mittelmark")
    report = Report.objects.get()
    assert (report.reason, report.case.listing_id) == ("other", listing.pk)
    assert_no_violations(page, "the listing page after the report")


def test_the_owner_reads_the_decision_and_asks_for_a_review(
    page, site_url, listing, owner, reporter, pm_moderator
):
    services.report(reporter, reason="category", text="Falsche Kategorie.", listing=listing)
    case = Case.objects.get()
    services.decide(case, pm_moderator, Decision.FIX_REQUESTED, "Bitte unter Fahrzeuge einordnen.")
    log_in_with_session_cookie(page, site_url, owner)
    page.goto(site_url(HOST, f"/report/decisions/{case.pk}/"))
    expect(page.get_by_role("main")).to_contain_text("Bitte unter Fahrzeuge einordnen.")
    assert_no_violations(page, "the decision page")
    tab_to(page, page.locator("#id_text"))
    page.keyboard.type("Erledigt, danke.")
    tab_to(page, page.get_by_role("button", name=german("Send to the staff")))
    press_and_load(page)
    expect(page.get_by_role("main")).to_contain_text("Erledigt, danke.")
    expect(page.locator("#id_text")).to_have_count(0)
    assert_no_violations(page, "the decision page after the review request")
    assert Case.objects.get().review_text == "Erledigt, danke."

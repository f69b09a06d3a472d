"""A saved search, in two browsers: a youth club searches for a forklift, saves the search
("Suchauftrag speichern", immediately), and when a carpentry publishes a matching offer
the mail's link opens it; the mail's unsubscribe link then works in a browser that is not
logged in. axe-core checks every page on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from alerts.models import SavedSearch

from ..factories import make_listing
from .test_accessibility import assert_no_violations
from .test_inquiry_journey import ui
from .test_organisation_journey import log_in_with_session_cookie

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
TITLE = "Gabelstapler 2,5 t zu vermieten"


def submit(button):
    with button.page.expect_navigation():
        button.click()


def test_save_a_search_and_open_the_offer_from_the_alert_mail(
    page, new_page, site_url, inquirer, inquirer_organisation, organisation, owner
):
    log_in_with_session_cookie(page, site_url, inquirer)
    page.goto(site_url(HOST, "/listings/?q=Gabelstapler"))
    box = page.locator(".save-search")
    expect(box.get_by_role("heading", name=ui("Save this search"))).to_be_visible()
    assert_no_violations(page, "the search page with its save button")
    box.get_by_label(ui("Name of the search")).fill("Stapler für das Sommerfest")
    box.get_by_label(ui("Email me new listings")).select_option("instant")
    submit(box.get_by_role("button", name=ui("Save this search")))

    expect(page.get_by_role("heading", name=ui("Saved searches"), level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Stapler für das Sommerfest", exact=True)).to_be_visible()
    assert_no_violations(page, "the list of saved searches")
    saved = SavedSearch.objects.get()
    assert (saved.frequency, saved.query) == ("instant", "q=Gabelstapler")

    # Another organisation publishes a matching offer (its own tests cover the form).
    make_listing(organisation, TITLE, author=owner)
    [message] = [m for m in mail.outbox if m.to == [inquirer.email]]
    assert "Stapler für das Sommerfest" in message.subject
    link = re.search(r"http://pm\.localhost(/listings/\d+/)", message.body).group(1)
    page.goto(site_url(HOST, link))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

    # The link to stop the mails works in any browser, without logging in.
    unsubscribe = re.search(r"http://pm\.localhost(/alerts/unsubscribe/\S+/)", message.body)
    stranger = new_page()
    stranger.goto(site_url(HOST, unsubscribe.group(1)))
    assert_no_violations(stranger, "the unsubscribe page")
    submit(stranger.get_by_role("button", name=ui("Stop emails")))
    expect(stranger.get_by_role("status")).to_contain_text("Stapler für das Sommerfest")
    saved.refresh_from_db()
    assert not saved.is_active

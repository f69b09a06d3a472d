"""Staff see what waits (issue #18): a member reports a message; the region's moderator
opens the back office, finds "Gemeldete Nachrichten 1" among the queues of the overview,
follows it to the report, resolves it with a note, and the overview counts it no more;
the reporter hears by mail that it was dealt with. axe-core checks the overview."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from inquiries import safety_steps, services
from inquiries.models import MessageReport
from listings.models import Terms
from organisations.models import OrganisationType, Verification

from ..factories import (
    category,
    make_listing,
    make_organisation,
    make_user,
    sign_in_with_two_factor,
)
from .test_accessibility import assert_no_violations

pytestmark = pytest.mark.browser

HOST = "pm.localhost"


def log_in_to_the_back_office(page, site_url, user):
    """A session that passed password and authenticator (their forms have their own tests)."""
    client = sign_in_with_two_factor(Client(HTTP_HOST=HOST), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site_url(HOST),
            }
        ]
    )


@pytest.fixture
def reported(organisation, owner):
    desks = make_listing(
        organisation,
        "Schreibtische zu verschenken",
        author=owner,
        terms=Terms.GIVE_AWAY,
        quantity=20,
        category=category("it-technik"),
    )
    asker = make_user("sekretariat@schule.example")
    school = make_organisation(
        organisation.region,
        "Grundschule am See",
        owner=asker,
        type=OrganisationType.SCHOOL,
        verification=Verification.VERIFIED,
    )
    inquiry = services.create_inquiry(desks, school, asker, body="Billige Uhren!", quantity=1)
    return safety_steps.report_message(inquiry.messages.get(kind="text"), owner, reason="spam")


def queue_row(page, label):
    return page.locator("#queues tr", has=page.get_by_role("link", name=label, exact=True))


def test_the_moderator_finds_the_reported_message_and_resolves_it(
    page, site_url, pm_moderator, owner, reported
):
    log_in_to_the_back_office(page, site_url, pm_moderator)
    page.goto(site_url(HOST, "/admin/"))
    expect(page.locator("#queues caption")).to_have_text("Was auf Sie wartet")
    row = queue_row(page, "Gemeldete Nachrichten")
    expect(row.locator(".queue-count")).to_have_text("1")
    assert_no_violations(page, "the back office's overview with its queues")

    row.get_by_role("link", name="Gemeldete Nachrichten", exact=True).click()
    expect(page).to_have_url(site_url(HOST, "/admin/inquiries/messagereport/?resolved=no"))
    page.locator("#result_list tbody a").first.click()
    page.locator("#id_resolution").fill("Die Schule wurde verwarnt.")
    mail.outbox.clear()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    assert MessageReport.objects.get(pk=reported.pk).resolved_at is not None
    [told] = [m for m in mail.outbox if m.to == [owner.email]]
    assert "bearbeitet" in told.subject and "verwarnt" not in told.body
    page.goto(site_url(HOST, "/admin/"))
    expect(queue_row(page, "Gemeldete Nachrichten").locator(".queue-count")).to_have_text("0")

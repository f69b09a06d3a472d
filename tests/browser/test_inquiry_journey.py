"""A donation claimed, accepted, handed over and confirmed: the journey of the
inquiries issue, in two browsers.

A verified primary school claims 3 of the 10 monitors a carpentry donates to schools
and non-profits (first asking for 11, one more than there are); the carpentry sees the
unread count in the header, opens the inbox and the conversation, accepts with a
handover date, marks the monitors as handed over, and both answer "Did it work out?"
with yes, the school with a thank-you note. axe-core checks every page on the way;
a second test writes a message in the conversation with the keyboard only.

The inquiry texts may not be translated into German yet, so they are looked up with
`ui()` (the German text if there is one, else the English) and the links and fields by
their addresses and ids, which no translation changes.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from inquiries import services
from inquiries.models import Inquiry, Message, MessageKind, Outcome, Status
from listings.models import Audience, Terms

from ..factories import category, make_listing
from .keyboard import focused, has_focus, press_and_load, tab_once_to, tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
TITLE = "10 Monitore zu verschenken"
SCHOOL = "Grundschule am See"
CARPENTRY = "Tischlerei Holzwurm"
REQUEST = "Wir würden gern 3 Monitore für den Computerraum nehmen."
THANKS = "Vielen Dank, die Kinder freuen sich!"


def ui(text, **values):
    """The interface text as the German pages show it: translated where the catalogue
    has it, the English source until then (unlike german(), which insists on German)."""
    with translation.override("de"):
        translated = translation.gettext(text)
    return translated % values if values else translated


def ui_plural(singular, plural, count, **values):
    with translation.override("de"):
        translated = translation.ngettext(singular, plural, count)
    return translated % {"count": count, **values}


@pytest.fixture
def carpentry(organisation):
    """The company of conftest's `owner`: gives, but may not claim donations."""
    return organisation


@pytest.fixture
def monitors(carpentry, owner):
    """10 monitors donated to schools and non-profits."""
    return make_listing(
        carpentry,
        TITLE,
        author=owner,
        terms=Terms.DONATION,
        quantity=10,
        category=category("it-technik"),
        audience=Audience.EDUCATION | Audience.NONPROFITS,
    )


def submit(form_scope):
    """Clicks the form's submit button and waits for the answer to load."""
    page = form_scope.page
    with page.expect_navigation():
        form_scope.locator("button[type=submit]").click()


def test_school_claims_three_of_ten_donated_monitors_and_both_confirm(
    new_page, site_url, monitors, school, school_user, owner, mailoutbox
):
    # The school opens the listing: the panel offers to inquire, 10 still available.
    school_page = new_page()
    log_in_with_session_cookie(school_page, site_url, school_user)
    school_main = school_page.get_by_role("main")
    school_page.goto(site_url(HOST, f"/listings/{monitors.pk}/"))
    expect(school_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    respond = school_main.get_by_role("region", name=ui("Interested?"))
    with translation.override("de"):
        ten = str(monitors.quantity_left_display)  # "10 Stück"
    expect(respond).to_contain_text(ui("Still available: %(left)s", left=ten))
    assert_no_violations(school_page, "the listing page with the respond panel")

    inquire = respond.get_by_role("link").and_(
        school_page.locator(f'a[href="/inquiries/new/{monitors.pk}/"]')
    )
    expect(inquire).to_have_text(ui("Inquire"))
    with school_page.expect_navigation():
        inquire.click()
    expect(school_page).to_have_url(site_url(HOST, f"/inquiries/new/{monitors.pk}/"))
    expect(school_page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(school_main).to_contain_text(SCHOOL)
    expect(school_page.locator("#id_quantity")).to_have_value("1")
    assert_no_violations(school_page, "the inquiry form")

    # One more than there are: the error is at the field and in the summary.
    form = school_main.locator("form")
    school_page.locator("#id_body").fill(REQUEST)
    school_page.locator("#id_quantity").fill("11")
    submit(form)
    too_many = ui_plural(
        "Only %(count)s is still available.", "Only %(count)s are still available.", 10
    )
    summary = school_page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(german("There is a problem"))
    expect(summary.get_by_role("link", name=too_many)).to_have_attribute("href", "#id_quantity")
    expect(school_page.locator("#id_quantity_error")).to_have_text(too_many)
    quantity = school_page.locator("#id_quantity")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(quantity).to_have_attribute("aria-describedby", re.compile(r"\bid_quantity_error\b"))
    expect(school_page.locator("#id_body")).to_have_value(REQUEST)
    assert not Inquiry.objects.exists()
    assert_no_violations(school_page, "the inquiry form with an error")

    school_page.locator("#id_quantity").fill("3")
    submit(form)
    inquiry = Inquiry.objects.get()
    assert (inquiry.status, inquiry.quantity, inquiry.organisation) == (Status.OPEN, 3, school)
    expect(school_page).to_have_url(site_url(HOST, f"/inquiries/{inquiry.pk}/"))
    sent = ui("Your inquiry is sent. %(name)s will answer here; we will email you.", name=CARPENTRY)
    expect(school_main.get_by_role("status")).to_have_text(sent)
    my_message = school_main.locator(".thread__entry--mine").filter(has_text=REQUEST)
    expect(my_message).to_be_visible()
    assert_no_violations(school_page, "the conversation, inquiring side")
    assert [message.to for message in mailoutbox] == [[owner.email]]

    # The carpentry sees the unread update (the inquiry's message) in the header.
    giver_page = new_page()
    log_in_with_session_cookie(giver_page, site_url, owner)
    giver_main = giver_page.get_by_role("main")
    giver_page.goto(site_url(HOST, "/"))
    inquiries_link = giver_page.get_by_role("banner").locator('a[href="/inquiries/"]')
    expect(inquiries_link.locator(".count-badge")).to_have_text(f", 1 {ui('unread')}")
    expect(inquiries_link).to_have_accessible_name(
        re.compile(rf"^{ui('Inquiries')}\s*,\s*1 {ui('unread')}$")
    )
    with giver_page.expect_navigation():
        inquiries_link.click()

    # The inbox: one received inquiry, unread.
    expect(giver_page).to_have_url(site_url(HOST, "/inquiries/"))
    expect(giver_page.get_by_role("heading", level=1)).to_have_text(ui("Inquiries"))
    item = giver_main.locator(".inbox__item")
    expect(item).to_have_count(1)
    expect(item).to_have_class(re.compile(r"\binbox__item--unread\b"))
    expect(item).to_contain_text(ui("Received from %(name)s", name=SCHOOL))
    expect(item).to_contain_text(ui_plural("%(count)s piece", "%(count)s pieces", 3))
    expect(item.locator(".badge--inquiry-open")).to_have_text(ui("Open"))
    expect(item.locator(".inbox__unread")).to_have_text(
        ui_plural("%(count)s unread update", "%(count)s unread updates", 1)
    )
    assert_no_violations(giver_page, "the inbox")

    # The conversation: reading it clears the count; accept is the first next step.
    with giver_page.expect_navigation():
        item.get_by_role("link", name=TITLE).click()
    expect(giver_page).to_have_url(site_url(HOST, f"/inquiries/{inquiry.pk}/"))
    expect(giver_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    their_message = giver_main.locator(".thread__entry:not(.thread__entry--mine)")
    expect(their_message.filter(has_text=REQUEST)).to_be_visible()
    expect(inquiries_link.locator(".count-badge")).to_have_count(0)
    assert_no_violations(giver_page, "the conversation, giving side")

    steps = giver_main.get_by_role("region", name=ui("Next steps"))
    accept = steps.locator(f'a[href="/inquiries/{inquiry.pk}/accept/"]')
    expect(accept).to_have_text(ui("Accept"))
    with giver_page.expect_navigation():
        accept.click()

    # The step asks first; the handover date is optional, given here.
    expect(giver_page.get_by_role("heading", level=1)).to_have_text(f"{ui('Accept')}: {TITLE}")
    handover = giver_page.locator("#id_handover_on")
    expect(giver_page.get_by_label(ui("Handover date (optional)"))).to_have_attribute(
        "id", "id_handover_on"
    )
    assert_no_violations(giver_page, "the accept step")
    handover_on = timezone.localdate() + datetime.timedelta(days=7)
    handover.fill(handover_on.isoformat())
    step_form = giver_main.locator("form")
    expect(step_form.locator("button[type=submit]")).to_have_text(ui("Accept"))
    submit(step_form)

    expect(giver_page).to_have_url(site_url(HOST, f"/inquiries/{inquiry.pk}/"))
    expect(giver_main.get_by_role("status")).to_have_text(
        ui("You accepted the inquiry; what it asks for is reserved for them.")
    )
    expect(giver_page.locator(".page-header .badge--inquiry-accepted")).to_have_text(ui("Accepted"))
    with translation.override("de"):
        handover_text = date_format(handover_on, "DATE_FORMAT")
    expect(giver_main.get_by_role("complementary")).to_contain_text(handover_text)
    inquiry.refresh_from_db()
    monitors.refresh_from_db()
    assert (inquiry.status, inquiry.handover_on) == (Status.ACCEPTED, handover_on)
    assert (monitors.quantity_reserved, monitors.quantity_left) == (3, 7)

    # Handed over: the complete step, its own page again.
    complete = steps.locator(f'a[href="/inquiries/{inquiry.pk}/complete/"]')
    expect(complete).to_have_text(ui("Mark as handed over"))
    with giver_page.expect_navigation():
        complete.click()
    expect(giver_page.get_by_role("heading", level=1)).to_have_text(
        f"{ui('Mark as handed over')}: {TITLE}"
    )
    assert_no_violations(giver_page, "the complete step")
    submit(giver_main.locator("form"))
    expect(giver_main.get_by_role("status")).to_have_text(
        ui("Handed over. Both of you are now asked how it went.")
    )

    # "Did it work out?" – yes.
    outcome_panel = giver_main.get_by_role("region", name=ui("Did it work out?"))
    expect(outcome_panel.locator("#id_thank_you")).to_have_count(0)  # the school's to write
    assert_no_violations(giver_page, "the conversation with the outcome question, giving side")
    outcome_panel.get_by_role("radio", name=german("Yes"), exact=True).check()
    submit(outcome_panel)
    expect(giver_main.get_by_role("status")).to_have_text(ui("Thank you for your answer."))
    expect(outcome_panel).to_have_count(0)
    yes_from_giver = ui("%(name)s: %(answer)s", name=CARPENTRY, answer=ui("Yes, it worked out."))
    expect(giver_main.get_by_role("complementary")).to_contain_text(yes_from_giver)

    # The school answers yes as well, with its thanks.
    school_page.reload()
    expect(school_page.locator(".page-header .badge--inquiry-completed")).to_have_text(
        ui("Completed")
    )
    school_outcome = school_main.get_by_role("region", name=ui("Did it work out?"))
    assert_no_violations(school_page, "the conversation with the outcome question, school side")
    school_outcome.get_by_role("radio", name=german("Yes"), exact=True).check()
    school_outcome.get_by_label(ui("A thank-you note (optional)")).fill(THANKS)
    submit(school_outcome)
    expect(school_main.get_by_role("status")).to_have_text(ui("Thank you for your answer."))
    about = school_main.get_by_role("complementary")
    expect(about).to_contain_text(THANKS)
    expect(about).to_contain_text(yes_from_giver)
    expect(about).to_contain_text(
        ui("%(name)s: %(answer)s", name=SCHOOL, answer=ui("Yes, it worked out."))
    )
    expect(about.locator("#id_public")).to_have_count(0)  # the giver decides that

    # The giver reads the note and allows it to be shown publicly.
    giver_page.reload()
    giver_about = giver_main.get_by_role("complementary")
    expect(giver_about).to_contain_text(THANKS)
    assert_no_violations(giver_page, "the conversation with the thank-you note, giving side")
    giver_about.locator("#id_public").check()
    submit(giver_about.locator("form.consent-form"))
    expect(giver_main.get_by_role("status")).to_have_text(ui("Your choice is saved."))

    # Where it all ended up.
    inquiry.refresh_from_db()
    monitors.refresh_from_db()
    outcome = Outcome.objects.get(inquiry=inquiry)
    assert inquiry.status == Status.COMPLETED
    assert (monitors.quantity, monitors.quantity_reserved) == (10, 3)
    assert (outcome.owner_succeeded, outcome.inquirer_succeeded) == (True, True)
    assert (outcome.thank_you, outcome.thank_you_public) == (THANKS, True)
    assert list(inquiry.messages.values_list("kind", flat=True)) == [
        MessageKind.CREATED,
        MessageKind.TEXT,
        MessageKind.ACCEPTED,
        MessageKind.HANDOVER,  # the date given on accepting
        MessageKind.COMPLETED,
        MessageKind.CONFIRMED,
        MessageKind.CONFIRMED,
    ]


def test_write_in_the_conversation_by_keyboard_only(
    page, site_url, monitors, school, school_user, owner
):
    inquiry = services.create_inquiry(monitors, school, school_user, body=REQUEST, quantity=3)
    log_in_with_session_cookie(page, site_url, owner)
    page.goto(site_url(HOST, f"/inquiries/{inquiry.pk}/"))
    main = page.get_by_role("main")

    # The skip link is still the first tab stop and leads into the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=german("Skip to main content"))
    assert has_focus(skip_link), f"the first tab stop is {focused(page)}, not the skip link"
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From there to the message field, type, one Tab to Send, Enter.
    body = page.locator("#id_body")
    expect(page.get_by_label(ui("Your message"))).to_have_attribute("id", "id_body")
    tab_to(page, body)
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    reply = "Gern! Abholung ab Montag, 8 bis 15 Uhr.\nBitte Kartons mitbringen."
    page.keyboard.type(reply)
    tab_once_to(page, main.get_by_role("region", name=ui("Write a message")).get_by_role("button"))
    press_and_load(page)

    expect(page).to_have_url(site_url(HOST, f"/inquiries/{inquiry.pk}/"))
    expect(main.get_by_role("status")).to_have_text(ui("Your message is sent."))
    mine = main.locator(".thread__entry--mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Gern! Abholung ab Montag")
    expect(mine).to_contain_text("Bitte Kartons mitbringen.")
    expect(body).to_have_value("")
    message = Message.objects.filter(inquiry=inquiry, kind=MessageKind.TEXT).last()
    assert message.author == owner
    assert message.body.splitlines() == reply.splitlines()
    assert_no_violations(page, "the conversation after a message sent by keyboard")

"""Emails about inquiries: a new inquiry tells the listing's author, a message the other
side, a step the inquirer; each names the region and links into that region's host; each
person turns off each kind on its own; and a mail server that is down never costs the
inquiry or the message, nor shows an error page."""

import smtplib

import pytest
from django.core.mail.backends import locmem
from huey.contrib.djhuey import HUEY

from core.models import Job
from inquiries.models import Inquiry, Message, MessageKind, NotificationSettings, Status
from listings.models import Terms
from organisations.models import OrganisationType, Role

from .factories import in_days, make_listing, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db

SETTINGS = "/inquiries/notifications/"


class MailServerDown(locmem.EmailBackend):
    """A mail server that cannot be reached: every mail fails to go out."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def _empty_queue():
    """No retry of a failed mail waits in the queue for the next test."""
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


def booking(days=5, body="Wir brauchen den Stapler für unser Sommerfest."):
    return {
        "body": body,
        "period_start": in_days(days).isoformat(),
        "period_end": in_days(days + 1).isoformat(),
    }


def recipients(mailoutbox):
    return [message.to for message in mailoutbox]


@pytest.fixture
def inquirer_colleague(inquirer_organisation):
    user = make_user("betreuer@jugendclub.example")
    make_membership(inquirer_organisation, user, Role.MEMBER)
    return user


@pytest.fixture
def ask(post, client_for, listing, inquirer, inquirer_organisation, mailoutbox):
    """The Jugendclub's inquiry about the forklift, sent through the site; the outbox is
    emptied afterwards unless told to keep the mail."""

    def send(keep_mail=False):
        response = post(client_for(inquirer), f"/inquiries/new/{listing.pk}/", booking())
        assert response.status_code == 302
        if not keep_mail:
            mailoutbox.clear()
        return Inquiry.objects.get(organisation=inquirer_organisation)

    return send


# What goes to whom ------------------------------------------------------------------------


@pytest.mark.usefixtures("organisation_admin", "organisation_member")
def test_a_new_inquiry_mails_the_listings_author_only(ask, owner, mailoutbox):
    inquiry = ask(keep_mail=True)
    assert recipients(mailoutbox) == [[owner.email]]
    [message] = mailoutbox
    assert "Potsdam-Mittelmark" in message.subject
    assert inquiry.listing.title in message.subject
    assert f"http://pm.localhost/inquiries/{inquiry.pk}/" in message.body
    assert f"http://pm.localhost{SETTINGS}" in message.body
    assert "Jugendclub Werder" in message.body
    assert "Sommerfest" in message.body  # the first message comes along


@pytest.mark.usefixtures("organisation_member", "inquirer_organisation")
def test_a_listing_without_its_author_mails_the_organisations_owners_and_admins(
    post, client_for, organisation, owner, organisation_admin, inquirer, mailoutbox
):
    orphan = make_listing(organisation, "Kompressor zu vermieten", author=None)
    response = post(client_for(inquirer), f"/inquiries/new/{orphan.pk}/", booking())
    assert response.status_code == 302
    [message] = mailoutbox
    assert sorted(message.to) == sorted([owner.email, organisation_admin.email])


def test_a_message_mails_the_other_side_and_not_the_writer(
    ask, post, client_for, owner, organisation_member, inquirer, inquirer_colleague, mailoutbox
):
    inquiry = ask()
    thread = f"/inquiries/{inquiry.pk}/"

    post(client_for(owner), thread, {"body": "Gern, wann holen Sie ihn ab?"})
    assert recipients(mailoutbox) == [[inquirer.email]]
    assert "Potsdam-Mittelmark" in mailoutbox[0].subject
    assert "Gern, wann holen Sie ihn ab?" in mailoutbox[0].body
    assert f"http://pm.localhost/inquiries/{inquiry.pk}/" in mailoutbox[0].body
    mailoutbox.clear()

    # A colleague of the listing's side writes: the inquirer hears, nobody on her side.
    post(client_for(organisation_member), thread, {"body": "Ich bin am Freitag da."})
    assert recipients(mailoutbox) == [[inquirer.email]]
    mailoutbox.clear()

    post(client_for(inquirer), thread, {"body": "Am Freitag um zehn."})
    assert recipients(mailoutbox) == [[owner.email]]
    mailoutbox.clear()

    # The inquirer's colleague writes: the listing's author hears, not the inquirer.
    post(client_for(inquirer_colleague), thread, {"body": "Ich komme mit."})
    assert recipients(mailoutbox) == [[owner.email]]


@pytest.mark.parametrize("step", ["accept", "decline"])
def test_accepting_or_declining_mails_the_inquirer(
    step, ask, post, client_for, owner, inquirer, mailoutbox
):
    inquiry = ask()
    response = post(client_for(owner), f"/inquiries/{inquiry.pk}/{step}/", {"handover_on": ""})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == {"accept": Status.ACCEPTED, "decline": Status.DECLINED}[step]
    assert recipients(mailoutbox) == [[inquirer.email]]
    [message] = mailoutbox
    assert "Potsdam-Mittelmark" in message.subject
    assert inquiry.listing.title in message.subject
    assert inquiry.get_status_display() in message.subject
    assert f"http://pm.localhost/inquiries/{inquiry.pk}/" in message.body


def test_withdrawing_mails_the_listings_author(ask, post, client_for, owner, inquirer, mailoutbox):
    inquiry = ask()
    post(client_for(inquirer), f"/inquiries/{inquiry.pk}/withdraw/", {"reason": "Doch nicht."})
    assert recipients(mailoutbox) == [[owner.email]]
    assert "Doch nicht." in mailoutbox[0].body


def test_mails_about_an_inquiry_in_oberhavel_link_to_its_host(post, client_for, ohv, mailoutbox):
    skipper = make_user("chef@havelwerft.example")
    wharf = make_organisation(ohv, "Havelwerft", owner=skipper)
    crane = make_listing(wharf, "Bootskran zu vermieten", author=skipper, terms=Terms.RENT)
    rower = make_user("vorstand@ruderclub.example")
    make_organisation(ohv, "Ruderclub Oranienburg", owner=rower, type=OrganisationType.ASSOCIATION)

    response = post(
        client_for(rower, host="ohv.localhost"), f"/inquiries/new/{crane.pk}/", booking()
    )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    [new_inquiry] = mailoutbox
    assert new_inquiry.to == [skipper.email]
    assert "Oberhavel" in new_inquiry.subject
    assert "Potsdam-Mittelmark" not in new_inquiry.subject
    assert f"http://ohv.localhost/inquiries/{inquiry.pk}/" in new_inquiry.body
    assert "pm.localhost" not in new_inquiry.body
    mailoutbox.clear()

    post(client_for(skipper, host="ohv.localhost"), f"/inquiries/{inquiry.pk}/accept/", {})
    [accepted] = mailoutbox
    assert accepted.to == [rower.email]
    assert "Oberhavel" in accepted.subject
    assert f"http://ohv.localhost/inquiries/{inquiry.pk}/" in accepted.body


# Turning mails off --------------------------------------------------------------------------


def test_the_settings_page_starts_with_every_mail_on(client_for, owner):
    response = client_for(owner).get(SETTINGS)
    assert response.status_code == 200
    form = response.context["form"]
    assert [form[name].value() for name in ("new_inquiry", "message", "status")] == [True] * 3
    assert not NotificationSettings.objects.exists()


def test_turning_off_new_inquiries_stops_only_those(
    ask, post, client_for, owner, inquirer, mailoutbox
):
    response = post(client_for(owner), SETTINGS, {"message": "on", "status": "on"})
    assert response.status_code == 302
    choice = NotificationSettings.objects.get(user=owner)
    assert (choice.new_inquiry, choice.message, choice.status) == (False, True, True)

    inquiry = ask(keep_mail=True)
    assert mailoutbox == []
    post(client_for(inquirer), f"/inquiries/{inquiry.pk}/", {"body": "Noch eine Frage."})
    assert recipients(mailoutbox) == [[owner.email]]


def test_turning_off_messages_stops_only_those(ask, post, client_for, owner, inquirer, mailoutbox):
    post(client_for(inquirer), SETTINGS, {"new_inquiry": "on", "status": "on"})
    inquiry = ask()
    post(client_for(owner), f"/inquiries/{inquiry.pk}/", {"body": "Gern."})
    assert mailoutbox == []
    assert Message.objects.filter(kind=MessageKind.TEXT, body="Gern.").exists()
    post(client_for(owner), f"/inquiries/{inquiry.pk}/accept/", {})
    assert recipients(mailoutbox) == [[inquirer.email]]


def test_turning_off_status_changes_stops_only_those(
    ask, post, client_for, owner, inquirer, mailoutbox
):
    post(client_for(inquirer), SETTINGS, {"new_inquiry": "on", "message": "on"})
    inquiry = ask()
    post(client_for(owner), f"/inquiries/{inquiry.pk}/accept/", {})
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ACCEPTED
    assert mailoutbox == []
    post(client_for(owner), f"/inquiries/{inquiry.pk}/", {"body": "Bis Freitag."})
    assert recipients(mailoutbox) == [[inquirer.email]]


def test_turning_everything_off_and_on_again(ask, post, client_for, owner, mailoutbox):
    client = client_for(owner)
    post(client, SETTINGS, {})
    assert NotificationSettings.objects.filter(
        user=owner, new_inquiry=False, message=False, status=False
    ).exists()
    post(client, SETTINGS, {"new_inquiry": "on", "message": "on", "status": "on"})
    assert NotificationSettings.objects.count() == 1
    ask(keep_mail=True)
    assert recipients(mailoutbox) == [[owner.email]]


def test_the_settings_page_needs_a_login(client_for):
    response = client_for().get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# A mail server that is down ------------------------------------------------------------------


def test_a_mail_server_that_is_down_loses_neither_the_inquiry_nor_the_message(
    settings, post, client_for, listing, owner, inquirer, inquirer_organisation, mailoutbox, caplog
):
    settings.EMAIL_BACKEND = "tests.test_inquiry_notifications.MailServerDown"
    response = post(client_for(inquirer), f"/inquiries/new/{listing.pk}/", booking())
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert response["Location"] == f"/inquiries/{inquiry.pk}/"

    response = post(client_for(owner), f"/inquiries/{inquiry.pk}/", {"body": "Gern."})
    assert response.status_code == 302
    assert inquiry.messages.filter(kind=MessageKind.TEXT, body="Gern.").exists()

    response = post(client_for(owner), f"/inquiries/{inquiry.pk}/accept/", {})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ACCEPTED

    assert mailoutbox == []
    assert "SMTP" in caplog.text
    # Each mail waits in the job table for its retry.
    assert Job.objects.filter(name="mail", state=Job.State.WAITING, attempts=1).count() == 3
    assert client_for(inquirer).get(f"/inquiries/{inquiry.pk}/").status_code == 200

"""Signing up: the name is asked for, confirming the address logs the person in and leads on
to the page the sign-up came from, and the confirmation page says what is confirmed."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.personal_data import export_personal_data
from inquiries.services import create_inquiry

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

EMAIL = "neu@firma.example"


def path_in(message):
    return re.search(r"https?://\S+", message.body).group(0).removeprefix("http://pm.localhost")


def signup_data(**changes):
    data = {
        "first_name": "Anna",
        "last_name": "Schmidt",
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **changes}


def test_sign_up_asks_for_the_name_first(pm_client):
    html = pm_client.get("/accounts/signup/").content.decode()
    assert 'autocomplete="given-name"' in html
    assert 'autocomplete="family-name"' in html
    assert html.index('name="first_name"') < html.index('name="last_name"')
    assert html.index('name="last_name"') < html.index('name="email"')
    assert "Vorname" in html
    assert "Nachname" in html


def test_sign_up_stores_the_name(pm_client, post):
    response = post(pm_client, "/accounts/signup/", signup_data(first_name="  Anna  "))
    assert response.status_code == 302
    user = get_user_model().objects.get(email=EMAIL)
    assert (user.first_name, user.last_name) == ("Anna", "Schmidt")


def test_sign_up_without_a_name_is_refused_with_the_error_at_the_field(pm_client, post):
    response = post(pm_client, "/accounts/signup/", signup_data(first_name="", last_name=" "))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_first_name_error"' in html
    assert 'id="id_last_name_error"' in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert '<a href="#id_first_name">' in html
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert not mail.outbox


def test_sign_up_without_csrf_token_is_refused(pm):
    client = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    assert client.post("/accounts/signup/", signup_data()).status_code == 403
    assert not get_user_model().objects.filter(email=EMAIL).exists()


def test_confirming_the_address_logs_in_and_leads_to_the_next_page(pm_client, post):
    next_url = "/alerts/new/?q=gabelstapler"
    response = post(pm_client, f"/accounts/signup/?next={next_url}", signup_data(next=next_url))
    assert response["Location"] == "/accounts/confirm-email/"
    assert not pm_client.session.get("_auth_user_id")

    confirm = path_in(mail.outbox[-1])
    page = pm_client.get(confirm).content.decode()
    assert "Anna Schmidt" in page
    response = pm_client.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert EmailAddress.objects.get(email=EMAIL).verified
    user = get_user_model().objects.get(email=EMAIL)
    assert pm_client.session["_auth_user_id"] == str(user.pk)
    assert "„gabelstapler“" in pm_client.get(next_url).content.decode()


def test_confirming_without_a_next_page_logs_in_and_leads_home(pm_client, post):
    post(pm_client, "/accounts/signup/", signup_data())
    response = pm_client.post(path_in(mail.outbox[-1]))
    assert response["Location"] == "/"
    assert pm_client.session.get("_auth_user_id")


def test_a_link_opened_in_another_browser_confirms_but_asks_to_log_in(pm_client, pm, post):
    next_url = "/alerts/new/?q=gabelstapler"
    post(pm_client, f"/accounts/signup/?next={next_url}", signup_data(next=next_url))
    other_browser = Client(HTTP_HOST="pm.localhost")
    response = other_browser.post(path_in(mail.outbox[-1]))
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert not other_browser.session.get("_auth_user_id")
    # The page the sign-up came from is known to the browser that signed up only.
    assert response["Location"] == "/accounts/login/"
    response = other_browser.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response["Location"] == "/"
    assert other_browser.session.get("_auth_user_id")


def test_an_unsafe_next_page_is_not_followed(pm_client, post):
    evil = "https://evil.example/"
    post(pm_client, f"/accounts/signup/?next={evil}", signup_data(next=evil))
    response = pm_client.post(path_in(mail.outbox[-1]))
    assert response["Location"] == "/"


def test_the_confirmation_page_names_the_address_and_the_account(pm_client, post):
    post(pm_client, "/accounts/signup/", signup_data())
    html = pm_client.get(path_in(mail.outbox[-1])).content.decode()
    assert (
        f'Bitte bestätigen Sie, dass <a href="mailto:{EMAIL}">{EMAIL}</a> '
        "eine E-Mail-Adresse des Kontos von Anna Schmidt ist."
    ) in html
    assert (
        "eine E-Mail-Adresse von" not in html
    )  # allauth's sentence, which named the address twice


def test_the_confirmation_page_in_english(pm_client, post):
    post(pm_client, "/accounts/signup/", signup_data())
    pm_client.cookies["django_language"] = "en"
    html = pm_client.get(path_in(mail.outbox[-1])).content.decode()
    assert (
        f'Please confirm that <a href="mailto:{EMAIL}">{EMAIL}</a> '
        "is an email address of the account of Anna Schmidt."
    ) in html


def test_the_confirmation_page_of_an_account_without_a_name_names_its_address(
    pm_client, post, member
):
    pm_client.force_login(member)
    post(pm_client, "/accounts/email/", {"action_add": "", "email": "zweite@example.org"})
    html = pm_client.get(path_in(mail.outbox[-1])).content.decode()
    assert (
        'Bitte bestätigen Sie, dass <a href="mailto:zweite@example.org">zweite@example.org</a> '
        f"eine E-Mail-Adresse des Kontos {member.email} ist."
    ) in html


def test_an_expired_confirmation_link_says_so(pm_client):
    html = pm_client.get("/accounts/confirm-email/unknown-key/").content.decode()
    assert "Dieser Bestätigungslink ist abgelaufen oder ungültig." in html
    assert 'href="/accounts/email/"' in html


# The name under "My account" ---------------------------------------------------------------


def test_the_account_page_asks_for_a_missing_name(client_for, member):
    html = client_for(member).get("/accounts/").content.decode()
    assert 'href="/accounts/name/"' in html
    assert "Noch nicht angegeben" in html


def test_a_person_changes_their_name(client_for, member):
    client = client_for(member)
    response = client.post("/accounts/name/", {"first_name": "Jan", "last_name": "Berg"})
    assert response["Location"] == "/accounts/"
    member.refresh_from_db()
    assert member.get_full_name() == "Jan Berg"
    html = client.get("/accounts/").content.decode()
    assert "Jan Berg" in html
    assert "Ihr Name ist gespeichert." in html


def test_the_name_cannot_be_emptied(client_for, member):
    member.first_name, member.last_name = "Jan", "Berg"
    member.save()
    response = client_for(member).post("/accounts/name/", {"first_name": "", "last_name": "Berg"})
    assert response.status_code == 200
    assert 'id="id_first_name_error"' in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "Jan"


def test_a_too_long_name_gets_a_message_not_an_error(client_for, member):
    response = client_for(member).post(
        "/accounts/name/", {"first_name": "x" * 500, "last_name": "Berg"}
    )
    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in response.content.decode()


def test_the_name_page_needs_a_login(pm_client):
    response = pm_client.get("/accounts/name/")
    assert response["Location"].startswith("/accounts/login/")


def test_the_name_is_in_the_personal_data_export(client_for, db):
    person = make_user("jan@example.org", first_name="Jan", last_name="Berg")
    data = client_for(person).get("/accounts/data/").json()
    assert data["account"]["first_name"] == "Jan"
    assert data["account"]["last_name"] == "Berg"
    assert export_personal_data(person)["account"]["last_name"] == "Berg"


# Who wrote ------------------------------------------------------------------------------------


def ask(listing, organisation, person):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return create_inquiry(
        listing, organisation, person, body="Noch da?", period=(tomorrow, tomorrow)
    )


def test_the_thread_and_the_mail_name_the_person_who_wrote(
    post, client_for, listing, owner, inquirer, inquirer_organisation, mailoutbox
):
    inquirer.first_name, inquirer.last_name = "Jana", "Leitner"
    inquirer.save()
    inquiry = ask(listing, inquirer_organisation, inquirer)
    thread = client_for(owner).get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "<strong>Jugendclub Werder</strong> (Jana Leitner)" in thread

    mailoutbox.clear()
    post(client_for(inquirer), f"/inquiries/{inquiry.pk}/", {"body": "Wir kämen morgen."})
    assert "Jana Leitner von Jugendclub Werder hat Ihnen" in mailoutbox[-1].body


def test_a_person_without_a_name_is_named_by_their_organisation_alone(
    post, client_for, listing, owner, inquirer, inquirer_organisation, mailoutbox
):
    inquiry = ask(listing, inquirer_organisation, inquirer)
    thread = client_for(owner).get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "<strong>Jugendclub Werder</strong>\n" in thread
    assert inquirer.email not in thread

    mailoutbox.clear()
    post(client_for(inquirer), f"/inquiries/{inquiry.pk}/", {"body": "Wir kämen morgen."})
    assert "Jugendclub Werder hat Ihnen" in mailoutbox[-1].body

"""Every mail in its recipient's language: people choose one (set on sign-up from the page's
language, changed under "My account"), and the one mail path (core.mail) renders each mail
once per language of its recipients — inquiry mails too, whatever the sender's language."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import User
from core.mail import languages_of, send_mail_on_commit

from .factories import PASSWORD, in_days, make_user

pytestmark = pytest.mark.django_db


def test_sign_up_keeps_the_pages_language(pm_client, post):
    pm_client.cookies["django_language"] = "en"
    post(
        pm_client,
        "/accounts/signup/",
        {
            "first_name": "Anna",
            "last_name": "Schmidt",
            "email": "new@firm.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.get(email="new@firm.example").language == "en"
    [message] = mail.outbox
    assert "Confirm" in message.subject or "confirm" in message.body


def test_sign_up_in_german_keeps_german(pm_client, post):
    post(
        pm_client,
        "/accounts/signup/",
        {
            "first_name": "Anna",
            "last_name": "Schmidt",
            "email": "neu@firma.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.get(email="neu@firma.example").language == "de"


def test_the_language_is_changed_under_my_account(client_for, member):
    client = client_for(member)
    assert client.get("/accounts/language/").status_code == 200
    response = client.post("/accounts/language/", {"language": "en"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "en"
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_language_is_refused_at_its_field(client_for, member):
    response = client_for(member).post("/accounts/language/", {"language": "fr"})
    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()
    member.refresh_from_db()
    assert member.language == "de"


def test_addresses_are_grouped_by_their_peoples_language():
    make_user("de@example.org")
    make_user("en@example.org", language="en")
    with translation.override("de"):
        groups = languages_of(["de@example.org", "EN@example.org", "fremd@example.org"])
    assert groups == {"de": ["de@example.org", "fremd@example.org"], "en": ["EN@example.org"]}


def test_a_mail_to_people_of_two_languages_goes_out_once_in_each(
    pm, django_capture_on_commit_callbacks
):
    make_user("de@example.org")
    make_user("en@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        send_mail_on_commit(
            pm,
            "listings/email/removed.txt",
            {"listing": type("L", (), {"title": "Stapler"})(), "reason": "Doppelt", "link": "x"},
            ["de@example.org", "en@example.org"],
        )
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {("de@example.org",), ("en@example.org",)}
    assert by_recipient[("de@example.org",)].subject != by_recipient[("en@example.org",)].subject


def test_an_inquiry_mail_is_in_the_recipients_language_not_the_senders(
    post, client_for, listing, owner, inquirer, inquirer_organisation
):
    owner.language = "en"
    owner.save()
    inquirer_client = client_for(inquirer)  # writes in German, the page's language
    response = post(
        inquirer_client,
        f"/inquiries/new/{listing.pk}/",
        {
            "body": "Wir brauchen den Stapler.",
            "period_start": in_days(5).isoformat(),
            "period_end": in_days(6).isoformat(),
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert "Hello," in message.body


def test_a_password_reset_mail_is_in_the_accounts_language(pm_client, post):
    make_user("english@example.org", language="en")
    post(pm_client, "/accounts/password/reset/", {"email": "english@example.org"})
    [message] = mail.outbox
    assert "Password Reset" in message.subject or "password" in message.body.lower()
    assert "Passwort" not in message.subject

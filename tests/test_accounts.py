"""Accounts: sign up with verified email, log in and out, reset the password – per region."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from core.models import Job

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new and long passphrase 2026"


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.fixture
def sign_up(post):
    def send(client, email="neu@firma.example"):
        return post(
            client,
            "/accounts/signup/",
            {
                "first_name": "Anna",
                "last_name": "Schmidt",
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    return send


def test_sign_up_verify_log_in_and_out(pm_client, sign_up):
    response = sign_up(pm_client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@firma.example"]
    assert "Potsdam-Mittelmark" in message.subject
    link = link_in(message)
    assert link.startswith("http://pm.localhost/accounts/confirm-email/")

    # Without a verified address there is no way in.
    pm_client.logout()
    response = pm_client.post(
        "/accounts/login/", {"login": "neu@firma.example", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert not pm_client.session.get("_auth_user_id")

    path = link.removeprefix("http://pm.localhost")
    assert pm_client.get(path).status_code == 200
    pm_client.post(path)
    assert EmailAddress.objects.get(email="neu@firma.example").verified

    response = pm_client.post(
        "/accounts/login/", {"login": "neu@firma.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert pm_client.session.get("_auth_user_id")
    assert "neu@firma.example" in pm_client.get("/accounts/").content.decode()

    pm_client.post("/accounts/logout/")
    assert not pm_client.session.get("_auth_user_id")
    assert pm_client.get("/accounts/")["Location"].startswith("/accounts/login/")


def test_mail_from_another_region_links_to_that_region(ohv_client, sign_up):
    sign_up(ohv_client)
    message = mail.outbox[0]
    assert "Oberhavel" in message.subject
    assert "Oberhavel" in message.body
    assert link_in(message).startswith("http://ohv.localhost/")


def test_one_account_works_in_every_region(pm_client, ohv_client, member):
    for client in (pm_client, ohv_client):
        response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(member.pk)


def test_wrong_password_and_unknown_email_get_the_same_message(pm_client, member):
    wrong_password = pm_client.post(
        "/accounts/login/", {"login": member.email, "password": "not the password"}
    )
    unknown_email = pm_client.post(
        "/accounts/login/", {"login": "niemand@example.org", "password": "not the password"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert wrong_password.context["form"].errors == unknown_email.context["form"].errors
    html = wrong_password.content.decode()
    assert "error-summary" in html
    assert "E-Mail-Adresse und/oder das Passwort" in html


def test_failed_logins_are_rate_limited(pm_client, member):
    for _attempt in range(5):
        pm_client.post("/accounts/login/", {"login": member.email, "password": "falsch"})
    response = pm_client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert not pm_client.session.get("_auth_user_id"), "the right password must not help now"
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


def test_sign_up_errors_are_german_and_next_to_the_field(pm_client, member):
    response = pm_client.post(
        "/accounts/signup/", {"email": "kein-email", "password1": "kurz", "password2": "anders"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html
    assert "gültige E-Mail-Adresse" in html
    assert '<a href="#id_email">' in html  # the error summary links to the field
    assert not mail.outbox


def test_password_reset_mail_links_back_to_the_region(pm_client, member, post):
    response = post(pm_client, "/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    link = link_in(mail.outbox[0])
    assert link.startswith("http://pm.localhost/accounts/password/reset/key/")
    path = link.removeprefix("http://pm.localhost")
    form_page = pm_client.get(path, follow=True)
    action = form_page.request["PATH_INFO"]
    pm_client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_member_changes_password(pm_client, member):
    pm_client.force_login(member)
    response = pm_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_member_adds_a_second_email_address_which_must_be_verified(pm_client, member, post):
    pm_client.force_login(member)
    post(pm_client, "/accounts/email/", {"action_add": "", "email": "zweite@example.org"})
    address = EmailAddress.objects.get(email="zweite@example.org")
    assert address.user == member
    assert not address.verified
    assert link_in(mail.outbox[0]).startswith("http://pm.localhost/")


def test_signing_up_twice_with_one_address_does_not_reveal_the_account(pm_client, member, sign_up):
    response = sign_up(pm_client, email=member.email)
    assert response.status_code == 302  # same answer as for a new address
    assert len(mail.outbox) == 1
    assert "bereits" in mail.outbox[0].body or "already" in mail.outbox[0].body


def test_user_emails_are_unique_and_case_insensitive(db):
    make_user("Gross@Example.org")
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email="gross@example.org").exists()


def test_a_broken_mail_server_does_not_break_the_sign_up(pm_client, settings, caplog, sign_up):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = sign_up(pm_client, email="pech@firma.example")
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="pech@firma.example", verified=False).exists()
    # The confirmation waits for the server to come back (tests/test_jobs.py).
    assert Job.objects.get(state=Job.State.WAITING).payload["to"] == ["pech@firma.example"]
    assert "Connection refused" in caplog.text

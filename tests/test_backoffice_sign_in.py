"""Signing in to the back office: one password and one authenticator code, whether the
authenticator is set up during the sign-in or was set up before (issue #17)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
)
from django.test import Client

from regions.models import StaffRole

from .factories import PASSWORD, enable_totp, make_staff, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def newcomer(pm):
    """Staff of pm without an authenticator."""
    return make_staff("neu@pm.example.org", pm, StaffRole.MODERATOR, totp=False)


def sign_in(client, user):
    """From the back office's address through the login form, as a browser would."""
    admin_login = client.get("/admin/")["Location"]
    login = client.get(admin_login)["Location"]
    assert login == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post(login, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_staff_without_authenticator_type_one_password_and_one_code(transactional_db, pm, newcomer):
    """Committing as the site does: allauth reports the new authenticator after the commit,
    still within the request."""
    client = Client(HTTP_HOST="pm.localhost")
    assert sign_in(client, newcomer) == "/admin/"
    response = client.get("/admin/")
    assert response["Location"] == f"{ACTIVATE}?next=%2Fadmin%2F"

    # The form to set the app up, not a second request for the password.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()

    # The recovery codes, and the way on to the back office.
    codes = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "Bewahren Sie die Wiederherstellungscodes unten sicher auf" in codes
    assert '<a class="button" href="/admin/">Weiter</a>' in codes

    # Straight in: no other password and no other code.
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Potsdam-Mittelmark · Verwaltung" in response.content.decode()


def test_a_wrong_code_sets_nothing_up_and_lets_nobody_in(pm, newcomer, post):
    client = Client(HTTP_HOST="pm.localhost")
    sign_in(client, newcomer)
    client.get(ACTIVATE)
    response = post(client, ACTIVATE, {"code": "000000"})
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert not Authenticator.objects.filter(user=newcomer).exists()
    assert client.get("/admin/")["Location"].startswith(ACTIVATE)


def test_staff_with_authenticator_type_the_password_then_one_code(pm):
    staff = make_staff("zwei@pm.example.org", pm, StaffRole.MODERATOR, totp=False)
    secret = enable_totp(staff)
    client = Client(HTTP_HOST="pm.localhost")
    assert sign_in(client, staff) == "/accounts/2fa/authenticate/"
    assert not client.session.get("_auth_user_id")
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_sign_in_long_ago_still_asks_for_the_password_before_setting_up(
    pm, newcomer, monkeypatch
):
    client = Client(HTTP_HOST="pm.localhost")
    sign_in(client, newcomer)
    later = time.time() + 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(ACTIVATE)
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_setting_up_an_authenticator_outside_the_back_office_needs_a_recent_sign_in(
    member, pm, post
):
    """Members may set one up too; their fresh sign-in suffices, a forced one does not."""
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(member)  # no sign-in recorded: as after a session of days
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")

    client = Client(HTTP_HOST="pm.localhost")
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200


def test_the_way_on_after_setting_up_leads_only_to_this_site(member, pm):
    client = Client(HTTP_HOST="pm.localhost")
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    client.get(f"{ACTIVATE}?next=https://evil.example/")
    assert "accounts:next_after_two_factor_setup" not in client.session


def test_the_recovery_codes_page_offers_no_way_on_when_nothing_asked_for_the_app(member, pm):
    enable_totp(member)
    RecoveryCodes.activate(member)
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(member)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session["account_authentication_methods_user"] = str(member.pk)
    session.save()
    page = client.get("/accounts/2fa/recovery-codes/")
    assert page.status_code == 200
    assert "Bewahren Sie die Wiederherstellungscodes unten" not in page.content.decode()

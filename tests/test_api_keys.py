"""API keys: the Bearer header only, refused when revoked, expired or of another region; made
and revoked by the organisation's owners and admins, seen and revoked by the region's staff,
printed by `manage.py create_api_key`."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiKey, Scope
from tests.factories import make_listing, make_organisation, make_user, sign_in_with_two_factor

from .api_helpers import bearer, issue_key

LISTINGS = "/api/v1/listings/"


@pytest.fixture
def draft(organisation, owner):
    return make_listing(organisation, "Entwurf Hubwagen", author=owner, status="draft")


def test_a_key_is_stored_as_a_hash_only(organisation):
    key, text = issue_key(organisation)
    assert text.startswith(f"sr_{key.prefix}_")
    secret = text.split("_", 2)[2]
    assert secret not in key.secret_hash
    assert key.matches(secret) and not key.matches(secret + "x")


def test_a_key_sees_its_organisations_draft(pm_client, organisation, draft):
    _key, text = issue_key(organisation, scope=Scope.READ)
    response = pm_client.get(f"{LISTINGS}{draft.pk}/", **bearer(text))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_without_a_key_a_draft_is_not_found(pm_client, draft):
    response = pm_client.get(f"{LISTINGS}{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_organisations_key_does_not_see_the_draft(pm_client, pm, draft):
    other = make_organisation(pm, "Bäckerei Korn", owner=make_user("korn@example.org"))
    _key, text = issue_key(other)
    assert pm_client.get(f"{LISTINGS}{draft.pk}/", **bearer(text)).status_code == 404


def test_use_is_recorded(pm_client, organisation):
    key, text = issue_key(organisation)
    pm_client.get(LISTINGS, **bearer(text))
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["revoked", "expired"],
)
def test_revoked_and_expired_keys_are_refused(pm_client, organisation, fields):
    key, text = issue_key(organisation)
    ApiKey.objects.filter(pk=key.pk).update(**fields)
    response = pm_client.get(LISTINGS, **bearer(text))
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Dieser API-Schlüssel ist ungültig. Vielleicht wurde er widerrufen oder ist "
        "abgelaufen.",
        "code": "invalid_key",
    }
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_key_with_an_expiry_in_the_future_works(pm_client, organisation):
    _key, text = issue_key(organisation, expires_at=timezone.now() + timedelta(days=1))
    assert pm_client.get(LISTINGS, **bearer(text)).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer sr_nothing", "Bearer sr_0123456789ab_wrong", "Token abc", "Bearer", "Bearer a b"],
)
def test_malformed_or_unknown_keys_are_refused(pm_client, organisation, header):
    response = pm_client.get(LISTINGS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_a_pm_key_is_refused_on_the_ohv_host(ohv_client, organisation):
    _key, text = issue_key(organisation)
    assert ohv_client.get(LISTINGS, **bearer(text)).status_code == 401


@pytest.mark.parametrize("name", ["key", "api_key", "token", "access_token"])
def test_a_key_in_the_address_is_refused(pm_client, organisation, name):
    _key, text = issue_key(organisation)
    response = pm_client.get(f"{LISTINGS}?{name}={text}")
    assert response.status_code == 401
    assert response.json()["code"] == "key_in_address"


# The organisation's page ---------------------------------------------------------------------


def test_the_owner_creates_a_key_and_sees_it_once(client_for, organisation, owner):
    client = client_for(owner)
    url = f"/organisations/{organisation.pk}/api-keys/"
    response = client.post(url, {"name": "Website", "scope": "write"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    key = ApiKey.objects.get(organisation=organisation)
    assert (key.name, key.scope, key.created_by) == ("Website", "write", owner)
    shown = response.context["new_key"]
    assert shown.startswith(f"sr_{key.prefix}_") and shown in response.content.decode()
    again = client.get(url)
    assert shown not in again.content.decode()
    assert key.shown_prefix in again.content.decode()


def test_the_key_page_is_linked_from_the_management_pages(client_for, organisation, owner):
    response = client_for(owner).get(f"/organisations/{organisation.pk}/members/")
    assert f'href="/organisations/{organisation.pk}/api-keys/"' in response.content.decode()
    assert "API-Schlüssel" in response.content.decode()


def test_an_admin_sets_an_expiry_in_the_future(client_for, organisation, organisation_admin):
    client = client_for(organisation_admin)
    url = f"/organisations/{organisation.pk}/api-keys/"
    response = client.post(url, {"name": "Alt", "scope": "read", "expires_on": "2000-01-01"})
    assert "Bitte wählen Sie einen Tag nach heute." in response.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(url, {"name": "Neu", "scope": "read", "expires_on": tomorrow.isoformat()})
    key = ApiKey.objects.get()
    assert timezone.localdate(key.expires_at) == tomorrow


def test_members_and_outsiders_get_404(client_for, organisation, organisation_member, outsider):
    url = f"/organisations/{organisation.pk}/api-keys/"
    assert client_for(organisation_member).get(url).status_code == 404
    assert client_for(outsider).post(url, {"name": "x", "scope": "write"}).status_code == 404
    assert not ApiKey.objects.exists()


def test_the_page_of_a_pm_organisation_is_404_on_the_ohv_host(client_for, organisation, owner):
    url = f"/organisations/{organisation.pk}/api-keys/"
    assert client_for(owner, host="ohv.localhost").get(url).status_code == 404


def test_the_owner_revokes_a_key(client_for, pm_client, organisation, owner):
    key, text = issue_key(organisation)
    response = client_for(owner).post(f"/organisations/{organisation.pk}/api-keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == owner
    assert pm_client.get(LISTINGS, **bearer(text)).status_code == 401


def test_a_member_cannot_revoke(client_for, organisation, organisation_member):
    key, _text = issue_key(organisation)
    url = f"/organisations/{organisation.pk}/api-keys/{key.pk}/revoke/"
    assert client_for(organisation_member).post(url).status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


# The back office -------------------------------------------------------------------------------


def test_region_staff_see_and_revoke_their_regions_keys(client_for, organisation, pm_moderator):
    key, _text = issue_key(organisation)
    client = sign_in_with_two_factor(client_for(), pm_moderator)
    listing_page = client.get("/admin/api/apikey/")
    assert key.name in listing_page.content.decode()
    client.post(
        "/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]}, follow=True
    )
    key.refresh_from_db()
    assert key.revoked_by == pm_moderator


def test_staff_of_another_region_see_no_pm_key(client_for, organisation, ohv_admin):
    key, _text = issue_key(organisation)
    client = sign_in_with_two_factor(client_for(host="ohv.localhost"), ohv_admin)
    assert key.name not in client.get("/admin/api/apikey/").content.decode()
    assert client.get(f"/admin/api/apikey/{key.pk}/change/").status_code == 404


def test_nobody_adds_keys_in_the_back_office(client_for, operator):
    client = sign_in_with_two_factor(client_for(), operator)
    assert client.get("/admin/api/apikey/add/").status_code == 403


# The command -------------------------------------------------------------------------------------


def test_the_command_prints_a_working_key(pm_client, organisation):
    out = io.StringIO()
    call_command(
        "create_api_key",
        "--organisation",
        str(organisation.pk),
        "--scope",
        "write",
        "--name",
        "Skript",
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert (key.name, key.scope, key.created_by) == ("Skript", "write", None)
    assert pm_client.get(LISTINGS, **bearer(text)).status_code == 200


def test_the_command_refuses_an_unknown_organisation(db):
    with pytest.raises(CommandError):
        call_command("create_api_key", "--organisation", "999", "--name", "x", stdout=io.StringIO())

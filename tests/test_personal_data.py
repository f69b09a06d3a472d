"""People can take their data with them and delete their account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .factories import PASSWORD, enable_totp

pytestmark = pytest.mark.django_db


def test_member_downloads_everything_stored_about_them(pm_client, member):
    enable_totp(member)
    pm_client.force_login(member)
    response = pm_client.get("/accounts/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="starkeregion-daten-')
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert data["two_factor_methods"] == ["totp"]
    assert data["staff_roles"] == []
    assert "password" not in response.content.decode()


def test_staff_roles_are_part_of_the_export(pm_client, pm_admin):
    pm_client.force_login(pm_admin)
    data = pm_client.get("/accounts/data/").json()
    assert data["staff_roles"] == [{"region": "Potsdam-Mittelmark", "role": "admin"}]


def test_the_export_needs_a_login(pm_client):
    assert pm_client.get("/accounts/data/")["Location"].startswith("/accounts/login/")


def test_member_deletes_their_account_with_their_password(pm_client, member):
    pm_client.force_login(member)
    assert pm_client.get("/accounts/delete/").status_code == 200
    response = pm_client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "wurden gelöscht" in response.content.decode()
    assert not get_user_model().objects.filter(email=member.email).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()
    assert not pm_client.session.get("_auth_user_id")


def test_a_wrong_password_deletes_nothing_and_says_why(pm_client, member):
    pm_client.force_login(member)
    response = pm_client.post("/accounts/delete/", {"password": "geraten"})
    assert response.status_code == 200
    assert "Das Passwort ist nicht korrekt." in response.content.decode()
    assert 'id="id_password_error"' in response.content.decode()
    assert get_user_model().objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("who", ["pm_moderator", "operator"])
def test_staff_accounts_are_removed_by_the_operator_not_by_themselves(pm_client, request, who):
    user = request.getfixturevalue(who)
    pm_client.force_login(user)
    page = pm_client.get("/accounts/delete/")
    assert "Betreiber" in page.content.decode()
    pm_client.post("/accounts/delete/", {"password": PASSWORD})
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_memberships_are_part_of_the_export(pm_client, pm, member):
    from .factories import make_organisation

    make_organisation(pm, "Tischlerei Span", owner=member)
    pm_client.force_login(member)
    data = pm_client.get("/accounts/data/").json()
    assert data["organisations"][0]["organisation"] == "Tischlerei Span"
    assert data["organisations"][0]["role"] == "owner"


def test_the_only_owner_of_an_organisation_hands_over_before_deleting(pm_client, pm, member):
    from organisations.models import Role

    from .factories import make_membership, make_organisation, make_user

    organisation = make_organisation(pm, "Tischlerei Span", owner=member)
    pm_client.force_login(member)
    page = pm_client.get("/accounts/delete/").content.decode()
    assert "Tischlerei Span" in page
    pm_client.post("/accounts/delete/", {"password": PASSWORD})
    assert get_user_model().objects.filter(pk=member.pk).exists()

    make_membership(organisation, make_user("zweite@example.org"), role=Role.OWNER)
    pm_client.post("/accounts/delete/", {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=member.pk).exists()


def test_listings_written_are_part_of_the_export_and_outlive_the_account(
    pm_client, organisation, organisation_member
):
    from listings.models import Listing

    from .factories import make_listing

    listing = make_listing(organisation, "Hobelbank zu verleihen", author=organisation_member)
    pm_client.force_login(organisation_member)
    data = pm_client.get("/accounts/data/").json()
    assert [entry["title"] for entry in data["listings_written"]] == ["Hobelbank zu verleihen"]
    assert data["listings_written"][0]["organisation"] == "Tischlerei Holzwurm"
    pm_client.post("/accounts/delete/", {"password": PASSWORD})
    listing = Listing.objects.get(pk=listing.pk)  # the organisation's, not the person's
    assert listing.author is None

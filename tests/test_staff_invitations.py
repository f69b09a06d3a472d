"""Region staff are invited by email from the back office: a signed link that works once, for
7 days, for the invited address; a new person chooses their own password there, then the back
office asks for an authenticator; either way they become staff of that region only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regions.invitations import StaffInvitation
from regions.models import StaffMembership, StaffRole
from regions.staffing import invitation_token

from .factories import PASSWORD, fresh, make_user, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

INVITED = "neue.moderatorin@pm.example.org"
ADD_URL = "/admin/regions/staffinvitation/add/"
CHANGELIST_URL = "/admin/regions/staffinvitation/"


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link, host):
    assert link.startswith(f"http://{host}/staff-invitations/"), link
    return link.removeprefix(f"http://{host}")


def invite(client, region, post, email=INVITED, role=StaffRole.MODERATOR):
    return post(client, ADD_URL, {"region": region.pk, "email": email, "role": role})


@pytest.fixture
def boss(operator):
    """The operator in the back office on the portal host."""
    return sign_in_with_two_factor(Client(HTTP_HOST="localhost"), operator)


@pytest.fixture
def invited(boss, pm, post):
    """The operator has invited INVITED as moderator of pm; the mail's link (path)."""
    response = invite(boss, pm, post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == reverse("admin:regions_region_change", args=[pm.pk])
    (message,) = mail.outbox
    return path_of(link_in(message), "localhost")


def test_the_operator_invites_by_email_from_the_region_page(boss, pm, invited):
    (message,) = mail.outbox
    assert message.to == [INVITED]
    assert "Verwaltung von starkeRegion Potsdam-Mittelmark als Moderator" in message.body
    assert "7 Tage" in message.body
    invitation = StaffInvitation.objects.get()
    assert (invitation.region, invitation.role, invitation.state) == (pm, "moderator", "open")
    page = boss.get(reverse("admin:regions_region_change", args=[pm.pk])).content.decode()
    assert INVITED in page and "Einladung offen" in page


def test_a_new_person_sets_a_password_and_is_asked_for_an_authenticator(pm, ohv, invited):
    client = Client(HTTP_HOST="localhost")
    page = client.get(invited)
    assert page.status_code == 200
    assert "Wählen Sie Ihr Passwort" in page.content.decode()
    response = client.post(
        invited,
        {"new_password1": "lang genug und geheim 42", "new_password2": "lang genug und geheim 42"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email=INVITED)
    assert user.check_password("lang genug und geheim 42")
    assert user.emailaddress_set.get().verified
    assert list(StaffMembership.objects.filter(user=user).values_list("region", "role")) == [
        (pm.pk, "moderator")
    ]
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("mfa_activate_totp"))
    assert fresh(StaffInvitation.objects.get()).accepted_by == user


def test_password_errors_are_shown_in_german_at_the_field_and_change_nothing(invited):
    client = Client(HTTP_HOST="localhost")
    response = client.post(invited, {"new_password1": "geheim-42-lang", "new_password2": "anders"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Passwörter sind nicht identisch" in errors["new_password2"][0]
    response = client.post(invited, {"new_password1": "1234", "new_password2": "1234"})
    assert "zu kurz" in " ".join(response.context["form"].errors["new_password2"])
    assert not get_user_model().objects.filter(email=INVITED).exists()
    assert StaffInvitation.objects.get().state == "open"


def test_the_link_works_once(invited):
    client = Client(HTTP_HOST="localhost")
    password = {
        "new_password1": "lang genug und geheim 42",
        "new_password2": "lang genug und geheim 42",
    }
    client.post(invited, password)
    again = Client(HTTP_HOST="localhost").get(invited)
    assert again.status_code == 410
    assert "Diese Einladung wurde bereits verwendet." in again.content.decode()
    assert StaffMembership.objects.filter(user__email=INVITED).count() == 1


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("forged", "Dieser Einladungslink ist ungültig."),
        ("expired", "Diese Einladung ist abgelaufen."),
        ("revoked", "Diese Einladung wurde zurückgezogen."),
    ],
)
def test_a_forged_expired_or_revoked_link_is_refused_in_german(invited, spoil, message):
    invitation = StaffInvitation.objects.get()
    path = invited
    if spoil == "forged":
        path = invited.replace(invited.split("/")[-2], invited.split("/")[-2][:-3] + "abc")
    elif spoil == "expired":
        StaffInvitation.objects.filter(pk=invitation.pk).update(
            sent_at=timezone.now() - timezone.timedelta(days=8)
        )
        path = f"/staff-invitations/{invitation_token(fresh(invitation))}/"
    else:
        StaffInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    client = Client(HTTP_HOST="localhost")
    response = client.get(path)
    assert response.status_code == 410
    assert message in response.content.decode()
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 410
    assert not get_user_model().objects.filter(email=INVITED).exists()


def test_sending_again_makes_the_old_link_invalid_and_the_new_one_work(boss, pm, invited, post):
    invitation = StaffInvitation.objects.get()
    response = post(boss, CHANGELIST_URL, {"action": "resend", "_selected_action": [invitation.pk]})
    assert response.status_code == 302
    new_path = path_of(link_in(mail.outbox[-1]), "localhost")
    assert new_path != invited
    old = Client(HTTP_HOST="localhost").get(invited)
    assert old.status_code == 410 and "erneut gesendet" in old.content.decode()
    assert Client(HTTP_HOST="localhost").get(new_path).status_code == 200


def test_revoking_from_the_list_ends_the_invitation(boss, invited, post):
    invitation = StaffInvitation.objects.get()
    post(boss, CHANGELIST_URL, {"action": "revoke", "_selected_action": [invitation.pk]})
    assert fresh(invitation).state == "revoked"
    assert Client(HTTP_HOST="localhost").get(invited).status_code == 410
    listing = boss.get(CHANGELIST_URL).content.decode()
    assert "widerrufen" in listing


def test_someone_with_an_account_signs_in_and_accepts(pm, ohv, ohv_admin, boss, post):
    """An existing account – here staff of another region – accepts and works for both."""
    invite(boss, pm, post, email=ohv_admin.email, role=StaffRole.ADMIN)
    path = path_of(link_in(mail.outbox[-1]), "localhost")
    anonymous = Client(HTTP_HOST="localhost").get(path).content.decode()
    assert "Melden Sie sich damit an" in anonymous
    assert "new_password1" not in anonymous
    client = Client(HTTP_HOST="localhost")
    client.force_login(ohv_admin)
    response = client.post(path)
    assert response.status_code == 302
    assert set(
        StaffMembership.objects.filter(user=ohv_admin).values_list("region__slug", "role")
    ) == {("ohv", "admin"), ("pm", "admin")}


def test_signed_in_as_someone_else_nobody_becomes_staff(invited, member):
    client = Client(HTTP_HOST="localhost")
    client.force_login(member)
    page = client.get(invited).content.decode()
    assert "Bitte melden Sie sich ab" in page
    response = client.post(invited)
    assert response.status_code == 200
    assert not StaffMembership.objects.filter(user=member).exists()
    assert StaffInvitation.objects.get().state == "open"


def test_accepting_needs_the_csrf_token(invited):
    user = make_user(INVITED)
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(invited).status_code == 403
    assert not StaffMembership.objects.filter(user=user).exists()


def test_someone_already_working_for_the_region_is_refused_at_the_field(boss, pm, pm_admin, post):
    response = invite(boss, pm, post, email=pm_admin.email.upper())
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["email"]
    assert errors == [f"{pm_admin.email} arbeitet bereits für Potsdam-Mittelmark."]
    assert not StaffInvitation.objects.exists() and not mail.outbox


# Who may invite ------------------------------------------------------------------------------


def test_a_region_administrator_invites_for_their_own_region_only(pm, ohv, pm_admin, post):
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_admin)
    form = client.get(ADD_URL).context["adminform"].form
    assert list(form.fields["region"].queryset) == [pm]
    response = invite(client, ohv, post)
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not StaffInvitation.objects.exists()
    response = invite(client, pm, post)
    assert response.status_code == 302
    link = link_in(mail.outbox[-1])
    assert link.startswith("http://pm.localhost/staff-invitations/"), "on the host it was sent from"
    assert Client(HTTP_HOST="ohv.localhost").get(path_of(link, "pm.localhost")).status_code == 404


def test_moderators_cannot_invite_nor_see_invitations(pm, pm_moderator, post):
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)
    assert client.get(ADD_URL).status_code == 403
    assert client.get(CHANGELIST_URL).status_code == 403
    invite(client, pm, post)
    assert not StaffInvitation.objects.exists()


def test_staff_of_another_region_neither_see_nor_revoke_its_invitations(
    boss, pm, ohv_admin, invited, post
):
    invitation = StaffInvitation.objects.get()
    client = sign_in_with_two_factor(Client(HTTP_HOST="localhost"), ohv_admin)
    assert list(client.get(CHANGELIST_URL).context["cl"].result_list) == []
    post(client, CHANGELIST_URL, {"action": "revoke", "_selected_action": [invitation.pk]})
    assert fresh(invitation).state == "open"
    change = reverse("admin:regions_staffinvitation_change", args=[invitation.pk])
    assert client.get(change).status_code == 404


def test_the_invitation_list_query_count_does_not_grow(boss, pm, django_assert_max_num_queries):
    for number in range(3):
        StaffInvitation.objects.create(region=pm, email=f"a{number}@example.org")
    boss.get(CHANGELIST_URL)
    with django_assert_max_num_queries(12) as captured:
        boss.get(CHANGELIST_URL)
    before = len(captured)
    for number in range(10):
        StaffInvitation.objects.create(region=pm, email=f"b{number}@example.org")
    with django_assert_max_num_queries(before):
        assert boss.get(CHANGELIST_URL).status_code == 200

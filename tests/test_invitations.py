"""Invitations by email: a signed link on the region's host that works once, for the invited
address only, and not after 14 days – also for people who sign up through it."""

import re
import smtplib
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.core.mail.backends import locmem
from django.utils import timezone

from core.models import Job
from organisations.models import INVITATION_VALID_FOR, Invitation, Membership, Organisation, Role
from organisations.services import INVITATION_SALT, invitation_token

from .factories import PASSWORD, make_invitation, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db

INVITED = "neue.kollegin@example.org"
ACCEPT_FORM = '<form method="post" class="form">'


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link, host="pm.localhost"):
    assert link.startswith(f"http://{host}/"), link
    return link.removeprefix(f"http://{host}")


def invitation_path(invitation):
    return f"/organisations/invitations/{invitation_token(invitation)}/"


def invite(client, organisation, email=INVITED, role=Role.MEMBER, capture=None):
    with capture(execute=True):
        return client.post(
            f"/organisations/{organisation.pk}/members/", {"email": email, "role": role}
        )


def membership_of(organisation, email):
    return Membership.objects.filter(organisation=organisation, user__email=email).first()


@pytest.fixture
def invitation(organisation, owner):
    return make_invitation(organisation, INVITED, invited_by=owner)


@pytest.fixture
def invited(db):
    return make_user(INVITED)


# Sending ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("manager", ["owner", "organisation_admin"])
def test_managers_invite_by_email_and_the_mail_links_to_the_regions_host(
    request, client_for, organisation, manager, django_capture_on_commit_callbacks
):
    inviter = request.getfixturevalue(manager)
    response = invite(
        client_for(inviter),
        organisation,
        email=" Neue.Kollegin@Example.org ",
        role=Role.ADMIN,
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        INVITED,
        Role.ADMIN,
        inviter,
    )
    assert invitation.accepted_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [INVITED]
    assert "Potsdam-Mittelmark" in message.subject
    assert "Tischlerei Holzwurm" in message.subject
    assert "Tischlerei Holzwurm" in message.body
    prefix, token, _empty = path_of(link_in(message)).rsplit("/", 2)
    assert prefix == "/organisations/invitations"
    assert signing.loads(token, salt=INVITATION_SALT) == {"invitation": invitation.pk}


def test_the_mail_of_another_region_links_to_that_region(
    client_for, ohv, django_capture_on_commit_callbacks
):
    ohv_owner = make_user("chef@havelwerft.example")
    werft = make_organisation(ohv, "Havelwerft", owner=ohv_owner)
    invite(
        client_for(ohv_owner, host="ohv.localhost"),
        werft,
        capture=django_capture_on_commit_callbacks,
    )
    message = mail.outbox[0]
    assert "Oberhavel" in message.subject
    assert link_in(message).startswith("http://ohv.localhost/organisations/invitations/")


def test_no_mail_leaves_when_nothing_is_committed(client_for, owner, organisation):
    client_for(owner).post(
        f"/organisations/{organisation.pk}/members/", {"email": INVITED, "role": Role.MEMBER}
    )
    assert Invitation.objects.count() == 1
    assert not mail.outbox, "mails go out on commit only"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "keine-adresse", "role": Role.MEMBER}, "email"),
        ({"email": "", "role": Role.MEMBER}, "email"),
        ({"email": INVITED, "role": Role.OWNER}, "role"),
        ({"email": INVITED, "role": "superuser"}, "role"),
    ],
)
def test_bad_invitations_are_refused_at_the_field(
    client_for, owner, organisation, data, field, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(f"/organisations/{organisation.pk}/members/", data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_a_member_again_is_refused_at_the_field(
    client_for, owner, organisation, organisation_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            f"/organisations/{organisation.pk}/members/",
            {"email": organisation_member.email.upper(), "role": Role.MEMBER},
        )
    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert organisation_member.email in errors[0]
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_again_replaces_the_open_invitation(
    client_for, owner, organisation, invited, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    invite(client, organisation, capture=django_capture_on_commit_callbacks)
    invite(client, organisation, role=Role.ADMIN, capture=django_capture_on_commit_callbacks)
    first, second = (path_of(link_in(message)) for message in mail.outbox)
    assert Invitation.objects.get().role == Role.ADMIN

    accepting = client_for(invited)
    assert accepting.get(first).status_code == 410
    assert accepting.post(first).status_code == 410
    accepting.post(second)
    assert membership_of(organisation, INVITED).role == Role.ADMIN


# Accepting -------------------------------------------------------------------------------------


def test_the_invited_person_accepts_and_becomes_a_member(
    client_for, organisation, invitation, invited, pm
):
    client = client_for(invited)
    path = invitation_path(invitation)
    page = client.get(path)
    assert page.status_code == 200
    assert "Tischlerei Holzwurm" in page.content.decode()
    assert page.context["email_matches"]
    assert ACCEPT_FORM in page.content.decode()

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert membership_of(organisation, INVITED).role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited
    assert invitation.accepted_at is not None
    assert client.get(response["Location"]).context["membership"].role == Role.MEMBER


def test_the_address_is_compared_without_case(client_for, organisation, owner):
    invitation = make_invitation(organisation, "Gross.Klein@Example.org", role=Role.ADMIN)
    person = make_user("gross.klein@example.org")
    client = client_for(person)
    client.post(invitation_path(invitation))
    assert membership_of(organisation, person.email).role == Role.ADMIN
    assert client.get(f"/organisations/{organisation.pk}/members/").status_code == 200


def test_a_link_cannot_be_used_twice(client_for, organisation, invitation, invited, outsider):
    client = client_for(invited)
    path = invitation_path(invitation)
    client.post(path)
    for again in [client, client_for(outsider), client_for()]:
        response = again.get(path)
        assert response.status_code == 410
        assert response.context["error"]
        assert again.post(path).status_code == 410
    assert Membership.objects.filter(organisation=organisation).count() == 2  # owner + invited
    assert not membership_of(organisation, outsider.email)


def test_accepting_as_an_existing_member_keeps_the_membership(
    client_for, organisation, owner, invitation
):
    person = make_user(INVITED)
    make_membership(organisation, person, Role.ADMIN)
    client_for(person).post(invitation_path(invitation))
    assert membership_of(organisation, INVITED).role == Role.ADMIN
    assert Membership.objects.filter(organisation=organisation, user=person).count() == 1


def test_logged_in_with_another_address_is_told_clearly_and_joins_nothing(
    client_for, organisation, invitation, outsider, invited
):
    client = client_for(outsider)
    path = invitation_path(invitation)
    page = client.get(path)
    assert page.status_code == 200
    assert not page.context["email_matches"]
    html = page.content.decode()
    assert INVITED in html
    assert outsider.email in html
    assert "message--warning" in html
    assert ACCEPT_FORM not in html

    response = client.post(path)
    assert response.status_code == 200
    assert INVITED in response.context["error"]
    assert outsider.email in response.context["error"]
    assert not membership_of(organisation, outsider.email)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    # The link still works for the right person.
    client_for(invited).post(path)
    assert membership_of(organisation, INVITED)


def test_anonymous_visitors_see_links_to_log_in_and_sign_up(client_for, invitation):
    path = invitation_path(invitation)
    response = client_for().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/accounts/login/?next={quote(path)}"' in html
    assert f'href="/accounts/signup/?next={quote(path)}"' in html
    assert INVITED in html
    assert ACCEPT_FORM not in html
    # Posting without a login accepts nothing.
    client_for().post(path)
    assert not Membership.objects.filter(user__email=INVITED).exists()


def test_a_person_without_an_account_signs_up_through_the_link(
    client_for, organisation, invitation, pm, django_capture_on_commit_callbacks
):
    client = client_for()
    path = invitation_path(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/accounts/signup/?next={path}",
            {
                "first_name": "Anna",
                "last_name": "Schmidt",
                "email": INVITED,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    confirm = path_of(link_in(mail.outbox[-1]))
    client.post(confirm)

    response = client.post(
        f"/accounts/login/?next={path}", {"login": INVITED, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == path
    assert client.get(path).context["email_matches"]
    response = client.post(path)
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert membership_of(organisation, INVITED).role == Role.MEMBER


# Links that must not work ----------------------------------------------------------------------


def assert_refused(client, path, organisation):
    for response in [client.get(path), client.post(path)]:
        assert response.status_code == 410
        assert response.context["error"]
        assert response.context.get("invitation") is None
        assert "Tischlerei Holzwurm" not in response.content.decode()
    assert not Membership.objects.filter(organisation=organisation, user__email=INVITED).exists()


def test_forged_and_tampered_links_are_refused(client_for, organisation, invitation, invited):
    client = client_for(invited)
    token = invitation_token(invitation)
    value, timestamp, signature = token.rsplit(":", 2)
    other = make_invitation(make_organisation(organisation.region, "Andere"), "x@example.org")
    forgeries = [
        "abc",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        f"{invitation_token(other).rsplit(':', 2)[0]}:{timestamp}:{signature}",
        signing.dumps({"invitation": invitation.pk}),  # no salt
        signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT, key="x" * 50),
        signing.dumps({"invitation": invitation.pk}, salt="another.salt"),
        f"{value}:{timestamp}:",
        f"{value}::{signature}",
        "x" * 2000,
    ]
    for forged in forgeries:
        assert_refused(client, f"/organisations/invitations/{forged}/", organisation)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_older_than_14_days_is_refused(client_for, organisation, invitation, invited):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - INVITATION_VALID_FOR - timedelta(days=1)
    )
    assert_refused(client_for(invited), invitation_path(invitation), organisation)
    assert not Invitation.objects.in_region(organisation.region).open().exists()


def test_a_signature_older_than_14_days_is_refused(client_for, organisation, invitation, invited):
    # The signed value as the link of 15 days ago carried it, signed with the real key.
    value = invitation_token(invitation).rsplit(":", 2)[0]
    then = int((timezone.now() - timedelta(days=15)).timestamp())
    token = signing.Signer(salt=INVITATION_SALT).sign(f"{value}:{signing.b62_encode(then)}")
    signing.loads(token, salt=INVITATION_SALT)  # genuine, only too old
    with pytest.raises(signing.SignatureExpired):
        signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALID_FOR)
    assert_refused(client_for(invited), f"/organisations/invitations/{token}/", organisation)


def test_a_withdrawn_invitation_is_refused(client_for, owner, organisation, invitation, invited):
    path = invitation_path(invitation)
    response = client_for(owner).post(
        f"/organisations/{organisation.pk}/invitations/{invitation.pk}/withdraw/"
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert_refused(client_for(invited), path, organisation)


def test_a_pm_invitation_is_404_on_the_ohv_host(client_for, organisation, invitation, invited):
    client = client_for(invited, host="ohv.localhost")
    path = invitation_path(invitation)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not membership_of(organisation, INVITED)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert client_for(invited).post(path).status_code == 302  # fine on its own host


def test_a_mail_server_outage_loses_no_invitation(
    client_for, owner, organisation, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is away")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)
    response = invite(client_for(owner), organisation, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Invitation.objects.get().email == INVITED
    job = Job.objects.get(name="mail")
    assert job.state == Job.State.WAITING and job.payload["to"] == [INVITED]
    assert "the mail server is away" in caplog.text


def test_a_line_break_in_the_organisations_name_does_not_break_the_mail(
    client_for, owner, organisation, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=organisation.pk).update(name="Tischlerei\nBcc: spam@example.org")
    response = invite(client_for(owner), organisation, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = mail.outbox[0]
    assert message.to == [INVITED]
    assert "Tischlerei Bcc: spam@example.org" in message.subject
    assert message.message()["Bcc"] is None

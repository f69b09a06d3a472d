"""Inviting region staff by email, so that nobody passes a password on.

The operator (or a region administrator, for their own region) invites an address in a role;
the emailed link is signed, works once and only within STAFF_INVITATION_VALID_FOR, and dies
when the invitation is revoked or sent again. Whoever opens it sets their own password (or
signs in with the account they have), becomes staff of that region only, and is asked by the
back office to set up two-factor authentication before it lets them in (regions.backoffice).
Each function is one transaction and raises StaffInvitationError with a message for the user.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import send_mail_on_commit

from .invitations import STAFF_INVITATION_VALID_FOR, StaffInvitation
from .models import StaffMembership

STAFF_INVITATION_SALT = "regions.staff-invitation"


class StaffInvitationError(Exception):
    """A rule stopped the action; the message is meant for the user."""


# The link ------------------------------------------------------------------------------------


def invitation_token(invitation: StaffInvitation) -> str:
    # The time it was sent is signed too: sending it again makes every older link invalid.
    payload = {"invitation": invitation.pk, "sent": invitation.sent_at.timestamp()}
    return signing.dumps(payload, salt=STAFF_INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> StaffInvitation:
    """The open invitation a link stands for; StaffInvitationError for forged, expired, used,
    revoked or superseded links."""
    expired = _("This invitation has expired. Please ask the operator for a new one.")
    try:
        data = signing.loads(
            token, salt=STAFF_INVITATION_SALT, max_age=STAFF_INVITATION_VALID_FOR.total_seconds()
        )
    except signing.SignatureExpired as error:
        raise StaffInvitationError(expired) from error
    except signing.BadSignature as error:
        raise StaffInvitationError(_("This invitation link is not valid.")) from error
    invitation = (
        StaffInvitation.objects.select_related("region").filter(pk=data.get("invitation")).first()
    )
    if invitation is None or invitation.revoked_at:
        raise StaffInvitationError(_("This invitation has been withdrawn."))
    if invitation.accepted_at:
        raise StaffInvitationError(_("This invitation has already been used."))
    if data.get("sent") != invitation.sent_at.timestamp():
        raise StaffInvitationError(
            _("This invitation has been sent again: please use the link of the newest email.")
        )
    if invitation.state == StaffInvitation.State.EXPIRED:
        raise StaffInvitationError(expired)
    return invitation


def _send(request, invitation: StaffInvitation) -> None:
    # The link is on the host the inviter works on: a region that is not live yet answers
    # only on the portal host, and a live one on both.
    link = request.build_absolute_uri(
        reverse("staff_invitation", kwargs={"token": invitation_token(invitation)})
    )
    context = {
        "invitation": invitation,
        "link": link,
        "valid_days": STAFF_INVITATION_VALID_FOR.days,
    }
    send_mail_on_commit(
        invitation.region, "regions/email/staff_invitation.txt", context, [invitation.email]
    )


# Workflows -----------------------------------------------------------------------------------


def already_staff(region, email: str) -> bool:
    return StaffMembership.objects.filter(region=region, user__email__iexact=email).exists()


@transaction.atomic
def invite_staff(request, invitation: StaffInvitation) -> StaffInvitation:
    """Saves and mails the (new, unsaved) invitation of an address to the region's back
    office in its role, by the request's user; an open invitation of the same address to
    the region is revoked."""
    invitation.email = invitation.email.strip().lower()
    if already_staff(invitation.region, invitation.email):
        raise StaffInvitationError(
            _("%(email)s already works for %(region)s.")
            % {"email": invitation.email, "region": invitation.region}
        )
    StaffInvitation.objects.open().filter(
        region=invitation.region, email__iexact=invitation.email
    ).update(revoked_at=timezone.now())
    invitation.invited_by = request.user
    invitation.sent_at = timezone.now()
    invitation.save()
    _send(request, invitation)
    return invitation


@transaction.atomic
def resend(request, invitation: StaffInvitation) -> StaffInvitation:
    """Sends the invitation again, valid for another period; earlier links stop working."""
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise StaffInvitationError(
            _("The invitation of %(email)s is %(state)s and cannot be sent again.")
            % {"email": invitation.email, "state": invitation.get_state_display()}
        )
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    _send(request, invitation)
    return invitation


@transaction.atomic
def revoke(invitation: StaffInvitation) -> bool:
    """Withdraws an invitation not yet accepted; returns whether it did."""
    return bool(
        StaffInvitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    )


@transaction.atomic
def accept(token: str, user) -> StaffMembership:
    """Makes `user` staff of the invitation's region (only of that one) in its role."""
    invitation = invitation_from_token(token)
    # Lock the row: two clicks on the link must not use it twice.
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise StaffInvitationError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise StaffInvitationError(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Please log out and open the link again."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    membership, created = StaffMembership.objects.get_or_create(
        region=invitation.region, user=user, defaults={"role": invitation.role}
    )
    if not created and membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership

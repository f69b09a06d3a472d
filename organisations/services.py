"""Workflows around organisations: founding, inviting, roles, verification.

Each function is one transaction and raises OrganisationError with a message
for the user when a rule stops it.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import send_mail_on_commit
from regions import audit
from regions.audit import AuditAction

from .models import (
    INVITATION_VALID_FOR,
    PROOF_REMINDER_BEFORE,
    Invitation,
    Membership,
    Organisation,
    Role,
    Verification,
)

INVITATION_SALT = "organisations.invitation"


class OrganisationError(Exception):
    """A rule stopped the action; the message is meant for the user."""


@transaction.atomic
def found_organisation(organisation: Organisation, founder) -> Organisation:
    """Saves a new organisation with its founder as the first owner."""
    organisation.save()
    Membership.objects.create(organisation=organisation, user=founder, role=Role.OWNER)
    return organisation


# Invitations ------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link stands for; OrganisationError for forged, expired or used links."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=INVITATION_VALID_FOR.total_seconds()
        )
    except signing.SignatureExpired as error:
        raise OrganisationError(
            _("This invitation has expired. Please ask for a new one.")
        ) from error
    except signing.BadSignature as error:
        raise OrganisationError(_("This invitation link is not valid.")) from error
    invitation = (
        Invitation.objects.select_related("organisation__region")
        .filter(pk=data.get("invitation"))
        .first()
    )
    if invitation is None:
        raise OrganisationError(_("This invitation has been withdrawn."))
    if invitation.accepted_at:
        raise OrganisationError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise OrganisationError(_("This invitation has expired. Please ask for a new one."))
    return invitation


@transaction.atomic
def invite(organisation: Organisation, email: str, role: str, invited_by) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise OrganisationError(_("%(email)s is already a member.") % {"email": email})
    Invitation.objects.open().filter(organisation=organisation, email__iexact=email).delete()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    link = organisation.region.reverse("invitation", token=invitation_token(invitation))
    context = {"invitation": invitation, "link": link}
    send_mail_on_commit(organisation.region, "organisations/email/invitation.txt", context, [email])
    return invitation


@transaction.atomic
def accept_invitation(token: str, user) -> Membership:
    invitation = invitation_from_token(token)
    # Lock the row: two clicks on the link must not make two memberships.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise OrganisationError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise OrganisationError(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Please log out and log in (or sign up) with %(invited)s."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    membership, _created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


# Roles ------------------------------------------------------------------------------------


def _lock_memberships(organisation):
    return list(Membership.objects.select_for_update().filter(organisation=organisation))


def _other_owners(memberships, membership):
    return [m for m in memberships if m.role == Role.OWNER and m.pk != membership.pk]


@transaction.atomic
def change_role(membership: Membership, role: str, changed_by) -> Membership:
    """Owners make anyone anything; admins manage members and admins, never owners."""
    memberships = _lock_memberships(membership.organisation)
    actor = next((m for m in memberships if m.user_id == changed_by.pk), None)
    if actor is None or not actor.can_manage:
        raise OrganisationError(_("Only owners and administrators manage members."))
    if Role.OWNER in (role, membership.role) and actor.role != Role.OWNER:
        raise OrganisationError(_("Only an owner can make someone owner or change an owner."))
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and not _other_owners(memberships, membership)
    ):
        raise OrganisationError(
            _("The organisation needs an owner. Hand over ownership to someone else first.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def hand_over_ownership(organisation: Organisation, current_owner, new_owner_membership):
    """The new owner becomes owner; the previous one stays as administrator."""
    memberships = _lock_memberships(organisation)
    actor = next((m for m in memberships if m.user_id == current_owner.pk), None)
    if actor is None or actor.role != Role.OWNER:
        raise OrganisationError(_("Only an owner can hand over ownership."))
    if new_owner_membership.organisation_id != organisation.pk or new_owner_membership == actor:
        raise OrganisationError(_("Choose another member of this organisation."))
    new_owner_membership.role = Role.OWNER
    new_owner_membership.save(update_fields=["role"])
    actor.role = Role.ADMIN
    actor.save(update_fields=["role"])


@transaction.atomic
def remove_member(membership: Membership, removed_by) -> None:
    """Managers remove others; everyone may leave – except the last owner."""
    memberships = _lock_memberships(membership.organisation)
    actor = next((m for m in memberships if m.user_id == removed_by.pk), None)
    leaving = membership.user_id == removed_by.pk
    if not leaving and (actor is None or not actor.can_manage):
        raise OrganisationError(_("Only owners and administrators manage members."))
    if not leaving and membership.role == Role.OWNER and actor.role != Role.OWNER:
        raise OrganisationError(_("Only an owner can remove an owner."))
    if membership.role == Role.OWNER and not _other_owners(memberships, membership):
        raise OrganisationError(
            _("The organisation needs an owner. Hand over ownership to someone else first.")
        )
    membership.delete()


# Verification -----------------------------------------------------------------------------


def _log(staff, organisation, message):
    """The admin's history of the organisation records every staff decision."""
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[organisation],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def _tell_managers(organisation, template, **extra):
    context = {
        "organisation": organisation,
        # The region's own URLs, whichever host the staff member works on.
        "link": organisation.region.reverse("organisation_manage", pk=organisation.pk),
        **extra,
    }
    recipients = Membership.objects.mail_recipients(organisation).emails()
    send_mail_on_commit(organisation.region, template, context, recipients)


VERIFICATION_FIELDS = [
    "verification",
    "verified_at",
    "verified_by",
    "rejection_reason",
    "verification_note",
    "proof_verified_until",
    "updated_at",
]


@transaction.atomic
def verify(organisation: Organisation, staff, note: str = "") -> None:
    organisation.verification = Verification.VERIFIED
    organisation.verified_at = timezone.now()
    organisation.verified_by = staff
    organisation.rejection_reason = ""
    # Staff checked the proof on file: its end date is what eligibility counts from now on.
    organisation.proof_verified_until = organisation.proof_valid_until
    if note:
        organisation.verification_note = note
    # Only the verification fields: a manager may be editing the profile at this moment.
    organisation.save(update_fields=VERIFICATION_FIELDS)
    _log(staff, organisation, _("Verified. %(note)s") % {"note": note})
    audit.record(organisation.region, staff, AuditAction.ORGANISATION_VERIFIED, organisation, note)
    _tell_managers(organisation, "organisations/email/verified.txt")


@transaction.atomic
def reject(organisation: Organisation, staff, reason: str) -> None:
    if not reason.strip():
        raise OrganisationError(_("Please give a reason; the organisation will read it."))
    organisation.verification = Verification.REJECTED
    organisation.verified_at = None
    organisation.verified_by = staff
    organisation.rejection_reason = reason.strip()
    organisation.save(update_fields=VERIFICATION_FIELDS)
    _log(
        staff,
        organisation,
        _("Verification rejected: %(reason)s") % {"reason": organisation.rejection_reason},
    )
    audit.record(
        organisation.region,
        staff,
        AuditAction.ORGANISATION_REJECTED,
        organisation,
        organisation.rejection_reason,
    )
    _tell_managers(organisation, "organisations/email/rejected.txt")


# Suspension -------------------------------------------------------------------------------


@transaction.atomic
def suspend(organisation: Organisation, staff, reason: str, *, notify=True) -> Organisation:
    """Staff suspend an organisation: its people still log in and read, but it publishes,
    inquires and writes nothing until staff lift the suspension (permissions.restriction).
    Its managers are told why, unless the caller tells them itself (a report's decision)."""
    reason = reason.strip()
    if not reason:
        raise OrganisationError(_("Please give a reason; the organisation will read it."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_suspended:
        raise OrganisationError(_("This organisation is suspended already."))
    organisation.suspended_at = timezone.now()
    organisation.suspension_reason = reason
    organisation.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])
    _log(staff, organisation, _("Suspended: %(reason)s") % {"reason": reason})
    audit.record(
        organisation.region, staff, AuditAction.ORGANISATION_SUSPENDED, organisation, reason
    )
    if notify:
        _tell_managers(organisation, "organisations/email/suspended.txt")
    return organisation


@transaction.atomic
def reinstate(organisation: Organisation, staff, reason: str = "", *, notify=True) -> Organisation:
    """Lifts a suspension; the organisation may publish, inquire and write again."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_suspended:
        raise OrganisationError(_("This organisation is not suspended."))
    organisation.suspended_at = None
    organisation.suspension_reason = ""
    organisation.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])
    _log(staff, organisation, _("Suspension lifted. %(reason)s") % {"reason": reason})
    audit.record(
        organisation.region, staff, AuditAction.ORGANISATION_REINSTATED, organisation, reason
    )
    if notify:
        _tell_managers(organisation, "organisations/email/reinstated.txt", reason=reason)
    return organisation


# Proofs of status (run daily by organisations.tasks) ---------------------------------------


def send_proof_reminders(today=None) -> int:
    """Tells the managers of each eligible organisation, a month before its verified proof
    of status lapses, to upload a new one; once per end date."""
    today = today or timezone.localdate()
    sent = 0
    due = Organisation.objects.proof_lapsing_on(today + PROOF_REMINDER_BEFORE).filter(
        proof_verified_until__gte=today
    )
    for organisation in due.select_related("region").iterator(chunk_size=200):
        with transaction.atomic():
            # Only once per end date, even if two runs overlap.
            if (
                not Organisation.objects.filter(
                    pk=organisation.pk, proof_verified_until=organisation.proof_verified_until
                )
                .exclude(proof_reminded_for=organisation.proof_verified_until)
                .update(proof_reminded_for=organisation.proof_verified_until)
            ):
                continue
            _tell_managers(
                organisation,
                "organisations/email/proof_lapsing.txt",
                proof_link=organisation.region.reverse("organisation_proof", pk=organisation.pk),
            )
        sent += 1
    return sent

"""What the platform knows about a person: exported on request, deleted on request.

Apps that store personal data (organisation memberships, listings, messages)
add their part to the export and their rules for deletion through the hook points
in accounts.hooks.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext as _

from . import hooks


def export_personal_data(user) -> dict:
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "staff_roles": [
            {"region": membership.region.name, "role": membership.role}
            for membership in user.staff_memberships.select_related("region")
        ],
        **hooks.personal_data_export.merged(user),
    }


def deletion_blockers(user) -> list[str]:
    """Why the account cannot delete itself; empty when it can."""
    if user.is_superuser or user.staff_memberships.exists():
        # Their actions are the back office's audit trail (admin log), which must stay.
        return [
            _(
                "Accounts of back-office staff are removed by the platform operator, so that "
                "the record of moderation decisions stays complete. Please contact them."
            )
        ]
    return [reason for reasons in hooks.deletion_blockers.results(user) for reason in reasons]


@transaction.atomic
def delete_account(user) -> None:
    """Deletes the person and everything that is theirs alone (addresses, 2FA devices)."""
    if deletion_blockers(user):
        raise ValueError("This account cannot be deleted by its owner.")
    user.delete()

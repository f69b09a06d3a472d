"""What the platform knows about a person: exported on request, deleted on request.

Apps that store personal data (organisation memberships, listings, messages)
add their part to `export_personal_data` and their rule to `deletion_blockers`.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext as _

from inquiries.models import Message, NotificationSettings
from listings.models import Listing
from organisations.models import Membership, Role


def export_personal_data(user) -> dict:
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
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
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "region": membership.organisation.region.name,
                "role": membership.role,
                "since": membership.created_at.isoformat(),
            }
            for membership in user.memberships.select_related("organisation__region")
        ],
        # Listings belong to their organisation; the author is named on them (and
        # unnamed when the account is deleted, while the listing stays the organisation's).
        "listings_written": [
            {
                "title": listing.title,
                "organisation": listing.organisation.name,
                "region": listing.region.name,
                "status": listing.status,
                "created": listing.created_at.isoformat(),
            }
            for listing in Listing.objects.filter(author=user)
            .select_related("organisation", "region")
            .order_by("created_at")
        ],
        # Messages stay in the conversation of the two organisations when the account is
        # deleted, without the author's name.
        "messages_written": [
            {
                "listing": message.inquiry.listing.title,
                "organisation": message.organisation.name,
                "region": message.inquiry.region.name,
                "kind": message.kind,
                "text": message.body,
                "written": message.created_at.isoformat(),
            }
            for message in Message.objects.filter(author=user)
            .select_related(
                "inquiry__listing",
                "inquiry__region",
                "inquiry__organisation",
                "inquiry__listing_organisation",
            )
            .order_by("created_at", "pk")
        ],
        "email_settings": [
            {"new_inquiry": entry.new_inquiry, "message": entry.message, "status": entry.status}
            for entry in NotificationSettings.objects.filter(user=user)
        ],
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
    sole_owner_of = [
        membership.organisation.name
        for membership in user.memberships.filter(role=Role.OWNER).select_related("organisation")
        if not Membership.objects.filter(organisation=membership.organisation, role=Role.OWNER)
        .exclude(user=user)
        .exists()
    ]
    return [
        _(
            "You are the only owner of %(name)s. Hand over ownership to another member first, "
            "so that the organisation is not left without anyone to manage it."
        )
        % {"name": name}
        for name in sole_owner_of
    ]


@transaction.atomic
def delete_account(user) -> None:
    """Deletes the person and everything that is theirs alone (addresses, 2FA devices)."""
    if deletion_blockers(user):
        raise ValueError("This account cannot be deleted by its owner.")
    user.delete()

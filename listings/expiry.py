"""The end of a listing's publication, run by the scheduled job in listings.tasks: a week
before, its organisation is reminded with a signed renewal link that renews it without a
login; when its time has run out, it expires."""

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PUBLICATION_PERIOD, EventAction, Listing, Status
from .services import ListingError, log_event, tell_owner
from .signals import listings_changed

RENEWAL_SALT = "listings.renewal"
RENEWAL_LINK_VALID_FOR = PUBLICATION_PERIOD


def renewal_token(listing: Listing) -> str:
    """Signed, and bound to the current expiry date: once renewed, the link is spent."""
    return signing.dumps(
        {"listing": listing.pk, "expires": listing.expires_at.isoformat()}, salt=RENEWAL_SALT
    )


def listing_from_renewal_token(token: str) -> Listing:
    try:
        data = signing.loads(
            token, salt=RENEWAL_SALT, max_age=RENEWAL_LINK_VALID_FOR.total_seconds()
        )
    except signing.SignatureExpired as error:
        raise ListingError(
            _("This link has expired. Please log in to renew the listing.")
        ) from error
    except signing.BadSignature as error:
        raise ListingError(_("This link is not valid.")) from error
    listing = (
        Listing.objects.select_related("region", "organisation", "category")
        .filter(pk=data.get("listing"))
        .first()
    )
    if listing is None:
        raise ListingError(_("This listing no longer exists."))
    if listing.expires_at is None or listing.expires_at.isoformat() != data.get("expires"):
        raise ListingError(_("This link has already been used; the listing was renewed."))
    return listing


def send_expiry_reminders(now=None) -> int:
    """Tells each listing's organisation a week before it expires, with a renewal link."""
    sent = 0
    due = Listing.objects.due_for_reminder(now).select_related("region", "organisation", "author")
    for listing in due.iterator(chunk_size=200):
        with transaction.atomic():
            # Only if nobody renewed it meanwhile: the link is bound to this expiry date.
            if not Listing.objects.filter(
                pk=listing.pk, expires_at=listing.expires_at, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now()):
                continue
            log_event(listing, EventAction.REMINDED)
            tell_owner(
                listing,
                "listings/email/expiry_reminder.txt",
                renewal_link=listing.region.reverse(
                    "listing_renew_by_link", token=renewal_token(listing)
                ),
            )
        sent += 1
    return sent


def expire_listings(now=None) -> int:
    """Ends the publication of listings whose time has run out."""
    expired = 0
    for listing in Listing.objects.due_to_expire(now).iterator(chunk_size=200):
        with transaction.atomic():
            updated = Listing.objects.filter(pk=listing.pk, status=Status.PUBLISHED).update(
                status=Status.EXPIRED, updated_at=timezone.now()
            )
            if updated:
                log_event(listing, EventAction.EXPIRED)
                listings_changed([listing.region_id])
                expired += 1
    return expired

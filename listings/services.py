"""A listing's life: draft → (pending) → published → paused / closed / expired / removed.

Each transition is one function and one transaction: it checks that the listing
may move from where it is, saves it, writes a ListingEvent and tells whom it
concerns by email after commit. A rule that stops it raises ListingError with a
message for the user.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import send_mail_on_commit
from organisations.models import Membership
from organisations.permissions import publishing_refusal
from regions import audit
from regions.audit import AuditAction
from regions.models import Region

from . import indexing
from .models import (
    FREE_TERMS,
    PUBLICATION_PERIOD,
    EventAction,
    Listing,
    ListingEvent,
    Status,
)
from .signals import listing_event, listings_changed


class ListingError(Exception):
    """A rule stopped the action; the message is meant for the user."""


def needs_approval(listing: Listing) -> bool:
    return needs_approval_for(listing.region, listing.organisation)


def needs_approval_for(region, organisation) -> bool:
    """Staff approve first in pre-moderated regions and for unverified organisations."""
    return region.moderation == Region.Moderation.PRE or not organisation.is_verified


def log_event(listing, action, actor=None, reason="", by_staff=False):
    ListingEvent.objects.create(
        listing=listing, action=action, actor=actor, reason=reason, by_staff=by_staff
    )
    listing_event.send(sender=Listing, listing=listing, action=action)


def _require(listing, allowed, message):
    if listing.status not in allowed:
        raise ListingError(message)


def _require_may_publish(listing):
    if refusal := publishing_refusal(listing.organisation):
        raise ListingError(refusal)


def _save_status(listing, *fields):
    listing.save(update_fields=["status", "updated_at", *fields])


def _lock(listing) -> Listing:
    """The listing's row, locked, so two clicks or a clicking owner and a moderator at the
    same moment cannot both move it (a no-op lock on SQLite, which serialises writers)."""
    locked = Listing.objects.select_for_update().get(pk=listing.pk)
    listing.status = locked.status
    listing.quantity_reserved = locked.quantity_reserved
    return listing


def tell_owner(listing, template, **extra):
    """The author hears of it, or the organisation's managers when the author has left it."""
    region = listing.region
    recipients = Membership.objects.mail_recipients(listing.organisation, listing.author_id)
    context = {"listing": listing, "link": region.reverse("listing_detail", pk=listing.pk)}
    send_mail_on_commit(region, template, context | extra, recipients.emails())


# Creating and editing -----------------------------------------------------------------------


def apply_terms(listing: Listing) -> None:
    """Only rent has a price; under every other terms the listing is free of charge."""
    if listing.terms in FREE_TERMS:
        listing.price = None
        listing.reduced_price = None
    listing.is_free = listing.terms in FREE_TERMS or listing.price == 0


@transaction.atomic
def create_listing(listing: Listing, author) -> Listing:
    """Saves a new listing as a draft of its organisation; publishing is a separate step."""
    listing.region = listing.organisation.region
    listing.author = author
    listing.status = Status.DRAFT
    apply_terms(listing)
    listing.save()
    log_event(listing, EventAction.CREATED, author)
    indexing.reindex([listing.pk])
    return listing


# What members fill in on the listing form (listings.forms.ListingForm).
MEMBER_FIELDS = [
    "direction",
    "category",
    "title",
    "description",
    "terms",
    "price",
    "price_unit",
    "reduced_price",
    "audience",
    "quantity",
    "quantity_unit",
    "available_from",
    "available_until",
    "places_of_use",
    "street",
]
# What saving an edit writes: those fields, what follows from them (the free flag, the
# place looked up from the postal code, the category's attributes) and the time. Status,
# dates and counters change only through the transitions.
CONTENT_FIELDS = [*MEMBER_FIELDS, "is_free", "place", "attributes", "updated_at"]

# The status changes members may make in each state; closed and removed listings stay
# as they are and cannot be edited any more.
MEMBER_ACTIONS = {
    Status.DRAFT: ["submit", "close"],
    Status.PENDING: ["close"],
    Status.PUBLISHED: ["pause", "renew", "close"],
    Status.PAUSED: ["resume", "close"],
    Status.EXPIRED: ["renew", "close"],
}
EDITABLE = frozenset(MEMBER_ACTIONS)
# States a listing reaches only after staff approved it (where they approve first): a
# change in any of them must not reach the public through resume or renew unchecked.
APPROVED_STATES = frozenset({Status.PUBLISHED, Status.PAUSED, Status.EXPIRED})


@transaction.atomic
def save_changes(listing: Listing, editor) -> Listing:
    """Saves the content of an edited listing. Where staff approve listings, an approved
    listing (published, paused or expired) goes back to them after a change, so nothing
    unchecked appears under an approved title. Only the content is written: a moderator's
    removal or views counted while the form was open stay as they are."""
    _lock(listing)
    _require(listing, EDITABLE, _("This listing can no longer be changed."))
    if listing.quantity < listing.quantity_reserved:
        raise ListingError(
            _("Accepted inquiries have reserved %(reserved)s already; the quantity cannot be less.")
            % {"reserved": listing.quantity_reserved}
        )
    apply_terms(listing)
    listing.save(update_fields=CONTENT_FIELDS)
    log_event(listing, EventAction.EDITED, editor)
    if listing.status in APPROVED_STATES and needs_approval(listing):
        listing.status = Status.PENDING
        _save_status(listing)
        log_event(listing, EventAction.SUBMITTED, editor)
    indexing.reindex([listing.pk])
    return listing


# Publishing -------------------------------------------------------------------------------


def _publish(listing, actor, action, *, by_staff=False, reason="", keep_date=False):
    """Publishes for PUBLICATION_PERIOD from now. `keep_date` keeps the first publication
    date, so that renewing does not move a listing back to the top of "newest"."""
    now = timezone.now()
    listing.status = Status.PUBLISHED
    if not (keep_date and listing.published_at):
        listing.published_at = now
    listing.expires_at = now + PUBLICATION_PERIOD
    listing.reminder_sent_at = None
    listing.moderation_reason = ""
    _save_status(listing, "published_at", "expires_at", "reminder_sent_at", "moderation_reason")
    log_event(listing, action, actor, reason=reason, by_staff=by_staff)


@transaction.atomic
def submit(listing: Listing, actor) -> Listing:
    """Publishes a draft, or hands it to staff for approval where they approve first."""
    _lock(listing)
    _require(listing, {Status.DRAFT}, _("Only a draft can be published."))
    _require_may_publish(listing)
    if needs_approval(listing):
        listing.status = Status.PENDING
        _save_status(listing)
        log_event(listing, EventAction.SUBMITTED, actor)
    else:
        _publish(listing, actor, EventAction.PUBLISHED)
    return listing


@transaction.atomic
def pause(listing: Listing, actor) -> Listing:
    _lock(listing)
    _require(listing, {Status.PUBLISHED}, _("Only a published listing can be paused."))
    listing.status = Status.PAUSED
    _save_status(listing)
    log_event(listing, EventAction.PAUSED, actor)
    return listing


@transaction.atomic
def resume(listing: Listing, actor) -> Listing:
    """Shows a paused listing again; one whose time ran out while paused starts anew."""
    _lock(listing)
    _require(listing, {Status.PAUSED}, _("Only a paused listing can be resumed."))
    _require_may_publish(listing)
    if listing.expires_at and listing.expires_at <= timezone.now():
        _publish(listing, actor, EventAction.RESUMED, keep_date=True)
    else:
        listing.status = Status.PUBLISHED
        _save_status(listing)
        log_event(listing, EventAction.RESUMED, actor)
    return listing


@transaction.atomic
def close(listing: Listing, actor) -> Listing:
    """Ends a listing for good: found a taker, or no longer needed."""
    _lock(listing)
    _require(
        listing,
        {Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.PAUSED, Status.EXPIRED},
        _("This listing is already closed or removed."),
    )
    listing.status = Status.CLOSED
    _save_status(listing)
    log_event(listing, EventAction.CLOSED, actor)
    return listing


@transaction.atomic
def renew(listing: Listing, actor=None) -> Listing:
    """Another PUBLICATION_PERIOD for a published or expired listing ("still available")."""
    _lock(listing)
    _require(
        listing,
        {Status.PUBLISHED, Status.EXPIRED},
        _("Only a published or expired listing can be renewed."),
    )
    _require_may_publish(listing)
    _publish(listing, actor, EventAction.RENEWED, keep_date=True)
    return listing


# Moderation -------------------------------------------------------------------------------


def _log_for_admin(staff, listing, message):
    """The admin's history of the listing records every staff decision too."""
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[listing],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def approve(listing: Listing, staff) -> Listing:
    _lock(listing)
    _require(listing, {Status.PENDING}, _("Only a listing awaiting approval can be approved."))
    _publish(listing, staff, EventAction.APPROVED, by_staff=True)
    _log_for_admin(staff, listing, _("Approved."))
    audit.record(listing.region, staff, AuditAction.LISTING_APPROVED, listing)
    tell_owner(listing, "listings/email/approved.txt")
    return listing


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ListingError(_("Please give a reason; the organisation will read it."))
    return reason


@transaction.atomic
def reject(listing: Listing, staff, reason: str) -> Listing:
    """Sends a pending listing back to its organisation as a draft, with the reason."""
    reason = _reason(reason)
    _lock(listing)
    _require(listing, {Status.PENDING}, _("Only a listing awaiting approval can be rejected."))
    listing.status = Status.DRAFT
    listing.moderation_reason = reason
    _save_status(listing, "moderation_reason")
    log_event(listing, EventAction.REJECTED, staff, reason=reason, by_staff=True)
    _log_for_admin(staff, listing, _("Rejected: %(reason)s") % {"reason": reason})
    audit.record(listing.region, staff, AuditAction.LISTING_REJECTED, listing, reason)
    tell_owner(listing, "listings/email/rejected.txt", reason=reason)
    return listing


@transaction.atomic
def remove(listing: Listing, staff, reason: str, *, notify=True) -> Listing:
    """Takes a listing off the platform for good, with the reason. The organisation is told
    by email, unless the caller tells it itself (a report's decision, moderation.services)."""
    reason = _reason(reason)
    _lock(listing)
    _require(
        listing,
        {
            Status.DRAFT,
            Status.PENDING,
            Status.PUBLISHED,
            Status.PAUSED,
            Status.EXPIRED,
            Status.HIDDEN,
        },
        _("This listing is already closed or removed."),
    )
    listing.status = Status.REMOVED
    listing.moderation_reason = reason
    _save_status(listing, "moderation_reason")
    log_event(listing, EventAction.REMOVED, staff, reason=reason, by_staff=True)
    _log_for_admin(staff, listing, _("Removed: %(reason)s") % {"reason": reason})
    audit.record(listing.region, staff, AuditAction.LISTING_REMOVED, listing, reason)
    if notify:
        tell_owner(listing, "listings/email/removed.txt", reason=reason)
    return listing


@transaction.atomic
def hide(listing: Listing, reason: str) -> bool:
    """Takes a published listing out of sight until staff decide on the reports about it
    (moderation.services, after reports from three organisations); a rule acts, not a
    person. False when it was not published (nothing to hide)."""
    _lock(listing)
    if listing.status != Status.PUBLISHED:
        return False
    listing.status = Status.HIDDEN
    _save_status(listing)
    log_event(listing, EventAction.HIDDEN, reason=reason, by_staff=True)
    audit.record(listing.region, None, AuditAction.LISTING_HIDDEN, listing, reason)
    return True


@transaction.atomic
def show_again(listing: Listing, staff, reason: str = "") -> bool:
    """Staff decided a hidden listing may be seen again: published as before, with its
    dates (the hourly run ends it if its time ran out meanwhile). False when it was not
    hidden."""
    _lock(listing)
    if listing.status != Status.HIDDEN:
        return False
    listing.status = Status.PUBLISHED
    _save_status(listing)
    log_event(listing, EventAction.SHOWN, staff, reason=reason, by_staff=True)
    _log_for_admin(staff, listing, _("Shown again. %(reason)s") % {"reason": reason})
    audit.record(listing.region, staff, AuditAction.LISTING_SHOWN, listing, reason)
    return True


# Reservations ---------------------------------------------------------------------------------
# Listing.quantity_reserved is written here only, each time as one atomic update; the steps
# of inquiries.services hold the listing's row lock around it, and a check constraint keeps
# it within the quantity.


def reserve(listing: Listing, quantity: int) -> None:
    """Takes `quantity` from what the listing has left; when nothing is left, tells the apps
    that act on listing_event (watch lists) that the offer is now fully reserved."""
    _add_to_reserved(listing, quantity)
    if quantity > 0 and listing.is_reserved:
        listing_event.send(sender=Listing, listing=listing, action=EventAction.RESERVED)


def give_back(listing: Listing, quantity: int) -> None:
    """Returns `quantity` a reservation held to what the listing has left."""
    _add_to_reserved(listing, -quantity)


def _add_to_reserved(listing: Listing, change: int) -> None:
    Listing.objects.filter(pk=listing.pk).update(quantity_reserved=F("quantity_reserved") + change)
    listing.quantity_reserved += change
    listings_changed([listing.region_id])

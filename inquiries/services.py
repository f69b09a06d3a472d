"""The exchange over a listing, one function per step:

    open ──accept──▶ accepted ──complete──▶ completed ──(both answer)──▶ outcome
      │                 │ └──release (handover date passed, no-show)──▶ released
      ├──decline──▶ declined
      └──withdraw──▶ withdrawn ◀──withdraw──┘

Each step runs in one transaction: it locks the listing's row and then the inquiry's
(always in that order, so two steps cannot deadlock), checks that the step is allowed
from where the inquiry is, changes it, writes an entry into the thread and tells the
other side by email after the commit. Accepting reserves what the inquiry asks for;
withdrawing or releasing an accepted inquiry gives it back. A listing never hands out
more than it has: the row lock serialises acceptances, a check constraint keeps
Listing.quantity_reserved ≤ quantity, and on PostgreSQL an exclusion constraint keeps
booked periods apart. A rule that stops a step raises InquiryError for the user; the
rules themselves are in inquiries.rules, blocks and reports in inquiries.safety_steps.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from listings import services as listing_services
from listings.models import Listing
from listings.models import Status as ListingStatus
from organisations.permissions import message_refusal

from . import notifications
from .models import (
    MAX_MESSAGE_LENGTH,
    MAX_THANK_YOU_LENGTH,
    Inquiry,
    Message,
    MessageKind,
    NotificationKind,
    Outcome,
    Side,
    Status,
    is_blocked_between,
    other_side,
)
from .rules import InquiryError, check_period, check_quantity, refusal

# Listing states in which its organisation may still accept or settle inquiries.
SETTLING_STATES = frozenset({ListingStatus.PUBLISHED, ListingStatus.PAUSED, ListingStatus.EXPIRED})

# What each side may do in each state; actions_for() adds the conditions of dates.
SIDE_ACTIONS = {
    (Side.OWNER, Status.OPEN): ["accept", "decline"],
    (Side.OWNER, Status.ACCEPTED): ["handover", "complete", "release"],
    (Side.INQUIRER, Status.OPEN): ["withdraw"],
    (Side.INQUIRER, Status.ACCEPTED): ["withdraw"],
}


OVERLAP_ON_ACCEPT = gettext_lazy(
    "This period overlaps a booking already accepted; it cannot be accepted."
)


def actions_for(inquiry, side, today=None) -> list[str]:
    actions = list(SIDE_ACTIONS.get((side, inquiry.status), []))
    if "release" in actions and not inquiry.handover_is_overdue(today):
        actions.remove("release")
    return actions


# The thread -----------------------------------------------------------------------------


def _record(inquiry, side, actor, kind, body="", *, unread=True) -> Message:
    """Writes an entry into the thread and, unless told otherwise, counts it as unread for
    the other side."""
    now = timezone.now()
    message = Message.objects.create(
        inquiry=inquiry, side=side, author=actor, kind=kind, body=body, created_at=now
    )
    counter = Inquiry.unread_field(other_side(side))
    changes = {counter: F(counter) + 1} if unread else {}
    Inquiry.objects.filter(pk=inquiry.pk).update(**changes, updated_at=now)
    inquiry.updated_at = now
    return message


def _text(body: str) -> str:
    """A message's text as stored: plain, trimmed, not empty, within the limit."""
    body = body.strip()
    if not body:
        raise InquiryError(_("Please write a message."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise InquiryError(
            _("Please keep the message under %(limit)s characters.") % {"limit": MAX_MESSAGE_LENGTH}
        )
    return body


def mark_read(inquiry, side) -> None:
    """The side has seen everything; writes only when something was unread."""
    field = Inquiry.unread_field(side)
    this_inquiry = Inquiry.objects.filter(pk=inquiry.pk)
    # Filtered so that reading an unchanged thread rewrites no row; no test can see that.
    this_inquiry.filter(**{f"{field}__gt": 0}).update(**{field: 0})  # pragma: no mutate
    setattr(inquiry, field, 0)


def _lock(inquiry) -> Inquiry:
    """Locks the listing's row, then the inquiry's, and refreshes both from the database."""
    listing = (
        # of=("self",): lock the listing's row only, not the region's joined to it, or every
        # step in a region would wait for every other.
        # Row locks are PostgreSQL's (tests/test_inquiry_concurrency.py); SQLite has none.
        Listing.objects.select_for_update(of=("self",))  # pragma: no mutate
        .select_related("region")
        .get(pk=inquiry.listing_id)
    )
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    for field in ("status", "quantity", "period_start", "period_end", "handover_on"):
        setattr(inquiry, field, getattr(locked, field))
    inquiry.listing = listing
    return inquiry


def _require(inquiry, side, action):
    if action not in SIDE_ACTIONS.get((side, inquiry.status), []):
        raise InquiryError(
            _("This is not possible for an inquiry with the status “%(status)s”.")
            % {"status": inquiry.get_status_display()}
        )


def _require_contact(inquiry):
    if is_blocked_between(inquiry.listing_organisation, inquiry.organisation):
        raise InquiryError(_("The two organisations are no longer in contact."))


def _save(inquiry, *fields):
    inquiry.save(update_fields=["status", *fields])


# Steps ----------------------------------------------------------------------------------


@transaction.atomic
def create_inquiry(
    listing: Listing,
    organisation,
    author,
    *,
    body: str,
    quantity: int | None = None,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> Inquiry:
    """An inquiry on an offer (with the quantity or period wanted, where it applies) or an
    offer of help on a request, with its first message."""
    listing = (
        # Row locks are PostgreSQL's (tests/test_inquiry_concurrency.py); SQLite has none.
        Listing.objects.select_for_update(of=("self",))  # pragma: no mutate
        .select_related("region", "organisation")
        .get(pk=listing.pk)
    )
    if reason := refusal(listing, organisation):
        raise InquiryError(reason)
    body = _text(body)
    inquiry = Inquiry(
        region=listing.region,
        listing=listing,
        listing_organisation=listing.organisation,
        organisation=organisation,
        author=author,
    )
    if listing.is_offer and listing.books_periods:
        if period is None:
            raise InquiryError(_("Please give the period you need it for."))
        check_period(listing, *period)
        inquiry.period_start, inquiry.period_end = period
    elif listing.is_offer:
        quantity = quantity or 1
        check_quantity(listing, quantity)
        inquiry.quantity = quantity
    try:
        with transaction.atomic():
            inquiry.save()
    except IntegrityError as error:
        raise InquiryError(_("Your organisation already has an inquiry about this.")) from error
    # A new inquiry is one unread update: its first message.
    _record(inquiry, Side.INQUIRER, author, MessageKind.CREATED, unread=False)
    message = _record(inquiry, Side.INQUIRER, author, MessageKind.TEXT, body)
    notifications.tell(inquiry, Side.OWNER, NotificationKind.NEW_INQUIRY, message=message)
    return inquiry


@transaction.atomic
def post_message(inquiry, side, author, body: str) -> Message:
    _lock(inquiry)
    _require_contact(inquiry)
    if refusal := message_refusal(inquiry.organisation_of(side)):
        raise InquiryError(refusal)
    message = _record(inquiry, side, author, MessageKind.TEXT, _text(body))
    notifications.tell(
        inquiry, other_side(side), NotificationKind.MESSAGE, actor=author, message=message
    )
    return message


def _step(inquiry, side, actor, kind, body=""):
    message = _record(inquiry, side, actor, kind, body)
    notifications.tell(
        inquiry, other_side(side), NotificationKind.STATUS, actor=actor, message=message
    )
    return inquiry


@transaction.atomic
def accept(inquiry, actor, *, handover_on: datetime.date | None = None) -> Inquiry:
    """Accepts and reserves: takes the quantity from what is left, or books the period;
    a handover date may be set at once."""
    _lock(inquiry)
    _require(inquiry, Side.OWNER, "accept")
    _require_contact(inquiry)
    if handover_on:
        _check_handover_date(handover_on)
    listing = inquiry.listing
    if listing.status not in SETTLING_STATES:
        raise InquiryError(_("This listing has ended; its inquiries can no longer be accepted."))
    if inquiry.period_end and inquiry.period_end < timezone.localdate():
        raise InquiryError(_("The period asked for has passed."))
    if inquiry.quantity:
        check_quantity(listing, inquiry.quantity)
        listing_services.reserve(listing, inquiry.quantity)
    elif (
        inquiry.period_start
        and Inquiry.objects.overlapping(listing, inquiry.period_start, inquiry.period_end).exists()
    ):
        raise InquiryError(OVERLAP_ON_ACCEPT)
    inquiry.status = Status.ACCEPTED
    if handover_on:
        inquiry.handover_on = handover_on
    try:
        with transaction.atomic():
            _save(inquiry, "handover_on")
    except IntegrityError as error:  # PostgreSQL's exclusion constraint, should it come to it
        raise InquiryError(OVERLAP_ON_ACCEPT) from error
    _step(inquiry, Side.OWNER, actor, MessageKind.ACCEPTED)
    if handover_on:  # the same step: no second unread update, no second mail
        _record(
            inquiry, Side.OWNER, actor, MessageKind.HANDOVER, handover_on.isoformat(), unread=False
        )
    return inquiry


@transaction.atomic
def decline(inquiry, actor, reason: str = "") -> Inquiry:
    _lock(inquiry)
    _require(inquiry, Side.OWNER, "decline")
    inquiry.status = Status.DECLINED
    _save(inquiry)
    return _step(inquiry, Side.OWNER, actor, MessageKind.DECLINED, reason.strip())


def _give_back(inquiry):
    """Returns an accepted inquiry's quantity to the listing; a period is free again as
    soon as the inquiry leaves the reserving states."""
    if inquiry.quantity:
        listing_services.give_back(inquiry.listing, inquiry.quantity)


@transaction.atomic
def withdraw(inquiry, actor, reason: str = "") -> Inquiry:
    _lock(inquiry)
    _require(inquiry, Side.INQUIRER, "withdraw")
    if inquiry.status == Status.ACCEPTED:
        _give_back(inquiry)
    inquiry.status = Status.WITHDRAWN
    _save(inquiry)
    return _step(inquiry, Side.INQUIRER, actor, MessageKind.WITHDRAWN, reason.strip())


def _check_handover_date(day):
    if day < timezone.localdate():
        raise InquiryError(_("The handover date must not be in the past."))


@transaction.atomic
def set_handover(inquiry, actor, day: datetime.date) -> Inquiry:
    _lock(inquiry)
    _require(inquiry, Side.OWNER, "handover")
    _check_handover_date(day)
    inquiry.handover_on = day
    _save(inquiry, "handover_on")
    return _step(inquiry, Side.OWNER, actor, MessageKind.HANDOVER, day.isoformat())


@transaction.atomic
def release(inquiry, actor) -> Inquiry:
    """No-show: the handover date passed without a handover; the reservation is free
    again and the next open inquiry can be accepted."""
    _lock(inquiry)
    _require(inquiry, Side.OWNER, "release")
    if not inquiry.handover_is_overdue():
        raise InquiryError(
            _("A reservation can be released once its handover date (or its start) has passed.")
        )
    _give_back(inquiry)
    inquiry.status = Status.RELEASED
    _save(inquiry)
    return _step(inquiry, Side.OWNER, actor, MessageKind.RELEASED)


@transaction.atomic
def complete(inquiry, actor) -> Inquiry:
    """Handed over / done: the reservation is used up, and both sides are asked whether
    it worked out."""
    _lock(inquiry)
    _require(inquiry, Side.OWNER, "complete")
    inquiry.status = Status.COMPLETED
    _save(inquiry)
    Outcome.objects.get_or_create(inquiry=inquiry)
    return _step(inquiry, Side.OWNER, actor, MessageKind.COMPLETED)


@transaction.atomic
def answer_outcome(inquiry, side, actor, *, succeeded: bool, thank_you: str = "") -> Outcome:
    """One side's answer to "Did it work out?"; the receiving side may write a thank-you
    note (whether it may be shown publicly the giving side decides once it has read it:
    allow_thank_you)."""
    _lock(inquiry)
    if inquiry.status != Status.COMPLETED:
        raise InquiryError(_("Only a completed inquiry has an outcome to confirm."))
    outcome, _created = Outcome.objects.select_for_update().get_or_create(inquiry=inquiry)
    if outcome.has_answered(side):
        raise InquiryError(_("Your organisation has answered already."))
    now = timezone.now()
    if side == Side.OWNER:
        outcome.owner_succeeded, outcome.owner_answered_at = succeeded, now
    else:
        outcome.inquirer_succeeded, outcome.inquirer_answered_at = succeeded, now
    if side != inquiry.giving_side:
        outcome.thank_you = thank_you.strip()[:MAX_THANK_YOU_LENGTH]
    outcome.save()
    body = _("Yes, it worked out.") if succeeded else _("No, it did not work out.")
    _step(inquiry, side, actor, MessageKind.CONFIRMED, body)
    return outcome


@transaction.atomic
def allow_thank_you(inquiry, side, actor, *, public: bool) -> Outcome:
    """The giving side allows (or no longer allows) the thank-you note it received to be
    shown on its profile and the region's pages."""
    _lock(inquiry)
    outcome = Outcome.objects.select_for_update().filter(inquiry=inquiry).first()
    if side != inquiry.giving_side or outcome is None or not outcome.thank_you:
        raise InquiryError(_("Only the giving side decides, once there is a thank-you note."))
    outcome.thank_you_public = public
    outcome.save(update_fields=["thank_you_public"])
    return outcome

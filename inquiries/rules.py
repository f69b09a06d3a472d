"""Who may respond to a listing, and the period and quantity an inquiry may ask for:
the checks inquiries.services runs before a step, and the pages run to explain a refusal
before anyone fills in a form. A rule that stops a step raises InquiryError for the user."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from listings.models import Listing
from listings.models import Status as ListingStatus
from organisations.permissions import inquiry_refusal

from .models import ACTIVE, Inquiry, is_blocked_between


class InquiryError(Exception):
    """A rule stopped the step; the message is meant for the user."""


def refusal(listing: Listing, organisation) -> str | None:
    """Why `organisation` may not respond to `listing`, or None when it may."""
    if organisation.pk == listing.organisation_id:
        return _("This is your own organisation's listing.")
    if reason := inquiry_refusal(organisation):
        return reason
    if listing.status != ListingStatus.PUBLISHED:
        return _("This listing is not published at the moment.")
    if listing.is_reserved:
        return _("Everything offered here is reserved already.")
    if not listing.accepts_organisation(organisation):
        return _("Only these may respond to this listing: %(audience)s.") % {
            "audience": ", ".join(str(choice.label) for choice in listing.audience_list)
        }
    if listing.is_donation_for_nonprofits and not organisation.is_eligible_for_donations:
        return _(
            "This donation is meant for non-profit organisations whose status the region has "
            "verified. Once %(name)s is verified, you can claim it."
        ) % {"name": organisation.name}
    if is_blocked_between(listing.organisation, organisation):
        return _("%(name)s does not accept inquiries from your organisation.") % {
            "name": listing.organisation.name
        }
    return None


def active_inquiry(listing: Listing, organisation) -> Inquiry | None:
    return (
        Inquiry.objects.filter(listing=listing, organisation=organisation, status__in=ACTIVE)
        .order_by("-pk")
        .first()
    )


def check_period(listing: Listing, start: datetime.date, end: datetime.date) -> None:
    """A period that can be booked: not in the past, within the listing's availability,
    and not overlapping a booking already accepted."""
    if end < start:
        raise InquiryError(_("The end of the period must not be before its start."))
    if start < timezone.localdate():
        raise InquiryError(_("The period must not start in the past."))
    if listing.available_from and start < listing.available_from:
        raise InquiryError(
            _("The listing is available from %(date)s.")
            % {"date": listing.available_from.strftime("%d.%m.%Y")}
        )
    if listing.available_until and end > listing.available_until:
        raise InquiryError(
            _("The listing is available until %(date)s.")
            % {"date": listing.available_until.strftime("%d.%m.%Y")}
        )
    if Inquiry.objects.overlapping(listing, start, end).exists():
        raise InquiryError(
            _("This period overlaps a booking already accepted. Please choose another.")
        )


def check_quantity(listing: Listing, quantity: int) -> None:
    if quantity > listing.quantity_left:
        raise InquiryError(
            ngettext(
                "Only %(count)s is still available.",
                "Only %(count)s are still available.",
                listing.quantity_left,
            )
            % {"count": listing.quantity_left}
        )

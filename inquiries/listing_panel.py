"""What the listing page shows of the exchange: the way to respond (or why one cannot),
the periods already booked, and for the listing's own members its open inquiries."""

from organisations.acting import acting_membership

from . import rules
from .models import Inquiry, Status


def respond_context(request, listing, is_member) -> dict:
    context = {"booked_periods": list(Inquiry.objects.booked_periods(listing))}
    if is_member:
        context["open_inquiry_count"] = listing.inquiries.filter(status=Status.OPEN).count()
        return context
    respond = {}
    membership = acting_membership(request) if request.user.is_authenticated else None
    if not request.user.is_authenticated:
        respond["needs_login"] = True
    elif membership is None:
        respond["needs_organisation"] = True
    elif inquiry := rules.active_inquiry(listing, membership.organisation):
        respond["inquiry"] = inquiry
    else:
        respond["refusal"] = rules.refusal(listing, membership.organisation)
    context["respond"] = respond
    return context

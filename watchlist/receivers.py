"""Listens to listings.signals.listing_event and records, in the step's own transaction, a
job telling the people it concerns (core.jobs): the followers of an organisation that
published a listing (published, or approved by the staff: never a rejected or removed
one), the watchers of a listing reserved, closed or about to expire. Nothing is queued
when nobody watches or follows."""

import uuid

from django.dispatch import receiver

from core import jobs
from listings.models import EventAction, Listing
from listings.signals import listing_event

from . import services
from .models import Follow, Watch
from .tasks import TELL_FOLLOWERS, TELL_WATCHERS

NEW_ON = frozenset({EventAction.PUBLISHED, EventAction.APPROVED})
WATCHERS_HEAR_OF = {
    EventAction.RESERVED: services.RESERVED,
    EventAction.CLOSED: services.CLOSED,
    EventAction.REMINDED: services.EXPIRING,
}


@receiver(listing_event, sender=Listing, dispatch_uid="watchlist_on_listing_event")
def listing_moved(sender, listing, action, **kwargs):
    if action in NEW_ON:
        if Follow.objects.filter(organisation_id=listing.organisation_id).exists():
            jobs.enqueue(TELL_FOLLOWERS, listing_id=listing.pk)
        return
    kind = WATCHERS_HEAR_OF.get(action)
    if kind and Watch.objects.filter(listing_id=listing.pk).exists():
        occasion = services.occasion_of(kind, listing, event=uuid.uuid4().hex)
        jobs.enqueue(TELL_WATCHERS, listing_id=listing.pk, kind=kind, occasion=occasion)

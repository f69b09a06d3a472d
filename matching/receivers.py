"""Listens to listings.signals.listing_event: a listing that becomes visible (published,
approved, resumed, renewed) or whose text changed while published is matched, by a job
recorded in the step's own transaction (core.jobs)."""

from django.dispatch import receiver

from core import jobs
from listings.models import EventAction, Listing, Status
from listings.signals import listing_event

from .tasks import MATCH_LISTING

MATCHED_ON = frozenset(
    {EventAction.PUBLISHED, EventAction.APPROVED, EventAction.RESUMED, EventAction.RENEWED}
)


@receiver(listing_event, sender=Listing, dispatch_uid="matching_on_listing_event")
def listing_moved(sender, listing, action, **kwargs):
    edited_while_published = action == EventAction.EDITED and listing.status == Status.PUBLISHED
    if action in MATCHED_ON or edited_while_published:
        jobs.enqueue(MATCH_LISTING, listing_id=listing.pk)

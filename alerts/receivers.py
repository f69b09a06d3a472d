"""Listens to listings.signals.listing_event: a listing that becomes public leaves a job
to find the saved searches it answers (alerts.tasks), in the step's own transaction."""

from django.dispatch import receiver

from core import jobs
from listings.models import EventAction
from listings.signals import listing_event

from .models import SavedSearch

# The steps after which a listing is public: published at once, approved by staff, or
# resumed after a pause (what was sent before is not sent again).
BECOMES_PUBLIC = frozenset({EventAction.PUBLISHED, EventAction.APPROVED, EventAction.RESUMED})


@receiver(listing_event, dispatch_uid="alerts_find_saved_searches")
def listing_became_public(sender, listing, action, **kwargs):
    if action not in BECOMES_PUBLIC:
        return
    # No job where nobody in the region saved a search (an index answers this).
    if SavedSearch.objects.in_region(listing.region_id).active().exists():
        jobs.enqueue("alerts.find_searches", listing_id=listing.pk)

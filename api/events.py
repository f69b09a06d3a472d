"""Which listing events come from the API: while a key's request runs a listing service
(`acting_with(key)`), every ListingEvent the service writes is marked with that key
(ApiListingEvent), without the services knowing about the API."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_save
from django.dispatch import receiver

from listings.models import ListingEvent

from .models import ApiListingEvent

_current_key = ContextVar("api_key", default=None)


@contextmanager
def acting_with(key):
    token = _current_key.set(key)
    try:
        yield
    finally:
        _current_key.reset(token)


@receiver(post_save, sender=ListingEvent, dispatch_uid="api_marks_listing_events")
def _mark_event(sender, instance, created, raw=False, **kwargs):
    key = _current_key.get()
    if created and not raw and key is not None:
        ApiListingEvent.objects.create(event=instance, key=key)

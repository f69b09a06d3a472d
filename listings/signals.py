"""Derived state kept true to its source, however the source changes (the site, the
admin, the scheduled job, a cascade):

- Listing.has_photos follows the photos table;
- a region's *listings generation* changes whenever one of its listings does, and
  invalidates what was cached about its search results (see listings.search);
- the cached category tree (listings.catalogue) is dropped whenever a category or an
  attribute changes.

It also declares `listing_event`, the signal on which higher apps act when a listing
moves in its life (alerts, matching, watch lists).
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from . import catalogue
from .models import Category, CategoryAttribute, Listing, ListingPhoto

# Sent by listings.services for every step of a listing's life, with `listing` and `action`
# (an EventAction: published, renewed, paused, closed, expired, removed, reminded, …; and
# `reserved` when accepted inquiries have taken all of an offer's quantity), inside
# the step's transaction: a receiver records what is to follow (core.jobs.enqueue) so that it
# exists exactly when the step committed, and does nothing slow itself.
listing_event = Signal()


def generation_key(region_id) -> str:
    return f"listings:generation:{region_id}"


def listings_generation(region_id) -> int:
    return cache.get_or_set(generation_key(region_id), time.time_ns, timeout=None)


def listings_changed(region_ids) -> None:
    """Starts a new generation now, and again after the commit: a request between the
    two may have cached counts of the old data under the first new generation."""

    def bump():
        cache.set_many({generation_key(pk): time.time_ns() for pk in set(region_ids)}, None)

    bump()
    transaction.on_commit(bump)


def refresh_has_photos(listing_ids):
    listings = Listing.objects.filter(pk__in=listing_ids)
    listings.update(has_photos=Exists(ListingPhoto.objects.filter(listing=OuterRef("pk"))))
    listings_changed(listings.values_list("region_id", flat=True))


@receiver(post_save, sender=Listing, dispatch_uid="listings_changed_on_save")
@receiver(post_delete, sender=Listing, dispatch_uid="listings_changed_on_delete")
def listing_changed(sender, instance, **kwargs):
    listings_changed([instance.region_id])


@receiver(post_save, sender=ListingPhoto, dispatch_uid="listing_has_photos_on_save")
@receiver(post_delete, sender=ListingPhoto, dispatch_uid="listing_has_photos_on_delete")
def photo_changed(sender, instance, **kwargs):
    refresh_has_photos([instance.listing_id])


@receiver(post_save, sender=Category, dispatch_uid="catalogue_on_category_save")
@receiver(post_delete, sender=Category, dispatch_uid="catalogue_on_category_delete")
@receiver(post_save, sender=CategoryAttribute, dispatch_uid="catalogue_on_attribute_save")
@receiver(post_delete, sender=CategoryAttribute, dispatch_uid="catalogue_on_attribute_delete")
def category_changed(sender, **kwargs):
    catalogue.forget()

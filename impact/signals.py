"""The generation of each region's impact figures: renewed whenever something they are
made of changes, so that impact.figures never serves figures older than the data:

- an outcome (completing an inquiry creates it; the answers and the consent change it);
- an organisation that already existed (its name, its wish to be named): a new one has
  nothing handed over yet;
- a listing's title or visibility (edited, submitted, rejected or removed by moderation):
  the public thank-you notes name it and show only those of listings that were public;
- a pool formed (pools.services.form): the partnerships formed.

Nothing else does, so that new listings and organisations leave the cached figures (and
the home page that shows them) alone."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from inquiries.models import Inquiry, Outcome
from listings.models import EventAction
from listings.signals import listing_event
from organisations.models import Organisation
from pools.models import Pool

# The steps of a listing after which its thank-you notes read or show differently.
CHANGING_NOTES = frozenset(
    {EventAction.EDITED, EventAction.SUBMITTED, EventAction.REJECTED, EventAction.REMOVED}
)


def generation_key(region_id) -> str:
    return f"impact:generation:{region_id}"


def impact_generation(region_id) -> int:
    return cache.get_or_set(generation_key(region_id), time.time_ns, timeout=None)


def impact_changed(region_id) -> None:
    """A new generation now, and again after the commit (as listings.signals does)."""

    def bump():
        cache.set(generation_key(region_id), time.time_ns(), None)

    bump()
    transaction.on_commit(bump)


@receiver([post_save, post_delete], sender=Outcome)
def outcome_changed(sender, instance, **kwargs):
    region_id = (
        Inquiry.objects.filter(pk=instance.inquiry_id).values_list("region_id", flat=True).first()
    )
    if region_id is not None:
        impact_changed(region_id)


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, created, **kwargs):
    if not created:
        impact_changed(instance.region_id)


@receiver(post_delete, sender=Organisation)
def organisation_deleted(sender, instance, **kwargs):
    impact_changed(instance.region_id)


@receiver(listing_event)
def listing_changed(sender, listing, action, **kwargs):
    if action in CHANGING_NOTES:
        impact_changed(listing.region_id)


@receiver([post_save, post_delete], sender=Pool)
def pool_changed(sender, instance, **kwargs):
    if instance.formed_at is not None:
        impact_changed(instance.region_id)

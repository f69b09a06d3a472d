"""Reservations kept true however an inquiry goes away: a deleted organisation takes
its inquiries with it (inquiries have no admin, and no view deletes one)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from listings import services
from listings.models import Listing

from .models import Inquiry, Status


@receiver(post_delete, sender=Inquiry, dispatch_uid="inquiry_gives_back_its_reservation")
def give_back_reservation(sender, instance, **kwargs):
    """An accepted claim that disappears gives its quantity back. (A completed one keeps
    it: that was handed over.)"""
    if instance.status == Status.ACCEPTED and instance.quantity:
        # The listing may be going too (its organisation deleted): then nothing is left to do.
        listing = Listing.objects.filter(pk=instance.listing_id).first()
        if listing is not None:
            services.give_back(listing, instance.quantity)

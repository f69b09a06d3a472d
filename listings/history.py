"""A listing's history: one ListingEvent per step of its life (listings.services writes
them), which the owner, the staff and the moderation log read."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import RegionOwnedQuerySet

from .choices import EventAction


class ListingEventQuerySet(RegionOwnedQuerySet):
    region_lookup = "listing__region"


class ListingEvent(models.Model):
    """One step in a listing's life: who did what, when, and why (moderation reasons)."""

    listing = models.ForeignKey("listings.Listing", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=EventAction)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_staff = models.BooleanField(_("by moderation"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ListingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing event")
        verbose_name_plural = _("listing events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.listing} – {self.get_action_display()}"

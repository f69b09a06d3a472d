"""A person's watch list ("Merkliste"): listings they keep an eye on and organisations
they follow, and the notices they were sent about them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from listings.models import Listing
from organisations.models import Organisation
from regions.models import RegionOwnedQuerySet


class WatchQuerySet(RegionOwnedQuerySet):
    region_lookup = "listing__region"

    def of_user(self, user):
        return self.filter(user=user)


class Watch(models.Model):
    """A listing on a person's watch list: they hear when it is reserved, closed or about
    to expire."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("watched listing")
        verbose_name_plural = _("watched listings")
        constraints = [
            models.UniqueConstraint(fields=["user", "listing"], name="watch_once_per_listing")
        ]
        indexes = [models.Index(fields=["listing"], name="watch_listing_idx")]

    def __str__(self):
        return f"{self.user} → {self.listing}"


class FollowQuerySet(RegionOwnedQuerySet):
    region_lookup = "organisation__region"

    def of_user(self, user):
        return self.filter(user=user)


class Follow(models.Model):
    """An organisation a person follows: they hear when it publishes a new listing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("followed organisation")
        verbose_name_plural = _("followed organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="follow_once_per_organisation"
            )
        ]
        indexes = [models.Index(fields=["organisation"], name="follow_organisation_idx")]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class Notice(models.Model):
    """That a person was told about something that happened to a listing, written in the
    same transaction as the queued mail: a job that runs again tells nobody twice.
    `occasion` names the happening: "new" (an organisation followed published it),
    "closed", "expiring:<end>", "reserved:<event>"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "listing", "occasion"], name="notice_once_per_occasion"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.listing} ({self.occasion})"

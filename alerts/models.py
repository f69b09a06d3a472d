"""Saved searches ("Suchaufträge") and the record of what each has been sent.

A saved search keeps the search page's query string, and in columns the parts of it that
select candidates cheaply when a listing is published (region, category or group,
direction); the rest of the search is kept as plain values (`criteria`) that
alerts.criteria tests against one listing in Python.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Category, Direction, Listing
from regions.models import Region, RegionOwnedQuerySet

# How many searches one person keeps in one region: plenty for anyone, not for a script.
MAX_SEARCHES_PER_REGION = 50


class Frequency(models.TextChoices):
    INSTANT = "instant", _("Immediately")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SavedSearchQuerySet(RegionOwnedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_user(self, user):
        return self.filter(user=user)


class SavedSearch(models.Model):
    """A person's search of one region, mailed to them as new listings match it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=80)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency, default=Frequency.DAILY
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The search page's query string, its known filters only (alerts.criteria).
    query = models.TextField(_("search"), blank=True)
    # What selects the candidates for a newly published listing (an index covers them).
    direction = models.CharField(max_length=10, choices=Direction, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The longest stem of the search words, folded (alerts.criteria): the database keeps
    # only the searches whose word occurs in a new listing's text before Python tests the rest.
    key_word = models.CharField(max_length=200, blank=True)
    # The rest of the search, as plain values (alerts.criteria.matches reads them).
    criteria = models.JSONField(default=dict, blank=True)
    # Listings published before this moment are never sent.
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last mail"), null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(
                fields=["region", "category", "direction"],
                condition=Q(is_active=True),
                name="alerts_candidates_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The search page showing this search."""
        path = reverse("listing_search")
        return f"{path}?{self.query}" if self.query else path

    def absolute_search_url(self):
        """The search on the region's own host, for mails."""
        url = self.region.reverse("listing_search")
        return f"{url}?{self.query}" if self.query else url


class SentListingQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class SentListing(models.Model):
    """One listing found for one saved search: recorded once (a unique pair) when the
    listing is published, marked sent in the transaction that queues its mail. So a
    listing is mailed for a search at most once, however often a job runs."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="found")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    found_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = SentListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing found")
        verbose_name_plural = _("listings found")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "listing"], name="alerts_listing_found_once"
            )
        ]
        indexes = [models.Index(fields=["saved_search", "sent_at"], name="alerts_unsent_idx")]

    def __str__(self):
        return f"{self.saved_search} – {self.listing_id}"


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class DigestSubscription(models.Model):
    """A person's wish to get "Neu in <Region>": the period's new offers and requests of
    the region by group, with its figures, weekly or monthly (alerts.digest)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=DigestFrequency)
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last mail"), null=True, blank=True)

    objects = RegionOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient of the region's news")
        verbose_name_plural = _("recipients of the region's news")
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="alerts_one_digest_per_region")
        ]

    def __str__(self):
        return f"{self.region} – {self.get_frequency_display()}"

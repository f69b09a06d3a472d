"""Offers and requests that fit each other, and who wants to hear of them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from listings.models import Listing, Status
from regions.models import Region, RegionOwnedQuerySet


class MatchQuerySet(RegionOwnedQuerySet):
    def of_listing(self, listing):
        return self.filter(Q(offer=listing) | Q(request=listing))

    def current(self):
        """Pairs that still fit, both of them published and not past their end."""
        return self.filter(
            is_current=True, offer__status=Status.PUBLISHED, request__status=Status.PUBLISHED
        )


class Match(models.Model):
    """An offer and a request of two organisations of one region that fit each other
    (matching.rules), recorded once per pair when the later of the two was published, in
    the same transaction as the mail to the other one's organisation: a pair is told of
    once, however often matching runs again (renewed, resumed, a job retried)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    distance_km = models.FloatField(_("distance in km"))
    # False once a run for one of the two no longer finds the other (its text changed).
    is_current = models.BooleanField(default=True)
    # Whether a mail about it was queued (nobody to tell, or they turned such mails off).
    told = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["offer", "request"], name="match_once_per_pair")
        ]
        indexes = [models.Index(fields=["request", "offer"], name="match_request_idx")]

    def __str__(self):
        return f"{self.offer} ↔ {self.request}"


class MatchSettings(models.Model):
    """Whether a person gets mails about offers and requests that fit their organisation's
    listings; without a row, they do."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_settings"
    )
    match_mails = models.BooleanField(
        _("A new listing fits one of our organisation's (once for each pair)"), default=True
    )

    class Meta:
        verbose_name = _("matching email settings")
        verbose_name_plural = _("matching email settings")

    def __str__(self):
        return str(self.user)

"""The route of a listing in the category "Transport und Zulademöglichkeit": for an offer
the trip with room to spare (from, to, on a date or every week on a weekday), for a request
the goods to be carried (from, to, by a date), with the load and the vehicle's features.

The free area in m² is the category's attribute "Freie Ladefläche" (`load-space`), asked
by the listing form already; a route adds weight and pallet spaces."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from listings.models import Direction, Listing, Status
from regions.models import Place, Region, RegionOwnedQuerySet

TRANSPORT_CATEGORY = "transport"  # the slug of the category whose listings have a route
LOAD_AREA_ATTRIBUTE = "load-space"


class Weekday(models.IntegerChoices):
    """Python's numbering (date.weekday())."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RouteQuerySet(RegionOwnedQuerySet):
    def current(self, now=None):
        """Of published listings not past their end, still to run (a trip) or to be met
        (a request)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        return self.filter(
            listing__status=Status.PUBLISHED,
            listing__expires_at__gt=now,
            # A listing moved to another category keeps its route, unused.
            listing__category__slug=TRANSPORT_CATEGORY,
        ).filter(
            Q(date__gte=today)
            | Q(date__isnull=True, repeat_until__isnull=True)
            | Q(repeat_until__gte=today)
        )

    def trips(self):
        return self.filter(listing__direction=Direction.OFFER)

    def requests(self):
        return self.filter(listing__direction=Direction.REQUEST)

    def for_results(self):
        return self.select_related("listing__organisation", "origin", "destination")


class Route(models.Model):
    """Where a transport listing goes and when: a trip that has room (an offer) runs on
    `date` or every `weekday` until `repeat_until`; goods to be carried (a request) must
    arrive by `date`. Exactly one of date and weekday is set, a request's always a date."""

    listing = models.OneToOneField(
        Listing, on_delete=models.CASCADE, related_name="route", primary_key=True
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    origin = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday, null=True, blank=True)
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    weight_kg = models.PositiveIntegerField(_("load in kg"), null=True, blank=True)
    pallet_spaces = models.PositiveSmallIntegerField(_("pallet spaces"), null=True, blank=True)
    is_cooled = models.BooleanField(_("cooled"), default=False)
    has_tail_lift = models.BooleanField(_("tail lift"), default=False)

    objects = RouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [
            models.CheckConstraint(
                condition=Q(date__isnull=False, weekday__isnull=True, repeat_until__isnull=True)
                | Q(date__isnull=True, weekday__isnull=False),
                name="route_has_a_date_or_a_weekday",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6) | Q(weekday__isnull=True),
                name="route_weekday_is_valid",
            ),
            models.CheckConstraint(
                condition=~Q(origin=models.F("destination")), name="route_goes_somewhere"
            ),
        ]

    def __str__(self):
        return f"{self.origin.name} → {self.destination.name}"

    @property
    def is_weekly(self) -> bool:
        return self.weekday is not None

    @property
    def load_area_m2(self):
        """The listing's "Freie Ladefläche" (m²), if given."""
        return self.listing.attributes.get(LOAD_AREA_ATTRIBUTE)

    def first_run(self, start: datetime.date, end: datetime.date | None):
        """The first day in [start, end] (end None: open) the trip runs on, or None."""
        if not self.is_weekly:
            if self.date >= start and (end is None or self.date <= end):
                return self.date
            return None
        day = start + datetime.timedelta(days=(self.weekday - start.weekday()) % 7)
        ends = [last for last in (end, self.repeat_until) if last is not None]
        return day if not ends or day <= min(ends) else None

    def load_parts(self) -> list[str]:
        """The load and features as short phrases ("500 kg", "2 pallet spaces", "cooled")."""
        parts = []
        if self.weight_kg:
            parts.append(_("%(kg)s kg") % {"kg": number_format(self.weight_kg)})
        if self.pallet_spaces:
            parts.append(
                ngettext("%(count)d pallet space", "%(count)d pallet spaces", self.pallet_spaces)
                % {"count": self.pallet_spaces}
            )
        if self.load_area_m2:
            parts.append(_("%(area)s m²") % {"area": number_format(self.load_area_m2)})
        offer = self.listing.is_offer
        if self.is_cooled:
            parts.append(_("cooled") if offer else _("needs cooling"))
        if self.has_tail_lift:
            parts.append(_("tail lift") if offer else _("needs a tail lift"))
        return parts

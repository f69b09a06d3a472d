"""The route of a transport listing, asked with the listing (listings.hooks.listing_form),
and the search "von … nach …" of the page /transport/."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.filters import PlaceField
from regions.models import Place

from .models import Route, Weekday

MAX_WEIGHT_KG = 100_000
MAX_PALLET_SPACES = 100
# How far ahead a one-off trip or a request's date may lie; a listing runs 90 days.
LONGEST_AHEAD = datetime.timedelta(days=366)


class Schedule:
    ONCE = "once"
    WEEKLY = "weekly"


def _place_field(label, help_text, region, required_message):
    return PlaceField(
        region=region,
        label=label,
        help_text=help_text,
        max_length=100,
        error_messages={
            "required": required_message,
            "max_length": _(
                "Please enter a postal code or a place name of at most %(limit_value)d characters."
            ),
        },
    )


def _date_field(label, help_text=""):
    """An optional date, picked in the browser's calendar or typed the German way."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={"invalid": _("Please enter a date such as 24.12.2026.")},
    )


def _one_place(field, origin):
    """The one place a route starts or ends at; a postal code several places share needs
    the place's name too."""
    if len(origin.places) > 1:
        options = ", ".join(f"{place.postal_code} {place.name}" for place in origin.places)
        raise ValidationError(
            {field: _("Please enter one of the places: %(options)s.") % {"options": options}}
        )
    return origin.places[0]


class RouteForm(forms.Form):
    """From, to and when; for an offer the trip with room to spare, for a request the goods
    to be carried by a date. Checked with the listing form, saved with the listing."""

    schedule = forms.ChoiceField(
        label=_("The trip runs"),
        choices=[(Schedule.ONCE, _("once, on a date")), (Schedule.WEEKLY, _("every week"))],
        widget=forms.RadioSelect,
        initial=Schedule.ONCE,
        error_messages={"required": _("Please choose whether the trip runs once or weekly.")},
    )
    date = _date_field(_("Date"))
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", _("– choose –")), *Weekday.choices],
        coerce=int,
        required=False,
        help_text=_("Only for a trip that runs every week."),
    )
    repeat_until = _date_field(
        _("Every week until"), _("Optional; only for a trip that runs every week.")
    )
    weight_kg = forms.IntegerField(
        label=_("Load in kg"),
        required=False,
        min_value=1,
        max_value=MAX_WEIGHT_KG,
        help_text=_("Optional."),
        error_messages={
            "invalid": _("Please enter the weight as a whole number of kilograms."),
            "min_value": _("Please enter at least 1 kg, or leave the field empty."),
            "max_value": _("Please enter at most %(limit_value)s kg."),
        },
    )
    pallet_spaces = forms.IntegerField(
        label=_("Pallet spaces"),
        required=False,
        min_value=1,
        max_value=MAX_PALLET_SPACES,
        help_text=_("Optional."),
        error_messages={
            "invalid": _("Please enter the pallet spaces as a whole number."),
            "min_value": _("Please enter at least 1 pallet space, or leave the field empty."),
            "max_value": _("Please enter at most %(limit_value)s pallet spaces."),
        },
    )
    is_cooled = forms.BooleanField(label=_("Cooled"), required=False)
    has_tail_lift = forms.BooleanField(label=_("Tail lift"), required=False)

    def __init__(self, data=None, *, region, is_offer=True, route=None, **kwargs):
        super().__init__(data, prefix="route", **kwargs)
        self.region = region
        self.is_offer = is_offer
        self.route = route
        self.fields["origin"] = _place_field(
            _("From"),
            _("Postal code or place where the trip starts.")
            if is_offer
            else _("Postal code or place where the goods are picked up."),
            region,
            _("Please enter where the trip starts.")
            if is_offer
            else _("Please enter where the goods are picked up."),
        )
        self.fields["destination"] = _place_field(
            _("To"),
            _("Postal code or place where the trip ends.")
            if is_offer
            else _("Postal code or place the goods go to."),
            region,
            _("Please enter where the trip ends.")
            if is_offer
            else _("Please enter where the goods go to."),
        )
        self.order_fields(["origin", "destination"])
        if is_offer:
            self.legend = _("Route and free capacity")
            self.fields["date"].help_text = _("For a trip that runs once.")
            self.fields["weight_kg"].label = _("Free load in kg")
            self.fields["pallet_spaces"].label = _("Free pallet spaces")
            self.fields["is_cooled"].label = _("Cooled vehicle")
            self.fields["has_tail_lift"].label = _("With tail lift")
        else:
            self.legend = _("Route and goods")
            del self.fields["schedule"], self.fields["weekday"], self.fields["repeat_until"]
            self.fields["date"].label = _("To arrive by")
            self.fields["date"].help_text = _("The last day the goods may arrive.")
            self.fields["is_cooled"].label = _("The goods need cooling")
            self.fields["has_tail_lift"].label = _("A tail lift is needed")
        if route is not None:
            self.initial.update(self._initial_of(route))

    @staticmethod
    def _initial_of(route):
        return {
            "origin": f"{route.origin.postal_code} {route.origin.name}",
            "destination": f"{route.destination.postal_code} {route.destination.name}",
            "schedule": Schedule.WEEKLY if route.is_weekly else Schedule.ONCE,
            "date": route.date,
            "weekday": route.weekday,
            "repeat_until": route.repeat_until,
            "weight_kg": route.weight_kg,
            "pallet_spaces": route.pallet_spaces,
            "is_cooled": route.is_cooled,
            "has_tail_lift": route.has_tail_lift,
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("origin", "destination"):
            if cleaned.get(name):
                try:
                    cleaned[name] = _one_place(name, cleaned[name])
                except ValidationError as error:
                    self.add_error(None, error)
                    cleaned.pop(name, None)
        origin, destination = cleaned.get("origin"), cleaned.get("destination")
        if origin and destination and origin == destination:
            self.add_error(
                "destination",
                ValidationError(_("Please enter a place other than the start."), code="same_place"),
            )
        weekly = self.is_offer and cleaned.get("schedule") == Schedule.WEEKLY
        if weekly:
            self._clean_weekly(cleaned)
        else:
            self._clean_date(cleaned)
        return cleaned

    def _clean_date(self, cleaned):
        today = timezone.localdate()
        date = cleaned.get("date")
        if date is None:
            if "date" not in self.errors:
                self.add_error(
                    "date",
                    ValidationError(
                        _("Please enter the date of the trip.")
                        if self.is_offer
                        else _("Please enter the date by which the goods must arrive."),
                        code="required",
                    ),
                )
        elif date < today:
            self.add_error(
                "date", ValidationError(_("The date must not be in the past."), code="past")
            )
        elif date > today + LONGEST_AHEAD:
            self.add_error(
                "date",
                ValidationError(_("Please enter a date within the next year."), code="far"),
            )
        cleaned["weekday"] = cleaned["repeat_until"] = None

    def _clean_weekly(self, cleaned):
        if cleaned.get("weekday") in (None, ""):
            self.add_error(
                "weekday",
                ValidationError(_("Please choose the weekday of the trip."), code="required"),
            )
        until = cleaned.get("repeat_until")
        if until is not None and until < timezone.localdate():
            self.add_error(
                "repeat_until",
                ValidationError(_("The date must not be in the past."), code="past"),
            )
        cleaned["date"] = None

    def save_for(self, listing):
        """Stores the listing's route (called by the listing form's view, in its transaction)."""
        data = self.cleaned_data
        Route.objects.update_or_create(
            listing=listing,
            defaults={
                "region_id": listing.region_id,
                "origin": Place.objects.get(
                    district_key=self.region.district_key,
                    postal_code=data["origin"].postal_code,
                    name=data["origin"].name,
                ),
                "destination": Place.objects.get(
                    district_key=self.region.district_key,
                    postal_code=data["destination"].postal_code,
                    name=data["destination"].name,
                ),
                "date": data["date"],
                "weekday": data["weekday"],
                "repeat_until": data.get("repeat_until"),
                "weight_kg": data["weight_kg"],
                "pallet_spaces": data["pallet_spaces"],
                "is_cooled": data["is_cooled"],
                "has_tail_lift": data["has_tail_lift"],
            },
        )


class LookingFor:
    TRIPS = "trips"
    REQUESTS = "requests"


class RouteSearchForm(forms.Form):
    """ "Von … nach …" with the days the searcher asks about: trips that take goods from one
    place to the other, or requests whose goods a trip from one to the other could take."""

    looking_for = forms.ChoiceField(
        label=_("I am looking for"),
        choices=[
            (LookingFor.TRIPS, _("trips with room for my goods")),
            (LookingFor.REQUESTS, _("goods to take along on my trip")),
        ],
        initial=LookingFor.TRIPS,
        widget=forms.RadioSelect,
        required=False,
    )
    earliest = _date_field(_("From"), _("Empty: from today."))
    latest = _date_field(_("Until"), _("Optional; only when looking for trips."))

    def __init__(self, data=None, *, region, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["origin"] = _place_field(
            _("From"),
            _("Postal code or place"),
            region,
            _("Please enter where the goods start."),
        )
        self.fields["destination"] = _place_field(
            _("To"),
            _("Postal code or place"),
            region,
            _("Please enter where the goods go to."),
        )
        self.fields["earliest"].label = _("Earliest date")
        self.fields["latest"].label = _("Latest date")
        self.order_fields(["origin", "destination", "earliest", "latest", "looking_for"])

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        earliest = max(cleaned.get("earliest") or today, today)
        cleaned["earliest"] = earliest
        latest = cleaned.get("latest")
        if latest is not None and latest < earliest:
            self.add_error(
                "latest",
                ValidationError(
                    _("The latest date must not be before the earliest (or today)."),
                    code="before_earliest",
                ),
            )
        cleaned["looking_for"] = cleaned.get("looking_for") or LookingFor.TRIPS
        return cleaned

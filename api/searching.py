"""The listing list's filters: those of the search page (listings.filtersets.ListingFilter,
the same form and the same rules), the old API's names for some of them, `updated_since`
for portals that sync, and, for a key, its own organisation's listings in every state."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from listings.filtersets import RADIUS_CHOICES, ListingFilter
from listings.models import Status

from .access import own_listings, published_listings
from .errors import InvalidInput, form_errors
from .permissions import key_of

# The old platform's parameter names → the search page's.
ALIASES = {
    "suche": "q",
    "preis_von": "price_min",
    "preis_bis": "price_max",
    "postleitzahl": "near",
    "umkreis_km": "radius",
}
RADII = [km for km, _label in RADIUS_CHOICES]
TRUE = {"1", "true", "yes", "on"}


def _next_radius(value: str) -> str:
    """The old API took any radius; the search offers a few: the next one that covers it."""
    try:
        km = float(value.replace(",", "."))
    except ValueError:
        return value  # the form says what is wrong with it
    return str(next((radius for radius in RADII if radius >= km), RADII[-1]))


def search_data(query):
    """The query with the old names turned into the search page's; → (data, renamed)."""
    data = query.copy()
    renamed = {}
    for old, new in ALIASES.items():
        if old in data:
            values = data.pop(old)
            if new not in data:
                if old == "umkreis_km":
                    values = [_next_radius(value) for value in values]
                data.setlist(new, values)
                renamed[new] = old
    return data, renamed


def updated_since(text: str):
    """An ISO 8601 time (or date); a time without zone is taken as Berlin time."""
    moment = parse_datetime(text) if "T" in text or " " in text else None
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise ValueError
        moment = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _parse_updated_since(text):
    try:
        return updated_since(text)
    except (ValueError, OverflowError) as error:
        raise InvalidInput(
            {
                "updated_since": [
                    _("Please give a date and time as ISO 8601, e.g. 2026-03-01T08:00:00+01:00.")
                ]
            }
        ) from error


def listing_results(request):
    """The filtered, ordered listings of a list request, or InvalidInput."""
    data, renamed = search_data(request.query_params)
    errors = {}
    mine = data.get("mine", "").lower() in TRUE
    if mine and key_of(request) is None:
        errors["mine"] = [_("Only a key shows its organisation's own listings.")]
    status = data.get("status")
    if status and (not mine or status not in Status.values):
        errors["status"] = [
            _("The status filters your own listings (mine=1): one of %(states)s.")
            % {"states": ", ".join(Status.values)}
        ]
    since = data.get("updated_since")
    moment = _parse_updated_since(since) if since else None
    if mine and not errors:
        queryset = own_listings(request)
        queryset = queryset.filter(status=status) if status else queryset
    else:
        queryset = published_listings(request)
    filterset = ListingFilter(data, queryset=queryset, region=request.region)
    if filterset.errors:
        errors.update(form_errors(filterset.form, renamed))
    if errors:
        raise InvalidInput(errors)
    results = filterset.qs
    if moment is not None:
        # Oldest change first, so that a portal can page through and remember the last.
        results = results.filter(updated_at__gte=moment).order_by("updated_at", "pk")
    return results

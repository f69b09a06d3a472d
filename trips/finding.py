"""Which trips carry which goods: the route search "von … nach …", the trips and requests
on a listing's page, and the pairs matching records.

Each is one query: the region's current routes of the other direction, narrowed by the
bounding box of the corridor (trips.routes) on the places' columns; the corridor, the
order, the dates and the load are then checked here, on those rows only.
"""

import datetime
from functools import reduce
from itertools import product
from operator import or_
from typing import NamedTuple

from django.utils import timezone

from .models import TRANSPORT_CATEGORY, Route
from .routes import carries, corridor_box, with_bounds, within_box_of


class Found(NamedTuple):
    route: Route
    detour_km: float  # how far from the route the farther of the two places lies
    runs_on: datetime.date  # a trip's first day in the window, a request's date


def route_of(listing):
    """The listing's route with its places, or None (not every transport listing has one:
    those from before routes existed)."""
    if listing.category.slug != TRANSPORT_CATEGORY:
        return None
    route = Route.objects.select_related("origin", "destination").filter(listing=listing).first()
    if route is not None:
        route.listing = listing
    return route


def without_route(listings):
    """The listings that have no route (matching's words decide only between those)."""
    return listings.filter(route__isnull=True)


def _best_detour(start_places, end_places, pickups, dropoffs):
    """The smallest detour over the places that a postal code may stand for, or None."""
    detours = [
        detour
        for start, end, pickup, dropoff in product(start_places, end_places, pickups, dropoffs)
        if (detour := carries(start, end, pickup, dropoff)) is not None
    ]
    return min(detours, default=None)


def trips_carrying(region, pickups, dropoffs, start, end=None, *, now=None) -> list[Found]:
    """Published trips of the region that pass near a place of `pickups` and then near one
    of `dropoffs`, running on a day in [start, end]; soonest first, then the closest."""
    routes = with_bounds(Route.objects.in_region(region).current(now).trips()).filter(
        corridor_box(pickups, dropoffs)
    )
    found = []
    for route in routes.for_results():
        runs_on = route.first_run(start, end)
        if runs_on is None:
            continue
        detour = _best_detour([route.origin], [route.destination], pickups, dropoffs)
        if detour is not None:
            found.append(Found(route, detour, runs_on))
    return sorted(found, key=lambda item: (item.runs_on, item.detour_km, item.route.pk))


def requests_along(region, starts, ends, start, *, now=None) -> list[Found]:
    """Published requests of the region whose goods go from near a trip from a place of
    `starts` to one of `ends` to a place further along it, due on or after `start`; those
    due soonest first."""
    segments = list(product(starts, ends))
    pickup_box = reduce(or_, (within_box_of(a, b, prefix="origin__") for a, b in segments))
    dropoff_box = reduce(or_, (within_box_of(a, b, prefix="destination__") for a, b in segments))
    routes = (
        Route.objects.in_region(region)
        .current(now)
        .requests()
        .filter(date__gte=start)
        .filter(pickup_box, dropoff_box)
    )
    found = []
    for route in routes.for_results():
        detour = _best_detour(starts, ends, [route.origin], [route.destination])
        if detour is not None:
            found.append(Found(route, detour, route.date))
    return sorted(found, key=lambda item: (item.runs_on, item.detour_km, item.route.pk))


def load_fits(trip: Route, request: Route) -> bool:
    """Whether the trip has room for the request's goods: each measure both give at least
    as large, cooled and with a tail lift where the goods need it."""
    for room, need in (
        (trip.weight_kg, request.weight_kg),
        (trip.pallet_spaces, request.pallet_spaces),
        (trip.load_area_m2, request.load_area_m2),
    ):
        if room is not None and need is not None and room < need:
            return False
    if request.is_cooled and not trip.is_cooled:
        return False
    return not (request.has_tail_lift and not trip.has_tail_lift)


def pair(trip: Route, request: Route, today) -> tuple[float, datetime.date] | None:
    """Whether the trip carries the request's goods on its way, with room for them, on a
    day from today to the request's date: the detour (km) and that day, or None."""
    runs_on = trip.first_run(today, request.date)
    if runs_on is None or not load_fits(trip, request):
        return None
    detour = carries(trip.origin, trip.destination, request.origin, request.destination)
    return None if detour is None else (detour, runs_on)


def counterparts(route: Route, others=None, *, now=None) -> list[Found]:
    """The current routes of the other direction that fit `route` (a trip's requests, a
    request's trips), of the region's listings, or of `others` (a queryset of listings) if
    given; soonest first, then the closest."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Route.objects.in_region(route.region_id).current(now)
    if others is not None:
        candidates = candidates.filter(listing__in=others)
    if route.listing.is_offer:
        candidates = candidates.requests().filter(
            within_box_of(route.origin, route.destination, prefix="origin__"),
            within_box_of(route.origin, route.destination, prefix="destination__"),
        )
    else:
        candidates = with_bounds(candidates.trips()).filter(
            corridor_box([route.origin], [route.destination])
        )
    found = []
    for other in candidates.exclude(pk=route.pk).for_results():
        trip, request = (route, other) if route.listing.is_offer else (other, route)
        fit = pair(trip, request, today)
        if fit is not None:
            found.append(Found(other, *fit))
    return sorted(found, key=lambda item: (item.runs_on, item.detour_km, item.route.pk))

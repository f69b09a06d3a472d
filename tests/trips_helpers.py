"""Helpers for the tests of trips: transport listings of Potsdam-Mittelmark with routes."""

from listings.models import Direction, Terms
from regions.models import Place
from trips.models import Route

from .factories import category, in_days, make_listing


def place(name):
    """A place of Potsdam-Mittelmark by name (the `places` fixture imports them); the first
    of several with one name (Kloster Lehnin has three postal codes)."""
    return Place.objects.filter(district_key="12069", name=name).order_by("postal_code").first()


def make_route(
    organisation,
    origin,
    destination,
    *,
    direction=Direction.OFFER,
    title=None,
    date=None,
    weekday=None,
    attributes=None,
    status=None,
    **fields,
):
    """A transport listing of `organisation` from `origin` to `destination` (place names),
    published unless `status` says otherwise, and its route; a one-off in a week unless a
    date or weekday is given."""
    if date is None and weekday is None:
        date = in_days(7)
    listing = make_listing(
        organisation,
        title or f"Von {origin} nach {destination}",
        direction=direction,
        category=category("transport"),
        terms=Terms.RENT,
        place=place(origin),
        attributes=attributes or {},
        status=status,
    )
    return Route.objects.create(
        listing=listing,
        region=listing.region,
        origin=place(origin),
        destination=place(destination),
        date=date,
        weekday=weekday,
        **fields,
    )


def make_request(organisation, origin, destination, *, date=None, **fields):
    """Goods to be carried from `origin` to `destination` by `date` (in two weeks)."""
    return make_route(
        organisation,
        origin,
        destination,
        direction=Direction.REQUEST,
        date=date or in_days(14),
        **fields,
    )

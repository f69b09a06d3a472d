"""Whether a route passes near two places in the right order: the geometry of trips.

A route is the straight segment between its places' coordinates (no map service: at a
district's scale a road rarely strays far from it). A place lies on the route when its
distance to the segment is at most CORRIDOR_KM; two places lie on it "in the right order"
when the first one's projection onto the segment comes before the second one's.

Coordinates are projected onto a plane around the segment (equirectangular, at the mean
latitude of the segment's ends, with regions.places' constants), which is exact to a few
metres over a district. The database narrows candidates by a bounding box
(`corridor_box`), which SQLite and PostgreSQL answer alike from the places' columns; the
segment's distance is computed here, on those few rows.
"""

import math
from typing import NamedTuple

from django.db.models import Q
from django.db.models.functions import Greatest, Least

from regions.places import KM_PER_DEGREE_LATITUDE, KM_PER_DEGREE_LONGITUDE_AT_EQUATOR

# A van's detour of 10 km each way is worth it at a district's scale (Potsdam-Mittelmark is
# about 80 km across); a fixed width is easier to explain than a share of the trip's length,
# which would let a long trip pick up goods far off its road and a short one almost none.
CORRIDOR_KM = 10.0


class Position(NamedTuple):
    """Where a point lies against a segment: `along` the share of the way from its start
    (0 at the start, 1 at the end, beyond them outside) and `off` its distance in km."""

    along: float
    off_km: float


def position(start, end, point) -> Position:
    """The point's position against the segment start → end (anything with `latitude` and
    `longitude`)."""
    scale_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(
        math.radians((start.latitude + end.latitude) / 2)
    )
    dx = (end.longitude - start.longitude) * scale_x
    dy = (end.latitude - start.latitude) * KM_PER_DEGREE_LATITUDE
    px = (point.longitude - start.longitude) * scale_x
    py = (point.latitude - start.latitude) * KM_PER_DEGREE_LATITUDE
    length_squared = dx * dx + dy * dy
    along = (px * dx + py * dy) / length_squared if length_squared else 0.0
    nearest = min(max(along, 0.0), 1.0)
    return Position(along, math.hypot(px - nearest * dx, py - nearest * dy))


def carries(start, end, pickup, dropoff, corridor_km: float = CORRIDOR_KM) -> float | None:
    """How far (km) the route start → end must stray to take goods from `pickup` to
    `dropoff` (the farther of the two from the segment), or None when either lies outside
    the corridor or the goods would travel against the route's direction."""
    first = position(start, end, pickup)
    second = position(start, end, dropoff)
    if first.off_km > corridor_km or second.off_km > corridor_km:
        return None
    if first.along > second.along:
        return None
    return max(first.off_km, second.off_km)


# The boxes are a little wider than the corridor: `position` measures at the segment's mean
# latitude, a box at its point's, where a degree of longitude may be a little longer.
BOX_MARGIN = 1.05


def _spans(latitude: float, km: float) -> tuple[float, float]:
    """Degrees of latitude and longitude that `km` spans at least, near `latitude`."""
    km *= BOX_MARGIN
    latitude_span = km / KM_PER_DEGREE_LATITUDE
    farthest = min(abs(latitude) + latitude_span, 89.0)
    longitude_span = km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(farthest)))
    return latitude_span, longitude_span


def corridor_box(*groups, km: float = CORRIDOR_KM) -> Q:
    """Routes whose segment's bounding box, widened by `km`, holds a point of each group
    (the places of one postal code are a group): every route that passes within `km` of
    them does. A filter on routes annotated by `with_bounds`."""
    condition = Q()
    for points in groups:
        any_point = Q()
        for point in points:
            latitude_span, longitude_span = _spans(point.latitude, km)
            any_point |= Q(
                route_south__lte=point.latitude + latitude_span,
                route_north__gte=point.latitude - latitude_span,
                route_west__lte=point.longitude + longitude_span,
                route_east__gte=point.longitude - longitude_span,
            )
        condition &= any_point
    return condition


def with_bounds(routes):
    """Route rows annotated with their segment's bounding box (for `corridor_box`)."""
    return routes.annotate(
        route_south=Least("origin__latitude", "destination__latitude"),
        route_north=Greatest("origin__latitude", "destination__latitude"),
        route_west=Least("origin__longitude", "destination__longitude"),
        route_east=Greatest("origin__longitude", "destination__longitude"),
    )


def within_box_of(start, end, km: float = CORRIDOR_KM, prefix: str = "") -> Q:
    """Places (`<prefix>latitude`, `<prefix>longitude`) inside the bounding box of the
    segment start → end widened by `km`: every place within `km` of it is."""
    latitude_span, longitude_span = _spans(max(start.latitude, end.latitude, key=abs), km)
    return Q(
        **{
            f"{prefix}latitude__range": (
                min(start.latitude, end.latitude) - latitude_span,
                max(start.latitude, end.latitude) + latitude_span,
            ),
            f"{prefix}longitude__range": (
                min(start.longitude, end.longitude) - longitude_span,
                max(start.longitude, end.longitude) + longitude_span,
            ),
        }
    )

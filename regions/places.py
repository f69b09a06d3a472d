"""Places (postal codes with coordinates): loading them from the GeoNames copy in
regions/data, a district's places as the search reads them on every request – from
the shared cache, which an import or any change to a place empties for its district –,
the place a form's postal code and name stand for, and the distance between places.

Distances use the equirectangular approximation at the mean latitude of the two points,
exact to a few metres over a district and nothing but arithmetic; Python and SQL compute
the same formula with the same constants, so a distance shown is the one searched with.
A postal code several places share stands for all of them: the distance from it is the
one from the nearest (`nearest_distance_km`)."""

import csv
import math
import re
from pathlib import Path
from typing import NamedTuple

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, FloatField, Func, Q
from django.db.models.functions import Least
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import Place

DATA_FILE = Path(__file__).resolve().parent / "data" / "zipcodes.de.csv"


class UnknownDistrict(ValueError):
    """The district key is malformed or the data has no place for it."""


def read_places(district_key: str) -> list[Place]:
    if not re.fullmatch(r"\d{5}", district_key):
        raise UnknownDistrict(
            _("“%(key)s” is no district key: it has exactly five digits, e.g. 12069.")
            % {"key": district_key}
        )
    places = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        for row in csv.DictReader(data):
            if row["district_key"] == district_key:
                place = Place(
                    postal_code=row["zipcode"],
                    name=row["place"],
                    district_key=district_key,
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                )
                places.setdefault((place.postal_code, place.name), place)
    if not places:
        raise UnknownDistrict(
            _("There are no places for the district key %(key)s.") % {"key": district_key}
        )
    return list(places.values())


@transaction.atomic
def import_places(district_key: str) -> int:
    """Adds the district's places, or updates their coordinates; returns how many there are."""
    places = read_places(district_key)
    Place.objects.bulk_create(
        places,
        update_conflicts=True,
        unique_fields=["postal_code", "name", "district_key"],
        update_fields=["latitude", "longitude"],
    )
    forget_places(district_key)  # bulk_create sends no signals
    return len(places)


# The places of a district, cached ------------------------------------------------------------

PLACES_CACHED_FOR = 24 * 60 * 60  # seconds; an import or a change ends it sooner


class PlaceEntry(NamedTuple):
    """What the search needs of a place; a tuple reads from the cache ten times faster
    than a model instance."""

    postal_code: str
    name: str
    latitude: float
    longitude: float
    pk: int | None = None  # the Place's; None for a point that is no Place


def _places_key(district_key: str) -> str:
    return f"regions:places:v2:{district_key}"  # v2: with the place's pk


def places_of(region) -> tuple[PlaceEntry, ...]:
    """The places of the region's district, in postal code order."""
    key = _places_key(region.district_key)
    places = cache.get(key)
    if places is None:
        rows = Place.objects.in_region(region).values_list(*PlaceEntry._fields)
        places = tuple(PlaceEntry(*row) for row in rows)
        cache.set(key, places, PLACES_CACHED_FOR)
    return places


def forget_places(district_key: str) -> None:
    """Drops the district's cached places, now and after the commit (a request in between
    may have cached the old ones again)."""
    key = _places_key(district_key)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@receiver(pre_save, sender=Place, dispatch_uid="forget_places_of_former_district")
def _place_moving(sender, instance, raw=False, **kwargs):
    """A place given another district key leaves its former district too."""
    if instance.pk and not raw:
        for district_key in Place.objects.filter(pk=instance.pk).values_list(
            "district_key", flat=True
        ):
            forget_places(district_key)


@receiver([post_save, post_delete], sender=Place, dispatch_uid="forget_places_of_district")
def _place_changed(sender, instance, **kwargs):
    forget_places(instance.district_key)


# The place a form names ---------------------------------------------------------------------


def place_in_region(region, postal_code: str, place_name: str) -> Place:
    """The region's place with this postal code (and name, where several share the code).
    Raises ValidationError({field: message}) naming the options when it is not clear."""
    places = list(Place.objects.in_region(region).filter(postal_code=postal_code))
    if not places:
        raise ValidationError(
            {
                "postal_code": ValidationError(
                    _("The postal code %(code)s is not %(in_region)s."),
                    code="postal_code_outside_region",
                    params={"code": postal_code, "in_region": region.name_with_preposition},
                )
            }
        )
    name = place_name.strip().casefold()
    matching = [place for place in places if place.name.casefold() == name]
    if len(places) == 1 and not matching:
        matching = places
    if not matching:
        raise ValidationError(
            {
                "place_name": ValidationError(
                    _("Please enter one of the places with postal code %(code)s: %(places)s."),
                    code="place_ambiguous",
                    params={"code": postal_code, "places": ", ".join(p.name for p in places)},
                )
            }
        )
    return matching[0]


# Distance -----------------------------------------------------------------------------------

KM_PER_DEGREE_LATITUDE = 110.57
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.32


def distance_km(origin, destination) -> float:
    """Kilometres between two points (anything with `latitude` and `longitude`: a Place,
    a PlaceEntry, a search origin)."""
    mean_latitude = math.radians((origin.latitude + destination.latitude) / 2)
    dx = (
        (destination.longitude - origin.longitude)
        * KM_PER_DEGREE_LONGITUDE_AT_EQUATOR
        * math.cos(mean_latitude)
    )
    dy = (destination.latitude - origin.latitude) * KM_PER_DEGREE_LATITUDE
    return math.hypot(dx, dy)


class DistanceKm(Func):
    """distance_km from a fixed origin to the row's coordinates, in SQL: the same formula,
    written out once. Assembled from expression objects (differences, products, a cosine
    and a square root, each coordinate taken twice), it cost more to build and compile on
    every search than the query took to run."""

    output_field = FloatField()

    def __init__(self, origin, latitude, longitude):
        super().__init__(latitude, longitude)
        self.origin = origin

    def as_sql(self, compiler, connection, **extra_context):
        latitude, latitude_params = compiler.compile(self.source_expressions[0])
        longitude, longitude_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"SQRT(POWER(({longitude} - %s) * %s * COS(RADIANS(({latitude} + %s) / 2.0)), 2)"
            f" + POWER(({latitude} - %s) * %s, 2))"
        )
        params = (
            *longitude_params,
            self.origin.longitude,
            KM_PER_DEGREE_LONGITUDE_AT_EQUATOR,
            *latitude_params,
            self.origin.latitude,
            *latitude_params,
            self.origin.latitude,
            KM_PER_DEGREE_LATITUDE,
        )
        return sql, params


def distance_km_expression(origin, prefix: str = ""):
    """distance_km from `origin` to the row's `<prefix>latitude`/`<prefix>longitude`, in SQL."""
    return DistanceKm(origin, F(f"{prefix}latitude"), F(f"{prefix}longitude"))


def nearest_distance_km(origins, destination) -> float:
    """distance_km from the nearest of several origins (the places of one postal code)."""
    return min(distance_km(origin, destination) for origin in origins)


def nearest_distance_km_expression(origins, prefix: str = ""):
    """nearest_distance_km in SQL: the least of the distances from each origin."""
    distances = [distance_km_expression(origin, prefix) for origin in origins]
    return distances[0] if len(distances) == 1 else Least(*distances)


def bounding_boxes(origins, km: float, prefix: str = "") -> Q:
    """The rectangles around several origins: a point within `km` of any lies in one."""
    boxes = Q()
    for origin in origins:
        boxes |= bounding_box(origin, km, prefix)
    return boxes


def bounding_box(origin, km: float, prefix: str = "") -> Q:
    """A rectangle holding every point within `km` of `origin`, which the coordinate columns
    can narrow first. A degree of longitude is shortest at the mean latitude farthest from
    the equator that a point of the rectangle can have with the origin."""
    latitude_span = km / KM_PER_DEGREE_LATITUDE
    farthest_mean_latitude = abs(origin.latitude) + latitude_span / 2
    longitude_span = km / (
        KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(farthest_mean_latitude))
    )
    return Q(
        **{
            f"{prefix}latitude__range": (
                origin.latitude - latitude_span,
                origin.latitude + latitude_span,
            ),
            f"{prefix}longitude__range": (
                origin.longitude - longitude_span,
                origin.longitude + longitude_span,
            ),
        }
    )

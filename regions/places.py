"""Loading places (postal codes with coordinates) from the GeoNames copy in regions/data."""

import csv
import re
from pathlib import Path

from django.db import transaction
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
    return len(places)

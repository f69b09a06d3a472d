"""Migrations listings/0007–0009: the values of the old platform (issue #13).

A database as it was before them – the tree seeded by 0003 and listings holding one
machine kind, one vehicle type, "Lagerart" with yes/no "beheizt"/"gekühlt" and one
place of use – is migrated, and its categories and listings are checked afterwards.
Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from listings.models import CategoryAttribute, Listing, PlaceOfUse

values = importlib.import_module("listings.migrations.0009_old_platform_values")

BEFORE = [("listings", "0006_quantity_reserved")]

OLD_SEEDED_KINDS = [
    "Arbeitsbühnen", "Baumaschinen", "Bohrmaschinen", "Büromöbel", "CNC-Maschinen", "Container",
    "Drehmaschinen", "Druckmaschinen", "Elektrowerkzeuge", "Fördertechnik", "Fräsmaschinen",
    "Gartengeräte", "Gerüste", "Handwerkzeuge", "Hebebühnen", "Holzbearbeitungsmaschinen",
    "IT-Ausstattung", "Kompressoren", "Kühlgeräte", "Küchengeräte", "Landmaschinen",
    "Messgeräte", "Metallbearbeitungsmaschinen", "Paletten", "Pumpen", "Regale",
    "Reinigungsmaschinen", "Schweißgeräte", "Stromerzeuger", "Veranstaltungstechnik",
    "Verpackungsmaschinen", "Werkstatteinrichtung", "Sonstiges",
]  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """The newest migration of every app: going back to BEFORE also unapplied the apps that
    depend on newer listings migrations (matching, watchlist), which must come back too."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_every_kind_seeded_before_maps_to_one_of_the_33_or_is_dropped():
    assert set(values.KIND_MAP) == set(OLD_SEEDED_KINDS)
    assert len(values.MACHINE_KINDS) == 33
    for old, new in values.KIND_MAP.items():
        assert new is None or new in values.MACHINE_KINDS, old
    # The seven the old platform shared with ours keep their name.
    kept = {old for old, new in values.KIND_MAP.items() if old == new}
    assert len(kept) == 7


def test_attributes_of_a_listing_are_converted():
    assert values.converted(
        {"kind": "Kompressoren", "weight": 750, "vehicle-type": "PKW", "area": 20}
    ) == {"kind": ["Bau"], "weight": 750, "vehicle-type": ["PKW"], "area": 20}
    assert values.converted({"kind": "Sonstiges", "age": 3}) == {"age": 3}
    assert values.converted({"storage": "außen", "heated": True, "cooled": True}) == {
        "storage": ["außen", "beheizt", "gekühlt"]
    }
    assert values.converted({"heated": False, "cooled": False}) == {}
    # Converted once, the values stay as they are.
    again = {"kind": ["Bau", "Paletten"], "storage": ["innen"], "vehicle-type": ["LKW"]}
    assert values.converted(again) == again


@pytest.mark.django_db(transaction=True)
def test_migrating_an_old_database_brings_the_old_platforms_values():
    old_apps = migrate(BEFORE)
    Region = old_apps.get_model("regions", "Region")
    Place = old_apps.get_model("regions", "Place")
    Organisation = old_apps.get_model("organisations", "Organisation")
    OldListing = old_apps.get_model("listings", "Listing")
    Category = old_apps.get_model("listings", "Category")
    OldAttribute = old_apps.get_model("listings", "CategoryAttribute")
    assert OldAttribute.objects.filter(key="heated").exists(), "the tree of 0003"

    region = Region.objects.create(name="Potsdam-Mittelmark", slug="pm", district_key="12069")
    place = Place.objects.create(
        postal_code="14513", name="Teltow", district_key="12069", latitude=52.4, longitude=13.3
    )
    organisation = Organisation.objects.create(
        region=region, name="Muster GmbH", place=place, type="company", sector="crafts"
    )

    def old_listing(slug, attributes, place_of_use="provider"):
        return OldListing.objects.create(
            region=region, organisation=organisation, direction="offer",
            category=Category.objects.get(slug=slug), title=slug, description="-",
            terms="rent", place=place, attributes=attributes, place_of_use=place_of_use,
        )  # fmt: skip

    compressor = old_listing("maschinen", {"kind": "Kompressoren", "weight": 750}, "customer")
    other = old_listing("produktionsanlagen", {"kind": "Sonstiges"}, "on-request")
    pallets = old_listing("ausstattung", {"kind": "Paletten"})
    van = old_listing("fahrzeuge", {"vehicle-type": "Transporter", "age": 4})
    cold = old_listing("lager", {"storage": "innen", "cooled": True, "heated": False, "area": 80})
    office = old_listing("gewerberaeume", {"area": 20})

    migrate(latest())

    def attributes(listing):
        return Listing.objects.get(pk=listing.pk).attributes

    assert attributes(compressor) == {"kind": ["Bau"], "weight": 750}
    assert attributes(other) == {}
    assert attributes(pallets) == {"kind": ["Paletten"]}
    assert attributes(van) == {"vehicle-type": ["Transporter"], "age": 4}
    assert attributes(cold) == {"storage": ["innen", "gekühlt"], "area": 80}
    assert attributes(office) == {"area": 20}
    places = dict(Listing.objects.values_list("title", "places_of_use"))
    assert places["maschinen"] == PlaceOfUse.CUSTOMER
    assert places["produktionsanlagen"] == PlaceOfUse.ON_REQUEST
    assert places["ausstattung"] == PlaceOfUse.PROVIDER

    kind = CategoryAttribute.objects.get(key="kind")
    assert (kind.kind, kind.choice_list) == ("multiple", values.MACHINE_KINDS)
    assert CategoryAttribute.objects.get(key="vehicle-type").kind == "multiple"
    storage = CategoryAttribute.objects.get(key="storage")
    assert storage.category.slug == "raeume-flaechen"
    assert storage.choice_list == ["innen", "außen", "beheizt", "gekühlt"]
    assert not CategoryAttribute.objects.filter(key__in=["heated", "cooled"]).exists()
    vehicle_keys = set(
        CategoryAttribute.objects.filter(category__slug="fahrzeuge-transport").values_list(
            "key", flat=True
        )
    )
    assert {"condition", "weight", "dimensions", "age", "power"} <= vehicle_keys


@pytest.mark.django_db(transaction=True)
def test_the_migration_can_be_undone():
    migrate(latest())
    old_apps = migrate(BEFORE)
    assert (
        old_apps.get_model("listings", "CategoryAttribute")
        .objects.filter(key="heated", category__slug="lager")
        .exists()
    )
    migrate(latest())
    assert CategoryAttribute.objects.get(key="storage").category.slug == "raeume-flaechen"


def test_places_of_use_have_the_old_platforms_names():
    with translation.override("de"):
        assert [str(choice.label) for choice in PlaceOfUse] == [
            "Beim Kunden",
            "Am Standort",
            "Auf Anfrage",
        ]

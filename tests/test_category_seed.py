"""The category tree seeded by migration listings/0003: the old platform's categories,
grouped two levels deep, with the extra attributes listings of those categories have.

The expected names and options are written out here rather than imported from the
migration, so that a change to the seed has to be a deliberate change to these tests.
"""

import importlib

import pytest
from django.apps import apps as django_apps

from listings.catalogue import attribute_definitions
from listings.models import AttributeKind, Category, CategoryAttribute

pytestmark = pytest.mark.django_db

seed_categories = importlib.import_module("listings.migrations.0003_seed_categories")

# The old platform's categories, as the requirement names them.
OLD_PLATFORM_CATEGORIES = [
    "Maschinen",
    "Produktionsanlagen",
    "Werkzeug",
    "Ausstattung",
    "Fahrzeuge",
    "Transport und Zulademöglichkeit",
    "Lager",
    "Gewerberäume",
    "Produktionsräume",
    "Sitzungs- und Veranstaltungsräume",
    "Fachkraft",
    "Aushilfe",
    "Azubi",
    "Saisonarbeiter",
]
MACHINE_CATEGORIES = ["Maschinen", "Produktionsanlagen", "Werkzeug", "Ausstattung"]
VEHICLE_CATEGORIES = ["Fahrzeuge", "Transport und Zulademöglichkeit"]
ROOM_CATEGORIES = ["Lager", "Gewerberäume", "Produktionsräume", "Sitzungs- und Veranstaltungsräume"]

VEHICLE_TYPES = [
    "Anhänger",
    "Gabelstapler",
    "PKW",
    "Bagger",
    "Kran",
    "Transporter",
    "Baufahrzeuge",
    "LKW",
    "Sonstiges",
]
# The old platform's machine and equipment kinds, exactly these (issue #13).
MACHINE_KINDS = [
    "Ameisen",
    "Arbeitsbühnen",
    "Aufzug- und Hebetechnik",
    "Bau",
    "Bauaufzüge",
    "Büroausstattung",
    "Energieerzeugung",
    "EUR",
    "Gastronomiebedarf",
    "Gerüste und Leitern",
    "Haus und Garten",
    "Hebebühnen",
    "Heizung und Sanitärtechnik",
    "IBC",
    "Installation",
    "Labortechnik",
    "Lagern und Heben",
    "Messen und Qualitätssicherung",
    "Paletten",
    "Produktionsmaschinen",
    "Rampen",
    "Recycling & Entsorgung",
    "Regale",
    "Reinigung",
    "Reinigungsmaschinen",
    "Schreibtisch",
    "Schränke",
    "Stühle",
    "Transport Handling",
    "Trennwände",
    "Verkehrstechnik",
    "Verpackungsmaschinen",
    "Werkstatteinrichtung",
]
DONATED_THINGS = ["Möbel und Einrichtung", "IT und Technik", "Material und Restposten"]


def leaf(name):
    return Category.objects.leaves().select_related("parent").get(name=name)


def attributes_of(name):
    """The extra fields a listing in the category has (its group's and its own), by key."""
    return {attribute.key: attribute for attribute in attribute_definitions(leaf(name))}


# The tree ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OLD_PLATFORM_CATEGORIES)
def test_each_old_platform_category_is_a_leaf_within_a_top_level_group(name):
    category = leaf(name)

    assert category.is_active
    assert category.parent.is_group, "its group sits at the top"
    assert not category.children.exists(), "listings are filed under it, it holds nothing"


def test_the_tree_has_two_levels_and_no_group_inside_a_group():
    assert not Category.objects.filter(parent__parent__isnull=False).exists()
    # Every group holds categories, so a listing can be filed somewhere in each.
    assert not Category.objects.top_level().filter(children__isnull=True).exists()


def test_related_old_categories_share_a_group():
    def group_of(names):
        return {leaf(name).parent for name in names}

    assert len(group_of(MACHINE_CATEGORIES)) == 1
    assert len(group_of(VEHICLE_CATEGORIES)) == 1
    assert len(group_of(ROOM_CATEGORIES)) == 1
    assert len(group_of(["Fachkraft", "Aushilfe", "Azubi", "Saisonarbeiter"])) == 1
    assert len(group_of(OLD_PLATFORM_CATEGORIES)) == 4


@pytest.mark.parametrize("name", ["Kooperation & Investition", "Spenden & Verschenken"])
def test_cooperation_and_donations_are_groups_of_their_own(name):
    group = Category.objects.top_level().get(name=name)

    assert group.is_active
    assert group.children.exists()
    assert not group.children.filter(name__in=OLD_PLATFORM_CATEGORIES).exists()


# The attributes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", VEHICLE_CATEGORIES)
def test_vehicle_type_offers_exactly_the_nine_types_several_at_once(name):
    vehicle_type = attributes_of(name)["vehicle-type"]

    assert vehicle_type.kind == AttributeKind.MULTIPLE
    assert vehicle_type.is_filterable
    assert vehicle_type.choice_list == VEHICLE_TYPES


@pytest.mark.parametrize("name", MACHINE_CATEGORIES)
def test_machine_kind_offers_exactly_the_old_platforms_33_kinds_several_at_once(name):
    kind = attributes_of(name)["kind"]

    assert kind.kind == AttributeKind.MULTIPLE
    assert kind.is_filterable
    assert kind.choice_list == MACHINE_KINDS
    assert len(kind.choice_list) == 33


@pytest.mark.parametrize("name", ROOM_CATEGORIES)
def test_every_room_category_has_the_storage_features_as_one_attribute(name):
    attributes = attributes_of(name)

    storage = attributes["storage"]
    assert storage.kind == AttributeKind.MULTIPLE
    assert storage.label == "Raummerkmale"
    assert storage.choice_list == ["innen", "außen", "beheizt", "gekühlt"]
    assert storage.is_filterable
    assert "heated" not in attributes
    assert "cooled" not in attributes
    assert list(attributes)[:2] == ["area", "storage"]


@pytest.mark.parametrize(
    ("names", "key", "kind", "unit"),
    [
        (MACHINE_CATEGORIES + VEHICLE_CATEGORIES + DONATED_THINGS, "weight", "number", "kg"),
        (MACHINE_CATEGORIES + VEHICLE_CATEGORIES + ["IT und Technik"], "power", "number", "kWh"),
        (ROOM_CATEGORIES, "area", AttributeKind.NUMBER, "m²"),
        (
            MACHINE_CATEGORIES + VEHICLE_CATEGORIES + ["Möbel und Einrichtung", "IT und Technik"],
            "age",
            AttributeKind.NUMBER,
            "Jahre",
        ),
        (MACHINE_CATEGORIES + VEHICLE_CATEGORIES + DONATED_THINGS, "dimensions", "text", ""),
        (MACHINE_CATEGORIES + VEHICLE_CATEGORIES + DONATED_THINGS, "condition", "choice", ""),
    ],
)
def test_measured_attributes_have_their_kind_and_unit(names, key, kind, unit):
    for name in names:
        attribute = attributes_of(name)[key]
        assert (attribute.kind, attribute.unit) == (kind, unit), name


def test_time_donations_weigh_nothing():
    assert not {"weight", "dimensions", "age", "power"} & set(attributes_of("Zeit und Know-how"))


def test_weight_and_area_can_be_filtered_by():
    assert attributes_of("Maschinen")["weight"].is_filterable
    assert attributes_of("Fahrzeuge")["weight"].is_filterable
    assert attributes_of("Lager")["area"].is_filterable


def test_every_seeded_choice_has_at_least_two_options():
    choices = CategoryAttribute.objects.filter(
        kind__in=[AttributeKind.CHOICE, AttributeKind.MULTIPLE]
    )

    assert choices.exists()
    assert all(len(attribute.choice_list) >= 2 for attribute in choices)


# Seeding ----------------------------------------------------------------------------------


def test_seeding_again_adds_no_duplicates():
    def snapshot():
        return (
            sorted(Category.objects.values_list("pk", "parent_id", "slug", "name")),
            sorted(CategoryAttribute.objects.values_list("pk", "category_id", "key", "choices")),
        )

    before = snapshot()

    seed_categories.seed(django_apps, schema_editor=None)
    seed_categories.seed(django_apps, schema_editor=None)

    assert snapshot() == before
    assert Category.objects.filter(name="Maschinen").count() == 1
    assert CategoryAttribute.objects.filter(key="vehicle-type").count() == 1

"""The rules inside the search that its pages show only in part: how a place a visitor
types is found and named, the rectangle that narrows a radius search before the exact
distance, the order of the category tree, and a stable order for listings published in
the same instant."""

import math
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from listings.facets import category_tree, newest_by_direction
from listings.indexing import fold
from listings.models import Category, Listing
from listings.search import (
    Origin,
    find_places,
    has_search_words,
    origin_of,
    search_stems,
)
from listings.search import stem as search_stem
from regions.places import (
    KM_PER_DEGREE_LATITUDE,
    KM_PER_DEGREE_LONGITUDE_AT_EQUATOR,
    PlaceEntry,
    bounding_box,
    bounding_boxes,
    distance_km,
    nearest_distance_km,
)

from .factories import make_listing

pytestmark = pytest.mark.django_db

BELZIG = PlaceEntry("14806", "Belzig", 52.1417, 12.5951)


def corners(box: Q) -> dict:
    return dict(box.children)


@pytest.mark.parametrize("km", [5, 25])
def test_the_rectangle_around_a_radius_holds_the_circle_and_little_more(km):
    box = corners(bounding_box(BELZIG, km, "place__"))
    south, north = box["place__latitude__range"]
    west, east = box["place__longitude__range"]

    km_per_degree_longitude = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(
        math.radians(BELZIG.latitude)
    )
    assert (north - BELZIG.latitude) * KM_PER_DEGREE_LATITUDE == pytest.approx(km)
    assert (BELZIG.latitude - south) * KM_PER_DEGREE_LATITUDE == pytest.approx(km)
    assert km <= (east - BELZIG.longitude) * km_per_degree_longitude <= km * 1.01
    assert km <= (BELZIG.longitude - west) * km_per_degree_longitude <= km * 1.01


# Places a visitor types ------------------------------------------------------------------------


@pytest.mark.usefixtures("places")
def test_one_letter_names_no_place_but_two_letters_may(pm):
    assert find_places(pm, "B") == []
    assert find_places(pm, " ü ") == []
    two = find_places(pm, "Ot")
    assert two, "some place of Potsdam-Mittelmark has 'ot' in its name"
    assert all("ot" in fold(place.name) for place in two)


def entry(code, name, latitude=52.0, longitude=12.0):
    return PlaceEntry(code, name, latitude, longitude)


def test_one_place_is_named_by_its_postal_code_and_name():
    belzig = entry("14806", "Belzig", 52.1, 12.6)
    assert origin_of([belzig]) == Origin("14806 Belzig", (belzig,))


def test_the_places_of_one_postal_code_are_named_by_the_code_and_each_is_searched_around():
    places = [entry("14806", "Belzig", 52.0, 12.0), entry("14806", "Lütte", 52.2, 12.4)]
    origin = origin_of(places)
    assert origin.label == "14806"
    assert origin.places == tuple(places)


def test_the_distance_from_several_places_is_the_one_from_the_nearest():
    west, east = entry("14542", "West", 52.0, 12.0), entry("14542", "Ost", 52.0, 13.0)
    near_east = entry("14999", "Nahe Ost", 52.0, 12.9)
    assert nearest_distance_km([west, east], near_east) == distance_km(east, near_east)
    assert nearest_distance_km([west, east], near_east) < 10


def test_the_rectangles_around_several_places_hold_each_of_them():
    west, east = entry("14542", "West", 52.0, 12.0), entry("14542", "Ost", 52.0, 13.0)
    boxes = bounding_boxes([west, east], 5, "place__")
    assert boxes.connector == Q.OR
    assert boxes.children == [bounding_box(west, 5, "place__"), bounding_box(east, 5, "place__")]


def test_one_name_under_several_postal_codes_is_named_by_the_name():
    origin = origin_of([entry("14797", "Kloster Lehnin"), entry("14778", "Kloster Lehnin")])
    assert origin.label == "Kloster Lehnin"


def test_several_names_under_several_postal_codes_are_named_by_the_first_name():
    origin = origin_of([entry("14822", "Brück"), entry("14806", "Belzig")])
    assert origin.label == "Belzig"


# Order ---------------------------------------------------------------------------------------


def test_the_category_tree_follows_the_operators_positions_then_the_names(pm):
    groups = list(Category.objects.filter(parent=None, is_active=True).order_by("position"))
    first, second = groups[0], groups[1]
    # Two groups at the same position fall back to their names.
    Category.objects.filter(pk=second.pk).update(position=first.position, name="AAA zuerst")
    second.children.update(position=9)  # after the first group's: the name must decide
    # Within a group: the position first, then the name.
    children = list(first.children.filter(is_active=True).order_by("position"))
    first.children.update(position=5)
    Category.objects.filter(pk=children[-1].pk).update(position=1, name="AAA")
    Category.objects.filter(pk=children[0].pk).update(position=1, name="ZZZ")

    tree = category_tree(pm)

    assert [group.pk for group in tree[:2]] == [second.pk, first.pk]
    first_in_tree = next(group for group in tree if group.pk == first.pk)
    assert [child.pk for child in first_in_tree.children_with_counts[:2]] == [
        children[-1].pk,
        children[0].pk,
    ]


def test_listings_published_in_the_same_instant_show_the_later_one_first(pm, organisation):
    make_listing(organisation, "Erstes")
    second = make_listing(organisation, "Zweites")
    third = make_listing(organisation, "Drittes")
    Listing.objects.update(published_at=timezone.now())

    newest = newest_by_direction(pm, 2)["offer"]

    assert [listing.pk for listing in newest] == [third.pk, second.pk]


def test_the_newest_are_picked_by_publication_not_by_creation(pm, organisation):
    published_last = make_listing(organisation, "Zuletzt veröffentlicht")
    make_listing(organisation, "Zuletzt angelegt")
    Listing.objects.filter(pk=published_last.pk).update(
        published_at=timezone.now() + timedelta(hours=1)
    )

    newest = newest_by_direction(pm, 1)["offer"]

    assert [listing.pk for listing in newest] == [published_last.pk]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("maschinen", "maschin"),  # the longest ending first
        ("maschine", "maschin"),
        ("hause", "haus"),  # four letters remain: enough
        ("haus", "haus"),  # three would remain: too few
        ("kran", "kran"),
        ("bagger", "bagg"),
        ("regal", "regal"),  # no ending to strip
    ],
)
def test_a_word_loses_one_common_german_ending_if_enough_remains(word, stem):
    assert search_stem(word) == stem


def test_search_results_published_in_the_same_instant_show_the_later_one_first(
    pm_client, organisation
):
    earlier = make_listing(organisation, "Regal")
    later = make_listing(organisation, "Regal")
    Listing.objects.update(published_at=timezone.now())

    page = pm_client.get("/listings/", {"q": "Regal"}).context["page"].object_list

    assert [listing.pk for listing in page] == [later.pk, earlier.pk]


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [
        ("Bagger bagger BAGGER", ["bagg"], []),  # each word once
        ("Kran und Bagger", ["kran", "bagg"], []),  # stop words dropped, the order kept
        ("bagger -kran -kräne", ["bagg"], ["kran"]),  # "kräne" folds and stems to "kran"
        ("bagger -bagger", ["bagg"], []),  # a word both asked for and ruled out stays asked
        ("-kran", [], ["kran"]),
        ("„Gabelstapler“, bitte!", ["gabelstapl", "bitt"], []),
    ],
)
def test_a_query_asks_for_each_word_once_and_rules_out_the_minus_words(text, wanted, unwanted):
    assert search_stems(text) == (wanted, unwanted)


@pytest.mark.parametrize(("text", "asks"), [("Bagger", True), ("und -kran", False), ("!!!", False)])
def test_only_a_text_with_a_word_to_find_is_a_search(text, asks):
    assert has_search_words(text) is asks

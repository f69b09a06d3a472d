"""Judged queries: a small region of realistic listings and, for each query, the listings
that must come first (in that order, or as a set where their order is a tie) and those
that must be found at all. A change to the search that moves them shows up here, on
SQLite and on PostgreSQL alike.

Where a word occurs decides: title before description before only the category, group or
organisation. The listings matching in a weaker part are published *later*, so an order
by date alone would put them first and fail."""

import pytest

from .factories import category, make_listing, make_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("places")]

LOGISTICS = "Logistik Werder"

# (title, description, category slug, organisation), oldest first.
LISTINGS = [
    (
        "Gabelstapler Linde H30 zu vermieten",
        "Diesel, drei Tonnen Tragkraft.",
        "maschinen",
        LOGISTICS,
    ),
    ("Lagerhalle 400 m² in Werder", "Beheizt, mit Rampe und Rolltor.", "gewerberaeume", LOGISTICS),
    ("Lagerfläche im Gewerbepark", "Trocken und ebenerdig.", "gewerberaeume", LOGISTICS),
    ("Büroräume zur Untermiete", "Zwei Räume, hell und möbliert.", "gewerberaeume", LOGISTICS),
    ("Kühltransport nach Berlin", "Freie Kapazität, zweimal die Woche.", "transport", LOGISTICS),
    (
        "Palettenregale abzugeben",
        "Für die Lagerhalle, mit dem Gabelstapler befahrbar.",
        "ausstattung",
        LOGISTICS,
    ),
    ("Hubwagen", "Wie ein kleiner Stapler, für enge Gänge.", "werkzeug", LOGISTICS),
    ("Schreibtisch Eiche", "Passt in jedes Buero.", "moebel", LOGISTICS),
    (
        "Transporter mit Kühlung",
        "Für Kühltransporte bis 2 Tonnen geeignet.",
        "fahrzeuge",
        LOGISTICS,
    ),
    ("Beamer leihweise", "Für Präsentationen.", "it-technik", "Büro Schmidt"),
    ("Halle in Brück", "Ebenerdig, mit Rampe.", "lager", LOGISTICS),
    ("Strassenkehrmaschine", "Für Höfe und Parkplätze.", "maschinen", LOGISTICS),
]

# query → the titles that must lead, in order; a set where the order among them is a tie.
JUDGED = [
    ("Gabelstapler", ["Gabelstapler Linde H30 zu vermieten", "Palettenregale abzugeben"]),
    ("gabelstapler linde", ["Gabelstapler Linde H30 zu vermieten"]),
    ("Stapler", ["Gabelstapler Linde H30 zu vermieten", {"Palettenregale abzugeben", "Hubwagen"}]),
    (
        "Lager",
        [
            {"Lagerhalle 400 m² in Werder", "Lagerfläche im Gewerbepark"},
            "Palettenregale abzugeben",
            "Halle in Brück",
        ],
    ),
    ("Lagerhalle", ["Lagerhalle 400 m² in Werder", "Palettenregale abzugeben"]),
    ("Buero", ["Büroräume zur Untermiete", "Schreibtisch Eiche", "Beamer leihweise"]),
    ("büro", ["Büroräume zur Untermiete", "Schreibtisch Eiche", "Beamer leihweise"]),
    ("kuehltransport", ["Kühltransport nach Berlin", "Transporter mit Kühlung"]),
    ("Straßenkehrmaschine", ["Strassenkehrmaschine"]),
    ("Rampe", [{"Lagerhalle 400 m² in Werder", "Halle in Brück"}]),
]


@pytest.fixture
def region_listings(pm, owner):
    organisations = {}
    for title, description, slug, name in LISTINGS:
        if name not in organisations:
            organisations[name] = make_organisation(pm, name)
        make_listing(organisations[name], title, description=description, category=category(slug))


def leading(response):
    return [listing.title for listing in response.context["page"].object_list]


def assert_leads(found, judged, query):
    position = 0
    for expected in judged:
        group = expected if isinstance(expected, set) else {expected}
        assert set(found[position : position + len(group)]) == group, (query, found)
        position += len(group)


@pytest.mark.parametrize(("query", "judged"), JUDGED, ids=[query for query, _ in JUDGED])
def test_judged_queries_put_the_best_matches_first(pm_client, region_listings, query, judged):
    response = pm_client.get("/listings/", {"q": query})
    assert response.context["filter"].order == "relevance"
    assert_leads(leading(response), judged, query)


def test_without_a_query_the_newest_come_first(pm_client, region_listings):
    response = pm_client.get("/listings/")
    assert leading(response)[0] == LISTINGS[-1][0]


def test_newest_first_can_be_chosen_with_a_query(pm_client, region_listings):
    response = pm_client.get("/listings/", {"q": "Gabelstapler", "sort": "newest"})
    assert leading(response) == ["Palettenregale abzugeben", "Gabelstapler Linde H30 zu vermieten"]

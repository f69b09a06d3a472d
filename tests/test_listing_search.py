"""The search page /listings/: full text (German stems, umlauts folded, on SQLite and
PostgreSQL), distance from a place, every filter, the counts beside them, sorting,
pagination – only published listings of the host's region, and never a 500."""

import io
import math
import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from listings import browse, indexing, services
from listings import search as search_module
from listings.filtersets import RADIUS_CHOICES, ListingFilter
from listings.models import (
    AttributeKind,
    Audience,
    CategoryAttribute,
    Direction,
    Listing,
    ListingPhoto,
    Status,
    Terms,
)
from listings.signals import listings_changed
from organisations.models import OrganisationType, Sector
from regions.models import Place

from .factories import category, make_listing, make_organisation, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("places")]

SEARCH = "/listings/"
ON_POSTGRES = connection.vendor == "postgresql"


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


def titles(response):
    return [listing.title for listing in response.context["page"].object_list]


def errors(response):
    return response.context["form"].errors


def kilometres(a, b):
    """Great-circle distance, to check the page's approximation against."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def photo_of(listing, position=0):
    image = io.BytesIO()
    Image.new("RGB", (8, 6), "green").save(image, "PNG")
    upload = SimpleUploadedFile("foto.png", image.getvalue(), content_type="image/png")
    return ListingPhoto.objects.create(
        listing=listing, image=upload, alt_text="Ein grünes Bild", position=position
    )


@pytest.fixture
def furniture():
    """A category whose name and group share no word with the listings below."""
    return category("moebel")


# Who sees what ------------------------------------------------------------------------------


def test_anonymous_visitors_see_the_published_listings_newest_first(pm_client, organisation):
    make_listing(organisation, "Älterer Bagger")
    make_listing(organisation, "Neuer Anhänger")
    response = search(pm_client)
    assert titles(response) == ["Neuer Anhänger", "Älterer Bagger"]
    html = response.content.decode()
    found = ngettext("%(count)s listing found", "%(count)s listings found", 2) % {"count": 2}
    assert f'<h2 id="results-title">{found}' in html
    title = ngettext("%(count)s listing", "%(count)s listings", 2) % {"count": 2}
    assert f"<title>{title} –" in html


@pytest.mark.parametrize(
    "status",
    [Status.DRAFT, Status.PENDING, Status.PAUSED, Status.CLOSED, Status.EXPIRED, Status.REMOVED],
)
def test_listings_that_are_not_published_never_appear(pm_client, organisation, status):
    make_listing(organisation, "Sichtbarer Bagger")
    make_listing(organisation, "Versteckter Bagger", status=status)
    assert titles(search(pm_client)) == ["Sichtbarer Bagger"]
    assert titles(search(pm_client, q="Versteckter")) == []


def test_another_regions_listings_never_appear(pm_client, ohv_client, organisation, ohv):
    make_listing(organisation, "Bagger aus Teltow")
    make_listing(make_organisation(ohv, "Havelbau Oranienburg"), "Bagger aus Oranienburg")
    assert titles(search(pm_client, q="Bagger")) == ["Bagger aus Teltow"]
    assert titles(search(ohv_client, q="Bagger")) == ["Bagger aus Oranienburg"]
    assert "Oranienburg" not in search(pm_client).content.decode()


# Full text ----------------------------------------------------------------------------------


def test_a_plural_finds_the_singular_and_back(pm_client, organisation, furniture):
    make_listing(organisation, "Gebrauchte Maschine", category=furniture, description="Läuft.")
    make_listing(organisation, "Zwei Sägemaschinen", category=furniture, description="Laufen.")
    make_listing(organisation, "Schreibtisch", category=furniture, description="Eiche.")
    found = set(titles(search(pm_client, q="Maschinen")))
    assert "Gebrauchte Maschine" in found
    assert "Schreibtisch" not in found
    assert "Gebrauchte Maschine" in titles(search(pm_client, q="maschine"))
    assert "Zwei Sägemaschinen" in titles(search(pm_client, q="Sägemaschine"))


@pytest.mark.parametrize("query", ["Gerät", "gerat", "Gerat", "GERÄT", "Geräte"])
def test_umlauts_and_case_do_not_matter(pm_client, organisation, furniture, query):
    make_listing(organisation, "Gerät zum Verleihen", category=furniture, description="Gut.")
    make_listing(organisation, "Schrank", category=furniture, description="Eiche.")
    assert titles(search(pm_client, q=query)) == ["Gerät zum Verleihen"]


def test_a_query_with_umlauts_finds_text_written_without(pm_client, organisation, furniture):
    make_listing(organisation, "Grosse Kuhltruhe", category=furniture, description="Alt.")
    assert titles(search(pm_client, q="Kühltruhe")) == ["Grosse Kuhltruhe"]
    assert titles(search(pm_client, q="große kühltruhe")) == ["Grosse Kuhltruhe"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Buero", "Büroräume zu vermieten"),
        ("büro", "Bueroraeume im Altbau"),
        ("kuehltransport", "Kühltransport nach Berlin"),
        ("Kühltransport", "Kuehltransport nach Potsdam"),
        ("Strasse", "Straßenfest-Zelt"),
        ("Straße", "Strassenbesen"),
        ("Groesse", "Größe XL"),
        ("Aerzte", "Ärztekoffer"),
    ],
)
def test_umlauts_spelled_out_are_the_umlauts(pm_client, organisation, furniture, query, title):
    make_listing(organisation, title, category=furniture, description="Gut erhalten.")
    make_listing(organisation, "Schrank", category=furniture, description="Eiche.")
    assert titles(search(pm_client, q=query)) == [title]


@pytest.mark.parametrize(
    ("query", "compounds"),
    [
        ("Lager", ["Lagerhalle mit Rampe", "Lagerfläche frei", "Kleines Hochregallager"]),
        ("Stapler", ["Gabelstapler zu vermieten", "Hochhubstapler"]),
        ("Regal", ["Palettenregale", "Kleines Hochregallager"]),
    ],
)
def test_a_word_finds_the_compounds_built_on_it(
    pm_client, organisation, furniture, query, compounds
):
    everything = [
        "Lagerhalle mit Rampe",
        "Lagerfläche frei",
        "Kleines Hochregallager",
        "Gabelstapler zu vermieten",
        "Hochhubstapler",
        "Palettenregale",
        "Schreibtisch",
    ]
    for title in everything:
        make_listing(organisation, title, category=furniture, description="Gut erhalten.")
    assert set(titles(search(pm_client, q=query))) == set(compounds)


def test_search_columns_are_folded_alike_on_every_database(organisation, furniture):
    """search_text is the same whether Python (SQLite) or SQL (PostgreSQL) wrote it."""
    listing = make_listing(
        organisation, "Größe Ærger Ÿ", category=furniture, description="Kühl, süß; Smørrebrød."
    )
    listing.refresh_from_db()
    expected = indexing.searchable_text(
        Listing.objects.select_related("category__parent", "organisation").get(pk=listing.pk)
    )
    assert listing.search_text == expected
    assert listing.search_text.startswith("grosse arger y\x1ekuhl, suss; smorrebrod.\x1f")


def test_every_word_must_match(pm_client, organisation, furniture):
    make_listing(organisation, "Rote Werkbank", category=furniture, description="Holz.")
    make_listing(organisation, "Blaue Werkbank", category=furniture, description="Holz.")
    assert titles(search(pm_client, q="rote Werkbank")) == ["Rote Werkbank"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("Hobelbank", "title"),
        ("Furnierpresse", "description"),
        ("Möbel", "category"),
        ("Verschenken", "group"),
        ("Holzwurm", "organisation"),
    ],
)
def test_title_description_category_and_organisation_are_searched(
    pm_client, organisation, furniture, query, where
):
    make_listing(organisation, "Hobelbank", category=furniture, description="Mit Furnierpresse.")
    other = make_organisation(organisation.region, "Schlosserei Eisen")
    make_listing(other, "Drehbank", category=category("werkzeug"), description="Schwer.")
    assert titles(search(pm_client, q=query)) == ["Hobelbank"], where


def test_a_title_match_ranks_above_a_description_match(pm_client, organisation, furniture):
    make_listing(
        organisation, "Regal aus Stahl", category=furniture, description="Fünf Böden, stabil."
    )
    make_listing(
        organisation, "Kisten und Kästen", category=furniture, description="Passen in ein Regal."
    )  # newer, so it leads where there is no rank
    response = search(pm_client, q="Regal")
    assert set(titles(response)) == {"Regal aus Stahl", "Kisten und Kästen"}
    assert response.context["filter"].order == "relevance"
    if ON_POSTGRES:
        assert titles(response) == ["Regal aus Stahl", "Kisten und Kästen"]
    assert titles(search(pm_client, q="Regal", sort="newest"))[0] == "Kisten und Kästen"


@pytest.mark.parametrize(
    "query",
    [
        *["&", "|", "!", "()", ":*", "<->", "'", '"', "\\", "&|!():*<->'\"\\", "a & (b | !c)"],
        *["foo:*", "-", "- -bagger", "nicht", "und oder", "OR", '"unclosed', "ß", "😀"],
    ],
)
def test_search_syntax_characters_never_break_the_page(pm_client, organisation, query):
    make_listing(organisation, "Bagger")
    response = search(pm_client, q=query)
    assert not errors(response)


def test_quotes_are_read_and_a_leading_minus_rules_a_word_out(pm_client, organisation, furniture):
    make_listing(organisation, "Alter Bagger", category=furniture, description="Gelb.")
    make_listing(organisation, "Bagger mit Kran", category=furniture, description="Rot.")
    assert titles(search(pm_client, q='"alter bagger"')) == ["Alter Bagger"]
    assert titles(search(pm_client, q="bagger -kran")) == ["Alter Bagger"]
    assert titles(search(pm_client, q="Hand-Bagger")) == []


def test_a_query_of_only_punctuation_searches_nothing_and_shows_all(pm_client, organisation):
    make_listing(organisation, "Bagger")
    assert titles(search(pm_client, q="!!! ???")) == ["Bagger"]


def test_an_overlong_query_gets_a_german_message_and_is_left_out(pm_client, organisation):
    make_listing(organisation, "Bagger")
    response = search(pm_client, q="Bagger " * 1500)
    [error] = errors(response).as_data()["q"]
    assert error.code == "max_length"
    assert "200" in error.messages[0]
    assert titles(response) == ["Bagger"]
    html = response.content.decode()
    assert "error-summary" in html
    assert f"<title>{_('Error')}:" in html


# Place and distance -------------------------------------------------------------------------


@pytest.fixture
def belzig_and_teltow(pm, owner):
    belzig = make_organisation(pm, "Hof Belzig", place=place("14806", "Belzig"))
    teltow = make_organisation(pm, "Werkstatt Teltow", place=place("14513", "Teltow"))
    make_listing(belzig, "Anhänger in Belzig")
    make_listing(teltow, "Anhänger in Teltow")
    return place("14806", "Belzig"), place("14513", "Teltow")


@pytest.mark.parametrize("km", [km for km, _label in RADIUS_CHOICES])
def test_the_radius_keeps_listings_within_that_distance(pm_client, belzig_and_teltow, km):
    belzig, teltow = belzig_and_teltow
    distance = kilometres(belzig, teltow)
    response = search(pm_client, near="14806 Belzig", radius=km)
    expected = ["Anhänger in Belzig"] + (["Anhänger in Teltow"] if distance <= km else [])
    assert sorted(titles(response)) == sorted(expected)


def test_the_distance_a_listing_page_shows_agrees_with_the_radius_at_its_edge(pm_client, pm):
    """Listings a little inside and a little outside 25 km of Belzig in every direction:
    those the radius keeps say at most 25 km on their page, the others more."""
    km = 25
    belzig = place("14806", "Belzig")
    farm = make_organisation(pm, "Hof Belzig", place=belzig)
    listings = []
    for bearing in range(0, 360, 45):
        for share in (0.99, 0.997, 1.003, 1.01):
            north = km * share * math.cos(math.radians(bearing))
            east = km * share * math.sin(math.radians(bearing))
            edge = Place.objects.create(
                postal_code="14999",
                name=f"Rand {bearing} {share}",
                district_key=pm.district_key,
                latitude=belzig.latitude + north / 111.2,
                longitude=belzig.longitude
                + east / (111.2 * math.cos(math.radians(belzig.latitude))),
            )
            listings.append(make_listing(farm, f"Anhänger {bearing} {share}", place=edge))

    kept = set(titles(search(pm_client, near="14806 Belzig", radius=km)))
    assert 0 < len(kept) - 1 < len(listings), "some of the edge are kept, some not"
    for listing in listings:
        page = pm_client.get(listing.get_absolute_url(), {"near": "14806 Belzig"})
        shown = page.context["distance_km"]
        assert (shown <= km) == (listing.title in kept), (listing.title, shown)


def test_the_two_towns_are_far_apart_in_the_real_data(belzig_and_teltow):
    belzig, teltow = belzig_and_teltow
    assert 50 < kilometres(belzig, teltow) <= 100  # so 50 km parts them and 100 km joins them


def test_cards_show_the_distance_and_nearest_first_sorts_by_it(pm_client, belzig_and_teltow):
    belzig, teltow = belzig_and_teltow
    response = search(pm_client, near="Teltow", radius=100, sort="nearest")
    listings = list(response.context["page"].object_list)
    assert [listing.title for listing in listings] == ["Anhänger in Teltow", "Anhänger in Belzig"]
    assert listings[0].distance_km == pytest.approx(0, abs=0.01)
    assert listings[1].distance_km == pytest.approx(kilometres(belzig, teltow), rel=0.01)
    html = response.content.decode()
    assert _("%(km)s km away") % {"km": round(listings[1].distance_km)} in html
    assert _("less than 1 km away") in html


@pytest.mark.parametrize(
    "text", ["Groß Kreutz", "Gross Kreutz", "gross kreutz", "14550 Gross Kreutz", "GROSS KREUTZ"]
)
def test_a_place_name_with_sharp_s_or_umlauts_is_found_spelled_out(pm_client, pm, text):
    response = search(pm_client, near=text, radius=5)
    assert not errors(response), text
    assert response.context["filter"].origin.label == "14550 Groß Kreutz"


@pytest.mark.parametrize("text", ["Brueck", "14822 Brueck", "Bruck"])
def test_a_place_name_with_an_umlaut_spelled_out_is_found(pm_client, pm, text):
    response = search(pm_client, near=text, radius=5)
    assert not errors(response), text
    assert response.context["filter"].origin.label == "14822 Brück"


def test_a_place_name_is_found_whatever_its_case_and_umlauts(pm_client, pm, owner):
    bruck = make_organisation(pm, "Brücker Bau", place=place("14822", "Brück"))
    make_listing(bruck, "Anhänger in Brück")
    for text in ["Brück", "brück", "BRUCK", "Bad Brück", "14822 Brück", "14822 bruck"]:
        response = search(pm_client, near=text, radius=5)
        assert not errors(response), text
        assert response.context["filter"].origin.label == "14822 Brück", text
        assert titles(response) == ["Anhänger in Brück"], text


@pytest.fixture
def werder_schwielowsee_lehnin(pm, owner):
    """A listing in each of the three places of postal code 14542, far apart."""
    listings = {}
    for name in ("Werder (Havel)", "Schwielowsee", "Kloster Lehnin"):
        here = make_organisation(pm, f"Betrieb {name}", place=place("14542", name))
        listings[name] = make_listing(here, f"Anhänger in {name}")
    return listings


def test_the_real_data_has_three_places_under_14542_more_than_5_km_apart(pm):
    werder, schwielowsee, lehnin = (
        place("14542", name) for name in ("Werder (Havel)", "Schwielowsee", "Kloster Lehnin")
    )
    assert Place.objects.in_region(pm).filter(postal_code="14542").count() == 3
    assert kilometres(lehnin, werder) > 10 and kilometres(lehnin, schwielowsee) > 10
    assert kilometres(werder, schwielowsee) > 3


def test_a_postal_code_finds_what_lies_near_any_of_its_places(
    pm_client, werder_schwielowsee_lehnin
):
    for radius in (5, 25):
        response = search(pm_client, near="14542", radius=radius)
        assert not errors(response)
        assert response.context["filter"].origin.label == "14542"
        assert set(titles(response)) == {
            "Anhänger in Werder (Havel)",
            "Anhänger in Schwielowsee",
            "Anhänger in Kloster Lehnin",
        }, radius
        for listing in response.context["page"].object_list:
            assert listing.distance_km == pytest.approx(0, abs=0.01), "from its own place"


def test_the_place_field_suggests_each_place_of_a_shared_postal_code(
    pm_client, pm, werder_schwielowsee_lehnin
):
    """The browser's own suggestions (a <datalist>, no script of ours) offer every place of
    the region, the three of 14542 each on its own; choosing one searches around it only."""
    from html.parser import HTMLParser

    class Suggestions(HTMLParser):
        def __init__(self):
            super().__init__()
            self.input_list, self.lists = None, {}
            self._open = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") == "near":
                self.input_list = attrs.get("list")
            elif tag == "datalist":
                self._open = self.lists.setdefault(attrs["id"], [])
            elif tag == "option" and self._open is not None:
                self._open.append(attrs["value"])

        def handle_endtag(self, tag):
            if tag == "datalist":
                self._open = None

    page = Suggestions()
    page.feed(search(pm_client).content.decode())
    offered = page.lists[page.input_list]
    assert {"14542 Werder (Havel)", "14542 Schwielowsee", "14542 Kloster Lehnin"} <= set(offered)
    assert len(offered) == Place.objects.in_region(pm).count()
    response = search(pm_client, near="14542 Kloster Lehnin", radius=5)
    assert not errors(response)
    assert titles(response) == ["Anhänger in Kloster Lehnin"]


def test_a_postal_code_finds_as_much_as_its_places_together(pm_client, pm, owner):
    """Listings around each place of 14542, a little within and beyond 5 km: the code finds
    exactly what the three place names find between them."""
    farm = make_organisation(pm, "Hof", place=place("14542", "Werder (Havel)"))
    for name in ("Werder (Havel)", "Schwielowsee", "Kloster Lehnin"):
        middle = place("14542", name)
        for share in (0.9, 1.1):
            for bearing in (0, 90, 180, 270):
                north = 5 * share * math.cos(math.radians(bearing))
                east = 5 * share * math.sin(math.radians(bearing))
                edge = Place.objects.create(
                    postal_code="14999",
                    name=f"Bei {name} {bearing} {share}",
                    district_key=pm.district_key,
                    latitude=middle.latitude + north / 111.2,
                    longitude=middle.longitude
                    + east / (111.2 * math.cos(math.radians(middle.latitude))),
                )
                make_listing(farm, f"Anhänger bei {name} {bearing} {share}", place=edge)
    by_name = set()
    for name in ("Werder (Havel)", "Schwielowsee", "Kloster Lehnin"):
        by_name |= set(titles(search(pm_client, near=f"14542 {name}", radius=5)))
    by_code = set(titles(search(pm_client, near="14542", radius=5)))
    assert by_code == by_name
    everything = set(Listing.objects.values_list("title", flat=True))
    inside = {title for title in everything if "0.9" in title}
    assert len(inside) == 12 and inside <= by_code, "every place's surroundings are searched"
    assert everything - by_code, "but nothing beyond the radius of them all"


def test_the_listing_page_measures_from_the_nearest_place_of_the_postal_code(
    pm_client, werder_schwielowsee_lehnin
):
    lehnin = werder_schwielowsee_lehnin["Kloster Lehnin"]
    page = pm_client.get(lehnin.get_absolute_url(), {"near": "14542"})
    assert page.context["distance_km"] == pytest.approx(0, abs=0.01)
    assert page.context["distance_from"] == "14542"
    page = pm_client.get(lehnin.get_absolute_url(), {"near": "14542 Werder (Havel)"})
    assert page.context["distance_km"] == pytest.approx(
        kilometres(place("14542", "Werder (Havel)"), place("14542", "Kloster Lehnin")), rel=0.01
    )


def test_each_place_of_a_postal_code_can_be_chosen_on_its_own(
    pm_client, werder_schwielowsee_lehnin
):
    response = search(pm_client, near="14542 Schwielowsee", radius=5)
    assert response.context["filter"].origin.label == "14542 Schwielowsee"
    assert "Anhänger in Schwielowsee" in titles(response)
    assert "Anhänger in Kloster Lehnin" not in titles(response)


def test_an_unknown_postal_code_gets_a_message_at_the_field(pm_client, belzig_and_teltow):
    response = search(pm_client, near="99999")
    assert "99999" in errors(response)["near"][0]
    assert "Potsdam-Mittelmark" in errors(response)["near"][0]
    assert len(titles(response)) == 2, "the rest of the search still answers"


def test_a_postal_code_of_another_region_is_unknown_here(pm_client, belzig_and_teltow):
    assert "near" in errors(search(pm_client, near="16515"))  # Oranienburg, Oberhavel


def test_a_name_shared_by_places_with_different_postal_codes_asks_which(pm_client, pm):
    codes = set(
        Place.objects.in_region(pm)
        .filter(name="Kloster Lehnin")
        .values_list("postal_code", flat=True)
    )
    assert len(codes) > 1, "the real data has Kloster Lehnin under several postal codes"
    message = errors(search(pm_client, near="Kloster Lehnin"))["near"][0]
    assert all(code in message for code in codes)


def test_without_a_place_nearest_first_falls_back_to_newest(pm_client, belzig_and_teltow):
    response = search(pm_client, sort="nearest")
    assert response.context["filter"].order == "newest"
    assert titles(response) == ["Anhänger in Teltow", "Anhänger in Belzig"]


# Filters ------------------------------------------------------------------------------------


def test_direction_filter(pm_client, organisation):
    make_listing(organisation, "Biete Bagger")
    make_listing(organisation, "Suche Bagger", direction=Direction.REQUEST)
    assert titles(search(pm_client, direction="offer")) == ["Biete Bagger"]
    assert titles(search(pm_client, direction="request")) == ["Suche Bagger"]


def test_a_group_selects_all_its_categories_and_a_category_only_its_own(pm_client, organisation):
    make_listing(organisation, "Bohrmaschine", category=category("maschinen"))
    make_listing(organisation, "Hammer", category=category("werkzeug"))
    make_listing(organisation, "Lagerhalle", category=category("lager"))
    assert set(titles(search(pm_client, category="maschinen-ausstattung"))) == {
        "Bohrmaschine",
        "Hammer",
    }
    assert titles(search(pm_client, category="werkzeug")) == ["Hammer"]


def test_a_choice_attribute_filters_within_the_category(pm_client, organisation):
    make_listing(organisation, "Neue Säge", attributes={"condition": "Neu"})
    make_listing(organisation, "Alte Säge", attributes={"condition": "Defekt"})
    response = search(pm_client, category="maschinen", **{"attr-condition": "Neu"})
    assert titles(response) == ["Neue Säge"]
    assert 'name="attr-condition"' in response.content.decode()
    # The group's attributes are offered for the whole group too.
    response = search(pm_client, category="maschinen-ausstattung", **{"attr-condition": "Defekt"})
    assert titles(response) == ["Alte Säge"]


def test_several_values_filter_by_any_of_the_ticked(pm_client, organisation):
    make_listing(organisation, "Palettenregal", attributes={"kind": ["Paletten", "Regale"]})
    make_listing(organisation, "Stapler", attributes={"kind": ["Ameisen"]})
    make_listing(organisation, "Schreibtisch", attributes={"kind": ["Schreibtisch"]})
    make_listing(organisation, "Ohne Art")
    # Stored before several were allowed: one value, not a list.
    make_listing(organisation, "Altes Regal", attributes={"kind": "Regale"})
    params = {"category": "maschinen-ausstattung"}
    assert set(titles(search(pm_client, **params, **{"attr-kind": "Regale"}))) == {
        "Palettenregal",
        "Altes Regal",
    }
    assert set(titles(search(pm_client, **params, **{"attr-kind": ["Ameisen", "Paletten"]}))) == {
        "Palettenregal",
        "Stapler",
    }
    response = search(pm_client, **params)
    assert len(titles(response)) == 5
    # Tick boxes, one per kind, with the old platform's names.
    html = response.content.decode()
    assert html.count('type="checkbox" name="attr-kind"') == 33
    assert 'value="Recycling &amp; Entsorgung"' in html


def test_storage_features_are_one_filter_on_every_room_category(pm_client, organisation):
    storage, hall = category("lager"), category("produktionsraeume")
    make_listing(organisation, "Kühllager", category=storage, attributes={"storage": ["gekühlt"]})
    make_listing(organisation, "Warme Halle", category=hall, attributes={"storage": ["beheizt"]})
    make_listing(organisation, "Freifläche", category=storage, attributes={"storage": ["außen"]})
    both = {"attr-storage": ["beheizt", "gekühlt"]}
    assert set(titles(search(pm_client, category="raeume-flaechen", **both))) == {
        "Kühllager",
        "Warme Halle",
    }
    assert titles(search(pm_client, category="produktionsraeume", **both)) == ["Warme Halle"]
    html = search(pm_client, category="lager").content.decode()
    assert html.count('name="attr-storage"') == 4
    assert 'name="attr-heated"' not in html
    assert 'name="attr-cooled"' not in html


def test_listings_filter_by_the_sector_of_their_organisation(pm_client, organisation, pm):
    organisation.sector = Sector.CRAFTS
    organisation.save()
    builders = make_organisation(pm, "Bau GmbH", sector=Sector.CONSTRUCTION)
    make_listing(organisation, "Hobelbank")
    make_listing(builders, "Rüttelplatte")
    assert titles(search(pm_client, sector=Sector.CONSTRUCTION)) == ["Rüttelplatte"]
    assert titles(search(pm_client, sector=Sector.CRAFTS)) == ["Hobelbank"]
    response = search(pm_client, sector="raumfahrt")
    assert set(errors(response)) == {"sector"}
    # All 17 sectors are offered, among the further filters.
    html = response.content.decode()
    select = re.search(r'<select name="sector".*?</select>', html, re.S).group()
    assert select.count("<option") == 18  # and "all sectors"


def test_the_filter_button_counts_the_filters_in_use(pm_client, organisation):
    make_listing(organisation, "Regal", attributes={"kind": ["Regale"]})

    def count_on_button(**params):
        html = search(pm_client, **params).content.decode()
        return re.search(r'class="filter-toggle__count"[^>]*>\s*(\d+)', html)

    assert count_on_button(q="Regal", near="14513") is None, "words and place are no filters"
    params = {"category": "maschinen", "attr-kind": ["Regale", "Paletten"], "free": "on"}
    assert count_on_button(**params).group(1) == "3"


def test_number_attributes_filter_by_range(pm_client, organisation):
    make_listing(organisation, "Leichte Maschine", attributes={"weight": 80})
    make_listing(organisation, "Schwere Maschine", attributes={"weight": 2500})
    make_listing(organisation, "Maschine ohne Angabe")
    params = {"category": "maschinen"}
    assert titles(search(pm_client, **params, **{"attr-weight-min": "100"})) == ["Schwere Maschine"]
    assert titles(search(pm_client, **params, **{"attr-weight-max": "100"})) == ["Leichte Maschine"]
    both = {"attr-weight-min": "50", "attr-weight-max": "2500.5"}
    assert set(titles(search(pm_client, **params, **both))) == {
        "Leichte Maschine",
        "Schwere Maschine",
    }


def test_yes_no_attributes_filter_only_when_ticked(pm_client, organisation):
    storage = category("lager")
    storage.attributes.create(
        key="gated", label="eingezäunt", kind=AttributeKind.BOOLEAN, is_filterable=True
    )
    make_listing(organisation, "Zaun", category=storage, attributes={"gated": True})
    make_listing(organisation, "Offen", category=storage, attributes={"gated": False})
    assert titles(search(pm_client, category="lager", **{"attr-gated": "on"})) == ["Zaun"]
    assert len(titles(search(pm_client, category="lager"))) == 2


def test_attribute_filters_of_other_categories_are_ignored(pm_client, organisation):
    make_listing(organisation, "Minibagger", attributes={"kind": ["Bau"]})
    response = search(pm_client, category="lager", **{"attr-kind": "Bau"})
    assert not errors(response)
    assert 'name="attr-kind"' not in response.content.decode()


def test_a_bad_attribute_value_gets_a_message(pm_client, organisation):
    make_listing(organisation, "Minibagger", attributes={"weight": 900})
    response = search(
        pm_client, category="maschinen", **{"attr-weight-min": "schwer", "attr-kind": "Raketen"}
    )
    assert set(errors(response)) == {"attr-weight-min", "attr-kind"}
    assert titles(response) == ["Minibagger"]


def category_queries(client, params):
    """The queries a search runs on the category tables."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, params).status_code == 200
    return [q["sql"] for q in queries if 'FROM "listings_category' in q["sql"]]


def test_the_category_tree_is_read_once_then_kept_until_it_changes(pm_client, organisation):
    """Every search needs the tree and the selected category's attributes; they are read
    once, then every change – a renamed category, a new or removed filter – shows on the
    very next search."""
    make_listing(organisation, "Minibagger", attributes={"kind": ["Bau"]})
    params = {"category": "maschinen"}
    assert category_queries(pm_client, params)
    assert category_queries(pm_client, params) == []
    assert category_queries(pm_client, {"category": "lager", "q": "Halle"}) == []

    machines = category("maschinen")
    machines.name = "Maschinen und Geräte"
    machines.save()
    assert "Maschinen und Geräte" in search(pm_client, **params).content.decode()

    machines.attributes.create(
        key="year", label="Baujahr", kind=AttributeKind.NUMBER, is_filterable=True, position=9
    )
    assert 'name="attr-year-min"' in search(pm_client, **params).content.decode()
    machines.attributes.get(key="year").delete()
    assert 'name="attr-year-min"' not in search(pm_client, **params).content.decode()

    kind = CategoryAttribute.objects.get(category=machines.parent, key="kind")
    kind.is_filterable = False
    kind.save()
    assert 'name="attr-kind"' not in search(pm_client, **params).content.decode()


def test_terms_filter_takes_several(pm_client, organisation):
    make_listing(organisation, "Zu mieten", terms=Terms.RENT, price=Decimal(10))
    make_listing(organisation, "Zu leihen", terms=Terms.LOAN)
    make_listing(organisation, "Zu verschenken", terms=Terms.GIVE_AWAY)
    response = pm_client.get(SEARCH, {"terms": ["loan", "give-away"]})
    assert set(titles(response)) == {"Zu leihen", "Zu verschenken"}


def test_free_only_and_price_range(pm_client, organisation):
    make_listing(organisation, "Günstig", terms=Terms.RENT, price=Decimal("20"))
    make_listing(organisation, "Teuer", terms=Terms.RENT, price=Decimal("400"))
    make_listing(organisation, "Preis auf Anfrage", terms=Terms.RENT, price=None)
    make_listing(organisation, "Geschenkt", terms=Terms.GIVE_AWAY)
    assert titles(search(pm_client, free="on")) == ["Geschenkt"]
    assert set(titles(search(pm_client, price_max="50"))) == {"Günstig", "Geschenkt"}
    assert titles(search(pm_client, price_min="50")) == ["Teuer"]
    assert titles(search(pm_client, price_min="10", price_max="100")) == ["Günstig"]
    assert "price_min" in errors(search(pm_client, price_min="-5"))
    assert "price_max" in errors(search(pm_client, price_max="viel"))


def test_audience_filter_matches_any_chosen_group(pm_client, organisation):
    make_listing(organisation, "Für Schulen", audience=Audience.EDUCATION)
    make_listing(organisation, "Für Vereine", audience=Audience.ASSOCIATIONS)
    make_listing(organisation, "Für alle")
    response = pm_client.get(SEARCH, {"audience": [Audience.EDUCATION]})
    assert set(titles(response)) == {"Für Schulen", "Für alle"}
    response = pm_client.get(SEARCH, {"audience": [Audience.EDUCATION, Audience.ASSOCIATIONS]})
    assert set(titles(response)) == {"Für Schulen", "Für Vereine", "Für alle"}
    assert "audience" in errors(search(pm_client, audience="3"))


def test_available_on_a_date(pm_client, organisation):
    today = date.today()
    make_listing(organisation, "Immer")
    make_listing(organisation, "Ab morgen", available_from=today + timedelta(days=1))
    make_listing(organisation, "Bis gestern", available_until=today - timedelta(days=1))
    make_listing(
        organisation,
        "Diese Woche",
        available_from=today - timedelta(days=2),
        available_until=today + timedelta(days=2),
    )
    assert set(titles(search(pm_client, available_on=today.isoformat()))) == {
        "Immer",
        "Diese Woche",
    }
    later = (today + timedelta(days=10)).isoformat()
    assert set(titles(search(pm_client, available_on=later))) == {"Immer", "Ab morgen"}


def test_with_photos_only(pm_client, organisation, upload_dirs):
    with_photos = make_listing(organisation, "Mit Fotos")
    photo_of(with_photos)
    photo_of(with_photos, position=1)  # two photos, still one result
    make_listing(organisation, "Ohne Fotos")
    response = search(pm_client, photos="on")
    assert titles(response) == ["Mit Fotos"]
    assert 'alt="Ein grünes Bild"' in response.content.decode()


def test_organisation_type_filter(pm_client, organisation, pm):
    school = make_organisation(pm, "Grundschule Teltow", type=OrganisationType.SCHOOL)
    make_listing(school, "Schulaula")
    make_listing(organisation, "Werkstatt")
    assert titles(search(pm_client, organisation_type="school")) == ["Schulaula"]


def test_filters_combine(pm_client, belzig_and_teltow, organisation):
    belzig = organisation.region.organisations.get(name="Hof Belzig")
    make_listing(belzig, "Anhänger zu verschenken", terms=Terms.GIVE_AWAY)
    make_listing(
        belzig, "Anhänger gesucht", direction=Direction.REQUEST, category=category("fahrzeuge")
    )
    response = search(
        pm_client, q="Anhänger", category="maschinen", near="14806", radius=10, free="on"
    )
    assert titles(response) == ["Anhänger zu verschenken"]


@pytest.mark.parametrize(
    "params",
    [
        {"category": "abc"},
        {"radius": "-5"},
        {"radius": "abc", "near": "Teltow"},
        {"page": "999"},
        {"page": "abc"},
        {"available_on": "notadate"},
        {"direction": "sideways"},
        {"sort": "random"},
        {"terms": "free-lunch"},
        {"organisation_type": "x" * 500},
        {"price_max": "1e400"},
        {"price_min": "1e-20000"},
        {"price_max": "0.000000000000001"},
        {"price_min": "NaN"},
        {"attr-weight-min": "x"},
        {"near": "\x00"},
        {"q": "\x00"},
        {"category": "maschinen", "attr-weight-min": "1e400"},
        {"category": "maschinen", "attr-weight-max": "Infinity"},
        {"category": "maschinen", "attr-weight-min": "1e-20000"},
    ],
)
def test_garbage_parameters_answer_200(pm_client, organisation, params):
    make_listing(organisation, "Bagger")
    response = pm_client.get(SEARCH, params)
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_garbage_values_are_named_at_their_field(pm_client, organisation):
    make_listing(organisation, "Bagger")
    response = search(pm_client, category="abc", radius="-5", available_on="notadate")
    assert set(errors(response)) == {"category", "radius", "available_on"}
    assert titles(response) == ["Bagger"]


# Counts beside the filters ------------------------------------------------------------------


def test_facet_counts_describe_the_results(pm_client, organisation, upload_dirs):
    offer = make_listing(organisation, "Bagger zu vermieten", price=Decimal(50))
    photo_of(offer)
    make_listing(
        organisation, "Bagger zu verschenken", terms=Terms.GIVE_AWAY, audience=Audience.EDUCATION
    )
    make_listing(
        organisation, "Bagger gesucht", direction=Direction.REQUEST, category=category("lager")
    )
    make_listing(organisation, "Kran", category=category("lager"))
    facets = search(pm_client, q="Bagger").context["facets"]
    assert facets.total == 3
    assert facets.directions == {"offer": 2, "request": 1}
    assert facets.terms["rent"] == 2 and facets.terms["give-away"] == 1
    assert facets.audiences[Audience.EDUCATION] == 3
    assert facets.audiences[Audience.COMPANIES] == 2
    assert facets.with_photos == 1
    assert facets.free == 1
    assert facets.categories == {category("maschinen").pk: 2, category("lager").pk: 1}


def test_counts_are_shown_beside_the_options(pm_client, organisation):
    make_listing(organisation, "Bagger")
    make_listing(organisation, "Kran")
    make_listing(organisation, "Lager", category=category("lager"))
    html = search(pm_client).content.decode()
    assert f"{_('Offers')} (3)" in html
    assert f"{_('Requests')} (0)" in html
    assert "Maschinen (2)" in html
    assert "Lager (1)" in html
    # A chosen direction shows no counts: the other one would always read zero.
    html = search(pm_client, direction="offer").content.decode()
    assert f"{_('Requests')} (0)" not in html
    # A chosen category keeps counts only for what lies inside it.
    html = search(pm_client, category="maschinen-ausstattung").content.decode()
    assert "Maschinen (2)" in html
    assert '<option value="lager">Lager</option>' in html


# Sorting and pages --------------------------------------------------------------------------


def test_sort_choices_offer_only_what_applies(pm_client, belzig_and_teltow):
    def choices(**params):
        form = search(pm_client, **params).context["form"]
        return [value for value, _label in form.fields["sort"].widget.choices]

    assert choices() == ["newest", "price"]
    assert choices(q="Anhänger") == ["relevance", "newest", "price"]
    assert choices(q="Anhänger", near="Teltow") == ["relevance", "newest", "nearest", "price"]


def test_price_low_to_high_puts_free_first_and_price_on_request_last(pm_client, organisation):
    make_listing(organisation, "Auf Anfrage", terms=Terms.RENT, price=None)
    make_listing(organisation, "Teuer", terms=Terms.RENT, price=Decimal("90"))
    make_listing(organisation, "Geschenkt", terms=Terms.DONATION, price=None)
    make_listing(organisation, "Billig", terms=Terms.RENT, price=Decimal("5"))
    response = search(pm_client, sort="price")
    assert response.context["filter"].order == "price"
    assert titles(response) == ["Geschenkt", "Billig", "Teuer", "Auf Anfrage"]


def test_pages_hold_twenty_and_keep_every_filter(pm_client, organisation):
    for number in range(23):
        make_listing(
            organisation, f"Bagger {number:02}", terms=[Terms.RENT, Terms.LOAN][number % 2]
        )
    params = {"q": "Bagger", "terms": ["rent", "loan"], "sort": "newest"}
    response = pm_client.get(SEARCH, params)
    assert len(titles(response)) == 20
    assert titles(response)[0] == "Bagger 22"
    next_link = response.context["page"].next_page_number()
    html = response.content.decode()
    href = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert query == {"q": ["Bagger"], "terms": ["rent", "loan"], "sort": ["newest"], "page": ["2"]}
    response = pm_client.get(SEARCH, {**params, "page": next_link})
    assert titles(response) == ["Bagger 02", "Bagger 01", "Bagger 00"]
    assert titles(pm_client.get(SEARCH, {**params, "page": 999})) == titles(response)


def card_titles(response):
    """The titles on the page as sent, which may come from the cache."""
    return re.findall(
        r'<h3[^>]*><a href="/listings/\d+/[^"]*">([^<]+)</a></h3>', response.content.decode()
    )


def test_each_page_of_a_search_shows_its_own_cards_cached_or_not(pm_client, organisation):
    for number in range(23):
        make_listing(organisation, f"Bagger {number:02}")
    first = ["Bagger 22", "Bagger 21"]
    last = ["Bagger 02", "Bagger 01", "Bagger 00"]
    for _round in range(2):  # the second round is served from the cache
        assert card_titles(search(pm_client, q="Bagger"))[:2] == first
        assert card_titles(search(pm_client, q="Bagger", page=2)) == last
        assert card_titles(search(pm_client, q="Bagger", page=999)) == last
        # Beyond any number Python reads, and not a number: the first page.
        for odd in ("9" * 5000, "abc", "1.5"):
            assert card_titles(search(pm_client, q="Bagger", page=odd))[:2] == first
        # Out of range either way: the last page, as Django's paginator has it.
        assert card_titles(search(pm_client, q="Bagger", page=0)) == last
        assert card_titles(search(pm_client, q="Bagger", sort="newest", page=2)) == last


@pytest.mark.parametrize(
    ("read", "region_size"), [(5, 10_000), (21, 10_000), (400, 10_000), (400, 0)]
)
def test_a_text_search_counts_and_pages_alike_however_many_matches_it_reads_at_once(
    pm_client, organisation, monkeypatch, read, region_size
):
    """A text search reads its first matches in order for the counts and the page at once
    (browse.MATCHES_READ); one that finds more, or searches a region larger than a
    district's, counts by a query of its own."""
    monkeypatch.setattr(browse, "MATCHES_READ", read)
    monkeypatch.setattr(search_module, "SCAN_REGION_UP_TO", region_size)
    for number in range(23):
        make_listing(
            organisation, f"Bagger {number:02}", terms=[Terms.RENT, Terms.LOAN][number % 2]
        )
    make_listing(organisation, "Kran")
    response = search(pm_client, q="Bagger")
    facets = response.context["facets"]
    assert (facets.total, facets.terms["rent"], facets.terms["loan"]) == (23, 12, 11)
    assert card_titles(response)[:2] == ["Bagger 22", "Bagger 21"]
    assert len(card_titles(response)) == 20
    assert card_titles(search(pm_client, q="Bagger", page=2)) == [
        "Bagger 02",
        "Bagger 01",
        "Bagger 00",
    ]


def test_a_text_search_around_a_place_shows_each_cards_distance(
    pm_client, organisation, belzig_and_teltow, monkeypatch
):
    belzig, teltow = belzig_and_teltow
    monkeypatch.setattr(browse, "MATCHES_READ", 400)
    response = search(pm_client, q="Anhänger", near="14513 Teltow", radius=100, sort="nearest")
    distances = {c.title: c.distance_km for c in response.context["page"].object_list}
    assert distances["Anhänger in Teltow"] == pytest.approx(0, abs=0.01)
    # The approximation the radius filter uses, within 0.5 % of the great circle.
    assert distances["Anhänger in Belzig"] == pytest.approx(kilometres(belzig, teltow), rel=0.005)
    assert response.context["facets"].total == 2


# An empty result and the feed link ----------------------------------------------------------


def test_an_empty_result_suggests_what_to_change(pm_client, belzig_and_teltow):
    response = search(pm_client, q="Anhänger", near="14513", radius=5, free="on")
    assert titles(response) == []
    html = response.content.decode()
    assert _("No listing matches this search.") in html
    assert 'href="/listings/?q=Anh%C3%A4nger"' in html  # without the filters
    assert "radius=10" in html  # a wider circle
    assert "?category=maschinen-ausstattung" in html


def test_the_page_links_its_feed(pm_client, organisation):
    make_listing(organisation, "Bagger")
    html = search(pm_client, q="Bagger", direction="offer", page=1).content.decode()
    feed = "/listings/feed/?q=Bagger&amp;direction=offer"
    label = _("This search as a feed")
    head = f'<link rel="alternate" type="application/atom+xml" title="{label}" href="{feed}">'
    assert head in html
    assert f'<a href="{feed}" type="application/atom+xml">{label}</a>' in html


# Queries ------------------------------------------------------------------------------------


def count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_results(
    pm_client, belzig_and_teltow, upload_dirs, pm
):
    """Measured twice each time: first with the counts and fragments to compute (a
    listing of the region changed), then as cached for the same search."""
    params = {"q": "Anhänger", "category": "maschinen", "near": "14806", "radius": 50}
    count_queries(pm_client, params)  # the first request caches the host's region
    listings_changed([pm.pk])
    few = count_queries(pm_client, params), count_queries(pm_client, params)
    belzig = pm.organisations.get(name="Hof Belzig")
    for number in range(30):
        other = make_organisation(pm, f"Betrieb {number}", place=place("14822", "Brück"))
        listing = make_listing(other if number % 2 else belzig, f"Anhänger Nummer {number}")
        photo_of(listing)
    many = count_queries(pm_client, params), count_queries(pm_client, params)
    assert many == few
    uncached, cached = few
    # With the database cache, each cache write is a few queries of its own (on
    # PostgreSQL also the region's size, which decides how a text is searched).
    assert cached < uncached <= 33
    # Cached: the host's region, the category tree, the listings generation, the counts
    # with filters and cards in one read, and the district's places.
    assert cached <= 5


def test_cached_results_and_counts_follow_every_change_to_the_listings(
    pm_client, organisation, owner
):
    """The counts and result cards are cached per search until a listing of the region
    changes: a new one, a paused one, a renamed organisation all show at once."""
    first = make_listing(organisation, "Anhänger mit Plane")
    assert titles(search(pm_client, q="Anhänger")) == ["Anhänger mit Plane"]
    make_listing(organisation, "Anhänger für Pferde")
    response = search(pm_client, q="Anhänger")
    assert sorted(titles(response)) == ["Anhänger für Pferde", "Anhänger mit Plane"]
    assert response.context["page"].paginator.count == 2
    services.pause(first, owner)
    page = search(pm_client, q="Anhänger").content.decode()
    assert "Anhänger für Pferde" in page
    assert "Anhänger mit Plane" not in page  # nor in the cached cards
    organisation.name = "Hofladen Sonnenschein"
    organisation.save()
    indexing.reindex(organisation.listings.values_list("pk", flat=True))
    assert "Hofladen Sonnenschein" in search(pm_client, q="Sonnenschein").content.decode()


def test_unknown_parameters_and_their_order_share_the_cached_counts(pm_client, organisation):
    """Junk parameters or another order must not multiply the cached counts."""
    make_listing(organisation, "Anhänger mit Plane")
    first = search(pm_client, q="Anhänger", direction="offer")
    second = pm_client.get(SEARCH + "?direction=offer&junk=1&q=Anh%C3%A4nger&more=2")
    assert first.context["search_cache_key"] == second.context["search_cache_key"]
    third = search(pm_client, q="Anhänger", direction="request")
    assert third.context["search_cache_key"] != first.context["search_cache_key"]


# Order ----------------------------------------------------------------------------------------


@pytest.fixture
def published_out_of_creation_order(organisation):
    """Two listings alike in every word; the one created first was published last."""
    first_created = make_listing(organisation, "Palettenregal", description="Palettenregal.")
    make_listing(organisation, "Palettenregal ", description="Palettenregal.")
    Listing.objects.filter(pk=first_created.pk).update(
        published_at=timezone.now() + timedelta(hours=1)
    )
    return first_created


@pytest.mark.parametrize("params", [{}, {"q": "Palettenregal"}, {"sort": "newest"}])
def test_newest_means_last_published_not_last_created(
    pm_client, published_out_of_creation_order, params
):
    page = list(search(pm_client, **params).context["page"].object_list)
    assert len(page) == 2
    assert page[0].pk == published_out_of_creation_order.pk


def test_cards_without_a_photo_show_their_groups_drawing(pm_client, organisation):
    make_listing(organisation, "Kühlraum", category=category("lager"))
    make_listing(organisation, "Hobelbank")
    html = search(pm_client).content.decode()
    drawings = re.findall(r'<img class="card__illustration" src="([^"]+)" alt=""', html)
    assert sorted(drawing.rsplit("/", 1)[-1] for drawing in drawings) == [
        "maschinen-ausstattung.svg",
        "raeume-flaechen.svg",
    ]


# Typos ----------------------------------------------------------------------------------------


def test_a_mistyped_word_that_finds_nothing_suggests_the_known_one(pm_client, organisation):
    make_listing(organisation, "Gabelstapler zu vermieten", description="Diesel.")
    make_listing(organisation, "Kühlschrank", description="Gebraucht.")
    response = search(pm_client, q="Gabelstabler", near="Teltow", radius=100)
    assert titles(response) == []
    assert response.context["suggestion"] == "Gabelstapler"
    html = response.content.decode()
    link = re.search(r'class="did-you-mean">(.*?)</p>', html).group(1)
    assert "Gabelstapler</a>" in link
    assert parse_qs(
        urlsplit(re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")).query
    ) == {
        "q": ["Gabelstapler"],
        "near": ["Teltow"],
        "radius": ["100"],
    }
    followed = search(pm_client, q="Gabelstapler", near="Teltow", radius=100)
    assert titles(followed) == ["Gabelstapler zu vermieten"]


def test_only_the_unknown_word_of_a_query_is_corrected(pm_client, organisation):
    make_listing(organisation, "Gabelstapler zu vermieten", description="Diesel, Linde.")
    make_listing(organisation, "Kühlschrank", description="Gebraucht.")
    assert search(pm_client, q="Kuhlschrank Linde").context["suggestion"] == ""
    assert search(pm_client, q="Gabelstpler diesel").context["suggestion"] == "Gabelstapler diesel"


def test_nothing_close_suggests_nothing(pm_client, organisation):
    make_listing(organisation, "Gabelstapler zu vermieten")
    response = search(pm_client, q="Zirkuszelt")
    assert titles(response) == []
    assert not response.context["suggestion"]
    assert "did-you-mean" not in response.content.decode()


def test_a_search_that_finds_something_suggests_nothing(pm_client, organisation):
    make_listing(organisation, "Gabelstapler zu vermieten")
    assert search(pm_client, q="Gabelstapler").context["suggestion"] is None


def test_suggestions_come_from_the_regions_published_listings_only(pm_client, organisation, ohv):
    make_listing(organisation, "Hubwagen", status=Status.DRAFT)
    make_listing(make_organisation(ohv, "Oberhavel GmbH"), "Hubwagen")
    assert not search(pm_client, q="Hubwaagen").context["suggestion"]


def test_a_known_word_that_its_filters_leave_without_results_is_not_corrected(
    pm_client, organisation
):
    """Nothing found for the filters, not for the word: no suggestion, and no look for
    similar words (on PostgreSQL a trigram search of every listing of the region)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_listing(organisation, "Gabelstapler zu vermieten")
    with CaptureQueriesContext(connection) as queries:
        response = search(pm_client, q="Gabelstapler", direction="request")
    assert titles(response) == []
    assert not response.context["suggestion"]
    assert not [q["sql"] for q in queries.captured_queries if "%>" in q["sql"]]


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite suggests the words of titles only")
def test_on_postgresql_the_words_of_descriptions_are_suggested_too(pm_client, organisation):
    make_listing(organisation, "Hubwagen", description="Mit Deichselwaage.")
    assert search(pm_client, q="Deichselwage").context["suggestion"] == "Deichselwaage"


# Small regions read their rows --------------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="only PostgreSQL has the text indexes to avoid")
def test_a_small_region_is_searched_row_by_row_and_finds_the_same(
    pm_client, pm, organisation, monkeypatch
):
    """A region of a few thousand listings is searched by reading its rows rather than
    through the indexes of every region's text (tests/bench/national.py); the results
    and their order are the same either way."""
    from listings import search as search_module

    make_listing(organisation, "Gabelstapler zu vermieten", description="Diesel, Linde.")
    make_listing(organisation, "Lagerhalle beheizt", description="Mit Stapler.")
    make_listing(organisation, "Büro in Werder", description="Hell.")
    make_listing(organisation, "Häuser streichen", description="Maler gesucht.")
    queries = ["Stapler", "Lager", "Buero", "Haus", "gabelstapler -diesel", "Linde Diesel"]

    def answers():
        """Each query's titles, and whether its SQL read the rows (COALESCE) instead."""
        listings_changed([pm.pk])  # nothing cached from the other way
        found, row_by_row = {}, set()
        for query in queries:
            with CaptureQueriesContext(connection) as captured:
                found[query] = titles(search(pm_client, q=query))
            if any("COALESCE" in q["sql"] for q in captured.captured_queries):
                row_by_row.add(query)
        return found, row_by_row

    small, read_rows = answers()
    assert read_rows == set(queries)
    monkeypatch.setattr(search_module, "SCAN_REGION_UP_TO", 0)
    large, read_rows = answers()
    assert read_rows == set()
    assert small == large
    assert small["Stapler"] == ["Gabelstapler zu vermieten", "Lagerhalle beheizt"]
    assert small["Buero"] == ["Büro in Werder"] and small["gabelstapler -diesel"] == []


def test_each_search_has_form_fields_of_its_own(pm, places):
    """A search's form takes its fields uncopied (ListingFilter.get_form_class): they must be
    made for that search alone, or one search's counts would show in the next."""
    published = Listing.objects.in_region(pm).published()
    first, second = (
        ListingFilter(QueryDict("category=maschinen"), queryset=published, region=pm)
        for _search in range(2)
    )
    assert first.attribute_fields  # the category's own filters too
    for name, field in first.form.fields.items():
        assert field is not second.form.fields[name]
        assert field.widget is not second.form.fields[name].widget
    first.form.fields["terms"].choices = [("rent", "Vermietung (99)")]
    assert "(99)" not in str(second.form["terms"])

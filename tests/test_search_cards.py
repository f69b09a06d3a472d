"""Where the cache is Redis, each listing's card is rendered once for every search that
shows it (listings.cards.result_cards): a search renders, and reads from the database,
only the cards no search showed before, while the place searched around, the distance,
a changed listing and the language are each search's own."""

import re
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.models import Listing, Terms

from .factories import make_listing, make_organisation, place

# The Redis of the development machine and CI, in a database nothing else uses.
CARDS_REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_cache(settings):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": CARDS_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trailers(pm, owner, places):
    belzig = make_organisation(pm, "Hof Belzig", owner=owner, place=place("14806", "Belzig"))
    teltow = make_organisation(pm, "Werkstatt Teltow", place=place("14513", "Teltow"))
    return make_listing(belzig, "Anhänger in Belzig"), make_listing(teltow, "Anhänger in Teltow")


def search(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/listings/", params)
    assert response.status_code == 200
    cards = re.findall(r'<li class="card card--listing">.*?</li>', response.content.decode(), re.S)
    reads_cards = any("listings_listingphoto" in query["sql"] for query in queries)
    return cards, reads_cards


def card_of(cards, title):
    (card,) = (card for card in cards if title in card)
    return card


def test_a_search_renders_only_the_cards_no_search_showed_before(redis_cache, pm_client, trailers):
    cards, reads_cards = search(pm_client, q="Anhänger")
    assert len(cards) == 2 and reads_cards
    # Another search, the same two listings: their cards come from the cache.
    again, reads_cards = search(pm_client, q="Anhänger", direction="offer")
    assert again == cards and not reads_cards
    # A third listing: only its card is read and rendered.
    make_listing(trailers[0].organisation, "Anhänger mit Plane")
    cards, reads_cards = search(pm_client, q="Anhänger", terms="rent")
    assert len(cards) == 3 and reads_cards


def test_each_search_shows_its_own_place_and_distance_on_a_shared_card(
    redis_cache, pm_client, trailers
):
    from_teltow, _ = search(pm_client, q="Anhänger", near="14513", radius=100)
    from_belzig, _ = search(pm_client, q="Anhänger", near="14806", radius=100)
    anywhere, reads_cards = search(pm_client, q="Anhänger")
    assert not reads_cards
    teltow_card = card_of(from_teltow, "Anhänger in Teltow")
    assert "?near=14513" in teltow_card and "weniger als 1 km entfernt" in teltow_card
    belzig_card = card_of(from_belzig, "Anhänger in Teltow")
    assert "?near=14806" in belzig_card and re.search(r"Teltow · \d+ km entfernt", belzig_card)
    plain = card_of(anywhere, "Anhänger in Teltow")
    assert "?near" not in plain and "entfernt" not in plain and "<!--" not in plain


def test_a_changed_listing_or_another_language_is_rendered_anew(redis_cache, pm_client, trailers):
    search(pm_client, q="Anhänger")
    listing = trailers[0]
    listing.title = "Anhänger in Bad Belzig"
    listing.save(update_fields=["title"])  # as the admin would (no approval to wait for)
    cards, reads_cards = search(pm_client, q="Anhänger")
    assert reads_cards and "Anhänger in Bad Belzig" in card_of(cards, "Bad Belzig")
    pm_client.cookies["django_language"] = "en"
    english, reads_cards = search(pm_client, q="Anhänger", direction="offer")
    assert reads_cards and "Rent" in card_of(english, "Teltow")


def test_a_card_shows_what_its_listing_is_with_no_query_of_its_own(pm_client, trailers):
    """The cards read only the columns they show (listings.models.CARD_FIELDS): the terms,
    the price, the reserved badge, the category, place and organisation are all there."""
    belzig = trailers[0].organisation
    make_listing(belzig, "Anhänger zu verschenken", terms=Terms.GIVE_AWAY, quantity=2)
    Listing.objects.filter(title="Anhänger zu verschenken").update(quantity_reserved=2)
    with CaptureQueriesContext(connection) as queries:
        cards, _reads = search(pm_client, q="Anhänger")
    card = card_of(cards, "verschenken")
    assert "Reserviert" in card and "kostenlos · Verschenken" in card
    assert "Belzig · Hof Belzig" in card and "Maschinen" in card
    assert "Reserviert" not in card_of(cards, "Anhänger in Teltow")
    # A column the card shows but did not read would be fetched row by row.
    assert not [q for q in queries if '"listings_listing"."id" = ' in q["sql"]]

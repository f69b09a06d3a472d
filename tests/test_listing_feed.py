"""The Atom feed of a search (/listings/feed/?…): the same filters as the search page, the
newest 50 published listings of the host's region, with links to the region's own host."""

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.feeds import FEED_SIZE
from listings.models import Direction, Status
from listings.signals import listings_changed

from .factories import category, make_listing, make_organisation

pytestmark = pytest.mark.django_db

FEED = "/listings/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 – our own feed, not untrusted data


def entries(feed):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def titles(feed):
    return [entry["title"] for entry in entries(feed)]


def offer(title):
    return f"{Direction.OFFER.label}: {title}"


def request(title):
    return f"{Direction.REQUEST.label}: {title}"


def test_the_feed_lists_the_regions_published_listings_newest_first(pm_client, organisation):
    make_listing(organisation, "Alter Bagger")
    make_listing(organisation, "Neuer Kran", direction=Direction.REQUEST)
    make_listing(organisation, "Entwurf", status=Status.DRAFT)
    make_listing(organisation, "Entfernt", status=Status.REMOVED)
    assert titles(read_feed(pm_client)) == [request("Neuer Kran"), offer("Alter Bagger")]


def test_site_port_goes_into_the_feeds_links(pm_client, organisation, settings):
    """SITE_PORT (development servers on :8000) is in every link the feed gives."""
    settings.SITE_PORT = "8123"
    listing = make_listing(organisation, "Bagger")
    feed = read_feed(pm_client)
    [entry] = entries(feed)
    assert entry["link"].endswith(f"pm.localhost:8123/listings/{listing.pk}/")
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate.endswith("pm.localhost:8123/listings/")


def test_entries_link_to_the_listing_on_the_regions_host(pm_client, organisation, pm):
    listing = make_listing(organisation, "Bagger", description="Ein gelber Bagger mit Schaufel.")
    feed = read_feed(pm_client)
    [entry] = entries(feed)
    url = pm.build_absolute_uri(f"/listings/{listing.pk}/")
    assert url.startswith("http://pm.localhost") or url.startswith("https://pm.localhost")
    assert entry["link"] == url
    assert entry["id"] == url
    assert entry["author"] == "Tischlerei Holzwurm"
    assert entry["categories"] == ["Maschinen"]
    assert "Ein gelber Bagger mit Schaufel." in entry["summary"]
    assert organisation.place.name in entry["summary"]
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == pm.build_absolute_uri("/listings/")


def test_the_feed_applies_the_search(pm_client, organisation, places, pm):
    make_listing(organisation, "Kleiner Bagger", category=category("maschinen"))
    make_listing(organisation, "Bagger gesucht", direction=Direction.REQUEST)
    make_listing(organisation, "Lagerhalle", category=category("lager"))
    near = organisation.place.name
    feed = read_feed(pm_client, q="Baggern", direction="offer", near=near, radius=10)
    assert titles(feed) == [offer("Kleiner Bagger")]
    assert "Baggern" in feed.findtext(f"{ATOM}title")
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    query = urlencode({"q": "Baggern", "direction": "offer", "near": near, "radius": 10})
    assert alternate == pm.build_absolute_uri(f"/listings/?{query}")
    assert titles(read_feed(pm_client, category="lager")) == [offer("Lagerhalle")]


def test_the_feed_is_region_isolated(pm_client, ohv_client, organisation, ohv):
    make_listing(organisation, "Bagger aus Teltow")
    make_listing(make_organisation(ohv, "Havelbau"), "Bagger aus Oranienburg")
    pm_feed = read_feed(pm_client)
    assert titles(pm_feed) == [offer("Bagger aus Teltow")]
    ohv_feed = read_feed(ohv_client)
    assert titles(ohv_feed) == [offer("Bagger aus Oranienburg")]
    assert all(entry["link"].startswith(ohv.build_absolute_uri("/")) for entry in entries(ohv_feed))
    assert "Oberhavel" in ohv_feed.findtext(f"{ATOM}title")


def test_the_feed_holds_the_newest_fifty(pm_client, organisation):
    for number in range(FEED_SIZE + 1):
        make_listing(organisation, f"Bagger {number:02}")
    feed = read_feed(pm_client)
    assert len(titles(feed)) == FEED_SIZE == 50
    assert titles(feed)[0] == offer("Bagger 50")
    assert offer("Bagger 00") not in titles(feed)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "&|!():*<->'\"\\"},
        {"category": "abc", "radius": "-5", "available_on": "notadate", "page": "999"},
        {"near": "99999"},
        {"sort": "nearest"},
    ],
)
def test_bad_parameters_are_left_out_of_the_feed(pm_client, organisation, params):
    make_listing(organisation, "Bagger")
    assert titles(read_feed(pm_client, **params)) == [offer("Bagger")]


def test_the_feeds_queries_do_not_grow_with_its_entries(pm_client, organisation, places):
    make_listing(organisation, "Bagger 1")
    params = {"q": "Bagger", "near": organisation.place.postal_code, "category": "maschinen"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            read_feed(pm_client, **params)
        return len(queries)

    count()  # the first request caches the host's region
    # Right after a change of the region's listings (what was cached of them is
    # outdated), and again once cached.
    listings_changed([organisation.region_id])
    few = count(), count()
    for number in range(20):
        make_listing(
            make_organisation(organisation.region, f"Betrieb {number}"), f"Bagger {number}"
        )
    assert (count(), count()) == few

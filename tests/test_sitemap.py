"""/sitemap.xml and /robots.txt: each region's host lists its own public pages only,
with absolute links on that host; the portal host names the regions (tests/test_portal.py)."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listings.models import Status
from organisations.models import Organisation, Verification

from .factories import make_listing, make_organisation

pytestmark = pytest.mark.django_db

NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer, not untrusted input)


def locations(response):
    root = parse(response)
    return [loc.text for loc in root.findall("sm:url/sm:loc", NAMESPACE)]


@pytest.fixture
def content(organisation, ohv):
    """Listings in every state in pm, and an organisation with a listing in ohv."""
    listings = {
        status: make_listing(organisation, f"Anzeige {status}", status=status)
        for status in Status.values
    }
    havelwerft = make_organisation(ohv, "Havelwerft")
    listings["ohv"] = make_listing(havelwerft, "Bootskran")
    return listings


def test_the_sitemap_lists_the_regions_public_pages_on_its_host(client_for, content, organisation):
    urls = locations(client_for().get("/sitemap.xml"))
    base = "http://pm.localhost"
    for path in ["/", "/listings/", "/organisations/", "/imprint/", "/privacy/"]:
        assert f"{base}{path}" in urls, path
    assert f"{base}/listings/{content[Status.PUBLISHED].pk}/" in urls
    assert f"{base}/organisations/{organisation.pk}/" in urls
    assert all(url.startswith(f"{base}/") for url in urls)
    assert len(urls) == len(set(urls))


def test_the_sitemap_links_to_the_host_and_port_it_was_asked_on(pm, settings):
    """Not SITE_PORT: the sitemap protocol wants the sitemap's own host (and port)."""
    settings.SITE_PORT = "8123"
    urls = locations(Client(HTTP_HOST="pm.localhost:8000").get("/sitemap.xml"))
    assert "http://pm.localhost:8000/" in urls
    assert all(url.startswith("http://pm.localhost:8000/") for url in urls)
    robots = Client(HTTP_HOST="pm.localhost:8000").get("/robots.txt").content.decode()
    assert "Sitemap: http://pm.localhost:8000/sitemap.xml" in robots


def test_only_published_listings_are_in_the_sitemap(client_for, content):
    urls = locations(client_for().get("/sitemap.xml"))
    listed = {url for url in urls if "/listings/" in url and url.rstrip("/")[-1].isdigit()}
    assert listed == {f"http://pm.localhost/listings/{content[Status.PUBLISHED].pk}/"}


def test_rejected_organisations_are_not_in_the_sitemap(client_for, organisation, pm):
    verified = make_organisation(pm, "Geprüft e. V.", verification=Verification.VERIFIED)
    rejected = make_organisation(pm, "Scheinfirma GmbH", verification=Verification.REJECTED)
    urls = locations(client_for().get("/sitemap.xml"))
    assert f"http://pm.localhost/organisations/{organisation.pk}/" in urls  # not checked yet
    assert f"http://pm.localhost/organisations/{verified.pk}/" in urls
    assert f"http://pm.localhost/organisations/{rejected.pk}/" not in urls


def test_each_region_lists_only_its_own_content(client_for, content, organisation):
    pm_urls = "\n".join(locations(client_for().get("/sitemap.xml")))
    ohv_urls = locations(client_for(host="ohv.localhost").get("/sitemap.xml"))
    havelwerft = Organisation.objects.get(name="Havelwerft")
    assert f"/listings/{content['ohv'].pk}/" not in pm_urls
    assert f"/organisations/{havelwerft.pk}/" not in pm_urls
    assert f"http://ohv.localhost/listings/{content['ohv'].pk}/" in ohv_urls
    assert f"http://ohv.localhost/organisations/{havelwerft.pk}/" in ohv_urls
    assert not any(f"/organisations/{organisation.pk}/" in url for url in ohv_urls)
    assert all(url.startswith("http://ohv.localhost/") for url in ohv_urls)


def test_listings_carry_their_last_change(client_for, listing):
    root = parse(client_for().get("/sitemap.xml"))
    for url in root.findall("sm:url", NAMESPACE):
        if url.find("sm:loc", NAMESPACE).text.endswith(f"/listings/{listing.pk}/"):
            lastmod = url.find("sm:lastmod", NAMESPACE).text
            assert lastmod == timezone.localtime(listing.updated_at).isoformat(timespec="seconds")
            break
    else:
        pytest.fail("the listing is not in the sitemap")


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_sitemap_query_count_does_not_grow(client_for, organisation, listing):
    client = client_for()
    client.get("/sitemap.xml")
    before = count_queries(client, "/sitemap.xml")
    for number in range(20):
        make_listing(organisation, f"Anzeige {number}")
        make_organisation(organisation.region, f"Firma {number}")
    assert count_queries(client, "/sitemap.xml") == before


@pytest.mark.parametrize("page", ["x", "0", "2", "-1", "99999999999999999999"])
def test_bad_sitemap_pages_are_404(client_for, listing, page):
    assert client_for().get("/sitemap.xml", {"p": page}).status_code == 404


def test_the_portal_sitemap_names_regions_not_their_listings(portal_client, content):
    urls = locations(portal_client.get("/sitemap.xml"))
    assert "http://pm.localhost/" in urls
    assert not any("/listings/" in url or "/organisations/" in url for url in urls)


def test_robots_txt_points_to_the_hosts_sitemap(client_for):
    response = client_for().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /accounts/" in lines
    assert "Sitemap: http://pm.localhost/sitemap.xml" in lines
    ohv = client_for(host="ohv.localhost").get("/robots.txt").content.decode()
    assert "Sitemap: http://ohv.localhost/sitemap.xml" in ohv


def test_sitemap_and_robots_answer_only_reading_requests(client_for):
    assert client_for().post("/sitemap.xml").status_code == 405
    assert client_for().post("/robots.txt").status_code == 405

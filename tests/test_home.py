"""The region's home page: a search box, the newest offers and requests, the categories
with their counts – only the region's published listings – and the main navigation."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from listings.contributions import NEWEST_ON_HOME
from listings.models import Category, Direction, Listing, ListingPhoto, Status
from organisations.models import Role

from .factories import category, make_listing, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db


def titles(listings):
    return [listing.title for listing in listings]


def add_photo(listing):
    image = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(image, "PNG")
    upload = SimpleUploadedFile("foto.png", image.getvalue(), content_type="image/png")
    ListingPhoto.objects.create(listing=listing, image=upload, alt_text="Blaues Bild")


def test_home_shows_the_newest_offers_and_requests(pm_client, organisation):
    for number in range(NEWEST_ON_HOME + 1):
        make_listing(organisation, f"Angebot {number}")
    make_listing(organisation, "Gesuch alt", direction=Direction.REQUEST)
    make_listing(organisation, "Gesuch neu", direction=Direction.REQUEST)
    response = pm_client.get("/")
    assert response.status_code == 200
    offers = titles(response.context["offers"])
    assert offers == [f"Angebot {number}" for number in range(NEWEST_ON_HOME, 0, -1)]
    assert titles(response.context["requests"]) == ["Gesuch neu", "Gesuch alt"]
    html = response.content.decode()
    assert 'href="/listings/?direction=offer"' in html
    assert 'href="/listings/?direction=request"' in html


def test_home_shows_only_the_regions_published_listings(pm_client, organisation, ohv):
    make_listing(organisation, "Veröffentlicht")
    for status in [Status.DRAFT, Status.PENDING, Status.PAUSED, Status.REMOVED, Status.EXPIRED]:
        make_listing(organisation, f"Nicht sichtbar {status}", status=status)
    make_listing(make_organisation(ohv, "Havelbau"), "Aus Oberhavel")
    html = pm_client.get("/").content.decode()
    assert "Veröffentlicht" in html
    assert "Nicht sichtbar" not in html
    assert "Aus Oberhavel" not in html


def test_home_without_listings_says_so(pm_client):
    html = pm_client.get("/").content.decode()
    assert _("There are no offers yet.") in html
    assert _("There are no requests yet.") in html


def test_category_tiles_count_the_regions_published_listings(pm_client, organisation, ohv):
    make_listing(organisation, "Bagger", category=category("maschinen"))
    make_listing(organisation, "Bohrer", category=category("werkzeug"))
    make_listing(organisation, "Entwurf", category=category("werkzeug"), status=Status.DRAFT)
    make_listing(make_organisation(ohv, "Havelbau"), "Kran", category=category("maschinen"))
    response = pm_client.get("/")
    groups = {group.slug: group for group in response.context["category_groups"]}
    machines = groups["maschinen-ausstattung"]
    assert machines.listing_count == 2
    counts = {child.slug: child.listing_count for child in machines.children_with_counts}
    assert counts["maschinen"] == 1
    assert counts["werkzeug"] == 1
    assert counts["produktionsanlagen"] == 0
    assert groups["raeume-flaechen"].listing_count == 0
    html = response.content.decode()
    assert 'href="/listings/?category=maschinen-ausstattung"' in html
    assert 'href="/listings/?category=werkzeug"' in html
    group_count = ngettext("(%(count)s listing)", "(%(count)s listings)", 2) % {"count": 2}
    assert group_count in html


def test_home_has_a_search_box_for_the_search_page(pm_client):
    html = pm_client.get("/").content.decode()
    assert '<form class="search-box" method="get" action="/listings/" role="search"' in html
    assert 'name="q"' in html


def test_home_keeps_the_claim_and_the_way_to_sign_up(pm_client, pm):
    pm.claim = "Gemeinsam stark in Potsdam-Mittelmark"
    pm.save()
    html = pm_client.get("/").content.decode()
    assert "Gemeinsam stark in Potsdam-Mittelmark" in html
    assert 'href="/accounts/signup/"' in html
    assert f'href="{reverse("page_how-it-works")}"' in html


def test_home_queries_do_not_grow_with_the_listings(pm_client, organisation, upload_dirs):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert pm_client.get("/").status_code == 200
        return len(queries)

    make_listing(organisation, "Erstes Angebot")
    make_listing(organisation, "Erstes Gesuch", direction=Direction.REQUEST)
    count()  # the first request caches the host's region
    few = count()
    for number in range(12):
        other = make_organisation(organisation.region, f"Betrieb {number}")
        direction = Direction.OFFER if number % 2 else Direction.REQUEST
        add_photo(make_listing(other, f"Anzeige {number}", direction=direction))
    assert count() == few
    assert few <= 8


# The main navigation ------------------------------------------------------------------------


def nav(client):
    html = client.get("/").content.decode()
    return html.split('<nav class="site-nav"')[1].split("</nav>")[0]


def test_everyone_finds_the_listings_in_the_navigation(pm_client):
    assert 'href="/listings/"' in nav(pm_client)
    assert 'href="/listings/new/"' not in nav(pm_client)


def test_members_of_an_organisation_here_can_post_and_see_their_listings(
    client_for, organisation, organisation_member
):
    menu = nav(client_for(organisation_member))
    assert 'href="/listings/"' in menu
    assert 'href="/listings/mine/"' in menu
    assert 'class="button button--small" href="/listings/new/"' in menu


def test_people_without_an_organisation_here_are_not_offered_to_post(client_for, ohv, member):
    make_membership(make_organisation(ohv, "Havelbau"), member, Role.OWNER)
    menu = nav(client_for(member))
    assert 'href="/listings/new/"' not in menu
    assert 'href="/listings/mine/"' not in menu
    assert 'href="/organisations/new/"' in menu  # they may register one here


def test_the_search_page_marks_its_navigation_item_as_current(pm_client):
    menu = pm_client.get("/listings/").content.decode().split('<nav class="site-nav"')[1]
    assert 'href="/listings/" aria-current="page"' in menu


def test_an_outsider_is_not_offered_to_post(client_for):
    assert 'href="/listings/new/"' not in nav(client_for(make_user("neu@example.org")))


def test_home_orders_the_newest_by_publication_not_by_creation(pm_client, organisation):
    """A listing created earlier but published later (approved after moderation, say)
    comes first."""
    approved_later = make_listing(organisation, "Erst geprüft, dann veröffentlicht")
    make_listing(organisation, "Sofort veröffentlicht")
    Listing.objects.filter(pk=approved_later.pk).update(
        published_at=timezone.now() + timedelta(hours=1)
    )
    offers = titles(pm_client.get("/").context["offers"])
    assert offers == ["Erst geprüft, dann veröffentlicht", "Sofort veröffentlicht"]


def test_a_switched_off_category_group_leaves_the_home_page_with_its_categories(
    pm_client, organisation
):
    make_listing(organisation, "Bagger", category=category("maschinen"))
    Category.objects.filter(slug="maschinen-ausstattung").update(is_active=False)
    Category.objects.filter(slug="lager").update(is_active=False)
    groups = {group.slug: group for group in pm_client.get("/").context["category_groups"]}

    assert "maschinen-ausstattung" not in groups
    shown = {child.slug for group in groups.values() for child in group.children_with_counts}
    assert {"maschinen", "werkzeug", "lager"}.isdisjoint(shown)
    assert "raeume-flaechen" in groups

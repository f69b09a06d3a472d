"""The listing page: what it shows to whom, its link preview, the privacy-friendly view
counter, similar listings and distances – with a query count that does not grow."""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from listings import services
from listings.counting import count_view, visit_key
from listings.models import (
    Audience,
    Direction,
    Listing,
    ListingPhoto,
    PlaceOfUse,
    PriceUnit,
    QuantityUnit,
    Status,
    Terms,
)
from organisations.acting import SESSION_KEY
from organisations.models import Role
from regions.models import Place
from regions.places import distance_km

from .factories import category, make_listing, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def url(listing):
    return f"/listings/{listing.pk}/"


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def german(label):
    """The label as the (German) page shows it, HTML-escaped."""
    with translation.override("de"):
        return escape(str(label))


def add_photo(listing, number, *, large=True, alt=None):
    """A photo record as the upload leaves it (files are not read by the page)."""
    folder = f"listings/{listing.region_id}/{listing.pk}"
    return ListingPhoto.objects.create(
        listing=listing,
        image=f"{folder}/foto{number}.jpg",
        card=f"{folder}/foto{number}-card.webp",
        large=f"{folder}/foto{number}-large.webp" if large else "",
        width=1600,
        height=1200,
        alt_text=alt or f"Foto {number} des Gabelstaplers",
        position=number,
    )


@pytest.fixture
def belzig(places):
    return Place.objects.get(postal_code="14806", name="Belzig")


@pytest.fixture
def neighbour(pm, belzig):
    """A member of another pm organisation, in Bad Belzig."""
    user = make_user("leitung@fleming-bau.example")
    make_organisation(pm, "Fläming Bau GmbH", owner=user, place=belzig)
    return user


@pytest.fixture
def forklift(organisation, owner, places):
    """A rented-out forklift with every detail filled in."""
    return make_listing(
        organisation,
        "Gabelstapler Linde H25",
        author=owner,
        description="Dieselstapler, 2,5 t Tragkraft.\nMit Fahrer auf Anfrage.\n\n<b>Top</b>",
        terms=Terms.RENT,
        price=Decimal("120.00"),
        price_unit=PriceUnit.DAY,
        reduced_price=Decimal("80.00"),
        audience=Audience.COMPANIES | Audience.ASSOCIATIONS,
        places_of_use=PlaceOfUse.CUSTOMER | PlaceOfUse.ON_REQUEST,
        quantity=3,
        quantity_unit=QuantityUnit.PIECE,
        available_from=datetime.date(2031, 3, 1),
        available_until=datetime.date(2031, 10, 31),
        street="Lagerweg 5",
        attributes={
            "condition": "Neuwertig",
            "weight": 3500,
            "power": 12.5,
            "dimensions": "",
            "no-longer-defined": "alt",
        },
    )


# What the page shows ------------------------------------------------------------------------


def test_page_shows_every_detail_of_the_listing(client_for, forklift):
    response = client_for().get(url(forklift))
    html = html_of(response)
    assert "Gabelstapler Linde H25" in html
    assert "Maschinen &amp; Ausstattung › Maschinen" in html
    assert 'class="badge badge--offer"' in html
    # Plain text with its line breaks, and escaped.
    assert "Dieselstapler, 2,5 t Tragkraft.<br>Mit Fahrer auf Anfrage." in html
    assert "&lt;b&gt;Top&lt;/b&gt;" in html
    assert "<b>Top</b>" not in html
    # Terms and prices, the reduced one for non-profits too.
    assert "120 €" in html
    assert "80 €" in html
    with translation.override("de"):
        assert str(PriceUnit.DAY.label) in html
    for audience in [Audience.COMPANIES, Audience.ASSOCIATIONS]:
        assert german(audience.label) in html
    assert german(Audience.PUBLIC.label) not in html
    # Several places of use, in the old platform's order.
    places = f"{german(PlaceOfUse.CUSTOMER.label)}, {german(PlaceOfUse.ON_REQUEST.label)}"
    assert f"<dd>{places}</dd>" in html
    assert german(PlaceOfUse.PROVIDER.label) not in html
    assert f"3 {german(QuantityUnit.PIECE.label)}" in html
    assert "1. März 2031" in html
    assert "31. Oktober 2031" in html
    # The category's details with labels and units; empty and unknown ones are left out.
    assert response.context["attributes"] == [
        ("Zustand", "Neuwertig"),
        ("Gewicht", "3.500 kg"),
        ("Leistung", "12,5 kWh"),
    ]
    assert "<dt>Gewicht</dt><dd>3.500 kg</dd>" in html
    assert "no-longer-defined" not in html
    assert "Abmessungen" not in html
    # Location without the street, the organisation, dates and views.
    assert f"{forklift.place.postal_code} {forklift.place.name}" in html
    assert "Lagerweg" not in html
    assert f'href="/organisations/{forklift.organisation.pk}/"' in html
    assert "Tischlerei Holzwurm" in html
    assert timezone.localdate(forklift.published_at).strftime("%Y") in html
    assert "<dd>0</dd>" in html  # views: the test client is no browser, so it does not count


def test_numbers_are_grouped_and_several_values_are_one_row(client_for, organisation):
    storage = make_listing(
        organisation,
        "Kühllager",
        category=category("lager"),
        attributes={"area": 1200, "storage": ["innen", "gekühlt"]},
    )
    with translation.override("de"):
        response = client_for().get(url(storage))
    assert response.context["attributes"] == [
        ("Fläche", "1.200 m²"),
        ("Raummerkmale", "innen, gekühlt"),
    ]
    assert "<dt>Raummerkmale</dt><dd>innen, gekühlt</dd>" in html_of(response)


def test_storage_features_show_on_every_room_category(client_for, organisation):
    hall = make_listing(
        organisation,
        "Werkhalle",
        category=category("produktionsraeume"),
        attributes={"storage": ["innen", "beheizt"]},
    )
    assert client_for().get(url(hall)).context["attributes"] == [("Raummerkmale", "innen, beheizt")]


def test_a_single_value_stored_before_several_were_allowed_still_shows(client_for, organisation):
    forklift = make_listing(
        organisation, "Stapler", category=category("fahrzeuge"), attributes={"vehicle-type": "PKW"}
    )
    assert client_for().get(url(forklift)).context["attributes"] == [("Fahrzeugart", "PKW")]


def test_yes_no_details_are_words(client_for, organisation):
    machines = category("maschinen")
    machines.parent.attributes.create(key="cabin", label="Kabine", kind="boolean", position=9)
    with_cabin = make_listing(organisation, "Bagger", attributes={"cabin": True})
    without = make_listing(organisation, "Rüttler", attributes={"cabin": False})
    with translation.override("de"):
        assert client_for().get(url(with_cabin)).context["attributes"] == [("Kabine", "Ja")]
        assert client_for().get(url(without)).context["attributes"] == [("Kabine", "Nein")]


def test_free_listings_show_no_price(client_for, organisation):
    gift = make_listing(
        organisation, "Schreibtische zu verschenken", terms=Terms.GIVE_AWAY, price=Decimal(50)
    )
    html = html_of(client_for().get(url(gift)))
    assert "50 €" not in html
    assert german(Terms.GIVE_AWAY.label) in html


def test_street_only_for_logged_in_users(client_for, forklift, outsider):
    anonymous = html_of(client_for().get(url(forklift)))
    assert "Lagerweg 5" not in anonymous
    assert f"/accounts/login/?next=/listings/{forklift.pk}/" in anonymous
    assert "Lagerweg 5" in html_of(client_for(outsider).get(url(forklift)))


def test_photos_first_large_then_a_gallery_with_alt_texts(client_for, listing):
    add_photo(listing, 2, alt="Seitenansicht")
    add_photo(listing, 1, alt="Frontansicht")
    add_photo(listing, 3, large=False, alt="Typenschild")
    html = html_of(client_for().get(url(listing)))
    folder = f"/media/listings/{listing.region_id}/{listing.pk}"
    main = re.search(r'<figure class="listing-photos__main">(.*?)</figure>', html, re.S).group(1)
    assert f'src="{folder}/foto1-large.webp" alt="Frontansicht"' in main
    gallery = re.search(r'<ul class="listing-photos__gallery".*?</ul>', html, re.S).group(0)
    assert gallery.index("Seitenansicht") < gallery.index("Typenschild")
    assert f'src="{folder}/foto2-card.webp" alt="Seitenansicht"' in gallery
    assert f'href="{folder}/foto3.jpg"' in gallery, "no large size yet: the original"
    assert "Frontansicht" not in gallery


def test_a_listing_without_photos_has_no_gallery(client_for, listing):
    assert "listing-photos" not in html_of(client_for().get(url(listing)))


# Link previews and search engines -------------------------------------------------------------


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_open_graph_and_canonical_link_with_absolute_urls(client_for, listing):
    listing.title = 'Stapler "XL" <neu>'
    listing.description = "Sehr gut erhalten. " * 30
    listing.save()
    add_photo(listing, 1)
    add_photo(listing, 2)
    html = html_of(client_for().get(url(listing)))
    absolute = f"http://pm.localhost/listings/{listing.pk}/"
    assert f'<link rel="canonical" href="{absolute}">' in html
    assert meta(html, "property", "og:url") == absolute
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:locale") == "de_DE"
    assert meta(html, "property", "og:title") == "Stapler &quot;XL&quot; &lt;neu&gt;"
    description = meta(html, "property", "og:description")
    assert description.startswith("Sehr gut erhalten. Sehr gut erhalten.")
    assert len(description) <= 200
    assert description.endswith("…")
    assert meta(html, "name", "description") == description
    assert meta(html, "property", "og:image") == (
        f"http://pm.localhost/media/listings/{listing.region_id}/{listing.pk}/foto1-large.webp"
    )
    assert meta(html, "property", "og:image:alt") == "Foto 1 des Gabelstaplers"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert 'name="robots"' not in html


def test_without_a_photo_there_is_no_preview_image(client_for, listing):
    html = html_of(client_for().get(url(listing)))
    assert meta(html, "property", "og:image") is None
    assert meta(html, "name", "twitter:card") == "summary"


# Who sees what --------------------------------------------------------------------------------

HIDDEN = [Status.DRAFT, Status.PENDING, Status.PAUSED, Status.CLOSED, Status.EXPIRED]


@pytest.fixture(params=[*HIDDEN, Status.REMOVED])
def hidden_listing(request, organisation, owner):
    return make_listing(organisation, "Nicht öffentlich", status=request.param, author=owner)


def test_unpublished_listings_are_404_for_everyone_outside(
    client_for, hidden_listing, outsider, neighbour, ohv_admin
):
    for user in [None, outsider, neighbour, ohv_admin]:
        assert client_for(user).get(url(hidden_listing)).status_code == 404, user


def test_unpublished_listings_are_shown_to_members_and_the_regions_staff_with_their_status(
    client_for, hidden_listing, owner, organisation_member, pm_moderator
):
    for user in [owner, organisation_member, pm_moderator]:
        response = client_for(user).get(url(hidden_listing))
        html = html_of(response)
        assert "status-banner" in html, user
        assert hidden_listing.get_status_display() in html
        assert meta(html, "name", "robots") == "noindex"
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-store" in response["Cache-Control"]


def test_no_listing_is_shown_through_another_regions_host(
    client_for, listing, hidden_listing, owner, ohv_admin
):
    for item in [listing, hidden_listing]:
        assert client_for(host="ohv.localhost").get(url(item)).status_code == 404
        assert client_for(owner, host="ohv.localhost").get(url(item)).status_code == 404
        assert client_for(ohv_admin, host="ohv.localhost").get(url(item)).status_code == 404


def test_staff_get_a_link_to_the_back_office_members_do_not(
    client_for, hidden_listing, owner, pm_moderator
):
    backoffice = f"/admin/listings/listing/{hidden_listing.pk}/change/"
    assert backoffice in html_of(client_for(pm_moderator).get(url(hidden_listing)))
    assert backoffice not in html_of(client_for(owner).get(url(hidden_listing)))


def test_the_page_only_answers_reading_requests(client_for, listing, owner):
    assert client_for(owner).post(url(listing)).status_code == 405
    assert client_for().head(url(listing)).status_code == 200


def test_published_listings_carry_no_banner(client_for, listing, owner):
    html = html_of(client_for(owner).get(url(listing)))
    assert "status-banner" not in html


@pytest.mark.parametrize("pk", ["0", "999999", "99999999999999999999"])
def test_unknown_listings_are_404(client_for, listing, pk):
    assert client_for().get(f"/listings/{pk}/").status_code == 404


def test_the_moderation_reason_is_shown_to_members_only(
    client_for, listing, owner, organisation_member, pm_moderator
):
    reason = "Bitte keine Telefonnummern im Titel."
    services.remove(listing, pm_moderator, reason)
    for user in [owner, organisation_member]:
        assert reason in html_of(client_for(user).get(url(listing))), user
    staff_page = html_of(client_for(pm_moderator).get(url(listing)))
    assert german(Status.REMOVED.label) in staff_page
    assert reason not in staff_page


def test_a_rejected_draft_shows_the_reason_to_its_members(
    client_for, organisation, owner, pm_moderator
):
    pending = make_listing(organisation, "Wartet", status=Status.PENDING, author=owner)
    services.reject(pending, pm_moderator, "Die Kategorie passt nicht.")
    html = html_of(client_for(owner).get(url(pending)))
    assert "Die Kategorie passt nicht." in html
    assert f'action="/listings/{pending.pk}/submit/"' in html


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.DRAFT, {"submit", "close"}),
        (Status.PENDING, {"close"}),
        (Status.PUBLISHED, {"pause", "renew", "close"}),
        (Status.PAUSED, {"resume", "close"}),
        (Status.EXPIRED, {"renew", "close"}),
        (Status.CLOSED, set()),
        (Status.REMOVED, set()),
    ],
)
def test_members_get_the_actions_that_fit_the_status(
    client_for, organisation, owner, organisation_member, status, actions
):
    item = make_listing(organisation, "Mit Aktionen", status=status, author=owner)
    html = html_of(client_for(organisation_member).get(url(item)))
    posted = set(re.findall(rf'action="/listings/{item.pk}/([a-z]+)/"', html))
    # Closing cannot be undone: it links to the page that asks first.
    asked_first = set(re.findall(rf'href="/listings/{item.pk}/(close)/\?next=', html))
    assert posted | asked_first == actions
    assert "close" not in posted
    assert html.count("csrfmiddlewaretoken") >= len(posted) + 1  # every form has a token
    editable = status not in {Status.CLOSED, Status.REMOVED}
    assert (f'href="/listings/{item.pk}/edit/"' in html) == editable
    assert (f'href="/listings/{item.pk}/photos/"' in html) == editable


def test_outsiders_and_staff_get_no_member_actions(client_for, listing, outsider, pm_moderator):
    for user in [None, outsider, pm_moderator]:
        html = html_of(client_for(user).get(url(listing)))
        assert f"/listings/{listing.pk}/edit/" not in html
        assert f"/listings/{listing.pk}/pause/" not in html


# Similar listings and distance ----------------------------------------------------------------


def test_similar_listings_are_the_newest_published_of_the_category_in_the_region(
    client_for, listing, organisation, ohv
):
    older = make_listing(organisation, "Hubwagen")
    newer = [make_listing(organisation, f"Stapler {number}") for number in range(4)]
    make_listing(organisation, "Entwurf", status=Status.DRAFT)
    make_listing(organisation, "Pausiert", status=Status.PAUSED)
    make_listing(organisation, "Bürostühle", category=category("ausstattung"))
    make_listing(make_organisation(ohv, "Havelwerft"), "Stapler in Oberhavel")

    response = client_for().get(url(listing))
    similar = response.context["similar"]
    assert [item.title for item in similar] == [item.title for item in reversed(newer)]
    assert older not in similar
    html = html_of(response)
    assert "Stapler in Oberhavel" not in html
    assert "Entwurf" not in html

    # Another one's page shows the newest of the others, this one's page among them.
    others = client_for().get(url(newer[0])).context["similar"]
    assert [item.title for item in others] == ["Stapler 3", "Stapler 2", "Stapler 1", "Hubwagen"]


def test_distance_from_the_organisation_the_viewer_acts_for(
    client_for, forklift, neighbour, belzig, owner
):
    response = client_for(neighbour).get(url(forklift))
    expected = distance_km(belzig, forklift.place)
    assert expected > 5
    assert response.context["distance_km"] == pytest.approx(expected)
    location = re.search(r'id="location-title".*?</section>', html_of(response), re.S).group(0)
    assert f"{round(expected)} km" in location
    assert "Fläming Bau GmbH" in location

    assert client_for().get(url(forklift)).context["distance_km"] is None
    assert client_for(owner).get(url(forklift)).context["distance_km"] is None


def test_the_distance_follows_the_organisation_chosen_to_act_for(
    client_for, forklift, neighbour, pm
):
    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    school = make_organisation(pm, "Grundschule Teltow", place=teltow)
    make_membership(school, neighbour, Role.MEMBER)
    client = client_for(neighbour)
    session = client.session
    session[SESSION_KEY] = {str(pm.pk): school.pk}
    session.save()
    response = client.get(url(forklift))
    assert response.context["distance_km"] == pytest.approx(distance_km(teltow, forklift.place))
    assert response.context["distance_from"] == school.name


def test_a_search_around_a_place_carries_it_to_the_listing_page(
    client_for, forklift, neighbour, pm
):
    """The visitor told the search where they are; the result links keep it, and the
    listing page measures from there – before the organisation's own place."""
    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    results = client_for().get("/listings/", {"near": "Teltow", "radius": 100})
    link = f'href="{url(forklift)}?near=14513%20Teltow"'
    assert link in html_of(results)

    for client in (client_for(), client_for(neighbour)):
        response = client.get(url(forklift), {"near": "14513 Teltow"})
        assert response.context["distance_km"] == pytest.approx(distance_km(teltow, forklift.place))
        location = re.search(r'id="location-title".*?</section>', html_of(response), re.S)
        assert "km von 14513 Teltow" in location.group(0)
        assert response.context["similar"] is not None


@pytest.mark.parametrize("near", ["Atlantis", "14", "x" * 5000, "10115", "Kloster Lehnin"])
def test_a_place_the_region_does_not_know_or_cannot_tell_apart_shows_no_distance(
    client_for, forklift, near
):
    response = client_for().get(url(forklift), {"near": near})
    assert response.status_code == 200
    assert response.context["distance_km"] is None


def test_members_of_the_listings_organisation_see_no_distance(
    client_for, forklift, neighbour, organisation
):
    make_membership(organisation, neighbour, Role.MEMBER)
    # They act for their other organisation, but the listing is still their own.
    assert client_for(neighbour).get(url(forklift)).context["distance_km"] is None


def test_distance_formula_matches_known_distances(places, belzig):
    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    # Bad Belzig – Teltow: about 55 km as the crow flies.
    assert distance_km(belzig, teltow) == pytest.approx(55, abs=4)
    assert distance_km(teltow, belzig) == pytest.approx(distance_km(belzig, teltow))
    assert distance_km(teltow, teltow) == 0


# The view counter ------------------------------------------------------------------------------


def visitor(user_agent=FIREFOX, ip="198.51.100.10", **headers):
    return Client(HTTP_HOST="pm.localhost", HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip, **headers)


def views(listing):
    listing.refresh_from_db()
    return listing.view_count


def test_a_visitor_counts_once_a_day(listing):
    first = visitor()
    assert "<dd>1</dd>" in html_of(first.get(url(listing)))
    first.get(url(listing))
    visitor().get(url(listing))  # same browser, same address, a new connection
    assert views(listing) == 1


def test_another_browser_or_address_counts_again(listing):
    visitor().get(url(listing))
    visitor(user_agent=SAFARI).get(url(listing))
    visitor(ip="198.51.100.11").get(url(listing))
    visitor(ip="2001:db8::1").get(url(listing))
    assert views(listing) == 4


def test_the_same_visitor_counts_once_per_listing(listing, organisation):
    other = make_listing(organisation, "Hubwagen")
    client = visitor()
    client.get(url(listing))
    client.get(url(other))
    assert (views(listing), views(other)) == (1, 1)


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "   ",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) HeadlessChrome/120.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Python-urllib/3.11",
        "Go-http-client/2.0",
        "UptimeRobot/2.0",
        "Feedly/1.0",
    ],
)
def test_bots_and_scripts_do_not_count(listing, user_agent):
    assert visitor(user_agent=user_agent).get(url(listing)).status_code == 200
    assert views(listing) == 0


def test_a_phone_whose_name_contains_bot_counts(listing):
    cubot = "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 Chrome/120 Mobile"
    visitor(user_agent=cubot).get(url(listing))
    assert views(listing) == 1


def test_prefetches_do_not_count(listing):
    visitor(HTTP_SEC_PURPOSE="prefetch;prerender").get(url(listing))
    visitor(HTTP_PURPOSE="prefetch").get(url(listing))
    visitor().head(url(listing))
    assert views(listing) == 0


def test_members_of_the_organisation_do_not_count_but_others_do(
    listing, owner, organisation_member, outsider, pm_moderator
):
    for number, user in enumerate([owner, organisation_member]):
        client = visitor(ip=f"198.51.100.{number}")
        client.force_login(user)
        client.get(url(listing))
    assert views(listing) == 0
    for number, user in enumerate([outsider, pm_moderator], start=10):
        client = visitor(ip=f"198.51.100.{number}")
        client.force_login(user)
        client.get(url(listing))
    assert views(listing) == 2


def test_unpublished_listings_do_not_count(organisation, pm_moderator):
    paused = make_listing(organisation, "Pausiert", status=Status.PAUSED)
    client = visitor()
    client.force_login(pm_moderator)
    assert client.get(url(paused)).status_code == 200
    assert views(paused) == 0


def test_the_next_day_counts_again(listing):
    request = RequestFactory().get(url(listing), HTTP_USER_AGENT=FIREFOX)
    today = timezone.make_aware(datetime.datetime(2031, 5, 4, 23, 50))
    tomorrow = today + datetime.timedelta(minutes=15)
    assert count_view(request, listing, by_member=False, now=today)
    assert not count_view(request, listing, by_member=False, now=today)
    assert count_view(request, listing, by_member=False, now=tomorrow)
    assert not count_view(request, listing, by_member=False, now=tomorrow)
    assert views(listing) == 2


def test_the_visitor_key_is_a_hash_that_changes_every_day():
    monday, tuesday = datetime.date(2031, 5, 5), datetime.date(2031, 5, 6)
    key = visit_key(monday, "198.51.100.10", FIREFOX, 7)
    assert key == visit_key(monday, "198.51.100.10", FIREFOX, 7)
    assert key != visit_key(tuesday, "198.51.100.10", FIREFOX, 7)
    assert key != visit_key(monday, "198.51.100.10", FIREFOX, 8)
    assert "198.51.100.10" not in key
    assert re.fullmatch(r"listing-view:[0-9a-f]{64}", key)


def test_no_address_or_browser_is_stored_anywhere(listing):
    address, browser = "203.0.113.77", "Mozilla/5.0 UniqueTestBrowser/9.9"
    visitor(user_agent=browser, ip=address).get(url(listing))
    assert views(listing) == 1
    for model in apps.get_models():
        for row in model.objects.values():
            text = str(row)
            assert address not in text, model
            assert "UniqueTestBrowser" not in text, model
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM django_cache")
        rows = cursor.fetchall()
    assert rows, "the visit is remembered, as a hash"
    for key, value in rows:
        assert address not in f"{key}{value}"
        assert "UniqueTestBrowser" not in f"{key}{value}"


def test_counting_sets_no_cookie(listing):
    response = visitor().get(url(listing))
    assert views(listing) == 1
    # Only the language switch's CSRF token, which every page with a form has.
    assert set(response.cookies) <= {"csrftoken"}


# Organisation profile ---------------------------------------------------------------------------


def test_the_profile_lists_the_organisations_published_listings(client_for, organisation, ohv):
    published = make_listing(organisation, "Kreissäge")
    make_listing(organisation, "Entwurf einer Anzeige", status=Status.DRAFT)
    make_listing(organisation, "Entfernte Anzeige", status=Status.REMOVED)
    make_listing(make_organisation(organisation.region, "Andere GmbH"), "Fremde Anzeige")
    response = client_for().get(f"/organisations/{organisation.pk}/")
    assert list(response.context["page"].object_list) == [published]
    html = html_of(response)
    assert f'href="/listings/{published.pk}/"' in html
    for hidden in ["Entwurf einer Anzeige", "Entfernte Anzeige", "Fremde Anzeige"]:
        assert hidden not in html


def test_the_profile_pages_through_many_listings(client_for, organisation):
    for number in range(14):
        make_listing(organisation, f"Anzeige {number:02d}")
    first = client_for().get(f"/organisations/{organisation.pk}/")
    assert len(first.context["page"].object_list) == 12
    assert "page=2" in first.content.decode()
    second = client_for().get(f"/organisations/{organisation.pk}/", {"page": "2"})
    assert [item.title for item in second.context["page"].object_list] == [
        "Anzeige 01",
        "Anzeige 00",
    ]
    assert client_for().get(f"/organisations/{organisation.pk}/", {"page": "x"}).status_code == 200


# Query counts -----------------------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "member", "neighbour", "moderator"])
def test_listing_page_query_count_does_not_grow_with_the_data(
    forklift, organisation, organisation_member, neighbour, pm_moderator, viewer
):
    user = {
        "anonymous": None,
        "member": organisation_member,
        "neighbour": neighbour,
        "moderator": pm_moderator,
    }[viewer]
    client = visitor()
    if user is not None:
        client.force_login(user)
    make_listing(organisation, "Ein ähnlicher Stapler")
    client.get(url(forklift))  # warm caches; the view is counted once
    before = count_queries(client, url(forklift))

    for number in range(8):
        add_photo(forklift, number)
    other = make_organisation(organisation.region, "Zweite GmbH")
    for number in range(10):
        similar = make_listing(other if number % 2 else organisation, f"Stapler {number}")
        add_photo(similar, 1)
        add_photo(similar, 2)
    forklift.attributes = {"kind": "Fördertechnik", "age": 4, **forklift.attributes}
    forklift.save()
    assert count_queries(client, url(forklift)) == before


def test_profile_query_count_does_not_grow_with_listings(client_for, organisation, owner):
    client = client_for()
    path = f"/organisations/{organisation.pk}/"
    make_listing(organisation, "Erste Anzeige")
    client.get(path)
    before = count_queries(client, path)
    for number in range(15):
        item = make_listing(organisation, f"Anzeige {number}", direction=Direction.REQUEST)
        add_photo(item, 1)
    assert count_queries(client, path) == before


def test_listing_fixture_is_visible_on_its_page(client_for, listing):
    # Guards the fixtures the other tests build on.
    assert listing.status == Status.PUBLISHED
    assert Listing.objects.published().in_region(listing.region).get() == listing
    assert client_for().get(url(listing)).status_code == 200

"""The listings of the API: search with the search page's filters and the old names,
updated_since, detail, and writes through the listing form and services — the same
validation (German, per field), the same moderation, events marked as from the API."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiListingEvent, Scope
from listings import services
from listings.models import Listing, ListingEvent, Status, Terms
from organisations.models import Verification
from regions.models import Region
from tests.factories import category, fresh, make_listing, make_organisation, make_user

from .api_helpers import bearer, issue_key
from .test_uploads import image_bytes

LISTINGS = "/api/v1/listings/"


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def key(organisation, owner):
    return issue_key(organisation, created_by=owner)[1]


@pytest.fixture
def verified(organisation):
    organisation.verification = Verification.VERIFIED
    organisation.save()
    return organisation


def new_listing(organisation, **changes):
    return {
        "direction": "offer",
        "category": "maschinen",
        "title": "Bagger 5 t",
        "description": "Minibagger mit drei Löffeln.",
        "terms": "rent",
        "price": 120.5,
        "price_unit": "day",
        "audience": ["companies", "associations"],
        "quantity": 1,
        "postal_code": organisation.place.postal_code,
        "place_name": organisation.place.name,
        **changes,
    }


def post(client, url, data, key):
    return client.post(url, data, content_type="application/json", **bearer(key))


# Reading ------------------------------------------------------------------------------------


def test_the_list_shows_the_regions_published_listings_only(pm_client, pm, ohv, organisation):
    make_listing(organisation, "Gabelstapler")
    make_listing(organisation, "Entwurf", status=Status.DRAFT)
    make_listing(organisation, "Pausiert", status=Status.PAUSED)
    other = make_organisation(ohv, "Oberhavel GmbH", owner=make_user("o@ohv.example"))
    make_listing(other, "Kran in Oberhavel")
    assert titles(pm_client.get(LISTINGS)) == ["Gabelstapler"]


def test_a_listing_of_another_region_is_not_found(pm_client, ohv):
    other = make_organisation(ohv, "Oberhavel GmbH", owner=make_user("o@ohv.example"))
    listing = make_listing(other, "Kran in Oberhavel")
    assert pm_client.get(f"{LISTINGS}{listing.pk}/").status_code == 404


def test_the_detail_shows_the_public_fields(pm_client, listing):
    data = pm_client.get(f"{LISTINGS}{listing.pk}/").json()
    assert data["title"] == listing.title
    assert data["url"] == f"http://pm.localhost/listings/{listing.pk}/"
    assert data["category"]["slug"] == "maschinen"
    assert "street" not in data and "moderation_reason" not in data


def test_filters_are_the_search_pages(pm_client, organisation):
    make_listing(organisation, "Gabelstapler")
    make_listing(organisation, "Schreibtische", terms=Terms.GIVE_AWAY, category=category("moebel"))
    assert titles(pm_client.get(LISTINGS, {"q": "gabelstapler"})) == ["Gabelstapler"]
    assert titles(pm_client.get(LISTINGS, {"category": "moebel"})) == ["Schreibtische"]
    assert titles(pm_client.get(LISTINGS, {"terms": "give-away"})) == ["Schreibtische"]
    assert titles(pm_client.get(LISTINGS, {"free": "on"})) == ["Schreibtische"]


def test_attribute_filters_are_the_search_pages(pm_client, organisation):
    make_listing(organisation, "Leicht", attributes={"weight": 100})
    make_listing(organisation, "Schwer", attributes={"weight": 5000})
    query = {"category": "maschinen", "attr-weight-min": "1000"}
    assert titles(pm_client.get(LISTINGS, query)) == ["Schwer"]


def test_the_old_names_still_work(pm_client, organisation):
    make_listing(organisation, "Gabelstapler", price=50)
    make_listing(organisation, "Hebebühne", price=500)
    assert titles(pm_client.get(LISTINGS, {"suche": "gabelstapler"})) == ["Gabelstapler"]
    assert titles(pm_client.get(LISTINGS, {"preis_von": "100"})) == ["Hebebühne"]
    assert titles(pm_client.get(LISTINGS, {"preis_bis": "100"})) == ["Gabelstapler"]
    near = {"postleitzahl": organisation.place.postal_code, "umkreis_km": "7"}
    found = pm_client.get(LISTINGS, near).json()["results"]
    assert {item["title"] for item in found} == {"Gabelstapler", "Hebebühne"}
    assert found[0]["distance_km"] == 0.0


def test_an_unknown_place_is_a_german_error_at_its_old_name(pm_client, pm):
    response = pm_client.get(LISTINGS, {"postleitzahl": "99999"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "postleitzahl": [
            "In Potsdam-Mittelmark gibt es keinen Ort „99999“. Bitte geben Sie eine "
            "Postleitzahl oder den Namen eines Orts in der Region ein."
        ]
    }


def test_updated_since_lists_changes_oldest_first(pm_client, organisation):
    old = make_listing(organisation, "Alt")
    first = make_listing(organisation, "Erste Änderung")
    second = make_listing(organisation, "Zweite Änderung")
    now = timezone.now()
    Listing.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=3))
    Listing.objects.filter(pk=first.pk).update(updated_at=now - timedelta(hours=2))
    Listing.objects.filter(pk=second.pk).update(updated_at=now - timedelta(hours=1))
    since = (now - timedelta(days=1)).isoformat()
    assert titles(pm_client.get(LISTINGS, {"updated_since": since})) == [
        "Erste Änderung",
        "Zweite Änderung",
    ]
    assert titles(pm_client.get(LISTINGS, {"updated_since": timezone.localdate().isoformat()}))


def test_a_bad_updated_since_is_a_400(pm_client, pm):
    response = pm_client.get(LISTINGS, {"updated_since": "gestern"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


def test_pages(pm_client, organisation):
    for number in range(3):
        make_listing(organisation, f"Anzeige {number}")
    data = pm_client.get(LISTINGS, {"page_size": 2}).json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]
    assert len(pm_client.get(LISTINGS, {"page_size": 2, "page": 2}).json()["results"]) == 1
    assert pm_client.get(LISTINGS, {"page": 9}).status_code == 404


def test_a_key_lists_its_own_listings_in_every_state(pm_client, organisation, key):
    make_listing(organisation, "Veröffentlicht")
    make_listing(organisation, "Entwurf", status=Status.DRAFT)
    assert titles(pm_client.get(LISTINGS, **bearer(key))) == ["Veröffentlicht"]
    mine = pm_client.get(LISTINGS, {"mine": "1"}, **bearer(key))
    assert sorted(titles(mine)) == ["Entwurf", "Veröffentlicht"]
    drafts = pm_client.get(LISTINGS, {"mine": "1", "status": "draft"}, **bearer(key))
    assert titles(drafts) == ["Entwurf"]
    assert "street" in mine.json()["results"][0]


def test_mine_needs_a_key(pm_client, pm):
    response = pm_client.get(LISTINGS, {"mine": "1"})
    assert response.status_code == 400 and "mine" in response.json()["errors"]


def test_the_list_runs_the_same_queries_whatever_the_page_size(
    pm_client, organisation, key, django_assert_max_num_queries
):
    for number in range(20):
        listing = make_listing(organisation, f"Anzeige {number}")
        listing.photos.create(image="listings/x.jpg", alt_text="Foto", width=4, height=3)
    # Region, catalogue, places and (on PostgreSQL) the region's size into the cache.
    pm_client.get(LISTINGS, {"q": "anzeige"})
    pm_client.get(LISTINGS, **bearer(key))  # its last use recorded (once a minute)
    counts = set()
    for page_size in (1, 5, 20):
        # Count, page, details, photos; the rest is the database cache (host, rate limit,
        # on PostgreSQL the region's size; the listings generation, the catalogue's version
        # and the cached page that is looked up, then stored).
        with django_assert_max_num_queries(22) as captured:
            response = pm_client.get(LISTINGS, {"page_size": page_size, "q": "anzeige"})
        assert len(response.json()["results"]) == page_size
        counts.add(len(captured))
        with django_assert_max_num_queries(15) as captured:  # and the key
            pm_client.get(LISTINGS, {"page_size": page_size, "mine": "1"}, **bearer(key))
        counts.add(("key", len(captured)))
    assert len(counts) == 2, counts


# Public reads from the cache ----------------------------------------------------------------


def listing_queries(client, *args, **extra):
    """The response, and how many of its SQL statements read the listings table."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LISTINGS, *args, **extra)
    assert response.status_code == 200, response.content
    return response, sum('"listings_listing"' in query["sql"] for query in captured)


def test_a_public_page_read_again_comes_from_the_cache(pm_client, organisation):
    make_listing(organisation, "Gabelstapler")
    first, first_reads = listing_queries(pm_client, {"direction": "offer"})
    again, reads_again = listing_queries(pm_client, {"direction": "offer"})
    assert first_reads > 0 and reads_again == 0
    assert again.json() == first.json()


def test_a_change_to_the_regions_listings_is_seen_at_once(pm_client, organisation, owner):
    listing = make_listing(organisation, "Gabelstapler")
    assert titles(pm_client.get(LISTINGS)) == ["Gabelstapler"]
    services.pause(listing, owner)
    assert titles(pm_client.get(LISTINGS)) == []
    make_listing(organisation, "Hubwagen")
    assert titles(pm_client.get(LISTINGS)) == ["Hubwagen"]


def test_a_key_is_never_served_the_public_page(pm_client, organisation, key):
    make_listing(organisation, "Gabelstapler")
    public = pm_client.get(LISTINGS).json()["results"][0]
    assert "street" not in public
    _response, reads = listing_queries(pm_client, **bearer(key))
    own = _response.json()["results"][0]
    assert reads > 0 and "street" in own


def test_each_region_and_address_has_its_own_page(pm_client, ohv_client, ohv, organisation):
    make_listing(organisation, "Gabelstapler")
    other = make_organisation(ohv, "Oberhavel GmbH", owner=make_user("o@ohv.example"))
    make_listing(other, "Kran in Oberhavel")
    assert titles(pm_client.get(LISTINGS)) == ["Gabelstapler"]
    assert titles(ohv_client.get(LISTINGS)) == ["Kran in Oberhavel"]
    https = pm_client.get(LISTINGS, secure=True).json()["results"][0]["url"]
    assert https.startswith("https://pm.localhost/")


@pytest.mark.parametrize(
    "query",
    [
        {"radius": "abc"},
        {"price_min": "1e999999"},
        {"price_max": "-5"},
        {"audience": "x"},
        {"available_on": "31.02.2026"},
        {"page": "0"},
        {"page_size": "-1"},
        {"category": "\x00"},
        {"q": "x" * 5000},
        {"direction": "sideways"},
        {"attr-weight-min": "NaN", "category": "maschinen"},
        {"status": "draft"},
        {"updated_since": "9999-99-99"},
    ],
)
def test_bad_parameters_never_cause_a_500(pm_client, pm, query):
    response = pm_client.get(LISTINGS, query)
    assert response.status_code in {200, 400, 404}
    assert response["Content-Type"] == "application/json"


def test_bad_ids_are_404(pm_client, pm):
    assert pm_client.get(f"{LISTINGS}abc/").status_code == 404
    assert pm_client.get(f"{LISTINGS}99999999999999999999/").status_code == 404


# Writing --------------------------------------------------------------------------------------


def test_creating_needs_a_key(pm_client, organisation):
    response = pm_client.post(LISTINGS, new_listing(organisation), content_type="application/json")
    assert response.status_code == 401
    assert not Listing.objects.exists()


def test_a_read_key_cannot_write(pm_client, organisation, listing):
    _key, text = issue_key(organisation, scope=Scope.READ)
    assert post(pm_client, LISTINGS, new_listing(organisation), text).status_code == 403
    response = post(pm_client, f"{LISTINGS}{listing.pk}/pause/", {}, text)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Dieser Schlüssel darf nur lesen.")
    assert fresh(listing).status == Status.PUBLISHED


def test_a_key_creates_a_draft_with_the_events_marked(pm_client, organisation, owner, key):
    response = post(pm_client, LISTINGS, new_listing(organisation), key)
    assert response.status_code == 201, response.content
    listing = Listing.objects.get()
    assert (listing.status, listing.author, listing.organisation) == ("draft", owner, organisation)
    assert response.json()["price"] == "120.50"
    event = ListingEvent.objects.get(listing=listing)
    assert event.action == "created"
    assert ApiListingEvent.objects.get(event=event).key.organisation == organisation


def test_an_unverified_organisations_listing_waits_for_approval(pm_client, organisation, key):
    data = new_listing(organisation, publish=True)
    assert post(pm_client, LISTINGS, data, key).json()["status"] == "pending"


def test_a_verified_organisations_listing_is_published(pm_client, verified, key):
    data = new_listing(verified, publish=True)
    assert post(pm_client, LISTINGS, data, key).json()["status"] == "published"
    assert ApiListingEvent.objects.filter(event__action="published").exists()


def test_pre_moderation_holds_a_verified_organisations_listing(pm_client, pm, verified, key):
    pm.moderation = Region.Moderation.PRE
    pm.save()
    data = new_listing(verified, publish=True)
    assert post(pm_client, LISTINGS, data, key).json()["status"] == "pending"


def test_validation_errors_are_the_forms_in_german_per_field(pm_client, organisation, key):
    data = new_listing(
        organisation,
        title="",
        terms="give-away",
        price=5,
        available_from="2026-05-02",
        available_until="2026-05-01",
    )
    response = post(pm_client, LISTINGS, data, key)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Einige Angaben fehlen oder sind ungültig."
    assert body["errors"] == {
        "title": ["Bitte geben Sie einen Titel ein."],
        "price": [
            "Bei „Verschenken“ wird nichts bezahlt. Lassen Sie den Preis leer oder wählen "
            "Sie „Vermietung“."
        ],
        "available_until": ["„Verfügbar bis“ darf nicht vor „verfügbar ab“ liegen."],
    }
    assert not Listing.objects.exists()


def test_numbers_are_read_with_a_decimal_point(pm_client, organisation, key):
    response = post(pm_client, LISTINGS, new_listing(organisation, price="1250.5"), key)
    assert response.json()["price"] == "1250.50"
    # A German thousands separator is not taken for a decimal point, nor silently dropped.
    response = post(pm_client, LISTINGS, new_listing(organisation, price="1.250"), key)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["price"]


def test_attributes_are_checked_against_the_category(pm_client, organisation, key):
    data = new_listing(organisation, attributes={"weight": 800, "kind": "Gabelstapler?"})
    errors = post(pm_client, LISTINGS, data, key).json()["errors"]
    assert list(errors) == ["attributes.kind"]
    data = new_listing(organisation, attributes={"weight": 800, "colour": "gelb"})
    assert post(pm_client, LISTINGS, data, key).json()["errors"] == {
        "attributes.colour": ["Die Kategorie hat dieses Merkmal nicht."]
    }
    data = new_listing(organisation, attributes={"weight": 800, "condition": "Neu"})
    created = post(pm_client, LISTINGS, data, key).json()
    assert created["attributes"] == {"weight": 800, "condition": "Neu"}


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        {"title": ["a", "b"]},
        {"audience": "companies"},
        {"attributes": [1]},
        {"attributes": {"weight": {"nested": 1}}},
        {"colour": "gelb"},
        {"category": 12345},
        {"quantity": "viele"},
        {"price": "1e9999"},
        {"available_from": "morgen"},
        {"postal_code": "00000"},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(pm_client, organisation, key, payload):
    data = new_listing(organisation) | payload if isinstance(payload, dict) else payload
    response = pm_client.post(LISTINGS, data, content_type="application/json", **bearer(key))
    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"invalid", "parse_error"}
    assert not Listing.objects.exists()


def test_malformed_json_is_a_400(pm_client, organisation, key):
    response = pm_client.post(LISTINGS, "{nope", content_type="application/json", **bearer(key))
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_partial_change_keeps_the_other_fields(pm_client, verified, owner, key):
    listing = make_listing(verified, author=owner, price=50)
    response = pm_client.patch(
        f"{LISTINGS}{listing.pk}/", {"price": "75"}, content_type="application/json", **bearer(key)
    )
    assert response.status_code == 200, response.content
    listing = fresh(listing)
    assert (listing.price, listing.title, listing.status) == (
        75,
        "Gabelstapler zu vermieten",
        "published",
    )
    assert ApiListingEvent.objects.filter(event__action="edited").exists()


def test_a_change_sends_a_listing_back_to_approval_where_staff_approve_first(
    pm_client, pm, verified, owner, key
):
    pm.moderation = Region.Moderation.PRE
    pm.save()
    listing = make_listing(verified, author=owner)
    pm_client.patch(
        f"{LISTINGS}{listing.pk}/", {"title": "Neu"}, content_type="application/json", **bearer(key)
    )
    assert fresh(listing).status == Status.PENDING


def test_a_full_change_needs_every_field(pm_client, organisation, owner, key):
    listing = make_listing(organisation, author=owner)
    response = pm_client.put(
        f"{LISTINGS}{listing.pk}/",
        {"title": "Nur Titel"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 400
    assert "description" in response.json()["errors"]
    data = new_listing(organisation, title="Ganz neu")
    response = pm_client.put(
        f"{LISTINGS}{listing.pk}/", data, content_type="application/json", **bearer(key)
    )
    assert response.status_code == 200
    assert fresh(listing).title == "Ganz neu"


def test_another_organisations_listing_cannot_be_changed(pm_client, pm, listing):
    other = make_organisation(pm, "Bäckerei Korn", owner=make_user("korn@example.org"))
    _key, text = issue_key(other)
    response = pm_client.patch(
        f"{LISTINGS}{listing.pk}/",
        {"title": "Meins"},
        content_type="application/json",
        **bearer(text),
    )
    assert response.status_code == 404
    assert post(pm_client, f"{LISTINGS}{listing.pk}/close/", {}, text).status_code == 404
    assert fresh(listing).status == Status.PUBLISHED


def test_a_pm_key_cannot_touch_an_ohv_listing(pm_client, ohv_client, ohv, key):
    other = make_organisation(ohv, "Oberhavel GmbH", owner=make_user("o@ohv.example"))
    listing = make_listing(other, "Kran in Oberhavel")
    assert post(pm_client, f"{LISTINGS}{listing.pk}/close/", {}, key).status_code == 404
    assert post(ohv_client, f"{LISTINGS}{listing.pk}/close/", {}, key).status_code == 401
    assert fresh(listing).status == Status.PUBLISHED


def test_pause_resume_renew_close(pm_client, organisation, owner, key):
    listing = make_listing(organisation, author=owner)
    url = f"{LISTINGS}{listing.pk}/"
    assert post(pm_client, url + "pause/", {}, key).json()["status"] == "paused"
    assert post(pm_client, url + "resume/", {}, key).json()["status"] == "published"
    assert post(pm_client, url + "renew/", {}, key).json()["status"] == "published"
    assert post(pm_client, url + "close/", {}, key).json()["status"] == "closed"
    refused = post(pm_client, url + "pause/", {}, key)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Nur eine veröffentlichte Anzeige kann pausiert werden."
    actions = set(ApiListingEvent.objects.values_list("event__action", flat=True))
    assert actions == {"paused", "resumed", "renewed", "closed"}


def test_submit_publishes_a_draft(pm_client, verified, owner, key):
    listing = make_listing(verified, author=owner, status=Status.DRAFT)
    assert post(pm_client, f"{LISTINGS}{listing.pk}/submit/", {}, key).json()["status"] == (
        "published"
    )


def test_get_on_an_action_is_405(pm_client, listing, key):
    response = pm_client.get(f"{LISTINGS}{listing.pk}/pause/", **bearer(key))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_delete_of_a_listing_is_405(pm_client, listing, key):
    assert pm_client.delete(f"{LISTINGS}{listing.pk}/", **bearer(key)).status_code == 405


# Photos ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("upload_dirs")
def test_a_photo_is_uploaded_checked_and_queued(pm_client, organisation, owner, key):
    listing = make_listing(organisation, author=owner, status=Status.DRAFT)
    url = f"{LISTINGS}{listing.pk}/photos/"
    photo = SimpleUploadedFile("a.png", image_bytes(), content_type="image/png")
    response = pm_client.post(url, {"photo": photo, "alt_text": "Ein Bagger"}, **bearer(key))
    assert response.status_code == 201, response.content
    assert response.json()["alt_text"] == "Ein Bagger"
    assert fresh(listing).has_photos
    assert [item["alt_text"] for item in pm_client.get(url, **bearer(key)).json()] == ["Ein Bagger"]
    photo_id = response.json()["id"]
    assert pm_client.delete(f"{url}{photo_id}/", **bearer(key)).status_code == 204
    assert not listing.photos.exists()


@pytest.mark.usefixtures("upload_dirs")
def test_a_photo_is_checked_like_on_the_page(pm_client, organisation, owner, key):
    listing = make_listing(organisation, author=owner, status=Status.DRAFT)
    url = f"{LISTINGS}{listing.pk}/photos/"
    not_an_image = SimpleUploadedFile("a.png", b"hello", content_type="image/png")
    response = pm_client.post(url, {"photo": not_an_image, "alt_text": "x"}, **bearer(key))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"photo"}
    photo = SimpleUploadedFile("a.png", image_bytes(), content_type="image/png")
    response = pm_client.post(url, {"photo": photo}, **bearer(key))
    assert response.json()["errors"] == {
        "alt_text": ["Bitte beschreiben Sie, was auf dem Foto zu sehen ist."]
    }
    response = pm_client.post(url, {"alt_text": "x"}, **bearer(key))
    assert "photo" in response.json()["errors"]
    assert not listing.photos.exists()

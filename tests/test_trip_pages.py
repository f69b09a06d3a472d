"""The pages of trips: the route asked with a transport listing, the route and what fits
along it on the listing's page, and the search "von … nach …" (/transport/)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from listings.models import Direction, Listing
from trips.models import Route, Weekday

from .factories import category, in_days
from .test_listing_editing import CREATE, edit_url, listing_data
from .trips_helpers import make_request, make_route

pytestmark = pytest.mark.django_db

SEARCH = "/transport/"


def transport_data(direction=Direction.OFFER, **route):
    data = listing_data(
        direction=direction,
        category=category("transport").pk,
        title="Beiladung Werder – Wusterwitz",
        description="Unser Transporter fährt leer zurück.",
        postal_code="14542",
        place_name="Werder (Havel)",
    )
    fields = {
        "origin": "Werder",
        "destination": "Wusterwitz",
        "schedule": "once",
        "date": in_days(3).isoformat(),
        "weekday": "",
        "repeat_until": "",
        "weight_kg": "600",
        "pallet_spaces": "2",
        "is_cooled": "on",
        **route,
    }
    return {
        **data,
        **{f"route-{name}": value for name, value in fields.items() if value is not None},
    }


def along_route(page):
    """The section of the listing page with the trips or requests along the route."""
    start = page.index('class="along-route"')
    return page[start : page.index("</section>", start)]


# The listing form ---------------------------------------------------------------------------


def test_the_form_of_a_transport_listing_asks_for_the_route(
    client_for, owner, organisation, places
):
    response = client_for(owner).get(
        f"{CREATE}?direction=offer&category={category('transport').pk}"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="route-origin"' in page and 'name="route-destination"' in page
    assert 'name="route-weekday"' in page
    assert "Strecke und freie Kapazität" in page


def test_the_form_of_another_category_does_not(client_for, owner, organisation):
    response = client_for(owner).get(
        f"{CREATE}?direction=offer&category={category('maschinen').pk}"
    )
    assert 'name="route-origin"' not in response.content.decode()


def test_a_trip_is_saved_with_its_listing(client_for, owner, organisation, places):
    response = client_for(owner).post(CREATE, transport_data())

    assert response.status_code == 302
    route = Route.objects.get()
    assert route.listing == Listing.objects.get()
    assert (route.origin.name, route.destination.name) == ("Werder (Havel)", "Wusterwitz")
    assert (route.date, route.weekday, route.weight_kg, route.pallet_spaces) == (
        in_days(3),
        None,
        600,
        2,
    )
    assert route.is_cooled and not route.has_tail_lift


def test_a_weekly_trip_is_saved_with_its_weekday(client_for, owner, organisation, places):
    client_for(owner).post(
        CREATE,
        transport_data(
            schedule="weekly",
            date="",
            weekday=str(Weekday.FRIDAY),
            repeat_until=in_days(60).isoformat(),
        ),
    )
    route = Route.objects.get()
    assert (route.date, route.weekday, route.repeat_until) == (None, 4, in_days(60))


def test_a_request_asks_for_the_date_the_goods_must_arrive(client_for, owner, organisation, places):
    response = client_for(owner).post(CREATE, transport_data(Direction.REQUEST, date=""))

    assert response.status_code == 200
    assert (
        "Bitte geben Sie das Datum an, bis zu dem die Ware ankommen muss."
        in response.content.decode()
    )
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"origin": ""}, "Bitte geben Sie an, wo die Fahrt beginnt."),
        ({"destination": "Hamburg"}, "gibt es keinen Ort „Hamburg“"),
        ({"destination": "Werder (Havel)"}, "Bitte geben Sie einen anderen Ort als den Start an."),
        ({"origin": "14542"}, "Bitte geben Sie einen der Orte an: 14542 "),
        ({"date": in_days(-1).isoformat()}, "Das Datum darf nicht in der Vergangenheit liegen."),
        ({"date": "morgen"}, "Bitte geben Sie ein Datum wie 24.12.2026 an."),
        ({"schedule": "weekly", "date": ""}, "Bitte wählen Sie den Wochentag der Fahrt."),
        ({"weight_kg": "-5"}, "Bitte geben Sie mindestens 1 kg an oder lassen Sie das Feld leer."),
    ],
)
def test_a_wrong_route_is_answered_at_its_field(
    client_for, owner, organisation, places, changes, message
):
    response = client_for(owner).post(CREATE, transport_data(**changes))

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="error-summary"' in page
    assert not Listing.objects.exists() and not Route.objects.exists()


def test_editing_shows_and_changes_the_route(client_for, owner, organisation, places):
    route = make_route(organisation, "Werder (Havel)", "Wusterwitz", pallet_spaces=3)
    client = client_for(owner)

    page = client.get(edit_url(route.listing)).content.decode()
    assert 'value="14542 Werder (Havel)"' in page and 'value="3"' in page

    data = transport_data(destination="Götz")
    response = client.post(edit_url(route.listing), data)
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.destination.name == "Götz"


def test_an_outsider_cannot_edit_the_route(client_for, outsider, organisation, places):
    route = make_route(organisation, "Werder (Havel)", "Wusterwitz")

    response = client_for(outsider).post(
        edit_url(route.listing), transport_data(destination="Götz")
    )

    assert response.status_code == 404
    route.refresh_from_db()
    assert route.destination.name == "Wusterwitz"


# The listing page ---------------------------------------------------------------------------


def test_a_trips_page_shows_its_route_and_the_requests_along_it(pm_client, spedition, hofladen):
    trip = make_route(spedition, "Werder (Havel)", "Wusterwitz", weekday=Weekday.TUESDAY, date=None)
    request = make_request(hofladen, "Groß Kreutz", "Götz", title="Zwei Paletten Äpfel nach Götz")
    make_request(hofladen, "Götz", "Groß Kreutz", title="Kisten zurück nach Groß Kreutz")

    page = pm_client.get(trip.listing.get_absolute_url()).content.decode()

    assert "14542 Werder (Havel)" in page and "jeden Dienstag" in page
    assert "Transportgesuche entlang der Strecke" in page
    along = along_route(page)
    assert request.listing.title in along
    assert "Kisten zurück nach Groß Kreutz" not in along


def test_the_requests_along_a_trip_cost_the_same_queries_however_many(
    pm_client, spedition, hofladen
):
    trip = make_route(spedition, "Werder (Havel)", "Wusterwitz")
    make_request(hofladen, "Groß Kreutz", "Götz")
    pm_client.get(trip.listing.get_absolute_url())  # the caches filled
    with CaptureQueriesContext(connection) as one:
        pm_client.get(trip.listing.get_absolute_url())
    for number in range(5):
        make_request(hofladen, "Groß Kreutz", "Götz", title=f"Gesuch {number}")
    with CaptureQueriesContext(connection) as six:
        page = pm_client.get(trip.listing.get_absolute_url()).content.decode()

    assert "Gesuch 4" in page
    assert len(six) == len(one)


def test_a_requests_page_shows_the_trips_on_its_way(pm_client, spedition, hofladen):
    request = make_request(hofladen, "Groß Kreutz", "Götz", date=in_days(10))
    make_route(
        spedition, "Werder (Havel)", "Wusterwitz", title="Fahrt am Donnerstag", date=in_days(4)
    )
    make_route(spedition, "Belzig", "Teltow", title="Fahrt in den Norden")

    page = pm_client.get(request.listing.get_absolute_url()).content.decode()

    assert "Fahrten auf dieser Strecke" in page
    along = along_route(page)
    assert "Fahrt am Donnerstag" in along and "Fahrt in den Norden" not in along


def test_another_listings_page_shows_no_route(pm_client, organisation):
    from .factories import make_listing

    page = pm_client.get(make_listing(organisation).get_absolute_url()).content.decode()
    assert "Fahrten auf dieser Strecke" not in page and "route-title" not in page


# The route search ---------------------------------------------------------------------------


def test_the_search_page_offers_the_route_search(pm_client):
    page = pm_client.get("/listings/?category=transport").content.decode()
    assert f'href="{SEARCH}"' in page
    assert f'href="{SEARCH}"' not in pm_client.get("/listings/?category=maschinen").content.decode()


def test_the_route_search_finds_trips_from_one_place_to_another(
    pm_client, spedition, django_assert_max_num_queries
):
    make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Beiladung nach Westen")
    make_route(spedition, "Wusterwitz", "Werder (Havel)", title="Beiladung nach Osten")
    make_route(spedition, "Belzig", "Teltow", title="Beiladung nach Norden")
    for day in range(5):
        make_route(
            spedition, "Werder (Havel)", "Wusterwitz", date=in_days(day), title=f"Tour {day}"
        )

    query = {"origin": "Groß Kreutz", "destination": "Götz"}
    pm_client.get(SEARCH, query)  # the region and its places cached
    # The region and its places read from the (database) cache, and one query for the routes.
    with django_assert_max_num_queries(6):
        response = pm_client.get(SEARCH, query)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Beiladung nach Westen" in page and "Tour 4" in page
    assert "Beiladung nach Osten" not in page and "Beiladung nach Norden" not in page
    assert "6 Fahrten von 14550 Groß Kreutz nach 14778 Götz" in page


def test_the_route_search_keeps_to_the_dates_asked(pm_client, spedition):
    make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Bald", date=in_days(2))
    make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Später", date=in_days(20))

    page = pm_client.get(
        SEARCH,
        {
            "origin": "14550 Groß Kreutz",
            "destination": "Götz",
            "earliest": in_days(10).isoformat(),
            "latest": in_days(30).isoformat(),
        },
    ).content.decode()

    assert "Später" in page and "Bald" not in page


def test_the_route_search_finds_requests_along_a_trip(pm_client, spedition, hofladen):
    make_request(hofladen, "Groß Kreutz", "Götz", title="Äpfel nach Götz")
    make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Leerfahrt")

    page = pm_client.get(
        SEARCH, {"origin": "Werder", "destination": "Wusterwitz", "looking_for": "requests"}
    ).content.decode()

    assert "Äpfel nach Götz" in page and "Leerfahrt" not in page
    assert "1 Transportgesuch auf dem Weg von 14542 Werder (Havel) nach 14789 Wusterwitz" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"origin": "Atlantis", "destination": "Götz"}, "gibt es keinen Ort „Atlantis“"),
        ({"origin": "Werder", "destination": ""}, "Bitte geben Sie an, wohin die Ware soll."),
        (
            {"origin": "Werder", "destination": "Götz", "earliest": "gestern"},
            "Bitte geben Sie ein Datum wie 24.12.2026 an.",
        ),
        (
            {
                "origin": "Werder",
                "destination": "Götz",
                "earliest": in_days(5).isoformat(),
                "latest": in_days(1).isoformat(),
            },
            "Das späteste Datum darf nicht vor dem frühesten (oder heute) liegen.",
        ),
        (
            {"origin": "x" * 500, "destination": "Götz", "looking_for": "alles"},
            "höchstens 100 Zeichen",
        ),
    ],
)
def test_a_wrong_route_search_is_answered_not_failed(pm_client, places, query, message):
    response = pm_client.get(SEARCH, query)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_route_search_shows_only_its_regions_trips(ohv_client, spedition):
    make_route(spedition, "Werder (Havel)", "Wusterwitz")

    page = ohv_client.get(SEARCH, {"origin": "Werder", "destination": "Götz"}).content.decode()
    assert "Beiladung" not in page and "Von Werder" not in page


# The back office ----------------------------------------------------------------------------


def test_staff_read_the_routes_of_their_region_only(pm, ohv, spedition, pm_moderator, ohv_admin):
    from .factories import sign_in_with_two_factor

    route = make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Beiladung Richtung Westen")
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)

    listing_page = client.get("/admin/trips/route/")
    assert "Beiladung Richtung Westen" in listing_page.content.decode()
    assert client.get(f"/admin/trips/route/{route.pk}/change/").status_code == 200
    assert client.post(f"/admin/trips/route/{route.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Route.objects.filter(pk=route.pk).exists()

    other = sign_in_with_two_factor(Client(HTTP_HOST="ohv.localhost"), ohv_admin)
    assert "Beiladung Richtung Westen" not in other.get("/admin/trips/route/").content.decode()
    assert other.get(f"/admin/trips/route/{route.pk}/change/").status_code == 404


def test_a_route_changed_on_the_form_is_matched_anew(client_for, owner, organisation, hofladen):
    from matching.models import Match
    from organisations.models import Verification

    from .matching_helpers import run_jobs

    organisation.verification = Verification.VERIFIED  # its changes need no approval
    organisation.save()
    request = make_request(hofladen, "Brück", "Michendorf")
    trip = make_route(organisation, "Werder (Havel)", "Wusterwitz")
    run_jobs()
    assert not Match.objects.exists()

    response = client_for(owner).post(
        edit_url(trip.listing), transport_data(origin="Belzig", destination="Teltow")
    )
    assert response.status_code == 302
    run_jobs()

    assert Match.objects.get().request_id == request.listing.pk


def test_a_postal_code_several_places_share_searches_from_each(pm_client, spedition):
    # 14542 is Werder (Havel), Schwielowsee and Kloster Lehnin.
    make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Beiladung ab Werder")

    page = pm_client.get(SEARCH, {"origin": "14542", "destination": "Götz"}).content.decode()

    assert "Beiladung ab Werder" in page
    assert "1 Fahrt von 14542 nach 14778 Götz" in page

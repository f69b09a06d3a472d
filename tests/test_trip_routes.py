"""The route search's geometry and dates: a trip passes near a place when the place lies
within the corridor around the straight line between its ends, takes goods only in its
own direction, and runs on the dates the searcher asked for."""

import datetime

import pytest

from trips import finding
from trips.models import Weekday
from trips.routes import CORRIDOR_KM, carries, position

from .factories import in_days
from .trips_helpers import make_request, make_route, place

pytestmark = pytest.mark.django_db


def test_a_place_beside_the_road_is_on_the_route(places):
    # Werder (Havel) → Wusterwitz runs west; Groß Kreutz lies about 4 km north of the line.
    where = position(place("Werder (Havel)"), place("Wusterwitz"), place("Groß Kreutz"))
    assert 0 < where.along < 1
    assert where.off_km < 5


def test_a_place_far_off_the_road_is_not_on_the_route(places):
    # Bad Belzig lies some 25 km south of the line Werder → Wusterwitz, Roskow just outside.
    start, end = place("Werder (Havel)"), place("Wusterwitz")
    assert position(start, end, place("Belzig")).off_km > 20
    assert CORRIDOR_KM < position(start, end, place("Roskow")).off_km < CORRIDOR_KM + 3


def test_goods_travel_only_in_the_routes_direction(places):
    start, end = place("Werder (Havel)"), place("Wusterwitz")
    assert carries(start, end, place("Groß Kreutz"), place("Götz")) is not None
    assert carries(start, end, place("Götz"), place("Groß Kreutz")) is None
    assert carries(end, start, place("Götz"), place("Groß Kreutz")) is not None


def test_the_ends_of_the_route_count_as_on_it(places):
    start, end = place("Belzig"), place("Teltow")
    assert carries(start, end, start, end) == pytest.approx(0, abs=0.01)
    assert carries(start, end, place("Brück"), place("Michendorf")) < 1


def test_search_finds_trips_passing_both_places_in_order(pm, spedition):
    along = make_route(spedition, "Werder (Havel)", "Wusterwitz")
    make_route(spedition, "Wusterwitz", "Werder (Havel)")  # the other way
    make_route(spedition, "Belzig", "Teltow")  # elsewhere

    found = finding.trips_carrying(
        pm, [place("Groß Kreutz")], [place("Götz")], in_days(0), in_days(30)
    )

    assert [item.route for item in found] == [along]
    assert found[0].runs_on == in_days(7)


def test_search_leaves_out_a_trip_passing_only_one_of_the_places(pm, spedition):
    make_route(spedition, "Werder (Havel)", "Wusterwitz")

    assert not finding.trips_carrying(
        pm, [place("Groß Kreutz")], [place("Belzig")], in_days(0), in_days(30)
    )
    assert not finding.trips_carrying(
        pm, [place("Roskow")], [place("Götz")], in_days(0), in_days(30)
    )


def test_search_finds_a_one_off_trip_only_within_the_date_window(pm, spedition):
    make_route(spedition, "Belzig", "Teltow", date=in_days(10))
    brueck, michendorf = [place("Brück")], [place("Michendorf")]

    assert finding.trips_carrying(pm, brueck, michendorf, in_days(10), in_days(10))
    assert finding.trips_carrying(pm, brueck, michendorf, in_days(5), None)
    assert not finding.trips_carrying(pm, brueck, michendorf, in_days(0), in_days(9))
    assert not finding.trips_carrying(pm, brueck, michendorf, in_days(11), in_days(40))


def test_search_finds_a_weekly_trip_on_its_next_weekday_in_the_window(pm, spedition):
    monday = in_days(7 - in_days(0).weekday())  # next week's Monday
    make_route(
        spedition,
        "Belzig",
        "Teltow",
        date=None,
        weekday=Weekday.WEDNESDAY,
        repeat_until=monday + datetime.timedelta(days=16),
    )
    brueck, michendorf = [place("Brück")], [place("Michendorf")]

    found = finding.trips_carrying(pm, brueck, michendorf, monday, monday + datetime.timedelta(6))
    assert [item.runs_on for item in found] == [monday + datetime.timedelta(days=2)]
    # Thursday to Tuesday holds no Wednesday; after its end the trip runs no more.
    assert not finding.trips_carrying(
        pm, brueck, michendorf, monday + datetime.timedelta(3), monday + datetime.timedelta(8)
    )
    assert not finding.trips_carrying(pm, brueck, michendorf, monday + datetime.timedelta(17), None)


def test_search_shows_only_published_trips_of_the_region(pm, ohv, spedition):
    make_route(spedition, "Werder (Havel)", "Wusterwitz", status="draft")
    make_route(spedition, "Werder (Havel)", "Wusterwitz", status="paused")

    assert not finding.trips_carrying(pm, [place("Groß Kreutz")], [place("Götz")], in_days(0), None)
    make_route(spedition, "Werder (Havel)", "Wusterwitz")
    assert not finding.trips_carrying(
        ohv, [place("Groß Kreutz")], [place("Götz")], in_days(0), None
    )


def test_requests_along_a_trip_are_those_on_it_in_its_direction(pm, spedition, hofladen):
    on_the_way = make_request(hofladen, "Groß Kreutz", "Götz", date=in_days(5))
    make_request(hofladen, "Götz", "Groß Kreutz")  # the other way
    make_request(hofladen, "Groß Kreutz", "Belzig")  # off the road
    make_request(hofladen, "Groß Kreutz", "Götz", date=in_days(1))  # due before we drive

    found = finding.requests_along(pm, [place("Werder (Havel)")], [place("Wusterwitz")], in_days(3))

    assert [item.route for item in found] == [on_the_way]


def test_a_request_meets_the_trips_that_run_before_its_date(pm, spedition, hofladen):
    request = make_request(hofladen, "Groß Kreutz", "Götz", date=in_days(8))
    in_time = make_route(spedition, "Werder (Havel)", "Wusterwitz", date=in_days(6))
    make_route(spedition, "Werder (Havel)", "Wusterwitz", date=in_days(9))  # too late
    weekly = make_route(spedition, "Werder (Havel)", "Wusterwitz", date=None, weekday=0)

    assert {item.route for item in finding.counterparts(request)} == {in_time, weekly}
    assert [item.route for item in finding.counterparts(in_time)] == [request]


def test_a_trip_meets_only_requests_it_has_room_for(pm, spedition, hofladen):
    trip = make_route(
        spedition,
        "Werder (Havel)",
        "Wusterwitz",
        weight_kg=500,
        pallet_spaces=2,
        attributes={"load-space": 4},
    )
    fits = make_request(hofladen, "Groß Kreutz", "Götz", weight_kg=400, pallet_spaces=2)
    make_request(hofladen, "Groß Kreutz", "Götz", weight_kg=800)
    make_request(hofladen, "Groß Kreutz", "Götz", attributes={"load-space": 6})
    make_request(hofladen, "Groß Kreutz", "Götz", is_cooled=True)
    make_request(hofladen, "Groß Kreutz", "Götz", has_tail_lift=True)

    assert [item.route for item in finding.counterparts(trip)] == [fits]


def test_matching_pairs_a_trip_with_the_requests_on_its_route(pm, spedition, hofladen):
    from matching import services as matching
    from matching.models import Match

    request = make_request(hofladen, "Groß Kreutz", "Götz", title="Äpfel zum Hofladen")
    make_request(hofladen, "Götz", "Groß Kreutz", title="Leergut zurück")
    trip = make_route(spedition, "Werder (Havel)", "Wusterwitz", title="Beiladung frei")

    new = matching.match_listing(trip.listing.pk, tell=False)

    # No word in common: the route decides.
    assert [(match.offer_id, match.request_id) for match in new] == [
        (trip.listing.pk, request.listing.pk)
    ]
    assert Match.objects.get().distance_km == pytest.approx(5.7, abs=0.1)  # Götz off the line
    assert matching.match_listing(request.listing.pk, tell=False) == []  # recorded once


def test_matching_keeps_its_other_rules_for_routes(pm, spedition, hofladen):
    from inquiries import safety_steps
    from matching import services as matching

    make_request(hofladen, "Groß Kreutz", "Götz")
    safety_steps.block(hofladen, spedition, hofladen.memberships.first().user)
    trip = make_route(spedition, "Werder (Havel)", "Wusterwitz")

    assert matching.match_listing(trip.listing.pk, tell=False) == []

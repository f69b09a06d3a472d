"""The impact figures equal the records they are counted from: a data set with exchanges of
every kind, and with what must not count (open, declined, withdrawn and not collected
inquiries, an exchange one side said did not work out, another region's exchanges)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from impact import figures
from impact.figures import Figure, ReceiverGroup, compute_impact, region_impact
from inquiries.models import Outcome, Status
from listings.models import QuantityUnit, Terms

from .factories import make_listing
from .impact_data import build_scene, hand_over, now_minus


@pytest.fixture
def scene(pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer):
    return build_scene(
        pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer
    )


def test_it_counts_what_was_handed_over_and_nothing_else(pm, scene, organisation, school):
    impact = compute_impact(pm, timezone.localdate())
    assert impact.exchanges == Figure(6, 5)
    assert impact.kind(Terms.GIVE_AWAY) == Figure(2, 1)
    assert impact.kind(Terms.DONATION) == Figure(2, 2)  # the flour, the books
    assert impact.kind(Terms.LOAN) == Figure(1, 1)
    assert impact.kind(Terms.TIME_DONATION) == Figure(1, 1)
    assert impact.kind(Terms.RENT) == Figure(0, 0)  # one side said it did not work out
    assert impact.donations == Figure(5, 4)
    assert impact.days_lent == Figure(3, 3)
    given = {amount.unit: amount.figure for amount in impact.given}
    assert given == {QuantityUnit.PIECE: Figure(25, 23), QuantityUnit.KILOGRAM: Figure(4, 4)}
    assert [(a.unit, a.figure) for a in impact.time_donated] == [(QuantityUnit.HOUR, Figure(8, 8))]
    assert impact.receiver_group(ReceiverGroup.SCHOOLS) == Figure(1, 1)
    assert impact.receiver_group(ReceiverGroup.ASSOCIATIONS) == Figure(1, 1)
    assert impact.receiver_group(ReceiverGroup.OTHER_NONPROFITS) == Figure(0, 0)
    assert impact.receiving_non_profits == Figure(2, 2)  # the company that borrowed is not
    assert impact.givers == Figure(2, 2)


def test_figures_equal_the_underlying_records(pm, scene):
    """The same figures, counted row by row in Python from the records."""
    impact = compute_impact(pm, timezone.localdate())
    since = figures.recent_start()
    rows = []
    for outcome in Outcome.objects.select_related("inquiry__listing"):
        inquiry = outcome.inquiry
        if inquiry.region_id != pm.pk or inquiry.status != Status.COMPLETED:
            continue
        if outcome.owner_succeeded is False or outcome.inquirer_succeeded is False:
            continue
        rows.append(outcome)
    recent = [o for o in rows if timezone.localdate(o.completed_at) >= since]
    assert impact.exchanges == Figure(len(rows), len(recent))
    givers = {o.inquiry.organisation_of(o.inquiry.giving_side).pk for o in rows}
    assert impact.givers.total == len(givers)
    month_sum = sum(month.total for month in impact.months)
    assert month_sum == impact.exchanges.recent
    assert len(impact.months) == 12
    assert impact.months[-1].start == timezone.localdate().replace(day=1)


def test_the_chart_has_each_month_in_its_place(pm, scene):
    impact = compute_impact(pm, timezone.localdate())
    by_month = {month.start: month for month in impact.months}
    this_month = timezone.localdate().replace(day=1)
    assert by_month[this_month].total >= 2  # the desks and the advice, handed over today
    seventy = timezone.localdate(now_minus(70)).replace(day=1)
    assert by_month[seventy].counts[figures.KINDS.index(Terms.LOAN)] == 1


def test_public_thank_yous_are_those_both_sides_agreed_to_show(pm, scene, organisation, school):
    impact = compute_impact(pm, timezone.localdate())
    assert [(t.note, t.giver, t.receiver, t.what) for t in impact.thank_yous] == [
        ("Danke!", organisation.name, school.name, "Schreibtische")
    ]


def test_only_givers_who_agreed_are_named(pm, scene):
    impact = compute_impact(pm, timezone.localdate())
    assert [(giver.name, giver.count) for giver in impact.named_givers] == [("Muster GmbH", 1)]


def test_other_regions_figures_stay_apart(ohv, scene):
    impact = compute_impact(ohv, timezone.localdate())
    assert impact.exchanges == Figure(1, 1)
    assert [t.giver for t in impact.thank_yous] == ["Oberhavel GmbH"]
    assert [g.name for g in impact.named_givers] == ["Oberhavel GmbH"]


def test_organisation_counts(scene, organisation, school):
    assert figures.organisation_counts(organisation) == {"helped": 5, "received": 0}
    assert figures.organisation_counts(school) == {"helped": 0, "received": 3}
    assert figures.organisation_counts(scene["muster"]) == {"helped": 1, "received": 1}


def test_the_figures_are_cached_until_an_outcome_changes(
    pm, scene, organisation, owner, django_assert_num_queries
):
    cache.clear()
    first = region_impact(pm)
    with django_assert_num_queries(2):  # two cache reads (database cache), no counting
        assert region_impact(pm) == first
    desks = make_listing(organisation, "Mehr Tische", author=owner, terms=Terms.GIVE_AWAY)
    school = Outcome.objects.first().inquiry.organisation
    hand_over(desks, school, school.memberships.first().user, owner)
    assert region_impact(pm).exchanges.total == first.exchanges.total + 1


def test_the_figures_need_the_same_queries_for_more_data(
    pm, scene, organisation, owner, school, school_user, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            compute_impact(pm, timezone.localdate())
        return len(queries)

    before = count()
    for number in range(5):
        listing = make_listing(
            organisation, f"Kiste {number}", author=owner, terms=Terms.GIVE_AWAY, quantity=3
        )
        hand_over(
            listing,
            school,
            school_user,
            owner,
            quantity=1,
            note="Danke",
            public=True,
            completed_days_ago=number * 31,
        )
    with django_assert_max_num_queries(before):
        compute_impact(pm, timezone.localdate())

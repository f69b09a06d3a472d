"""The impact figures equal the records they are counted from: a data set with exchanges of
every kind, and with what must not count (open, declined, withdrawn and not collected
inquiries, an exchange one side said did not work out, another region's exchanges)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from impact import figures
from impact.figures import Figure, ReceiverGroup, compute_impact, region_impact
from inquiries import services
from inquiries.models import Inquiry, Outcome, Side, Status
from listings.models import Direction, QuantityUnit, Terms
from organisations.models import OrganisationType, Verification

from .factories import category, in_days, make_listing, make_organisation, make_user


def now_minus(days):
    return timezone.now() - datetime.timedelta(days=days)


def hand_over(
    listing,
    receiver,
    receiver_user,
    giver_user,
    *,
    quantity=None,
    period=None,
    answers=(True, True),
    note="",
    public=False,
    completed_days_ago=0,
):
    """An exchange played through the services up to "Did it work out?"."""
    inquiry = services.create_inquiry(
        listing,
        receiver,
        receiver_user,
        body="Wir hätten Interesse.",
        quantity=quantity,
        period=period,
    )
    services.accept(inquiry, giver_user)
    services.complete(inquiry, giver_user)
    owner_answer, inquirer_answer = answers
    if inquirer_answer is not None:
        services.answer_outcome(
            inquiry, Side.INQUIRER, receiver_user, succeeded=inquirer_answer, thank_you=note
        )
    if owner_answer is not None:
        services.answer_outcome(inquiry, Side.OWNER, giver_user, succeeded=owner_answer)
    if public:
        services.allow_thank_you(inquiry, Side.OWNER, giver_user, public=True)
    Outcome.objects.filter(inquiry=inquiry).update(completed_at=now_minus(completed_days_ago))
    return inquiry


@pytest.fixture
def scene(pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer):
    """Potsdam-Mittelmark: six exchanges that count, and everything that must not."""
    muster_user = make_user("chefin@muster.example")
    muster = make_organisation(pm, "Muster GmbH", owner=muster_user, named_as_giver=True)
    desks = make_listing(
        organisation,
        "Schreibtische",
        author=owner,
        terms=Terms.GIVE_AWAY,
        quantity=5,
        category=category("it-technik"),
    )
    flour = make_listing(
        organisation,
        "Mehl",
        author=owner,
        terms=Terms.DONATION,
        quantity=10,
        quantity_unit=QuantityUnit.KILOGRAM,
    )
    trailer = make_listing(organisation, "Anhänger", author=owner, terms=Terms.LOAN)
    advice = make_listing(
        organisation,
        "Beratung",
        author=owner,
        terms=Terms.TIME_DONATION,
        quantity=8,
        quantity_unit=QuantityUnit.HOUR,
    )
    forklift = make_listing(organisation, "Gabelstapler", author=owner, terms=Terms.RENT)
    chairs = make_listing(
        organisation,
        "Stühle",
        author=owner,
        terms=Terms.GIVE_AWAY,
        quantity=2,
        category=category("it-technik"),
    )
    wanted = make_listing(
        school,
        "Suchen Bücher",
        author=school_user,
        direction=Direction.REQUEST,
        terms=Terms.DONATION,
        quantity=20,
    )

    # What counts.
    hand_over(desks, school, school_user, owner, quantity=3, note="Danke!", public=True)
    hand_over(
        flour,
        inquirer_organisation,
        inquirer,
        owner,
        quantity=4,
        answers=(None, True),
        completed_days_ago=40,
    )
    hand_over(
        trailer, muster, muster_user, owner, period=(in_days(1), in_days(3)), completed_days_ago=70
    )
    hand_over(
        advice, school, school_user, owner, period=(in_days(2), in_days(2)), note="Nicht öffentlich"
    )
    answered = services.create_inquiry(wanted, muster, muster_user, body="Wir haben Bücher.")
    services.accept(answered, school_user)
    services.complete(answered, school_user)
    hand_over(chairs, inquirer_organisation, inquirer, owner, quantity=2, completed_days_ago=800)

    # What does not count.
    hand_over(
        forklift,
        inquirer_organisation,
        inquirer,
        owner,
        period=(in_days(5), in_days(6)),
        answers=(True, False),
    )
    withdrawn = services.create_inquiry(desks, muster, muster_user, body="?", quantity=1)
    services.withdraw(withdrawn, muster_user)
    declined = services.create_inquiry(flour, school, school_user, body="?", quantity=2)
    services.decline(declined, owner)
    released = services.create_inquiry(desks, inquirer_organisation, inquirer, body="?", quantity=1)
    services.accept(released, owner, handover_on=in_days(0))
    Inquiry.objects.filter(pk=released.pk).update(handover_on=in_days(-2))
    released.refresh_from_db()
    services.release(released, owner)
    services.create_inquiry(flour, school, school_user, body="Noch offen?", quantity=1)

    # Another region's exchange.
    ohv_user = make_user("inhaber@ohv.example")
    ohv_giver = make_organisation(ohv, "Oberhavel GmbH", owner=ohv_user, named_as_giver=True)
    ohv_school_user = make_user("schule@ohv.example")
    ohv_school = make_organisation(
        ohv,
        "Schule Oberhavel",
        owner=ohv_school_user,
        type=OrganisationType.SCHOOL,
        verification=Verification.VERIFIED,
    )
    ohv_desks = make_listing(
        ohv_giver,
        "Tische",
        author=ohv_user,
        terms=Terms.GIVE_AWAY,
        quantity=9,
        category=category("it-technik"),
    )
    hand_over(
        ohv_desks, ohv_school, ohv_school_user, ohv_user, quantity=9, note="Toll", public=True
    )
    return {"muster": muster, "ohv_giver": ohv_giver, "ohv_school": ohv_school}


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

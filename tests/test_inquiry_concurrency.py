"""The exchange under real concurrency, on PostgreSQL: many people accepting at the same
moment never hand out more than a listing has, never book one period twice, and get a
message (InquiryError) instead of an error page; the constraints behind it hold on their
own when the services are bypassed.

The concurrent tests start their threads together at a barrier; each thread has its own
database connection (Django's are per thread) and closes it when done. Each runs several
rounds with fresh listings, so that a race that only sometimes goes wrong shows up.
SQLite serialises writers for the whole database, so there is no race to test there.
"""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone, translation

from inquiries import services
from inquiries.models import Inquiry, Status
from listings.models import Listing, Terms

from .factories import make_listing, make_organisation, make_user

ROUNDS = 5

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency (row locks) needs PostgreSQL; SQLite serialises all writers",
)
has_exclusion_constraint = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the exclusion constraint exists on PostgreSQL only (migration inquiries 0002)",
)


def run_together(calls, timeout=60):
    """Runs each call in its own thread, all released at once by a barrier; returns per
    call ("ok", result) or ("error", exception), in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def work(index, call):
        try:
            connection.ensure_connection()  # connected before the start, not after it
            barrier.wait(timeout=timeout)
            # English messages, whatever the default language: the source strings.
            with translation.override("en"):
                results[index] = ("ok", call())
        except BaseException as error:  # reported to the test, which fails on it
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(index, call), daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


def outcomes(results):
    """The results split into successes and InquiryErrors; any other exception fails."""
    unexpected = [
        value
        for kind, value in results
        if kind == "error" and not isinstance(value, services.InquiryError)
    ]
    assert not unexpected, "unexpected exceptions: " + "; ".join(
        f"{type(error).__name__}: {str(error)[:200]}" for error in unexpected
    )
    succeeded = [value for kind, value in results if kind == "ok"]
    refused = [value for kind, value in results if kind == "error"]
    return succeeded, refused


def reserved_in_db(listing):
    return Listing.objects.values_list("quantity_reserved", flat=True).get(pk=listing.pk)


@pytest.fixture
def askers(pm):
    """20 organisations of pm, each with its owner (who asks for it)."""
    people = []
    for number in range(20):
        user = make_user(f"chefin{number}@firma{number}.example")
        make_organisation(pm, f"Firma {number:02d}", owner=user)
        people.append(user)
    return [(user.memberships.get().organisation, user) for user in people]


def given_away(organisation, owner, quantity, title="Europaletten zu verschenken"):
    return make_listing(organisation, title, author=owner, terms=Terms.GIVE_AWAY, quantity=quantity)


# Claims by quantity --------------------------------------------------------------------


@pytest.mark.parametrize("terms", [Terms.GIVE_AWAY, Terms.DONATION])
@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_twenty_simultaneous_acceptances_of_one_unit_reserve_exactly_five(
    terms, organisation, owner, askers
):
    for round_number in range(ROUNDS):
        offer = make_listing(
            organisation,
            f"5 Drucker, Runde {round_number}",
            author=owner,
            terms=terms,
            quantity=5,
        )
        inquiries = [
            services.create_inquiry(offer, asker, user, body="Wir nehmen einen.", quantity=1)
            for asker, user in askers
        ]
        # Fresh instances, one per thread, as each request would load its own.
        loaded = [Inquiry.objects.get(pk=inquiry.pk) for inquiry in inquiries]

        results = run_together(
            [lambda inquiry=inquiry: services.accept(inquiry, owner) for inquiry in loaded]
        )

        accepted, refused = outcomes(results)
        assert len(accepted) == 5, f"round {round_number}"
        assert len(refused) == 15, f"round {round_number}"
        assert all("available" in str(error) for error in refused), refused
        assert reserved_in_db(offer) == 5
        statuses = list(Inquiry.objects.filter(listing=offer).values_list("status", flat=True))
        assert statuses.count(Status.ACCEPTED) == 5
        assert statuses.count(Status.OPEN) == 15
        assert Listing.objects.get(pk=offer.pk).is_reserved


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_simultaneous_acceptances_of_mixed_quantities_never_exceed_the_stock(
    organisation, owner, askers
):
    wanted = [1, 2, 3, 2, 1, 4, 2, 1, 3, 2]
    for round_number in range(ROUNDS):
        offer = given_away(organisation, owner, 5, f"Stühle, Runde {round_number}")
        inquiries = [
            services.create_inquiry(offer, asker, user, body="Bitte.", quantity=quantity)
            for (asker, user), quantity in zip(askers, wanted, strict=False)
        ]
        loaded = [Inquiry.objects.get(pk=inquiry.pk) for inquiry in inquiries]

        results = run_together(
            [lambda inquiry=inquiry: services.accept(inquiry, owner) for inquiry in loaded]
        )

        accepted, refused = outcomes(results)
        reserved = reserved_in_db(offer)
        accepted_in_db = Inquiry.objects.filter(listing=offer, status=Status.ACCEPTED)
        assert accepted_in_db.aggregate(total=Sum("quantity"))["total"] == reserved
        assert sum(inquiry.quantity for inquiry in accepted) == reserved
        assert 0 < reserved <= 5
        # Each refusal came when less was left than it asked for; less is left now still.
        left = 5 - reserved
        refused_quantities = Inquiry.objects.filter(listing=offer, status=Status.OPEN).values_list(
            "quantity", flat=True
        )
        assert len(refused_quantities) == len(refused)
        assert all(quantity > left for quantity in refused_quantities), (left, refused)


# Bookings of periods -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_ten_simultaneous_acceptances_of_overlapping_periods_book_exactly_one(
    organisation, owner, askers
):
    shared_day = timezone.localdate() + datetime.timedelta(days=10)
    for round_number in range(ROUNDS):
        offer = make_listing(
            organisation, f"Festzelt, Runde {round_number}", author=owner, terms=Terms.RENT
        )
        inquiries = [
            services.create_inquiry(
                offer,
                asker,
                user,
                body="Für unser Fest.",
                period=(
                    shared_day - datetime.timedelta(days=number % 3),
                    shared_day + datetime.timedelta(days=number % 4),
                ),
            )
            for number, (asker, user) in enumerate(askers[:10])
        ]
        loaded = [Inquiry.objects.get(pk=inquiry.pk) for inquiry in inquiries]

        results = run_together(
            [lambda inquiry=inquiry: services.accept(inquiry, owner) for inquiry in loaded]
        )

        accepted, refused = outcomes(results)
        assert len(accepted) == 1, f"round {round_number}"
        assert len(refused) == 9
        with translation.override("en"):  # the message is lazy: worded when shown
            assert {str(error) for error in refused} == {str(services.OVERLAP_ON_ACCEPT)}
        assert Inquiry.objects.filter(listing=offer, status=Status.ACCEPTED).count() == 1
        assert reserved_in_db(offer) == 0  # periods are booked, not counted


# Other races ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_accepting_while_the_inquirer_withdraws_leaves_nothing_reserved(
    organisation, owner, askers
):
    asker, user = askers[0]
    for round_number in range(ROUNDS):
        offer = given_away(organisation, owner, 5, f"Regale, Runde {round_number}")
        inquiry = services.create_inquiry(offer, asker, user, body="Drei bitte.", quantity=3)

        results = run_together(
            [
                lambda pk=inquiry.pk: services.accept(Inquiry.objects.get(pk=pk), owner),
                lambda pk=inquiry.pk: services.withdraw(Inquiry.objects.get(pk=pk), user),
            ]
        )

        outcomes(results)
        assert results[1][0] == "ok"  # withdrawing works from open and from accepted
        inquiry.refresh_from_db()
        assert inquiry.status == Status.WITHDRAWN
        assert reserved_in_db(offer) == 0


@pytest.mark.django_db(transaction=True)
@needs_postgresql
def test_a_double_submitted_inquiry_is_created_once(organisation, owner, askers):
    asker, user = askers[0]
    for round_number in range(ROUNDS):
        offer = given_away(organisation, owner, 5, f"Kisten, Runde {round_number}")

        results = run_together(
            [
                lambda offer=offer: services.create_inquiry(
                    offer, asker, user, body="Bitte.", quantity=1
                )
                for _ in range(5)
            ]
        )

        created, refused = outcomes(results)
        assert len(created) == 1
        assert len(refused) == 4
        assert all("already" in str(error) for error in refused)
        assert Inquiry.objects.filter(listing=offer).count() == 1


@pytest.mark.django_db(transaction=True)
@needs_postgresql
@pytest.mark.parametrize("step", ["accept", "create_inquiry"])
def test_steps_on_different_listings_do_not_wait_for_each_other(step, organisation, owner, askers):
    (asker, user), (second_asker, second_user) = askers[:2]
    first = given_away(organisation, owner, 5, "Tische")
    second = given_away(organisation, owner, 5, "Bänke")
    busy = services.create_inquiry(first, asker, user, body="Tische bitte.", quantity=1)
    waiting = services.create_inquiry(second, asker, user, body="Bänke bitte.", quantity=1)
    holding, done = threading.Event(), threading.Event()

    def hold_the_first_listing():
        with transaction.atomic():
            if step == "accept":
                services.accept(Inquiry.objects.get(pk=busy.pk), owner)
            else:
                services.create_inquiry(
                    first, second_asker, second_user, body="Auch Tische.", quantity=1
                )
            holding.set()  # its locks are held until this transaction ends
            done.wait(30)

    def step_on_the_second_listing():
        try:
            assert holding.wait(30)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                if step == "accept":
                    return services.accept(Inquiry.objects.get(pk=waiting.pk), owner)
                return services.create_inquiry(
                    second, second_asker, second_user, body="Auch Bänke.", quantity=1
                )
        finally:
            done.set()

    results = run_together([hold_the_first_listing, step_on_the_second_listing])

    succeeded, refused = outcomes(results)
    assert len(succeeded) == 2 and not refused


# The constraints themselves ------------------------------------------------------------


def booking(listing, organisation, start, end, status=Status.ACCEPTED):
    """An inquiry saved directly, past the services and their checks."""
    return Inquiry.objects.create(
        region=listing.region,
        listing=listing,
        listing_organisation=listing.organisation,
        organisation=organisation,
        status=status,
        period_start=start,
        period_end=end,
    )


@pytest.fixture
def three_askers(pm):
    return [make_organisation(pm, f"Verein {number}") for number in range(3)]


@pytest.mark.django_db
@has_exclusion_constraint
def test_the_exclusion_constraint_refuses_overlapping_accepted_bookings(
    listing, organisation, owner, three_askers
):
    first, second, third = three_askers
    day = timezone.localdate() + datetime.timedelta(days=20)
    booking(listing, first, day, day + datetime.timedelta(days=2))

    # Sharing only the last day is an overlap: both days count ('[]').
    for status in (Status.ACCEPTED, Status.COMPLETED):
        with pytest.raises(IntegrityError), transaction.atomic():
            booking(
                listing,
                second,
                day + datetime.timedelta(days=2),
                day + datetime.timedelta(days=4),
                status,
            )

    # The day after is free; an overlapping open inquiry holds no booking.
    booking(listing, second, day + datetime.timedelta(days=3), day + datetime.timedelta(days=4))
    waiting = booking(listing, third, day, day, Status.OPEN)
    # ... but it cannot become accepted behind the services' back.
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.filter(pk=waiting.pk).update(status=Status.ACCEPTED)
    # Declined and withdrawn ones never count.
    Inquiry.objects.filter(pk=waiting.pk).update(status=Status.DECLINED)
    # Another listing may be booked for the same days.
    other = make_listing(organisation, "Anhänger zu vermieten", author=owner)
    booking(other, first, day, day + datetime.timedelta(days=2))
    assert Inquiry.objects.filter(status=Status.ACCEPTED).count() == 3


@pytest.mark.django_db
def test_the_check_constraint_refuses_reserving_more_than_the_listing_has(organisation, owner):
    offer = given_away(organisation, owner, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.filter(pk=offer.pk).update(quantity_reserved=F("quantity") + 1)
    Listing.objects.filter(pk=offer.pk).update(quantity_reserved=5)  # all of it is fine
    assert reserved_in_db(offer) == 5


@pytest.mark.django_db
def test_one_after_another_the_sixth_acceptance_of_five_is_refused(organisation, owner, askers):
    """The same rules without concurrency, on every database."""
    offer = given_away(organisation, owner, 5)
    inquiries = [
        services.create_inquiry(offer, asker, user, body="Einen bitte.", quantity=1)
        for asker, user in askers[:6]
    ]
    for inquiry in inquiries[:5]:
        services.accept(inquiry, owner)
    with pytest.raises(services.InquiryError):
        services.accept(inquiries[5], owner)
    assert reserved_in_db(offer) == 5
    assert Inquiry.objects.get(pk=inquiries[5].pk).status == Status.OPEN
    # Giving one back makes room for the next.
    services.withdraw(inquiries[0], askers[0][1])
    services.accept(inquiries[5], owner)
    assert reserved_in_db(offer) == 5


@pytest.mark.django_db
def test_one_after_another_an_overlapping_booking_is_refused(organisation, owner, askers):
    day = timezone.localdate() + datetime.timedelta(days=10)
    offer = make_listing(organisation, "Festzelt", author=owner, terms=Terms.RENT)
    (first, first_user), (second, second_user) = askers[:2]
    one = services.create_inquiry(offer, first, first_user, body="A", period=(day, day))
    two = services.create_inquiry(
        offer, second, second_user, body="B", period=(day, day + datetime.timedelta(days=1))
    )
    services.accept(one, owner)
    with pytest.raises(services.InquiryError):
        services.accept(two, owner)
    services.withdraw(one, first_user)  # the period is free again
    services.accept(two, owner)
    assert Inquiry.objects.get(pk=two.pk).status == Status.ACCEPTED

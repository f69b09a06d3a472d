"""The rules of the exchange at their edges, where the forms in front of the services do
not reach: what the services themselves refuse when an inquiry is created (another
request may have taken the quantity or the period since the form was checked), steps
from the wrong state, values exactly at a limit, and a person who belongs to both
organisations of an inquiry."""

import pytest
from django.utils import timezone, translation

from inquiries import rules as inquiry_rules
from inquiries import safety_steps, services
from inquiries.models import MAX_MESSAGE_LENGTH, Inquiry, Message, MessageKind, Side, Status
from organisations.models import Role

from .factories import (
    claim,
    fresh,
    in_days,
    make_listing,
    make_membership,
    make_organisation,
    make_user,
)


@pytest.fixture
def forklift(organisation, owner):
    """A forklift for rent, available from tomorrow for three weeks."""
    return make_listing(
        organisation, author=owner, available_from=in_days(1), available_until=in_days(21)
    )


def book(listing, organisation, author, start, end):
    return services.create_inquiry(
        listing, organisation, author, body="Für unser Sommerfest.", period=(start, end)
    )


# Creating an inquiry ---------------------------------------------------------------------------


def test_a_claim_of_exactly_what_is_left_is_taken_and_one_more_is_refused(
    desks, owner, inquirer_organisation, inquirer, school, school_user
):
    first = claim(desks, school, school_user, 2)
    services.accept(first, owner)

    with pytest.raises(services.InquiryError, match="sind nur noch 3 verfügbar"):
        claim(desks, inquirer_organisation, inquirer, 4)
    assert not Inquiry.objects.filter(organisation=inquirer_organisation).exists()

    assert claim(desks, inquirer_organisation, inquirer, 3).quantity == 3


def test_a_claim_without_a_quantity_asks_for_one(desks, inquirer_organisation, inquirer):
    inquiry = services.create_inquiry(desks, inquirer_organisation, inquirer, body="Gern eins.")
    assert inquiry.quantity == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 2, "nicht in der Vergangenheit"),
        (0, 2, "ab dem"),  # available from tomorrow only
        (5, 22, "bis zum"),
        (6, 5, "Ende des Zeitraums"),
    ],
)
def test_a_booking_outside_what_the_listing_allows_is_refused_when_created(
    forklift, inquirer_organisation, inquirer, start, end, message
):
    with pytest.raises(services.InquiryError, match=message):
        book(forklift, inquirer_organisation, inquirer, in_days(start), in_days(end))
    assert not Inquiry.objects.exists()


def test_a_booking_from_the_first_to_the_last_available_day_is_taken(
    forklift, inquirer_organisation, inquirer
):
    inquiry = book(forklift, inquirer_organisation, inquirer, in_days(1), in_days(21))
    assert (inquiry.period_start, inquiry.period_end) == (in_days(1), in_days(21))


def test_a_booking_may_start_today(listing, inquirer_organisation, inquirer):
    inquiry = book(listing, inquirer_organisation, inquirer, in_days(0), in_days(0))
    assert inquiry.period_start == timezone.localdate()


def test_a_booking_overlapping_an_accepted_one_is_refused_when_created(
    forklift, owner, inquirer_organisation, inquirer, school, school_user
):
    services.accept(book(forklift, school, school_user, in_days(3), in_days(5)), owner)

    with pytest.raises(services.InquiryError, match="überschneidet"):
        book(forklift, inquirer_organisation, inquirer, in_days(5), in_days(7))
    assert book(forklift, inquirer_organisation, inquirer, in_days(6), in_days(7)).is_active


def test_a_booking_needs_a_period(forklift, inquirer_organisation, inquirer):
    with pytest.raises(services.InquiryError, match="Zeitraum"):
        services.create_inquiry(forklift, inquirer_organisation, inquirer, body="Hallo")


def test_help_on_a_request_asks_for_neither_quantity_nor_period(
    organisation, owner, inquirer_organisation, inquirer
):
    request = make_listing(
        organisation, "Wir suchen einen Anhänger", author=owner, direction="request"
    )
    inquiry = services.create_inquiry(
        request, inquirer_organisation, inquirer, body="Wir haben einen.", quantity=3
    )
    assert (inquiry.quantity, inquiry.period_start, inquiry.period_end) == (None, None, None)


def test_a_new_inquiry_is_one_unread_update_for_the_listings_side(
    desks, inquirer_organisation, inquirer
):
    inquiry = fresh(claim(desks, inquirer_organisation, inquirer, 1))
    assert (inquiry.owner_unread, inquiry.inquirer_unread) == (1, 0)
    assert list(inquiry.messages.values_list("kind", "side", "body")) == [
        (MessageKind.CREATED, Side.INQUIRER, ""),
        (MessageKind.TEXT, Side.INQUIRER, "Wir würden gern abholen."),
    ]


# Messages at their limits ----------------------------------------------------------------------


def test_a_message_of_exactly_the_maximum_length_is_sent_and_one_longer_is_refused(
    desks, inquirer_organisation, inquirer, owner
):
    inquiry = claim(desks, inquirer_organisation, inquirer, 1)
    longest = "x" * MAX_MESSAGE_LENGTH

    assert services.post_message(inquiry, Side.OWNER, owner, f"  {longest}\n").body == longest
    with pytest.raises(services.InquiryError, match=str(MAX_MESSAGE_LENGTH)):
        services.post_message(inquiry, Side.OWNER, owner, longest + "x")
    with pytest.raises(services.InquiryError, match="Nachricht"):
        services.post_message(inquiry, Side.OWNER, owner, " \n ")
    assert inquiry.messages.filter(kind=MessageKind.TEXT).count() == 2


# Steps from the wrong state or at the wrong time -----------------------------------------------


@pytest.fixture
def open_claim(desks, inquirer_organisation, inquirer):
    return claim(desks, inquirer_organisation, inquirer, 2)


def steps_taken(inquiry):
    return Message.objects.filter(inquiry=inquiry).exclude(kind=MessageKind.TEXT).count()


@pytest.mark.parametrize(
    "step",
    [
        lambda inquiry, owner: services.set_handover(inquiry, owner, in_days(2)),
        lambda inquiry, owner: services.release(inquiry, owner),
        lambda inquiry, owner: services.complete(inquiry, owner),
    ],
    ids=["handover", "release", "complete"],
)
def test_the_services_refuse_steps_of_an_accepted_inquiry_while_it_is_open(
    open_claim, owner, desks, step
):
    before = steps_taken(open_claim)
    with pytest.raises(services.InquiryError, match="Status"):
        step(open_claim, owner)
    assert fresh(open_claim).status == Status.OPEN
    assert fresh(open_claim).handover_on is None
    assert steps_taken(open_claim) == before
    assert fresh(desks).quantity_reserved == 0


def test_the_services_refuse_to_decline_or_accept_an_accepted_inquiry(open_claim, owner, desks):
    services.accept(open_claim, owner)
    for step in (services.decline, services.accept):
        with pytest.raises(services.InquiryError):
            step(open_claim, owner)
    assert fresh(open_claim).status == Status.ACCEPTED
    assert fresh(desks).quantity_reserved == 2


def test_only_the_inquiring_side_withdraws_and_only_the_listings_side_accepts(
    open_claim, owner, inquirer
):
    with pytest.raises(services.InquiryError):
        services._require(open_claim, Side.OWNER, "withdraw")
    with pytest.raises(services.InquiryError):
        services._require(open_claim, Side.INQUIRER, "accept")
    assert services.actions_for(open_claim, Side.INQUIRER) == ["withdraw"]
    assert services.actions_for(open_claim, Side.OWNER) == ["accept", "decline"]


def test_a_reservation_is_released_only_after_its_handover_day(open_claim, owner, desks):
    services.accept(open_claim, owner, handover_on=in_days(0))
    with pytest.raises(services.InquiryError, match="freigegeben"):
        services.release(open_claim, owner)
    assert "release" not in services.actions_for(fresh(open_claim), Side.OWNER)

    tomorrow = in_days(1)
    assert "release" in services.actions_for(fresh(open_claim), Side.OWNER, today=tomorrow)
    Inquiry.objects.filter(pk=open_claim.pk).update(handover_on=in_days(-1))
    services.release(open_claim, owner)
    assert fresh(open_claim).status == Status.RELEASED
    assert fresh(desks).quantity_reserved == 0


def test_a_handover_may_be_today_but_not_yesterday(open_claim, owner):
    with pytest.raises(services.InquiryError, match="Vergangenheit"):
        services.accept(open_claim, owner, handover_on=in_days(-1))
    assert fresh(open_claim).status == Status.OPEN

    services.accept(open_claim, owner, handover_on=in_days(0))
    assert fresh(open_claim).handover_on == timezone.localdate()
    with pytest.raises(services.InquiryError, match="Vergangenheit"):
        services.set_handover(open_claim, owner, in_days(-1))
    services.set_handover(open_claim, owner, in_days(3))
    assert fresh(open_claim).handover_on == in_days(3)


def test_a_booking_whose_period_has_passed_can_no_longer_be_accepted(
    listing, owner, inquirer_organisation, inquirer
):
    inquiry = book(listing, inquirer_organisation, inquirer, in_days(0), in_days(1))
    Inquiry.objects.filter(pk=inquiry.pk).update(period_start=in_days(-3), period_end=in_days(-1))
    with pytest.raises(services.InquiryError, match="vorbei"):
        services.accept(fresh(inquiry), owner)
    assert fresh(inquiry).status == Status.OPEN


def test_a_booking_ending_today_can_still_be_accepted(
    listing, owner, inquirer_organisation, inquirer
):
    inquiry = book(listing, inquirer_organisation, inquirer, in_days(0), in_days(0))
    services.accept(inquiry, owner)
    assert fresh(inquiry).status == Status.ACCEPTED


# Someone in both organisations ---------------------------------------------------------------


@pytest.fixture
def both_sides(inquirer_organisation, organisation):
    """Someone who works at the carpentry and helps out at the youth club."""
    user = make_user("doppelt@example.org")
    make_membership(organisation, user, Role.MEMBER)
    make_membership(inquirer_organisation, user, Role.MEMBER)
    return user


def act_for(client, organisation):
    response = client.post("/organisations/act-for/", {"organisation": organisation.pk})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("acting_for", "side", "actions"),
    [
        ("organisation", Side.OWNER, ["accept", "decline"]),
        ("inquirer_organisation", Side.INQUIRER, ["withdraw"]),
    ],
)
def test_a_member_of_both_organisations_acts_for_the_one_chosen(
    request, client_for, post, both_sides, open_claim, acting_for, side, actions
):
    client = client_for(both_sides)
    act_for(client, request.getfixturevalue(acting_for))

    page = client.get(open_claim.get_absolute_url())
    assert page.context["side"] == side
    assert [name for name, _label in page.context["actions"]] == actions

    post(client, open_claim.get_absolute_url(), {"body": "Ich schreibe für diese Seite."})
    message = Message.objects.filter(inquiry=open_claim).latest("pk")
    assert message.side == side
    unread = fresh(open_claim)
    # The other side has the new message to read.
    assert (unread.inquirer_unread if side == Side.OWNER else unread.owner_unread) >= 1


def test_a_member_of_both_acts_for_the_first_organisation_by_name_until_choosing(
    client_for, both_sides, open_claim
):
    # "Jugendclub Werder" comes before "Tischlerei Holzwurm".
    page = client_for(both_sides).get(open_claim.get_absolute_url())
    assert page.context["side"] == Side.INQUIRER


# After an inquiry ended, blocks and reports ------------------------------------------------------


def test_after_withdrawing_the_organisation_may_ask_again(
    client_for, desks, open_claim, inquirer_organisation, inquirer
):
    new = f"/inquiries/new/{desks.pk}/"
    assert client_for(inquirer).get(new)["Location"] == open_claim.get_absolute_url()
    services.withdraw(open_claim, inquirer)

    assert inquiry_rules.active_inquiry(desks, inquirer_organisation) is None
    page = client_for(inquirer).get(new)
    assert page.status_code == 200
    assert "form" in page.context
    again = claim(desks, inquirer_organisation, inquirer, 1)
    assert inquiry_rules.active_inquiry(desks, inquirer_organisation) == again


def test_an_organisation_cannot_block_itself_and_a_block_records_who_set_it(
    organisation, owner, inquirer_organisation
):
    with pytest.raises(services.InquiryError) as refused:
        safety_steps.block(organisation, organisation, owner)
    assert str(refused.value) == "Eine Organisation kann sich nicht selbst blockieren."

    entry = safety_steps.block(organisation, inquirer_organisation, owner)
    assert (entry.organisation, entry.blocked, entry.created_by) == (
        organisation,
        inquirer_organisation,
        owner,
    )
    assert safety_steps.block(organisation, inquirer_organisation, owner) == entry


def test_a_report_keeps_its_reason_and_text_and_comes_only_once(open_claim, owner, inquirer, pm):
    message = open_claim.messages.get(kind=MessageKind.TEXT)
    report = safety_steps.report_message(
        message, owner, reason="spam", text="  Werbung für etwas ganz anderes.  "
    )
    report.refresh_from_db()
    assert (report.region, report.message, report.reported_by) == (pm, message, owner)
    assert (report.reason, report.text) == ("spam", "Werbung für etwas ganz anderes.")

    other = services.post_message(open_claim, Side.INQUIRER, inquirer, "Noch da?")
    assert safety_steps.report_message(other, owner, reason="other").text == ""

    with pytest.raises(services.InquiryError) as refused:
        safety_steps.report_message(message, owner, reason="abuse")
    assert str(refused.value) == "Sie haben diese Nachricht bereits gemeldet."
    assert message.reports.count() == 1


# What a step hands back ---------------------------------------------------------------------


def test_the_inquiry_a_step_hands_back_shows_what_was_saved(open_claim, owner, inquirer, desks):
    services.post_message(open_claim, Side.OWNER, owner, "Wann passt es Ihnen?")
    services.mark_read(open_claim, Side.INQUIRER)
    assert open_claim.unread_for(Side.INQUIRER) == 0 == fresh(open_claim).inquirer_unread

    accepted = services.accept(open_claim, owner)
    assert accepted.listing.quantity_reserved == 2 == fresh(desks).quantity_reserved
    withdrawn = services.withdraw(accepted, inquirer)
    assert withdrawn.listing.quantity_reserved == 0 == fresh(desks).quantity_reserved
    assert withdrawn.listing.quantity_left == 5


def test_in_english_the_quantity_left_is_counted_in_the_plural(
    desks, owner, inquirer_organisation, inquirer, school, school_user
):
    services.accept(claim(desks, school, school_user, 2), owner)
    with translation.override("en"):
        with pytest.raises(services.InquiryError, match=r"^Only 3 are still available\.$"):
            claim(desks, inquirer_organisation, inquirer, 4)
        services.accept(claim(desks, inquirer_organisation, inquirer, 2), owner)
        with pytest.raises(services.InquiryError, match=r"^Only 1 is still available\.$"):
            inquiry_rules.check_quantity(fresh(desks), 2)


def test_availability_is_told_with_its_date(forklift, inquirer_organisation, inquirer):
    with pytest.raises(services.InquiryError) as early:
        book(forklift, inquirer_organisation, inquirer, in_days(0), in_days(2))
    assert str(early.value) == f"Die Anzeige ist ab dem {in_days(1):%d.%m.%Y} verfügbar."
    with pytest.raises(services.InquiryError) as late:
        book(forklift, inquirer_organisation, inquirer, in_days(20), in_days(22))
    assert str(late.value) == f"Die Anzeige ist bis zum {in_days(21):%d.%m.%Y} verfügbar."


def test_after_a_block_a_message_is_refused_with_a_reason(
    open_claim, organisation, owner, inquirer_organisation, inquirer
):
    safety_steps.block(organisation, inquirer_organisation, owner)
    with pytest.raises(services.InquiryError) as refused:
        services.post_message(open_claim, Side.INQUIRER, inquirer, "Hallo?")
    assert str(refused.value) == "Die beiden Organisationen stehen nicht mehr in Kontakt."


def test_a_step_records_who_took_it_and_adds_no_words_of_its_own(open_claim, owner):
    services.accept(open_claim, owner)
    services.complete(open_claim, owner)
    step = Message.objects.filter(inquiry=open_claim, kind=MessageKind.COMPLETED).get()
    assert (step.author, step.side, step.body) == (owner, Side.OWNER, "")


def test_a_step_never_overwrites_what_another_request_wrote_meanwhile(open_claim, owner, inquirer):
    stale = Inquiry.objects.get(pk=open_claim.pk)  # as the owner's page loaded it
    services.post_message(open_claim, Side.INQUIRER, inquirer, "Noch eine Frage …")
    unread_before = fresh(open_claim).owner_unread

    services.decline(stale, owner)

    assert fresh(open_claim).owner_unread == unread_before
    assert fresh(open_claim).status == Status.DECLINED


def test_someone_in_a_third_organisation_too_stays_on_their_side(
    client_for, pm, open_claim, inquirer, organisation
):
    third = make_organisation(pm, "Dritte GmbH", owner=inquirer)
    client = client_for(inquirer)
    act_for(client, third)

    page = client.get(open_claim.get_absolute_url())

    assert page.context["side"] == Side.INQUIRER


def test_a_new_message_brings_its_thread_to_the_top_of_the_inbox(
    client_for, desks, open_claim, owner, school, school_user
):
    newer = claim(desks, school, school_user, 1)
    inbox = client_for(owner).get("/inquiries/")
    assert list(inbox.context["page"]) == [newer, open_claim]

    services.post_message(open_claim, Side.INQUIRER, open_claim.author, "Noch da?")

    inbox = client_for(owner).get("/inquiries/")
    assert list(inbox.context["page"]) == [open_claim, newer]

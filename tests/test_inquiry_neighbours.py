"""Every step of the exchange changes its own inquiry, listing, outcome or block and
nothing else. Each test keeps a neighbour — another inquiry, listing or block that the
step has no business with — and checks that it is left exactly as it was: an update or
delete that lost its filter would change every row, and only a neighbour shows it."""

import pytest

from inquiries import rules as inquiry_rules
from inquiries import safety_steps, services
from inquiries.models import Block, Inquiry, Outcome, Side, Status
from listings.models import Terms

from .factories import (
    category,
    claim,
    fresh,
    in_days,
    make_listing,
    make_organisation,
    make_user,
)


def unread(inquiry):
    row = fresh(inquiry)
    return row.owner_unread, row.inquirer_unread


@pytest.fixture
def chairs(organisation, owner):
    """Ten chairs the same organisation gives away: the neighbour listing."""
    return make_listing(
        organisation,
        "Stühle zu verschenken",
        author=owner,
        terms=Terms.GIVE_AWAY,
        quantity=10,
        category=category("it-technik"),
    )


@pytest.fixture
def desk_claim(desks, inquirer_organisation, inquirer):
    return claim(desks, inquirer_organisation, inquirer, 3)


@pytest.fixture
def chair_claim(chairs, inquirer_organisation, inquirer, owner):
    """An accepted claim of 2 chairs: the neighbour inquiry, holding a reservation."""
    inquiry = claim(chairs, inquirer_organisation, inquirer, 2)
    services.accept(inquiry, owner)
    return inquiry


def reserved(listing):
    return fresh(listing).quantity_reserved


# The thread's unread counters ---------------------------------------------------------------


def test_a_message_counts_as_unread_in_its_own_thread_only(
    client_for, post, desk_claim, chair_claim, owner
):
    before = unread(chair_claim)
    chair_activity = fresh(chair_claim).updated_at
    mine = unread(desk_claim)

    response = post(client_for(owner), desk_claim.get_absolute_url(), {"body": "Gern!"})

    assert response.status_code == 302
    assert unread(desk_claim) == (mine[0], mine[1] + 1)
    assert unread(chair_claim) == before
    assert fresh(chair_claim).updated_at == chair_activity


def test_opening_one_thread_leaves_the_others_unread(
    client_for, desk_claim, chair_claim, owner, inquirer
):
    services.post_message(chair_claim, Side.OWNER, owner, "Abholung am Montag?")
    services.post_message(desk_claim, Side.OWNER, owner, "Abholung am Dienstag?")
    assert unread(chair_claim)[1] > 0

    client = client_for(inquirer)
    assert client.get(desk_claim.get_absolute_url()).status_code == 200

    assert unread(desk_claim)[1] == 0
    assert unread(chair_claim)[1] == 2  # accepted + message, still waiting to be read
    inbox = client.get("/inquiries/?box=sent")
    unread_items = [item for item in inbox.context["page"] if item.unread]
    assert unread_items == [chair_claim]
    assert inbox.context["inquiry_unread_count"] == 2


def test_opening_a_thread_marks_it_read_for_the_reader_only(
    client_for, desk_claim, owner, inquirer
):
    services.post_message(desk_claim, Side.INQUIRER, inquirer, "Noch eine Frage.")
    services.post_message(desk_claim, Side.OWNER, owner, "Ja, bitte?")
    owner_unread, inquirer_unread = unread(desk_claim)
    assert owner_unread > 0 and inquirer_unread > 0

    client_for(owner).get(desk_claim.get_absolute_url())

    assert unread(desk_claim) == (0, inquirer_unread)


# Reservations ------------------------------------------------------------------------------


def test_accepting_reserves_on_its_own_listing_only(desks, chairs, desk_claim, chair_claim, owner):
    assert (reserved(desks), reserved(chairs)) == (0, 2)

    services.accept(desk_claim, owner)

    assert (reserved(desks), reserved(chairs)) == (3, 2)


def test_withdrawing_gives_back_to_its_own_listing_only(
    desks, chairs, desk_claim, chair_claim, owner, inquirer
):
    services.accept(desk_claim, owner)

    services.withdraw(desk_claim, inquirer)

    assert (reserved(desks), reserved(chairs)) == (0, 2)
    assert fresh(chair_claim).status == Status.ACCEPTED


def test_releasing_a_no_show_gives_back_to_its_own_listing_only(
    desks, chairs, desk_claim, chair_claim, owner
):
    services.accept(desk_claim, owner, handover_on=in_days(1))
    Inquiry.objects.filter(pk=desk_claim.pk).update(handover_on=in_days(-1))

    services.release(desk_claim, owner)

    assert fresh(desk_claim).status == Status.RELEASED
    assert (reserved(desks), reserved(chairs)) == (0, 2)
    assert fresh(chair_claim).status == Status.ACCEPTED


def test_declining_and_completing_change_only_their_own_inquiry(
    desks, chairs, desk_claim, chair_claim, school, school_user, owner
):
    second = claim(desks, school, school_user, 1)

    services.decline(second, owner)
    services.accept(desk_claim, owner)
    services.complete(desk_claim, owner)

    assert fresh(second).status == Status.DECLINED
    assert fresh(desk_claim).status == Status.COMPLETED
    assert fresh(chair_claim).status == Status.ACCEPTED
    assert list(Outcome.objects.values_list("inquiry", flat=True)) == [desk_claim.pk]
    assert (reserved(desks), reserved(chairs)) == (3, 2)


# Outcomes ------------------------------------------------------------------------------------


@pytest.fixture
def two_completed(desk_claim, chair_claim, owner):
    services.accept(desk_claim, owner)
    for inquiry in (desk_claim, chair_claim):
        services.complete(inquiry, owner)
    return desk_claim, chair_claim


def answers(inquiry):
    outcome = Outcome.objects.get(inquiry=inquiry)
    return (
        outcome.owner_succeeded,
        outcome.inquirer_succeeded,
        outcome.thank_you,
        outcome.thank_you_public,
    )


def test_answering_did_it_work_out_changes_only_this_inquirys_outcome(
    two_completed, owner, inquirer
):
    desk_claim, chair_claim = two_completed
    neighbour = answers(chair_claim)

    services.answer_outcome(
        desk_claim, Side.INQUIRER, inquirer, succeeded=True, thank_you="Danke für die Tische!"
    )
    services.answer_outcome(desk_claim, Side.OWNER, owner, succeeded=False)

    assert answers(desk_claim) == (False, True, "Danke für die Tische!", False)
    assert answers(chair_claim) == neighbour == (None, None, "", False)
    assert Outcome.objects.count() == 2


def test_allowing_a_thank_you_note_shows_that_note_only(two_completed, owner, inquirer):
    desk_claim, chair_claim = two_completed
    for inquiry, note in ((desk_claim, "Danke für die Tische!"), (chair_claim, "Danke!")):
        services.answer_outcome(inquiry, Side.INQUIRER, inquirer, succeeded=True, thank_you=note)

    services.allow_thank_you(desk_claim, Side.OWNER, owner, public=True)

    assert answers(desk_claim)[3] is True
    assert answers(chair_claim)[3] is False
    assert [outcome.thank_you for outcome in Outcome.objects.shown_publicly()] == [
        "Danke für die Tische!"
    ]


# Blocks --------------------------------------------------------------------------------------


def test_unblocking_lifts_only_our_own_block_of_that_organisation(
    pm, organisation, owner, inquirer_organisation, school, school_user
):
    other = make_organisation(pm, "Bäckerei Korn", owner=make_user("korn@example.org"))
    safety_steps.block(organisation, inquirer_organisation, owner)
    safety_steps.block(organisation, other, owner)
    safety_steps.block(school, inquirer_organisation, school_user)

    safety_steps.unblock(organisation, inquirer_organisation)

    assert set(Block.objects.values_list("organisation__name", "blocked__name")) == {
        ("Tischlerei Holzwurm", "Bäckerei Korn"),
        ("Grundschule am See", "Jugendclub Werder"),
    }


def test_a_block_stops_only_the_contact_between_those_two(
    desks, organisation, owner, inquirer_organisation, inquirer, school, school_user
):
    safety_steps.block(organisation, inquirer_organisation, owner)

    assert inquiry_rules.refusal(fresh(desks), inquirer_organisation) is not None
    assert inquiry_rules.refusal(fresh(desks), school) is None
    assert claim(desks, school, school_user, 1).status == Status.OPEN
    assert reserved(desks) == 0

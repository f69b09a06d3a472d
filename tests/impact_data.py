"""The data set of the impact tests: exchanges of every kind in Potsdam-Mittelmark, and
everything that must not count (open, declined, withdrawn and not collected inquiries, an
exchange one side said did not work out, another region's exchange)."""

import datetime

from django.utils import timezone

from inquiries import services
from inquiries.models import Inquiry, Outcome, Side
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


def build_scene(pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer):
    """Potsdam-Mittelmark: six exchanges that count, and everything that must not (the
    fixtures of tests/conftest.py)."""
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

"""Who may see and do what in an inquiry: every member of the two organisations sees the
thread, everyone else gets 404 (staff, other regions' hosts and other organisations
included) for the thread and every step; only the listing's side accepts, declines,
completes and releases, only the inquiring side withdraws, and only along the allowed
paths; blocks, audiences and the rate limit keep unwanted inquiries out; a reported
message reaches the region's back office, and only that region's."""

from datetime import UTC, datetime

import pytest
from django.contrib.messages import ERROR, get_messages
from django.test import Client

from inquiries import safety_steps, services
from inquiries.models import Block, Inquiry, Message, MessageKind, MessageReport, Status
from inquiries.views import STEPS
from listings.models import Audience, Terms
from organisations.models import OrganisationType, Role

from .factories import (
    in_days,
    make_listing,
    make_membership,
    make_organisation,
    make_user,
    sign_in_with_two_factor,
)

pytestmark = pytest.mark.django_db

REPORTS = "/admin/inquiries/messagereport/"


def url(inquiry, step=""):
    return f"/inquiries/{inquiry.pk}/" + (f"{step}/" if step else "")


def report_url(inquiry, message):
    return f"/inquiries/{inquiry.pk}/messages/{message.pk}/report/"


def notes(response):
    return list(get_messages(response.wsgi_request))


def state(inquiry):
    """What a step could change: the status, the handover date and the thread's length."""
    inquiry.refresh_from_db()
    return inquiry.status, inquiry.handover_on, inquiry.messages.count()


@pytest.fixture
def inquirer_admin(inquirer_organisation):
    user = make_user("vorstand@jugendclub.example")
    make_membership(inquirer_organisation, user, Role.ADMIN)
    return user


@pytest.fixture
def inquirer_member(inquirer_organisation):
    user = make_user("betreuer@jugendclub.example")
    make_membership(inquirer_organisation, user, Role.MEMBER)
    return user


@pytest.fixture
def third_member(pm):
    """A member of a third pm organisation, not part of the inquiry."""
    user = make_user("buero@dritte.example")
    make_organisation(pm, "Dritte GmbH", owner=user)
    return user


@pytest.fixture
def inquiry(listing, inquirer_organisation, inquirer):
    """An open inquiry of the Jugendclub for the pm organisation's rented forklift."""
    return services.create_inquiry(
        listing,
        inquirer_organisation,
        inquirer,
        body="Wir brauchen ihn für den Aufbau unseres Sommerfests.",
        period=(in_days(5), in_days(6)),
    )


@pytest.fixture
def owner_message(inquiry, owner):
    """A message of the listing's side in the thread."""
    return services.post_message(inquiry, "owner", owner, "Gern, wann holen Sie ihn ab?")


def every_url(inquiry, message):
    """The thread, every step, the outcome, blocking and reporting a message."""
    return [
        url(inquiry),
        *(url(inquiry, step) for step in STEPS),
        url(inquiry, "outcome"),
        url(inquiry, "block"),
        report_url(inquiry, message),
    ]


# Who sees the thread --------------------------------------------------------------------


@pytest.mark.parametrize(
    "person",
    [
        "owner",
        "organisation_admin",
        "organisation_member",
        "inquirer",
        "inquirer_admin",
        "inquirer_member",
    ],
)
def test_every_member_of_both_organisations_sees_the_thread(
    request, person, client_for, inquiry, owner_message
):
    user = request.getfixturevalue(person)
    response = client_for(user).get(url(inquiry))
    assert response.status_code == 200
    assert response.context["inquiry"] == inquiry
    expected_side = "owner" if person.startswith(("owner", "organisation")) else "inquirer"
    assert response.context["side"] == expected_side
    assert owner_message.body in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "person", ["outsider", "third_member", "pm_moderator", "pm_admin", "ohv_admin"]
)
def test_everyone_else_gets_404_for_the_thread_and_every_step(
    request, person, client_for, inquiry, owner_message
):
    user = request.getfixturevalue(person)
    client = client_for(user)
    before = state(inquiry)
    for address in every_url(inquiry, owner_message):
        if not address.endswith("/outcome/"):  # answers POST only
            assert client.get(address).status_code == 404, address
        assert client.post(address, {"handover_on": in_days(3).isoformat()}).status_code == 404
    assert state(inquiry) == before
    assert not Block.objects.exists()
    assert not MessageReport.objects.exists()


def test_staff_signed_in_to_the_back_office_get_404_too(pm_moderator, inquiry, owner_message):
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)
    for address in every_url(inquiry, owner_message):
        if not address.endswith("/outcome/"):
            assert client.get(address).status_code == 404, address


@pytest.mark.parametrize("person", ["owner", "inquirer"])
def test_members_get_404_on_another_regions_host(
    request, person, client_for, inquiry, owner_message
):
    client = client_for(request.getfixturevalue(person), host="ohv.localhost")
    before = state(inquiry)
    for address in every_url(inquiry, owner_message):
        if not address.endswith("/outcome/"):
            assert client.get(address).status_code == 404, address
        assert client.post(address).status_code == 404, address
    assert state(inquiry) == before


def test_anonymous_visitors_are_sent_to_the_login(client_for, inquiry, owner_message):
    client = client_for()
    for address in every_url(inquiry, owner_message):
        for response in (client.get(address), client.post(address)):
            assert response.status_code == 302, address
            assert response["Location"].startswith("/accounts/login/"), address
    assert state(inquiry)[0] == Status.OPEN


def test_an_unknown_inquiry_or_step_is_404(client_for, owner, inquiry):
    client = client_for(owner)
    assert client.get("/inquiries/999999/").status_code == 404
    assert client.get(url(inquiry, "approve")).status_code == 404
    assert client.post(url(inquiry, "approve")).status_code == 404


# Which side takes which step ------------------------------------------------------------


def bring_to(inquiry, status, owner, inquirer):
    """Moves the inquiry through the services to `status`."""
    if status == Status.OPEN:
        return inquiry
    if status == Status.DECLINED:
        return services.decline(inquiry, owner)
    if status == Status.WITHDRAWN:
        return services.withdraw(inquiry, inquirer)
    services.accept(inquiry, owner, handover_on=in_days(1))
    if status == Status.COMPLETED:
        services.complete(inquiry, owner)
    elif status == Status.RELEASED:
        Inquiry.objects.filter(pk=inquiry.pk).update(handover_on=in_days(-1))
        services.release(inquiry, owner)
    return inquiry


# (side, status before, step) → status after; every other combination changes nothing.
ALLOWED = {
    ("owner", Status.OPEN, "accept"): Status.ACCEPTED,
    ("owner", Status.OPEN, "decline"): Status.DECLINED,
    ("owner", Status.ACCEPTED, "handover"): Status.ACCEPTED,
    ("owner", Status.ACCEPTED, "complete"): Status.COMPLETED,
    ("inquirer", Status.OPEN, "withdraw"): Status.WITHDRAWN,
    ("inquirer", Status.ACCEPTED, "withdraw"): Status.WITHDRAWN,
}
STEP_NAMES = ["accept", "decline", "withdraw", "handover", "release", "complete"]


def test_the_matrix_covers_every_step_of_the_views():
    assert sorted(STEPS) == sorted(STEP_NAMES)


@pytest.mark.parametrize("side", ["owner", "inquirer"])
@pytest.mark.parametrize(
    "before",
    [
        Status.OPEN,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.WITHDRAWN,
        Status.COMPLETED,
        Status.RELEASED,
    ],
)
@pytest.mark.parametrize("step", STEP_NAMES)
def test_steps_only_along_the_allowed_paths_and_by_the_right_side(
    side, before, step, client_for, inquiry, owner, inquirer
):
    bring_to(inquiry, before, owner, inquirer)
    client = client_for(owner if side == "owner" else inquirer)
    status, handover_on, entries = state(inquiry)
    assert status == before
    expected = ALLOWED.get((side, before, step))

    page = client.get(url(inquiry, step))
    assert page.status_code == 200
    assert page.context["allowed"] is (expected is not None)
    form_action = f'action="{url(inquiry, step)}"'
    assert (form_action in page.content.decode()) is (expected is not None)

    new_day = in_days(4)
    response = client.post(url(inquiry, step), {"handover_on": new_day.isoformat()})
    if expected is None:
        assert response.status_code == 409
        assert "message--warning" in response.content.decode()
        assert state(inquiry) == (status, handover_on, entries)
    else:
        assert response.status_code == 302
        assert response["Location"] == url(inquiry)
        after, after_handover, after_entries = state(inquiry)
        assert after == expected
        # Accepting with a handover date also writes the date into the thread.
        assert after_entries == entries + (2 if step == "accept" else 1)
        if step in {"accept", "handover"}:
            assert after_handover == new_day


def test_a_reservation_can_be_released_by_the_listings_side_once_the_handover_date_passed(
    client_for, inquiry, owner, inquirer
):
    services.accept(inquiry, owner, handover_on=in_days(1))
    assert client_for(owner).get(url(inquiry, "release")).context["allowed"] is False
    Inquiry.objects.filter(pk=inquiry.pk).update(handover_on=in_days(-1))

    page = client_for(inquirer).get(url(inquiry, "release"))
    assert page.status_code == 200 and page.context["allowed"] is False
    assert client_for(inquirer).post(url(inquiry, "release")).status_code == 409
    assert state(inquiry)[0] == Status.ACCEPTED

    assert client_for(owner).get(url(inquiry, "release")).context["allowed"] is True
    assert client_for(owner).post(url(inquiry, "release")).status_code == 302
    assert state(inquiry)[0] == Status.RELEASED


def test_every_member_of_the_listings_side_may_accept(client_for, inquiry, organisation_member):
    response = client_for(organisation_member).post(url(inquiry, "accept"), {"handover_on": ""})
    assert response.status_code == 302
    assert state(inquiry)[0] == Status.ACCEPTED


def test_the_services_refuse_a_step_from_the_wrong_state(inquiry, owner, inquirer):
    services.decline(inquiry, owner)
    with pytest.raises(services.InquiryError):
        services.accept(inquiry, owner)
    with pytest.raises(services.InquiryError):
        services.withdraw(inquiry, inquirer)
    assert state(inquiry)[0] == Status.DECLINED


def test_an_outcome_can_only_be_answered_for_a_completed_inquiry(client_for, inquiry, inquirer):
    response = client_for(inquirer).post(url(inquiry, "outcome"), {"succeeded": "yes"})
    assert response.status_code == 302
    assert [note.level for note in notes(response)] == [ERROR]
    assert not hasattr(Inquiry.objects.get(pk=inquiry.pk), "outcome")


# Blocking ------------------------------------------------------------------------------


@pytest.fixture
def second_listing(organisation, owner):
    return make_listing(organisation, "Palettenhubwagen zu vermieten", author=owner)


def create_data(days=10):
    return {
        "body": "Können wir das ausleihen?",
        "period_start": in_days(days).isoformat(),
        "period_end": in_days(days + 1).isoformat(),
    }


def test_a_blocked_organisation_can_neither_write_nor_ask_again_until_unblocked(
    client_for,
    inquiry,
    owner,
    inquirer,
    organisation,
    inquirer_organisation,
    second_listing,
):
    owner_client, inquirer_client = client_for(owner), client_for(inquirer)
    assert owner_client.get(url(inquiry, "block")).status_code == 200
    assert owner_client.post(url(inquiry, "block")).status_code == 302
    assert Block.objects.filter(organisation=organisation, blocked=inquirer_organisation).exists()

    entries = inquiry.messages.count()
    response = inquirer_client.post(url(inquiry), {"body": "Hallo?"})
    assert response.status_code == 302
    assert ERROR in [note.level for note in notes(response)]
    assert inquiry.messages.count() == entries
    # No contact either way: the listing's side cannot write either.
    response = owner_client.post(url(inquiry), {"body": "Doch noch eine Frage."})
    assert ERROR in [note.level for note in notes(response)]
    assert inquiry.messages.count() == entries
    assert inquirer_client.get(url(inquiry)).context["in_contact"] is False

    create = f"/inquiries/new/{second_listing.pk}/"
    page = inquirer_client.get(create)
    assert page.status_code == 200
    assert organisation.name in page.context["refusal"]
    response = inquirer_client.post(create, create_data())
    assert response.status_code == 200
    assert response.context["refusal"]
    assert not Inquiry.objects.filter(listing=second_listing).exists()

    # The blocked organisation cannot lift the block itself.
    inquirer_client.post("/inquiries/blocked/", {"organisation": organisation.pk})
    assert Block.objects.filter(organisation=organisation).exists()

    blocked_page = owner_client.get("/inquiries/blocked/")
    assert [entry.blocked for entry in blocked_page.context["blocks"]] == [inquirer_organisation]
    response = owner_client.post("/inquiries/blocked/", {"organisation": inquirer_organisation.pk})
    assert response.status_code == 302
    assert not Block.objects.exists()

    assert inquirer_client.post(url(inquiry), {"body": "Hallo?"}).status_code == 302
    assert inquiry.messages.count() == entries + 1
    assert "refusal" not in inquirer_client.get(create).context
    response = inquirer_client.post(create, create_data())
    assert response.status_code == 302
    assert Inquiry.objects.filter(listing=second_listing).count() == 1


def test_a_block_by_the_inquiring_side_stops_the_contact_too(
    client_for, inquiry, owner, inquirer, organisation, inquirer_organisation
):
    client_for(inquirer).post(url(inquiry, "block"))
    assert Block.objects.filter(organisation=inquirer_organisation, blocked=organisation).exists()
    entries = inquiry.messages.count()
    client_for(owner).post(url(inquiry), {"body": "Sind Sie noch da?"})
    assert inquiry.messages.count() == entries


# Who may ask at all ------------------------------------------------------------------------


def test_a_listing_whose_audience_leaves_out_companies_refuses_a_company(
    client_for, organisation, owner, pm, third_member
):
    for_schools = make_listing(
        organisation,
        "Beamer für Schulen",
        author=owner,
        audience=Audience.EDUCATION | Audience.NONPROFITS,
    )
    company = client_for(third_member)
    create = f"/inquiries/new/{for_schools.pk}/"
    page = company.get(create)
    assert page.status_code == 200
    assert page.context["refusal"]
    assert f'action="{create}"' not in page.content.decode()
    response = company.post(create, create_data())
    assert response.status_code == 200
    assert response.context["refusal"]
    assert not Inquiry.objects.exists()

    teacher = make_user("lehrerin@schule.example")
    make_organisation(pm, "Grundschule", owner=teacher, type=OrganisationType.SCHOOL)
    assert client_for(teacher).post(create, create_data()).status_code == 302
    assert Inquiry.objects.count() == 1


def test_an_organisation_cannot_ask_for_its_own_listing(client_for, listing, owner):
    response = client_for(owner).post(f"/inquiries/new/{listing.pk}/", create_data())
    assert response.status_code == 200
    assert response.context["refusal"]
    assert not Inquiry.objects.exists()


def test_too_many_new_inquiries_from_one_organisation_get_429(
    settings, client_for, organisation, owner, inquirer, inquirer_member, third_member
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "inquiry_create": "2/h/key"}
    offers = [
        make_listing(organisation, f"Angebot {number}", author=owner, terms=Terms.GIVE_AWAY)
        for number in range(4)
    ]
    client = client_for(inquirer)
    for offer in offers[:2]:
        data = {"body": "Bitte.", "quantity": "1"}
        assert client.post(f"/inquiries/new/{offer.pk}/", data).status_code == 302
    data = {"body": "Noch eins.", "quantity": "1"}
    assert client.post(f"/inquiries/new/{offers[2].pk}/", data).status_code == 429
    # Counted per organisation, whoever of its people writes.
    colleague = client_for(inquirer_member)
    assert colleague.post(f"/inquiries/new/{offers[3].pk}/", data).status_code == 429
    assert Inquiry.objects.count() == 2
    # Another organisation has its own allowance.
    other = client_for(third_member)
    assert other.post(f"/inquiries/new/{offers[2].pk}/", data).status_code == 302
    assert Inquiry.objects.count() == 3


@pytest.mark.usefixtures("inquirer_organisation")
def test_the_default_rate_limit_allows_twenty_inquiries_an_hour(
    client_for, organisation, owner, inquirer
):
    offers = [
        make_listing(organisation, f"Angebot {number}", author=owner, terms=Terms.GIVE_AWAY)
        for number in range(21)
    ]
    client = client_for(inquirer)
    codes = [
        client.post(f"/inquiries/new/{offer.pk}/", {"body": "Bitte.", "quantity": "1"}).status_code
        for offer in offers
    ]
    assert codes == [302] * 20 + [429]
    assert Inquiry.objects.count() == 20


# Reporting a message ---------------------------------------------------------------------


def test_only_messages_of_the_other_side_can_be_reported(
    client_for, inquiry, owner_message, inquirer, owner
):
    own = inquiry.messages.filter(kind=MessageKind.TEXT, side="inquirer").get()
    event = inquiry.messages.filter(kind=MessageKind.CREATED).get()
    inquirer_client = client_for(inquirer)
    assert inquirer_client.get(report_url(inquiry, own)).status_code == 404
    assert inquirer_client.post(report_url(inquiry, own), {"reason": "spam"}).status_code == 404
    # The step entries of the thread are not messages anyone wrote.
    assert client_for(owner).get(report_url(inquiry, event)).status_code == 404

    assert inquirer_client.get(report_url(inquiry, owner_message)).status_code == 200
    response = inquirer_client.post(
        report_url(inquiry, owner_message), {"reason": "abuse", "text": "Unfreundlich."}
    )
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert (report.message, report.reported_by, report.region) == (
        owner_message,
        inquirer,
        inquiry.region,
    )
    # Reporting it again adds nothing.
    inquirer_client.post(report_url(inquiry, owner_message), {"reason": "spam"})
    assert MessageReport.objects.count() == 1
    # The listing's side reports the inquirer's message.
    response = client_for(owner).post(report_url(inquiry, own), {"reason": "spam"})
    assert response.status_code == 302
    assert MessageReport.objects.count() == 2


def test_a_message_of_another_inquiry_cannot_be_reported_through_this_one(
    client_for, inquiry, inquirer, listing, third_member
):
    third_organisation = third_member.memberships.get().organisation
    other = services.create_inquiry(
        listing,
        third_organisation,
        third_member,
        body="Unsere Nachricht.",
        period=(in_days(20), in_days(21)),
    )
    foreign = other.messages.get(kind=MessageKind.TEXT)
    assert client_for(inquirer).get(report_url(inquiry, foreign)).status_code == 404


@pytest.fixture
def report(inquiry, owner_message, inquirer):
    return safety_steps.report_message(
        owner_message, inquirer, reason="abuse", text="Unfreundlich."
    )


def back_office(user, host):
    return sign_in_with_two_factor(Client(HTTP_HOST=host), user)


@pytest.mark.parametrize("person", ["pm_moderator", "pm_admin"])
def test_the_report_and_its_thread_appear_in_the_regions_back_office(
    request, person, report, inquiry, owner_message
):
    client = back_office(request.getfixturevalue(person), "pm.localhost")
    listing_page = client.get(REPORTS)
    assert listing_page.status_code == 200
    assert list(listing_page.context["cl"].result_list) == [report]

    page = client.get(f"{REPORTS}{report.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert owner_message.body in content
    first = inquiry.messages.get(kind=MessageKind.TEXT, side="inquirer")
    assert first.body in content  # the whole conversation, not just the reported message

    # Reading it there opens no door to the thread on the site.
    assert client.get(url(inquiry)).status_code == 404


def test_the_report_shows_times_in_the_sites_time_zone(pm_moderator, report, owner_message):
    # 23:30 UTC on 28 March is half past midnight of the 29th in Berlin (CET, UTC+1).
    owner_message.created_at = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    owner_message.save(update_fields=["created_at"])
    page = back_office(pm_moderator, "pm.localhost").get(f"{REPORTS}{report.pk}/change/")
    content = page.content.decode()
    assert content.count("29.03.2026 00:30") == 2  # the reported message, and in the thread
    assert "28.03.2026 23:30" not in content


def test_staff_of_another_region_cannot_see_the_report(ohv_admin, report, owner_message):
    client = back_office(ohv_admin, "ohv.localhost")
    listing_page = client.get(REPORTS)
    assert listing_page.status_code == 200
    assert list(listing_page.context["cl"].result_list) == []
    page = client.get(f"{REPORTS}{report.pk}/change/")
    assert page.status_code in {302, 404}
    assert owner_message.body not in page.content.decode()

    on_pm = back_office(ohv_admin, "pm.localhost")
    for address in (REPORTS, f"{REPORTS}{report.pk}/change/"):
        response = on_pm.get(address)
        assert response.status_code in {302, 403, 404}, address
        assert owner_message.body not in response.content.decode()


def test_staff_resolve_a_report_with_a_note(pm_moderator, report):
    client = back_office(pm_moderator, "pm.localhost")
    response = client.post(
        f"{REPORTS}{report.pk}/change/", {"resolution": "Verwarnung ausgesprochen."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_resolved
    assert report.resolved_by == pm_moderator
    assert Message.objects.filter(pk=report.message_id).exists()

"""The inbox per organisation, the unread counts in the header, the thread page, the
listing page's panel, and the personal data the exchange adds: what members read, in a
constant number of queries whatever the number of inquiries and messages."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiries import rules as inquiry_rules
from inquiries import safety_steps, services
from inquiries.models import Inquiry, Outcome, Side, Status
from listings.models import Audience, Terms
from organisations.models import OrganisationType, Verification

from .factories import category, make_listing, make_organisation, make_user


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.fixture
def donation(organisation, owner):
    return make_listing(
        organisation,
        "Schreibtische zu verschenken",
        author=owner,
        terms=Terms.GIVE_AWAY,
        quantity=20,
        category=category("it-technik"),
    )


def ask(listing, organisation, author, quantity=1, body="Wir hätten Interesse."):
    return services.create_inquiry(listing, organisation, author, body=body, quantity=quantity)


def test_inbox_lists_received_and_sent_inquiries_of_the_acting_organisation(
    client_for, donation, organisation, owner, school, school_user
):
    theirs = make_listing(
        school, "Wir suchen Stühle", author=school_user, terms=Terms.GIVE_AWAY, quantity=5
    )
    received = ask(donation, school, school_user)
    sent = ask(theirs, organisation, owner)
    client = client_for(owner)
    assert list(client.get("/inquiries/").context["page"]) == [sent, received]
    assert list(client.get("/inquiries/?box=received").context["page"]) == [received]
    assert list(client.get("/inquiries/?box=sent").context["page"]) == [sent]
    assert list(client.get("/inquiries/?status=accepted").context["page"]) == []
    assert list(client.get(f"/inquiries/?listing={donation.pk}").context["page"]) == [received]


# A valid global date and time string of HTML, to the second: no fractions beyond what
# HTML allows (|date:"c" writes six digits of them).
TIME_ATTRIBUTE = re.compile(r'<time datetime="([^"]*)"')
VALID_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def test_inbox_and_thread_give_valid_machine_readable_times(
    client_for, donation, owner, school, school_user
):
    inquiry = ask(donation, school, school_user)
    moment = datetime.datetime(2026, 3, 29, 10, 15, 30, 123456, tzinfo=datetime.UTC)
    Inquiry.objects.filter(pk=inquiry.pk).update(updated_at=moment)
    inquiry.messages.update(created_at=moment)
    client = client_for(owner)
    for path in ["/inquiries/", inquiry.get_absolute_url()]:
        values = TIME_ATTRIBUTE.findall(client.get(path).content.decode())
        assert values, path
        assert all(VALID_MOMENT.fullmatch(value) for value in values), values
        assert "2026-03-29T12:15:30+02:00" in values  # in Berlin, summer time from that night


@pytest.mark.parametrize("query", ["?box=<script>", "?status=nonsense", "?listing=x&page=999"])
def test_inbox_ignores_bad_parameters(client_for, owner, organisation, query):
    assert client_for(owner).get(f"/inquiries/{query}").status_code == 200


def test_person_without_organisation_is_asked_to_register_one(client_for, outsider):
    response = client_for(outsider).get("/inquiries/")
    assert response.status_code == 200
    assert "listings/no_organisation.html" in [t.name for t in response.templates]


def test_header_counts_unread_updates_until_the_thread_is_opened(
    client_for, donation, owner, school, school_user
):
    inquiry = ask(donation, school, school_user)
    owner_client = client_for(owner)
    assert owner_client.get("/").context["inquiry_unread_count"] == 1  # its first message
    services.post_message(inquiry, Side.INQUIRER, school_user, "Noch eine Frage")
    assert owner_client.get("/").context["inquiry_unread_count"] == 2
    owner_client.get(f"/inquiries/{inquiry.pk}/")
    assert owner_client.get("/").context["inquiry_unread_count"] == 0
    # The school's side counts only what the listing's side did.
    school_client = client_for(school_user)
    assert school_client.get("/").context["inquiry_unread_count"] == 0
    services.accept(Inquiry.objects.get(pk=inquiry.pk), owner)
    assert school_client.get("/").context["inquiry_unread_count"] == 1
    assert b'class="count-badge"' in school_client.get("/").content


def test_inbox_query_count_does_not_grow_with_inquiries(client_for, pm, donation, owner):
    client = client_for(owner)
    asker = make_user("erste@firma.example")
    first = make_organisation(pm, "Erste GmbH", owner=asker)
    ask(donation, first, asker)
    client.get("/inquiries/")
    before = count_queries(client, "/inquiries/")
    for number in range(12):
        user = make_user(f"person{number}@firma.example")
        other = make_organisation(pm, f"Firma {number}", owner=user)
        inquiry = ask(donation, other, user)
        services.post_message(inquiry, Side.OWNER, owner, "Gern, wann passt es?")
    assert count_queries(client, "/inquiries/") == before


def test_thread_query_count_does_not_grow_with_messages(
    client_for, donation, owner, school, school_user
):
    inquiry = ask(donation, school, school_user)
    client = client_for(owner)
    path = f"/inquiries/{inquiry.pk}/"
    client.get(path)
    before = count_queries(client, path)
    for number in range(15):
        services.post_message(inquiry, Side.INQUIRER, school_user, f"Nachricht {number}")
        services.post_message(inquiry, Side.OWNER, owner, f"Antwort {number}")
    client.get(path)  # the first visit after new messages marks them read (one update)
    assert count_queries(client, path) == before


def test_listing_page_offers_the_way_to_respond(client_for, donation, school, school_user, owner):
    anonymous = client_for().get(donation.get_absolute_url())
    assert anonymous.context["respond"] == {"needs_login": True}
    page = client_for(school_user).get(donation.get_absolute_url())
    assert page.context["respond"] == {"refusal": None}
    assert f'href="/inquiries/new/{donation.pk}/"'.encode() in page.content
    inquiry = ask(donation, school, school_user, quantity=20)
    services.accept(inquiry, owner)
    page = client_for(school_user).get(donation.get_absolute_url())
    assert page.context["respond"] == {"inquiry": inquiry}
    donation.refresh_from_db()
    assert donation.is_reserved
    # Everything is reserved: nobody else can ask any more.
    neighbour = make_user("nachbar@firma.example")
    make_organisation(donation.region, "Nachbar GmbH", owner=neighbour)
    refused = client_for(neighbour).get(donation.get_absolute_url()).context["respond"]
    assert refused["refusal"]
    own = client_for(owner).get(donation.get_absolute_url())
    assert own.context["open_inquiry_count"] == 0
    assert "respond" not in own.context


def test_listing_page_shows_booked_periods(client_for, listing, owner, school, school_user):
    start = timezone.localdate() + datetime.timedelta(days=5)
    inquiry = services.create_inquiry(
        listing,
        school,
        school_user,
        body="Bitte",
        period=(start, start + datetime.timedelta(days=1)),
    )
    assert client_for().get(listing.get_absolute_url()).context["booked_periods"] == []
    services.accept(inquiry, owner)
    assert client_for().get(listing.get_absolute_url()).context["booked_periods"] == [inquiry]


def test_listing_owner_cannot_lower_quantity_below_what_is_reserved(
    client_for, donation, owner, school, school_user
):
    services.accept(ask(donation, school, school_user, quantity=8), owner)
    form = client_for(owner).get(f"/listings/{donation.pk}/edit/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, dict))
    }
    data.update(quantity="5", category=donation.category_id, direction=donation.direction)
    response = client_for(owner).post(f"/listings/{donation.pk}/edit/", data)
    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors
    donation.refresh_from_db()
    assert donation.quantity == 20


def test_personal_data_export_includes_messages_written(client_for, donation, school, school_user):
    ask(donation, school, school_user, body="Wir brauchen Tische für die Aula.")
    exported = json.loads(client_for(school_user).get("/accounts/data/").content)
    texts = [entry["text"] for entry in exported["messages_written"]]
    assert "Wir brauchen Tische für die Aula." in texts


def test_deleting_an_account_keeps_the_conversation_without_the_name(
    client_for, donation, school, school_user, owner
):
    from accounts.personal_data import delete_account
    from organisations.models import Membership, Role

    colleague = make_user("kollegin@schule.example")
    Membership.objects.create(organisation=school, user=colleague, role=Role.OWNER)
    inquiry = ask(donation, school, school_user)
    delete_account(school_user)
    inquiry.refresh_from_db()
    assert inquiry.author is None
    assert inquiry.messages.filter(author__isnull=True).count() == 2
    assert client_for(colleague).get(f"/inquiries/{inquiry.pk}/").status_code == 200


def test_donation_for_nonprofits_is_refused_to_companies_with_a_reason(
    client_for, organisation, pm
):
    gift = make_listing(
        organisation,
        "Laptops für Vereine",
        terms=Terms.DONATION,
        quantity=3,
        audience=Audience.ASSOCIATIONS | Audience.NONPROFITS,
    )
    boss = make_user("chef@firma.example")
    company = make_organisation(pm, "Firma GmbH", owner=boss)
    assert inquiry_rules.refusal(gift, company)
    club_user = make_user("vorstand@verein.example")
    club = make_organisation(pm, "Verein", owner=club_user, type=OrganisationType.ASSOCIATION)
    assert inquiry_rules.refusal(gift, club)  # not verified yet
    club.verification = Verification.VERIFIED
    club.save()
    assert inquiry_rules.refusal(gift, club) is None
    assert Inquiry.objects.count() == 0


def test_released_reservation_frees_the_quantity_for_the_next_inquiry(
    donation, owner, school, school_user, pm
):
    first = ask(donation, school, school_user, quantity=20)
    services.accept(first, owner, handover_on=timezone.localdate() + datetime.timedelta(days=1))
    waiting_user = make_user("wartet@verein.example")
    waiting = make_organisation(pm, "Wartender Verein", owner=waiting_user)
    with pytest.raises(services.InquiryError):
        ask(donation, waiting, waiting_user, quantity=2)
    Inquiry.objects.filter(pk=first.pk).update(
        handover_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    first.refresh_from_db()
    assert "release" in services.actions_for(first, Side.OWNER)
    services.release(first, owner)
    donation.refresh_from_db()
    assert first.status == Status.RELEASED
    assert donation.quantity_reserved == 0
    second = ask(donation, waiting, waiting_user, quantity=2)
    services.accept(second, owner)
    donation.refresh_from_db()
    assert donation.quantity_reserved == 2


def test_withdrawing_an_accepted_inquiry_gives_the_reservation_back(
    donation, owner, school, school_user
):
    inquiry = ask(donation, school, school_user, quantity=4)
    services.accept(inquiry, owner)
    services.withdraw(inquiry, school_user, "Hat sich erledigt")
    donation.refresh_from_db()
    assert donation.quantity_reserved == 0
    assert inquiry.messages.last().body == "Hat sich erledigt"
    # A new inquiry may follow the ended one.
    assert ask(donation, school, school_user).status == Status.OPEN


def test_deleting_the_inquiring_organisation_gives_its_accepted_claim_back(
    donation, owner, school, school_user
):
    services.accept(ask(donation, school, school_user, quantity=6), owner)
    donation.refresh_from_db()
    assert donation.quantity_reserved == 6
    school.delete()
    donation.refresh_from_db()
    assert donation.quantity_reserved == 0


def test_accepting_with_a_handover_date_writes_it_into_the_thread(
    donation, owner, school, school_user
):
    day = timezone.localdate() + datetime.timedelta(days=3)
    inquiry = services.accept(ask(donation, school, school_user), owner, handover_on=day)
    assert inquiry.messages.last().handover_date == day
    past = ask(
        donation,
        make_organisation(donation.region, "Spät GmbH", owner=make_user("s@x.example")),
        None,
    )
    with pytest.raises(services.InquiryError):
        services.accept(past, owner, handover_on=timezone.localdate() - datetime.timedelta(days=1))
    past.refresh_from_db()
    assert past.status == Status.OPEN


def test_each_side_answers_did_it_work_out_once(donation, owner, school, school_user):
    inquiry = services.accept(ask(donation, school, school_user), owner)
    services.complete(inquiry, owner)
    services.answer_outcome(inquiry, Side.INQUIRER, school_user, succeeded=True, thank_you="Danke!")
    with pytest.raises(services.InquiryError):
        services.answer_outcome(inquiry, Side.INQUIRER, school_user, succeeded=False)
    outcome = Outcome.objects.get(inquiry=inquiry)
    assert (outcome.thank_you, outcome.inquirer_succeeded) == ("Danke!", True)


def test_giver_profile_shows_thank_you_notes_only_where_the_giver_allowed_it(
    client_for, donation, organisation, owner, school, school_user
):
    inquiry = services.accept(ask(donation, school, school_user), owner)
    services.complete(inquiry, owner)
    services.answer_outcome(
        inquiry, Side.INQUIRER, school_user, succeeded=True, thank_you="Tausend Dank!"
    )
    profile = f"/organisations/{organisation.pk}/"
    assert "Tausend Dank!" not in client_for().get(profile).content.decode()
    services.answer_outcome(inquiry, Side.OWNER, owner, succeeded=True)
    assert "Tausend Dank!" not in client_for().get(profile).content.decode()
    services.allow_thank_you(inquiry, Side.OWNER, owner, public=True)
    assert "Tausend Dank!" in client_for().get(profile).content.decode()
    # Not on the school's profile: it was thanking, not thanked.
    assert "Tausend Dank!" not in client_for().get(f"/organisations/{school.pk}/").content.decode()


def test_a_blocked_organisations_open_inquiry_cannot_be_accepted(
    donation, organisation, owner, school, school_user
):
    inquiry = ask(donation, school, school_user)
    safety_steps.block(organisation, school, owner)
    with pytest.raises(services.InquiryError):
        services.accept(inquiry, owner)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN
    donation.refresh_from_db()
    assert donation.quantity_reserved == 0


def test_giver_who_answers_first_consents_only_once_the_note_exists(
    client_for, donation, owner, school, school_user
):
    inquiry = services.accept(ask(donation, school, school_user), owner)
    services.complete(inquiry, owner)
    services.answer_outcome(inquiry, Side.OWNER, owner, succeeded=True)
    with pytest.raises(services.InquiryError):
        services.allow_thank_you(inquiry, Side.OWNER, owner, public=True)
    assert "consent_form" not in client_for(owner).get(f"/inquiries/{inquiry.pk}/").context
    services.answer_outcome(inquiry, Side.INQUIRER, school_user, succeeded=True, thank_you="Danke")
    # Only the giver decides.
    with pytest.raises(services.InquiryError):
        services.allow_thank_you(inquiry, Side.INQUIRER, school_user, public=True)
    client_for(owner).post(f"/inquiries/{inquiry.pk}/thank-you/", {"public": "on"})
    assert Outcome.objects.get(inquiry=inquiry).thank_you_public is True
    client_for(owner).post(f"/inquiries/{inquiry.pk}/thank-you/", {})
    assert Outcome.objects.get(inquiry=inquiry).thank_you_public is False


def test_anyone_in_the_audience_may_help_with_a_request_for_donations(
    organisation, owner, school, school_user
):
    wish = make_listing(
        school,
        "Wir suchen Spenden für den Schulgarten",
        author=school_user,
        direction="request",
        terms=Terms.DONATION,
        audience=Audience.EDUCATION | Audience.COMPANIES,
    )
    assert inquiry_rules.refusal(wish, organisation) is None
    strict_wish = make_listing(
        school,
        "Wer spendet Zeit?",
        direction="request",
        terms=Terms.TIME_DONATION,
        audience=Audience.ASSOCIATIONS,
    )
    club_user = make_user("verein@garten.example")
    club = make_organisation(school.region, "Gartenverein", owner=club_user, type="association")
    assert inquiry_rules.refusal(strict_wish, club) is None  # unverified, but it gives


@pytest.mark.parametrize("value", ["%C2%B2", "99999999999999999999999", "-1", "abc"])
def test_inbox_and_unblock_answer_bad_numbers_without_error(client_for, owner, organisation, value):
    client = client_for(owner)
    assert client.get(f"/inquiries/?listing={value}").status_code == 200
    from urllib.parse import unquote

    response = client.post("/inquiries/blocked/", {"organisation": unquote(value)})
    assert response.status_code == 404


def test_unblocking_an_organisation_that_was_not_blocked_is_404(
    client_for, organisation, owner, school
):
    client = client_for(owner)
    assert client.post("/inquiries/blocked/", {"organisation": school.pk}).status_code == 404
    safety_steps.block(organisation, school, owner)
    assert client.post("/inquiries/blocked/", {"organisation": school.pk}).status_code == 302
    assert not organisation.blocks.exists()


def test_a_reported_message_is_mailed_to_the_regions_staff(
    donation,
    owner,
    school,
    school_user,
    pm_moderator,
    ohv_admin,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    inquiry = ask(donation, school, school_user, body="Kaufen Sie billige Uhren!")
    message = inquiry.messages.get(kind="text")
    with django_capture_on_commit_callbacks(execute=True):
        report = safety_steps.report_message(message, owner, reason="spam")
    assert [m.to for m in mail.outbox] == [[pm_moderator.email]]
    assert f"/admin/inquiries/messagereport/{report.pk}/change/" in mail.outbox[0].body
    assert "pm.localhost" in mail.outbox[0].body


def test_the_reporter_is_told_when_staff_resolved_the_report(
    donation,
    owner,
    school,
    school_user,
    pm_moderator,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from .factories import sign_in_with_two_factor

    owner.language = "en"
    owner.save(update_fields=["language"])
    inquiry = ask(donation, school, school_user, body="Kaufen Sie billige Uhren!")
    report = safety_steps.report_message(inquiry.messages.get(kind="text"), owner, reason="spam")
    staff = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)
    change = f"/admin/inquiries/messagereport/{report.pk}/change/"
    assert "not what you write here" in staff.get(change).content.decode().replace(
        "nicht, was Sie hier schreiben", "not what you write here"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(change, {"resolution": "Organisation verwarnt."})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[owner.email]]
    sent = mail.outbox[0]
    assert sent.subject == (
        "[starkeRegion Potsdam-Mittelmark] Your report of a message has been dealt with"
    )
    assert "Schreibtische zu verschenken" in sent.body
    assert f"http://pm.localhost/inquiries/{inquiry.pk}/" in sent.body
    assert "verwarnt" not in sent.body  # staff's note stays in the back office
    # Saved again, the resolved report tells nobody twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(change, {"resolution": "Organisation verwarnt. Nachtrag."})
    assert mail.outbox == []


def test_accepting_with_a_handover_date_is_one_unread_update(donation, owner, school, school_user):
    inquiry = ask(donation, school, school_user)
    day = timezone.localdate() + datetime.timedelta(days=2)
    services.accept(inquiry, owner, handover_on=day)
    assert Inquiry.objects.get(pk=inquiry.pk).inquirer_unread == 1


def test_a_booking_whose_start_has_passed_can_be_released(listing, owner, school, school_user):
    start = timezone.localdate() + datetime.timedelta(days=1)
    inquiry = services.create_inquiry(
        listing, school, school_user, body="Bitte", period=(start, start)
    )
    services.accept(inquiry, owner)
    assert "release" not in services.actions_for(inquiry, Side.OWNER)
    later = start + datetime.timedelta(days=1)
    assert "release" in services.actions_for(inquiry, Side.OWNER, today=later)


def test_inbox_asks_each_side_to_answer_did_it_work_out(
    client_for, donation, owner, school, school_user
):
    inquiry = services.accept(ask(donation, school, school_user), owner)
    services.complete(inquiry, owner)
    services.answer_outcome(inquiry, Side.OWNER, owner, succeeded=True)
    [mine] = client_for(owner).get("/inquiries/").context["page"]
    [theirs] = client_for(school_user).get("/inquiries/").context["page"]
    assert (mine.awaits_answer, theirs.awaits_answer) == (False, True)

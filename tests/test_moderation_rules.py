"""The rules of issue #17 that were wrong: a suspended organisation reads but neither
publishes, inquires nor writes; a rejected one sends no inquiries; a lapsed proof of
non-profit status ends eligibility for donations until staff verify a new one (its
managers hear a month before); messages are limited per organisation like inquiries."""

import datetime
import importlib

import pytest
from django.core.management import call_command
from django.test import Client

from inquiries import rules as inquiry_rules
from inquiries import services as inquiry_services
from inquiries.models import Inquiry, Message
from listings import services as listing_services
from listings.models import Audience, Status, Terms
from organisations import services as organisation_services
from organisations.models import Organisation, OrganisationType, Verification
from regions.audit import AuditAction, AuditEntry

from .factories import (
    category,
    fresh,
    in_days,
    make_listing,
    make_organisation,
    sign_in_with_two_factor,
)

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/admin/organisations/organisation/"


def backoffice(user, host="pm.localhost"):
    return sign_in_with_two_factor(Client(HTTP_HOST=host), user)


@pytest.fixture
def conversation(desks, inquirer_organisation, inquirer):
    return inquiry_services.create_inquiry(
        desks, inquirer_organisation, inquirer, body="Sind die Tische noch da?", quantity=1
    )


# Suspension -------------------------------------------------------------------------------


def test_staff_suspend_with_a_reason_and_lift_it_logged_and_told(
    post, pm_moderator, organisation, owner, mailoutbox
):
    client = backoffice(pm_moderator)
    data = {"action": "suspend", "_selected_action": [organisation.pk], "confirm": "yes"}
    refused = client.post(ORGANISATIONS, {**data, "reason": " "})
    assert "Bitte geben Sie eine Begründung an" in refused.content.decode()
    assert not fresh(organisation).is_suspended
    post(client, ORGANISATIONS, {**data, "reason": "Mehrfach Betrugsverdacht."})
    organisation = fresh(organisation)
    assert organisation.is_suspended
    assert organisation.suspension_reason == "Mehrfach Betrugsverdacht."
    assert any(owner.email in m.to and "Betrugsverdacht" in m.body for m in mailoutbox)
    post(
        client,
        ORGANISATIONS,
        {"action": "reinstate", "_selected_action": [organisation.pk], "confirm": "yes"},
    )
    assert not fresh(organisation).is_suspended
    assert list(
        AuditEntry.objects.in_region(organisation.region).values_list("action", "actor")
    ) == [
        (AuditAction.ORGANISATION_REINSTATED, pm_moderator.pk),
        (AuditAction.ORGANISATION_SUSPENDED, pm_moderator.pk),
    ]


def test_a_suspended_organisation_cannot_publish(organisation, owner, pm_moderator):
    draft = make_listing(organisation, "Entwurf", status=Status.DRAFT, author=owner)
    paused = make_listing(organisation, "Pausiert", author=owner)
    listing_services.pause(paused, owner)
    organisation_services.suspend(organisation, pm_moderator, "Gesperrt.")
    draft.organisation = fresh(organisation)
    paused.organisation = draft.organisation
    for step, listing in ((listing_services.submit, draft), (listing_services.resume, paused)):
        with pytest.raises(listing_services.ListingError, match="gesperrt"):
            step(listing, owner)
    assert fresh(draft).status == Status.DRAFT
    assert fresh(paused).status == Status.PAUSED


def test_a_suspended_organisation_sees_why_on_the_page(
    client_for, organisation, owner, pm_moderator
):
    draft = make_listing(organisation, "Entwurf", status=Status.DRAFT, author=owner)
    organisation_services.suspend(organisation, pm_moderator, "Gesperrt.")
    response = client_for(owner).post(f"/listings/{draft.pk}/submit/", follow=True)
    assert "ist von der Moderation der Region gesperrt" in response.content.decode()
    assert fresh(draft).status == Status.DRAFT


def test_a_suspended_organisation_reads_but_neither_inquires_nor_writes(
    client_for, pm, listing, conversation, inquirer_organisation, inquirer, pm_moderator
):
    other = make_listing(listing.organisation, "Noch ein Angebot")
    organisation_services.suspend(inquirer_organisation, pm_moderator, "Spam.")
    client = client_for(inquirer)
    assert client.get(f"/listings/{other.pk}/").status_code == 200
    assert client.get("/inquiries/").status_code == 200
    assert client.get(f"/inquiries/{conversation.pk}/").status_code == 200
    refused = client.post(f"/inquiries/new/{other.pk}/", {"body": "Hallo"})
    assert refused.status_code == 200 and "gesperrt" in refused.context["refusal"]
    written = client.post(f"/inquiries/{conversation.pk}/", {"body": "Noch da?"}, follow=True)
    assert "gesperrt" in written.content.decode()
    assert Inquiry.objects.count() == 1
    assert Message.objects.filter(body="Noch da?").count() == 0


def test_the_other_side_may_still_answer_a_suspended_organisation(
    listing, conversation, inquirer_organisation, owner, pm_moderator
):
    organisation_services.suspend(inquirer_organisation, pm_moderator, "Spam.")
    inquiry_services.post_message(conversation, "owner", owner, "Leider nein.")
    assert Message.objects.filter(body="Leider nein.").exists()


# Rejected verification --------------------------------------------------------------------


def test_an_organisation_whose_verification_was_rejected_sends_no_inquiries(
    client_for, listing, inquirer_organisation, inquirer
):
    Organisation.objects.filter(pk=inquirer_organisation.pk).update(
        verification=Verification.REJECTED
    )
    response = client_for(inquirer).post(f"/inquiries/new/{listing.pk}/", {"body": "Hallo"})
    assert response.status_code == 200
    assert "Prüfung" in response.context["refusal"]
    assert not Inquiry.objects.exists()
    with pytest.raises(inquiry_services.InquiryError):
        inquiry_services.create_inquiry(
            listing, fresh(inquirer_organisation), inquirer, body="Direkt"
        )


def test_an_unchecked_organisation_still_sends_inquiries(listing, inquirer_organisation, inquirer):
    assert inquirer_organisation.verification == Verification.NEW
    assert inquiry_rules.refusal(listing, inquirer_organisation) is None


# Messages are limited per organisation ----------------------------------------------------


def test_messages_are_limited_per_organisation_with_a_german_message_at_the_field(
    settings, client_for, conversation, inquirer, inquirer_organisation, owner, mailoutbox
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "inquiry_message": "3/h/key"}
    client = client_for(inquirer)
    for number in range(3):
        assert (
            client.post(f"/inquiries/{conversation.pk}/", {"body": f"N{number}"}).status_code == 302
        )
    refused = client.post(f"/inquiries/{conversation.pk}/", {"body": "Zu viel"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert 'id="id_body_error"' in page
    assert "sehr viele Nachrichten geschrieben" in page
    assert not Message.objects.filter(body="Zu viel").exists()
    # The other side has its own allowance.
    assert (
        client_for(owner).post(f"/inquiries/{conversation.pk}/", {"body": "Ja"}).status_code == 302
    )


def test_an_invalid_message_does_not_count(settings, client_for, conversation, inquirer):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "inquiry_message": "1/h/key"}
    client = client_for(inquirer)
    assert client.post(f"/inquiries/{conversation.pk}/", {"body": "  "}).status_code == 200
    assert client.post(f"/inquiries/{conversation.pk}/", {"body": "Gültig"}).status_code == 302


# Proofs of non-profit status --------------------------------------------------------------


@pytest.fixture
def verified_school(pm, school_user, pm_moderator):
    school = make_organisation(
        pm,
        "Oberschule am Wald",
        owner=school_user,
        type=OrganisationType.SCHOOL,
        proof_valid_until=in_days(40),
    )
    organisation_services.verify(school, pm_moderator)
    return fresh(school)


@pytest.fixture
def donation(organisation, owner):
    return make_listing(
        organisation,
        "Laptops für Schulen",
        author=owner,
        terms=Terms.DONATION,
        quantity=5,
        category=category("it-technik"),
        audience=Audience.EDUCATION | Audience.NONPROFITS,
    )


def test_a_lapsed_proof_ends_eligibility_until_a_new_one_is_verified(
    verified_school, donation, pm_moderator
):
    assert verified_school.is_eligible_for_donations
    assert inquiry_rules.refusal(donation, verified_school) is None
    Organisation.objects.filter(pk=verified_school.pk).update(proof_verified_until=in_days(-1))
    school = fresh(verified_school)
    assert not school.is_eligible_for_donations
    assert school not in Organisation.objects.eligible_for_donations()
    assert "gemeinnützig" in inquiry_rules.refusal(donation, school)
    # The school uploads a new proof with a new date: not yet counted ...
    Organisation.objects.filter(pk=school.pk).update(proof_valid_until=in_days(365))
    assert not fresh(school).is_eligible_for_donations
    # ... until staff verify it.
    organisation_services.verify(fresh(school), pm_moderator)
    assert fresh(school).is_eligible_for_donations
    assert fresh(school).proof_verified_until == in_days(365)


def test_the_last_day_of_a_proof_still_counts(verified_school):
    Organisation.objects.filter(pk=verified_school.pk).update(
        proof_verified_until=datetime.date.today()
    )
    assert fresh(verified_school).is_eligible_for_donations
    assert Organisation.objects.eligible_for_donations().filter(pk=verified_school.pk).exists()


def test_managers_hear_a_month_before_the_proof_lapses_once(
    django_capture_on_commit_callbacks, verified_school, school_user, mailoutbox
):
    Organisation.objects.filter(pk=verified_school.pk).update(proof_verified_until=in_days(31))
    with django_capture_on_commit_callbacks(execute=True):
        assert organisation_services.send_proof_reminders() == 0
    Organisation.objects.filter(pk=verified_school.pk).update(proof_verified_until=in_days(30))
    with django_capture_on_commit_callbacks(execute=True):
        assert organisation_services.send_proof_reminders() == 1
        assert organisation_services.send_proof_reminders() == 0
    (reminder,) = mailoutbox
    assert reminder.to == [school_user.email]
    assert "Nachweis" in reminder.subject
    assert f"/organisations/{verified_school.pk}/proof/" in reminder.body
    # A new proof, verified, with a new date: reminded again a month before that one.
    Organisation.objects.filter(pk=verified_school.pk).update(proof_verified_until=in_days(3))
    assert organisation_services.send_proof_reminders() == 1


def test_no_reminder_for_lapsed_unverified_or_dateless_proofs(pm, verified_school):
    Organisation.objects.filter(pk=verified_school.pk).update(proof_verified_until=in_days(-2))
    make_organisation(
        pm,
        "Verein ohne Datum",
        type=OrganisationType.ASSOCIATION,
        verification=Verification.VERIFIED,
    )
    make_organisation(pm, "Ungeprüft", type=OrganisationType.SCHOOL, proof_valid_until=in_days(5))
    assert organisation_services.send_proof_reminders() == 0


def test_the_command_sends_the_reminders(verified_school, capsys):
    Organisation.objects.filter(pk=verified_school.pk).update(proof_verified_until=in_days(10))
    call_command("remind_lapsing_proofs")
    assert "1 reminders sent." in capsys.readouterr().out


def test_the_worker_runs_the_reminder_daily():
    from huey.contrib.djhuey import HUEY

    from organisations.tasks import remind_of_lapsing_proofs

    morning = datetime.datetime(2026, 3, 2, 6, 10)
    noon = datetime.datetime(2026, 3, 2, 12, 0)
    assert remind_of_lapsing_proofs.task_class in map(type, HUEY.read_periodic(morning))
    assert remind_of_lapsing_proofs.task_class not in map(type, HUEY.read_periodic(noon))


def test_the_migration_counts_the_proofs_of_organisations_verified_before_it(pm):
    from django.apps import apps

    migration = importlib.import_module(
        "organisations.migrations.0003_suspension_and_verified_proof"
    )
    verified = make_organisation(
        pm,
        "Alter Verein",
        type=OrganisationType.ASSOCIATION,
        verification=Verification.VERIFIED,
        proof_valid_until=in_days(-3),
    )
    unchecked = make_organisation(
        pm, "Neue Schule", type=OrganisationType.SCHOOL, proof_valid_until=in_days(100)
    )
    migration.verified_proofs(apps, schema_editor=None)
    assert fresh(verified).proof_verified_until == in_days(-3)
    assert not fresh(verified).is_eligible_for_donations
    assert fresh(unchecked).proof_verified_until is None

"""The exchange end to end through the site: an offer claimed by quantity, a request
answered with help, a donation claimed by an eligible school and refused to a company,
a booking of a period; each step as the people involved click it."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from inquiries.models import Inquiry, Message, MessageKind, Outcome, Status
from listings.models import Audience, Direction, Terms
from organisations.models import OrganisationType

from .factories import category, make_listing, make_organisation, make_user


@pytest.fixture
def monitors(organisation, owner):
    """10 monitors donated to schools and non-profits."""
    return make_listing(
        organisation,
        "10 Monitore zu verschenken",
        author=owner,
        terms=Terms.DONATION,
        quantity=10,
        category=category("it-technik"),
        audience=Audience.EDUCATION | Audience.NONPROFITS,
    )


def test_school_claims_three_of_ten_donated_monitors_and_both_confirm(
    post, client_for, monitors, school, school_user, owner, mailoutbox
):
    school_client = client_for(school_user)
    response = school_client.get(f"/inquiries/new/{monitors.pk}/")
    assert response.status_code == 200
    response = post(
        school_client,
        f"/inquiries/new/{monitors.pk}/",
        {"body": "Wir würden gern 3 Monitore für den Computerraum nehmen.", "quantity": "3"},
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inquiries/{inquiry.pk}/"
    assert inquiry.status == Status.OPEN
    assert inquiry.quantity == 3
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert f"http://pm.localhost/inquiries/{inquiry.pk}/" in mailoutbox[0].body
    assert "Potsdam-Mittelmark" in mailoutbox[0].subject

    owner_client = client_for(owner)
    assert owner_client.get(f"/inquiries/{inquiry.pk}/").status_code == 200
    response = post(owner_client, f"/inquiries/{inquiry.pk}/accept/", {"handover_on": ""})
    assert response.status_code == 302
    # The thread says what happened, in words, not "Erledigt: Annehmen."
    thread = owner_client.get(response["Location"]).content.decode()
    assert "Sie haben die Anfrage angenommen; das Angefragte ist nun für die" in thread
    assert "Erledigt:" not in thread
    inquiry.refresh_from_db()
    monitors.refresh_from_db()
    assert inquiry.status == Status.ACCEPTED
    assert monitors.quantity_reserved == 3
    assert monitors.quantity_left == 7

    post(owner_client, f"/inquiries/{inquiry.pk}/complete/")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.COMPLETED

    post(owner_client, f"/inquiries/{inquiry.pk}/outcome/", {"succeeded": "yes"})
    post(
        school_client,
        f"/inquiries/{inquiry.pk}/outcome/",
        {"succeeded": "yes", "thank_you": "Vielen Dank, die Kinder freuen sich!"},
    )
    # The giver reads the note, then allows it to be shown.
    assert client_for(owner).get(f"/inquiries/{inquiry.pk}/").context["consent_form"]
    post(owner_client, f"/inquiries/{inquiry.pk}/thank-you/", {"public": "on"})
    outcome = Outcome.objects.get(inquiry=inquiry)
    assert outcome.owner_succeeded is True
    assert outcome.inquirer_succeeded is True
    assert outcome.thank_you == "Vielen Dank, die Kinder freuen sich!"
    assert outcome.thank_you_public is True
    kinds = list(inquiry.messages.values_list("kind", flat=True))
    assert kinds == [
        MessageKind.CREATED,
        MessageKind.TEXT,
        MessageKind.ACCEPTED,
        MessageKind.COMPLETED,
        MessageKind.CONFIRMED,
        MessageKind.CONFIRMED,
    ]


def test_company_cannot_claim_a_donation_for_nonprofits(post, client_for, monitors, pm):
    boss = make_user("chef@firma.example")
    make_organisation(pm, "Firma GmbH", owner=boss)
    client = client_for(boss)
    response = client.get(f"/inquiries/new/{monitors.pk}/")
    assert response.status_code == 200
    assert response.context["refusal"]
    response = post(client, f"/inquiries/new/{monitors.pk}/", {"body": "Bitte", "quantity": "1"})
    assert response.status_code == 200
    assert not Inquiry.objects.exists()


def test_unverified_school_cannot_claim_a_donation_for_nonprofits(post, client_for, monitors, pm):
    teacher = make_user("lehrer@schule2.example")
    make_organisation(pm, "Oberschule", owner=teacher, type=OrganisationType.SCHOOL)
    response = post(
        client_for(teacher), f"/inquiries/new/{monitors.pk}/", {"body": "Bitte", "quantity": "1"}
    )
    assert "verified" in response.context["refusal"] or "verifiziert" in response.context["refusal"]
    assert not Inquiry.objects.exists()


def test_request_answered_with_help_and_accepted(
    post, client_for, organisation, owner, school, school_user
):
    request_listing = make_listing(
        school,
        "Wer hilft beim Umzug der Bibliothek?",
        author=school_user,
        direction=Direction.REQUEST,
        terms=Terms.TIME_DONATION,
    )
    helper = client_for(owner)
    response = post(
        helper, f"/inquiries/new/{request_listing.pk}/", {"body": "Wir kommen mit zwei Leuten."}
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert inquiry.quantity is None and inquiry.period_start is None
    assert inquiry.organisation == organisation
    post(client_for(school_user), f"/inquiries/{inquiry.pk}/accept/", {})
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ACCEPTED
    assert inquiry.giving_side == "inquirer"


def test_booking_a_period_and_a_second_overlapping_one_is_refused(
    post, client_for, listing, owner, school, school_user, pm
):
    start = timezone.localdate() + datetime.timedelta(days=10)
    client = client_for(school_user)
    response = post(
        client,
        f"/inquiries/new/{listing.pk}/",
        {
            "body": "Für unser Schulfest.",
            "period_start": start.isoformat(),
            "period_end": (start + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    first = Inquiry.objects.get()
    post(client_for(owner), f"/inquiries/{first.pk}/accept/", {})
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED

    other = make_user("verein@sport.example")
    make_organisation(pm, "SV Blau-Weiß", owner=other, type=OrganisationType.ASSOCIATION)
    response = post(
        client_for(other),
        f"/inquiries/new/{listing.pk}/",
        {
            "body": "Für unser Turnier.",
            "period_start": (start + datetime.timedelta(days=1)).isoformat(),
            "period_end": (start + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "period_start" in response.context["form"].errors
    assert Inquiry.objects.count() == 1
    detail = client_for(other).get(listing.get_absolute_url())
    assert start.strftime("%d.%m.%Y").lstrip("0") in detail.content.decode() or detail.context[
        "booked_periods"
    ] == [first]


def test_inquiry_messages_are_escaped_and_links_clickable(
    post, client_for, listing, school, school_user, owner
):
    client = client_for(school_user)
    start = timezone.localdate() + datetime.timedelta(days=3)
    post(
        client,
        f"/inquiries/new/{listing.pk}/",
        {
            "body": "<script>alert(1)</script> siehe https://example.org/plan",
            "period_start": start.isoformat(),
            "period_end": start.isoformat(),
        },
    )
    inquiry = Inquiry.objects.get()
    page = client_for(owner).get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="https://example.org/plan"' in page
    assert Message.objects.filter(kind=MessageKind.TEXT).count() == 1


def test_outsider_gets_404_for_an_inquiry(
    post, client_for, listing, school, school_user, outsider, pm_moderator
):
    start = timezone.localdate() + datetime.timedelta(days=3)
    post(
        client_for(school_user),
        f"/inquiries/new/{listing.pk}/",
        {"body": "Hallo", "period_start": start.isoformat(), "period_end": start.isoformat()},
    )
    inquiry = Inquiry.objects.get()
    assert client_for(outsider).get(f"/inquiries/{inquiry.pk}/").status_code == 404
    assert client_for(pm_moderator).get(f"/inquiries/{inquiry.pk}/").status_code == 404
    assert client_for().get(f"/inquiries/{inquiry.pk}/").status_code == 302
    assert mail.outbox

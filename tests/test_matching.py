"""Automatic matching: a listing that is published meets the counterparts that fit it in
its region; the other side's organisation hears of each pair once (unless it turned such
mails off), and the listing's own people see what fits on its page and on "Meine Anzeigen".
"""

import pytest
from django.db import transaction

from core import jobs
from core.models import Job
from inquiries import safety_steps
from listings import services as listing_services
from listings.models import Audience, Direction, Terms
from matching import services
from matching.models import Match, MatchSettings
from matching.tasks import MATCH_LISTING
from organisations.models import OrganisationType, Role, Verification

from .factories import (
    category,
    fresh,
    make_listing,
    make_membership,
    make_organisation,
    make_user,
)
from .matching_helpers import place, run_jobs, waiting

pytestmark = pytest.mark.django_db

SETTINGS = "/inquiries/notifications/"


@pytest.fixture
def baufirma(pm, places):
    """A company in Teltow that needs things."""
    return make_organisation(
        pm,
        "Baufirma Teltow",
        owner=make_user("bau@teltow.example"),
        place=place("Teltow"),
        verification=Verification.VERIFIED,
    )


@pytest.fixture
def verleih(pm, places):
    """A company in Werder (Havel), about 24 km from Teltow, that offers things."""
    return make_organisation(
        pm,
        "Verleih Werder",
        owner=make_user("verleih@werder.example"),
        place=place("Werder (Havel)"),
        verification=Verification.VERIFIED,
    )


def request_of(organisation, title="Gabelstapler für zwei Wochen gesucht", **fields):
    fields.setdefault("direction", Direction.REQUEST)
    fields.setdefault("category", category("fahrzeuge"))
    fields.setdefault("terms", Terms.RENT)
    return make_listing(organisation, title, author=organisation_owner(organisation), **fields)


def offer_of(organisation, title="Stapler 2,5 t tageweise zu vermieten", **fields):
    fields.setdefault("category", category("fahrzeuge"))
    return make_listing(organisation, title, author=organisation_owner(organisation), **fields)


def organisation_owner(organisation):
    return organisation.memberships.get(role=Role.OWNER).user


def pairs():
    return sorted((match.offer.title, match.request.title) for match in Match.objects.all())


# Telling the other side, once ------------------------------------------------------------------


def test_an_offer_published_tells_the_organisation_whose_request_it_fits(
    baufirma, verleih, mailoutbox
):
    wanted = request_of(baufirma)
    run_jobs()
    assert mailoutbox == []  # nothing offered yet
    offer = offer_of(verleih)
    run_jobs()
    assert pairs() == [(offer.title, wanted.title)]
    [mail] = mailoutbox
    assert mail.to == ["bau@teltow.example"]
    assert mail.subject == (
        f"[starkeRegion Potsdam-Mittelmark] Passt zu Ihrem Gesuch: {wanted.title}"
    )
    assert "Verleih Werder" in mail.body and offer.title in mail.body
    assert f"http://pm.localhost/listings/{offer.pk}/" in mail.body
    assert "http://pm.localhost/inquiries/notifications/" in mail.body


def test_a_request_published_tells_the_organisation_whose_offer_fits_it(
    baufirma, verleih, mailoutbox
):
    offer = offer_of(verleih)
    run_jobs()
    request_of(baufirma)
    run_jobs()
    [mail] = mailoutbox
    assert mail.to == ["verleih@werder.example"]
    assert mail.subject.endswith(f"Passt zu Ihrem Angebot: {offer.title}")


def test_a_pair_is_told_of_once_however_often_it_is_matched_again(baufirma, verleih, mailoutbox):
    wanted = request_of(baufirma)
    run_jobs()
    offer = offer_of(verleih)
    run_jobs()
    assert len(mailoutbox) == 1
    listing_services.renew(offer, organisation_owner(verleih))
    listing_services.renew(wanted, organisation_owner(baufirma))
    listing_services.pause(offer, organisation_owner(verleih))
    listing_services.resume(offer, organisation_owner(verleih))
    run_jobs()
    assert len(mailoutbox) == 1
    assert Match.objects.count() == 1


def test_a_job_run_again_after_its_commit_tells_nobody_twice(baufirma, verleih, mailoutbox):
    """A worker that dies after the job's transaction committed but before it was marked
    done leaves the job to run again: the pairs are recorded, so no mail is queued again."""
    request_of(baufirma)
    offer = offer_of(verleih)
    assert len(services.match_listing(offer.pk)) == 1
    assert services.match_listing(offer.pk) == []
    assert waiting("mail") == 1


def test_a_run_that_fails_midway_records_nothing_and_its_retry_tells_once(
    baufirma, verleih, mailoutbox, monkeypatch
):
    request_of(baufirma)
    run_jobs()

    def crash(*args, **kwargs):
        raise ConnectionError("the worker lost the database")

    monkeypatch.setattr(services, "send_mail_on_commit", crash)
    offer_of(verleih)
    assert run_jobs() == 0
    assert Match.objects.count() == 0 and waiting("mail") == 0
    monkeypatch.undo()
    jobs.retry(Job.objects.filter(name=MATCH_LISTING))
    run_jobs()
    assert Match.objects.count() == 1
    assert len(mailoutbox) == 1


def test_people_who_turned_match_mails_off_get_none_but_see_the_pair(baufirma, verleih, mailoutbox):
    owner = organisation_owner(baufirma)
    MatchSettings.objects.create(user=owner, match_mails=False)
    request_of(baufirma)
    run_jobs()
    offer_of(verleih)
    run_jobs()
    assert mailoutbox == []
    assert Match.objects.get().told is False


def test_the_mail_goes_to_the_requests_author_while_they_belong(baufirma, verleih, mailoutbox):
    colleague = make_user("einkauf@teltow.example")
    make_membership(baufirma, colleague, Role.MEMBER)
    make_listing(
        baufirma,
        "Gabelstapler gesucht",
        author=colleague,
        direction=Direction.REQUEST,
        category=category("fahrzeuge"),
    )
    run_jobs()
    offer_of(verleih)
    run_jobs()
    [mail] = mailoutbox
    assert mail.to == ["einkauf@teltow.example"]


def test_match_mails_are_turned_off_on_the_email_settings_page(client_for, baufirma, post):
    owner = organisation_owner(baufirma)
    client = client_for(owner)
    page = client.get(SETTINGS).content.decode()
    assert "Passende Angebote und Gesuche" in page
    assert 'name="matching-match_mails"' in page
    response = post(client, SETTINGS, {"new_inquiry": "on", "message": "on", "status": "on"})
    assert response.status_code == 302
    assert MatchSettings.objects.get(user=owner).match_mails is False
    post(client, SETTINGS, {"new_inquiry": "on", "matching-match_mails": "on"})
    assert MatchSettings.objects.get(user=owner).match_mails is True


# When a listing is matched ------------------------------------------------------------------


def test_the_job_is_recorded_in_the_transaction_that_publishes(baufirma):
    draft = request_of(baufirma, status="draft")
    Job.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        listing_services.submit(draft, organisation_owner(baufirma))
        assert waiting(MATCH_LISTING) == 1
        raise RuntimeError("the request failed after publishing")
    assert waiting(MATCH_LISTING) == 0
    listing_services.submit(fresh(draft), organisation_owner(baufirma))
    assert Job.objects.get(name=MATCH_LISTING).payload == {"listing_id": draft.pk}


def test_a_listing_awaiting_approval_is_matched_once_approved_and_never_if_rejected(
    pm, baufirma, verleih, pm_moderator, mailoutbox
):
    request_of(baufirma)
    verleih.verification = Verification.NEW
    verleih.save()
    pending = offer_of(verleih, status="draft")
    listing_services.submit(pending, organisation_owner(verleih))
    assert fresh(pending).status == "pending"
    run_jobs()
    assert Match.objects.count() == 0
    listing_services.reject(pending, pm_moderator, "Bitte genauer beschreiben.")
    run_jobs()
    assert Match.objects.count() == 0
    assert not [mail for mail in mailoutbox if "Passt" in mail.subject]
    listing_services.submit(fresh(pending), organisation_owner(verleih))
    listing_services.approve(fresh(pending), pm_moderator)
    run_jobs()
    assert Match.objects.count() == 1
    assert [mail.to for mail in mailoutbox if "Passt" in mail.subject] == [["bau@teltow.example"]]


def test_a_listing_removed_before_its_job_ran_is_matched_with_nothing(
    baufirma, verleih, pm_moderator, mailoutbox
):
    request_of(baufirma)
    offer = offer_of(verleih)
    listing_services.remove(offer, pm_moderator, "Verstößt gegen die Regeln.")
    run_jobs()
    assert Match.objects.count() == 0
    assert not [mail for mail in mailoutbox if "Passt" in mail.subject]


# The rules (the judged set in test_matching_quality.py holds more) -------------------------------


def test_an_offer_meant_for_schools_fits_schools_requests_only(pm, baufirma, verleih, school):
    school.place = place("Teltow")
    school.save()
    request_of(baufirma, "Laptops gesucht", category=category("it-technik"))
    wanted_by_school = request_of(
        school,
        "Laptops für den Informatikraum gesucht",
        category=category("it-technik"),
        terms=Terms.DONATION,
    )
    laptops = offer_of(
        verleih,
        "Zehn Laptops zu verschenken",
        category=category("it-technik"),
        terms=Terms.GIVE_AWAY,
        audience=Audience.EDUCATION,
    )
    services.match_listing(laptops.pk)
    assert pairs() == [(laptops.title, wanted_by_school.title)]


def test_a_request_meant_for_companies_is_not_served_by_an_association(pm, baufirma, places):
    club = make_organisation(
        pm,
        "Sportverein Werder",
        owner=make_user("vorstand@sv.example"),
        place=place("Werder (Havel)"),
        type=OrganisationType.ASSOCIATION,
    )
    request_of(baufirma, audience=Audience.COMPANIES)
    offer = offer_of(club)
    assert services.match_listing(offer.pk) == []


def test_a_donation_for_nonprofits_fits_verified_nonprofits_only(pm, verleih, places):
    unverified = make_organisation(
        pm,
        "Förderverein Teltow",
        owner=make_user("foerderverein@teltow.example"),
        place=place("Teltow"),
        type=OrganisationType.ASSOCIATION,
    )
    verified = make_organisation(
        pm,
        "Tafel Teltow",
        owner=make_user("tafel@teltow.example"),
        place=place("Teltow"),
        type=OrganisationType.NONPROFIT,
        verification=Verification.VERIFIED,
    )
    for organisation in (unverified, verified):
        request_of(organisation, "Bürostühle gesucht", category=category("moebel"))
    chairs = offer_of(
        verleih,
        "Zwanzig Bürostühle als Spende",
        category=category("moebel"),
        terms=Terms.DONATION,
        audience=Audience.ASSOCIATIONS | Audience.NONPROFITS,
    )
    services.match_listing(chairs.pk)
    assert [match.request.organisation for match in Match.objects.all()] == [verified]


def test_too_far_does_not_fit(pm, baufirma, places):
    far = make_organisation(
        pm, "Verleih Ziesar", owner=make_user("verleih@ziesar.example"), place=place("Ziesar")
    )
    request_of(baufirma)  # Teltow, about 64 km away
    offer = offer_of(far)
    assert services.match_listing(offer.pk) == []


def test_another_group_of_categories_does_not_fit_and_one_of_the_same_group_does(baufirma, verleih):
    request_of(baufirma, "Gabelstapler gesucht", category=category("maschinen"))
    same_group = request_of(baufirma, "Stapler mit Fahrer gesucht", category=category("transport"))
    offer = offer_of(verleih, "Gabelstapler zu vermieten", category=category("fahrzeuge"))
    services.match_listing(offer.pk)
    assert pairs() == [(offer.title, same_group.title)]


def test_listings_of_another_region_never_fit(ohv, verleih):
    north = make_organisation(ohv, "Baufirma Oranienburg", owner=make_user("bau@ohv.example"))
    request_of(north)
    offer = offer_of(verleih)
    assert services.match_listing(offer.pk) == []


def test_an_organisations_own_listings_and_those_of_one_it_blocked_never_fit(baufirma, verleih):
    request_of(verleih)
    offer = offer_of(verleih)
    assert services.match_listing(offer.pk) == []
    request_of(baufirma)
    safety_steps.block(baufirma, verleih, organisation_owner(baufirma))
    assert services.match_listing(offer.pk) == []


def test_a_fully_reserved_offer_fits_no_new_request(baufirma, verleih, school):
    desks = offer_of(
        verleih, "Schreibtische zu verschenken", category=category("moebel"), terms=Terms.GIVE_AWAY
    )
    desks.quantity_reserved = desks.quantity
    desks.save()
    wanted = request_of(baufirma, "Schreibtische gesucht", category=category("moebel"))
    assert services.match_listing(wanted.pk) == []


# What the listing's people see ------------------------------------------------------------------


def test_the_owner_sees_the_requests_that_fit_and_others_do_not(
    client_for, baufirma, verleih, outsider
):
    wanted = request_of(baufirma)
    offer = offer_of(verleih)
    run_jobs()
    page = client_for(organisation_owner(verleih)).get(f"/listings/{offer.pk}/").content.decode()
    assert "Passende Gesuche" in page and wanted.title in page
    for viewer in (outsider, organisation_owner(baufirma), None):
        page = client_for(viewer).get(f"/listings/{offer.pk}/").content.decode()
        assert "Passende Gesuche" not in page
    page = client_for(organisation_owner(baufirma)).get(f"/listings/{wanted.pk}/").content.decode()
    assert "Passende Angebote" in page and offer.title in page


def test_a_pair_whose_text_no_longer_fits_leaves_the_page(
    client_for, baufirma, verleih, mailoutbox
):
    wanted = request_of(baufirma)
    run_jobs()
    offer = offer_of(verleih)
    run_jobs()
    offer.title, offer.description = "Kehrmaschine zu vermieten", "Für Hallenböden."
    listing_services.save_changes(offer, organisation_owner(verleih))
    run_jobs()
    assert Match.objects.get().is_current is False
    response = client_for(organisation_owner(verleih)).get(f"/listings/{offer.pk}/")
    assert response.context["fitting"] == []
    # Back as it was: it fits again, and nobody is told a second time.
    offer.title = "Gabelstapler zu vermieten"
    listing_services.save_changes(offer, organisation_owner(verleih))
    run_jobs()
    response = client_for(organisation_owner(verleih)).get(f"/listings/{offer.pk}/")
    assert [listing.title for listing in response.context["fitting"]] == [wanted.title]
    assert Match.objects.get().is_current is True
    assert len(mailoutbox) == 1


def test_the_listing_page_runs_as_many_queries_whatever_fits(
    client_for, baufirma, verleih, django_assert_max_num_queries
):
    offer = offer_of(verleih)
    client = client_for(organisation_owner(verleih))
    client.get(f"/listings/{offer.pk}/")  # the caches filled
    for count in (1, 5):
        for number in range(count):
            request_of(baufirma, f"Gabelstapler gesucht ({count}-{number})")
        services.match_listing(offer.pk)
        # As many for one fitting request as for six (the cards and the stars in one each).
        with django_assert_max_num_queries(17):
            response = client.get(f"/listings/{offer.pk}/")
        assert len(response.context["fitting"]) == min(Match.objects.count(), 6)


def test_my_listings_say_how_many_fit_in_a_constant_number_of_queries(
    client_for, baufirma, verleih, django_assert_max_num_queries
):
    client = client_for(organisation_owner(verleih))
    request_of(baufirma)
    request_of(baufirma, "Stapler für Lagerumzug gesucht")
    for count in (1, 4):
        while verleih.listings.count() < count:
            offer = offer_of(verleih, f"Gabelstapler Nr. {verleih.listings.count()}")
            services.match_listing(offer.pk)
        client.get("/listings/mine/")
        with django_assert_max_num_queries(17):
            page = client.get("/listings/mine/").content.decode()
        assert page.count("2 passende Gesuche") == count

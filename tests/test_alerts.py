"""Saved searches ("Suchaufträge"): a listing published after a search was saved, in the
search's region, that the search would show and that the searcher's organisation may
respond to, is mailed to them once — at once, or with the others of the day or week — in
their language, with links to the region's host and a link that stops the mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from alerts import services
from alerts.models import Frequency, SavedSearch, SentListing
from core import jobs
from core.models import Job
from listings import services as listing_services
from listings.models import EVERYONE, Audience, Direction, Status

from .factories import category, make_listing, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_queue():
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


def run_jobs():
    """What the worker would do now: every due job, the mails they queue too."""
    jobs.run_due()


def save(user, region, query="q=gabelstapler", frequency=Frequency.INSTANT, **fields):
    return services.save_search(
        region, user, query, name=fields.pop("name", "Stapler"), frequency=frequency, **fields
    )


def alert_mails(to=None):
    found = [m for m in mail.outbox if "search" in m.subject or "Suchauftrag" in m.subject]
    return [m for m in found if to is None or m.to == [to]]


@pytest.fixture
def searcher(inquirer, inquirer_organisation):
    """The owner of a pm youth club (an association), who looks for a forklift."""
    return inquirer


@pytest.fixture
def stapler_search(searcher, pm):
    return save(searcher, pm)


def publish(organisation, title="Gabelstapler zu vermieten", **fields):
    listing = make_listing(organisation, title, **fields)
    run_jobs()
    return listing


# Found and sent ---------------------------------------------------------------------------


def test_an_instant_search_mails_a_new_matching_listing_with_links_to_its_region(
    stapler_search, organisation, searcher
):
    listing = publish(organisation)
    [message] = alert_mails()
    assert message.to == [searcher.email]
    assert "Potsdam-Mittelmark" in message.subject
    assert "Stapler" in message.subject
    assert f"http://pm.localhost/listings/{listing.pk}/" in message.body
    assert "http://pm.localhost/alerts/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://pm.localhost/alerts/unsubscribe/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = SentListing.objects.get(saved_search=stapler_search)
    assert found.listing == listing and found.sent_at is not None


def test_a_listing_is_never_sent_twice_for_one_search(stapler_search, organisation, owner):
    listing = publish(organisation)
    services.find_searches_for(listing.pk)  # the job once more, as after a dead worker
    listing_services.pause(listing, owner)
    listing_services.resume(listing, owner)  # public again
    run_jobs()
    services.queue_summaries(Frequency.DAILY)
    run_jobs()
    assert len(alert_mails()) == 1
    assert SentListing.objects.count() == 1


def test_a_listing_published_before_the_search_was_saved_is_never_sent(
    searcher, pm, organisation, owner
):
    listing = make_listing(organisation)
    save(searcher, pm, now=timezone.now() + timedelta(minutes=1))
    listing_services.pause(listing, owner)
    listing_services.resume(listing, owner)
    run_jobs()
    services.find_searches_for(listing.pk)
    assert alert_mails() == []
    assert not SentListing.objects.exists()


def test_a_job_that_fails_midway_sends_nothing_and_its_retry_sends_each_once(
    searcher, pm, organisation, monkeypatch
):
    save(searcher, pm, name="Erste")
    save(searcher, pm, name="Zweite")
    mailed = []
    real_mail = services._mail

    def mail_then_crash(saved_search, listings):
        real_mail(saved_search, listings)
        mailed.append(saved_search.pk)
        if len(mailed) == 2:
            raise RuntimeError("worker died")

    monkeypatch.setattr(services, "_mail", mail_then_crash)
    listing = make_listing(organisation)
    with pytest.raises(RuntimeError):
        services.find_searches_for(listing.pk)
    assert not SentListing.objects.exists()
    assert not Job.objects.filter(name="mail").exists()
    monkeypatch.setattr(services, "_mail", real_mail)
    services.find_searches_for(listing.pk)
    Job.objects.filter(name="alerts.find_searches").delete()
    run_jobs()
    assert sorted(m.subject for m in alert_mails()) == sorted(
        [
            "[starkeRegion Potsdam-Mittelmark] Neue Anzeige für Ihren Suchauftrag „Erste“",
            "[starkeRegion Potsdam-Mittelmark] Neue Anzeige für Ihren Suchauftrag „Zweite“",
        ]
    )


def test_a_daily_search_sends_one_mail_with_the_days_listings(searcher, pm, organisation):
    save(searcher, pm, "category=maschinen", frequency=Frequency.DAILY, name="Maschinen")
    first = publish(organisation, "Gabelstapler zu vermieten")
    second = publish(organisation, "Hebebühne zu vermieten")
    assert alert_mails() == []
    assert services.queue_summaries(Frequency.WEEKLY) == 0
    assert services.queue_summaries(Frequency.DAILY) == 1
    run_jobs()
    [message] = alert_mails()
    assert "2 neue Anzeigen" in message.subject
    assert f"/listings/{first.pk}/" in message.body and f"/listings/{second.pk}/" in message.body
    assert services.queue_summaries(Frequency.DAILY) == 0


def test_a_weekly_search_waits_for_the_weekly_run(searcher, pm, organisation):
    save(searcher, pm, frequency=Frequency.WEEKLY)
    publish(organisation)
    services.queue_summaries(Frequency.DAILY)
    run_jobs()
    assert alert_mails() == []
    services.queue_summaries(Frequency.WEEKLY)
    run_jobs()
    assert len(alert_mails()) == 1


def test_a_summary_leaves_out_listings_no_longer_published(searcher, pm, organisation, owner):
    save(searcher, pm, frequency=Frequency.DAILY)
    listing = publish(organisation)
    listing_services.close(listing, owner)
    services.queue_summaries(Frequency.DAILY)
    run_jobs()
    assert alert_mails() == []
    assert SentListing.objects.get().sent_at is not None


# What matches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title", "fields", "found"),
    [
        ("q=Gabelstapler", "Gabelstapler zu vermieten", {}, True),
        ("q=stapler", "Gabelstapler zu vermieten", {}, True),  # part of a compound
        ("q=Büro", "Bueroraum frei", {"category": "gewerberaeume"}, True),  # the same folding
        ("q=bagger", "Gabelstapler zu vermieten", {}, False),
        ("q=stapler+-elektro", "Elektro-Gabelstapler", {}, False),
        ("category=maschinen", "Gabelstapler zu vermieten", {}, True),
        ("category=gewerberaeume", "Gabelstapler zu vermieten", {}, False),
        ("direction=request", "Gabelstapler zu vermieten", {}, False),
        ("direction=offer", "Gabelstapler zu vermieten", {}, True),
        ("terms=give-away", "Gabelstapler zu vermieten", {}, False),
        ("price_max=50", "Gabelstapler zu vermieten", {"price": 80}, False),
        ("price_max=100", "Gabelstapler zu vermieten", {"price": 80}, True),
        ("photos=on", "Gabelstapler zu vermieten", {}, False),
    ],
)
def test_a_search_finds_what_the_search_page_would_show(
    searcher, pm, organisation, query, title, fields, found
):
    if "category" in fields:
        fields["category"] = category(fields["category"])
    save(searcher, pm, query)
    publish(organisation, title, **fields)
    assert bool(alert_mails()) is found


def test_a_group_finds_the_listings_of_its_categories(searcher, pm, organisation):
    group = category("maschinen").parent
    save(searcher, pm, f"category={group.slug}")
    publish(organisation)
    assert len(alert_mails()) == 1


def test_a_search_around_a_place_finds_listings_within_its_distance(
    searcher, pm, organisation, places
):
    far = make_organisation(pm, "Fern GmbH", place=_place(pm, "14913"))  # Jüterbog's edge
    near = make_organisation(pm, "Nah GmbH", place=_place(pm, "14806"))
    save(searcher, pm, "near=14806&radius=10")
    publish(far, "Gabelstapler in der Ferne")
    assert alert_mails() == []
    publish(near, "Gabelstapler in der Nähe")
    [message] = alert_mails()
    assert "in der Nähe" in message.body


def _place(region, postal_code):
    from regions.models import Place

    return Place.objects.in_region(region).filter(postal_code=postal_code).first() or (
        Place.objects.in_region(region).order_by("-postal_code").first()
    )


def test_a_search_of_another_region_finds_nothing_here(searcher, ohv, organisation):
    save(searcher, ohv)
    publish(organisation)
    assert alert_mails() == []


def test_the_searchers_own_organisations_listings_are_not_sent(searcher, pm, inquirer_organisation):
    save(searcher, pm)
    publish(inquirer_organisation)
    assert alert_mails() == []


def test_a_paused_search_receives_nothing(stapler_search, organisation):
    services.set_active(stapler_search, False)
    publish(organisation)
    assert alert_mails() == []


def test_a_listing_awaiting_approval_is_sent_once_staff_approve_it(
    stapler_search, organisation, owner, pm_moderator
):
    listing = make_listing(organisation, status=Status.PENDING)
    run_jobs()
    assert alert_mails() == []
    listing_services.approve(listing, pm_moderator)
    run_jobs()
    assert len(alert_mails()) == 1


# Who may see it ---------------------------------------------------------------------------


def test_listings_not_meant_for_the_searchers_organisation_are_not_sent(
    stapler_search, organisation, school, school_user, pm
):
    save(school_user, pm, name="Schule")
    publish(organisation, audience=Audience.EDUCATION)
    assert [m.to for m in alert_mails()] == [[school_user.email]]


def test_people_without_an_organisation_hear_of_listings_open_to_everyone(pm, organisation):
    visitor = make_user("neu@example.org")
    save(visitor, pm)
    publish(organisation, "Gabelstapler für Firmen", audience=Audience.COMPANIES)
    assert alert_mails() == []
    publish(organisation, "Gabelstapler für alle", audience=EVERYONE)
    assert len(alert_mails()) == 1


# Language ---------------------------------------------------------------------------------


def test_each_alert_mail_is_in_its_recipients_language(pm, organisation):
    german = make_user("deutsch@example.org")
    english = make_user("english@example.org", language="en")
    save(german, pm, name="Stapler")
    save(english, pm, name="Forklift")
    publish(organisation)
    [to_german] = alert_mails(german.email)
    [to_english] = alert_mails(english.email)
    assert "Neue Anzeige für Ihren Suchauftrag „Stapler“" in to_german.subject
    assert "New listing for your search “Forklift”" in to_english.subject
    assert "No more emails for this search" in to_english.body
    assert "Keine weiteren E-Mails" in to_german.body


# Scale ------------------------------------------------------------------------------------


def test_finding_the_searches_takes_the_same_queries_for_many(searcher, pm, organisation):
    def queries_for(count):
        SavedSearch.objects.all().delete()
        for number in range(count):
            save(searcher, pm, "q=stapler", frequency=Frequency.DAILY, name=f"S{number}")
        listing = make_listing(organisation, direction=Direction.OFFER)
        Job.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            services.find_searches_for(listing.pk)
        assert SentListing.objects.filter(listing=listing).count() == count
        return len(queries)

    assert queries_for(2) == queries_for(25)


def test_saving_keeps_what_the_search_page_accepts_and_leaves_out_the_rest(searcher, pm):
    saved = save(searcher, pm, "q=stapler&category=unbekannt&sort=newest&page=3&radius=10")
    assert saved.query == "q=stapler"
    assert saved.category is None
    assert saved.criteria == {"words": ["stapl"]}  # stemmed, as the search page does

"""The watch list ("Merkliste") and following organisations: the star on every card and
listing page and "Folgen" on profiles are plain forms (CSRF, login, region, rate limit);
watchers hear once when a listing is reserved, closed or about to expire, followers once
when the organisation publishes something new (never a rejected or removed listing); the
page lists both; everything goes into the export and with the account."""

from datetime import timedelta

import pytest
from django.test import Client

from accounts.personal_data import delete_account, export_personal_data
from inquiries import services as inquiry_services
from listings import expiry as listing_expiry
from listings import services as listing_services
from listings.models import Status
from organisations.models import Verification
from watchlist import services
from watchlist.models import Follow, Notice, Watch
from watchlist.tasks import TELL_FOLLOWERS, TELL_WATCHERS

from .factories import claim, fresh, in_days, make_listing, make_organisation, make_user
from .matching_helpers import run_jobs, waiting

pytestmark = pytest.mark.django_db

WATCHLIST = "/watchlist/"


def star_url(listing):
    return f"/watchlist/listings/{listing.pk}/"


def follow_url(organisation):
    return f"/watchlist/organisations/{organisation.pk}/"


@pytest.fixture
def watcher(db):
    return make_user("merkt@anderswo.example")


# The star -------------------------------------------------------------------------------------


def test_a_star_puts_a_listing_on_the_watch_list_and_takes_it_off(
    client_for, watcher, listing, post
):
    client = client_for(watcher)
    response = post(client, star_url(listing), {"watch": "1", "next": "/listings/?q=Stapler"})
    assert response.status_code == 302 and response["Location"] == "/listings/?q=Stapler"
    assert Watch.objects.filter(user=watcher, listing=listing).exists()
    post(client, star_url(listing), {"watch": "1"})  # twice is once
    assert Watch.objects.count() == 1
    response = post(client, star_url(listing), {"watch": "0", "next": "https://evil.example/"})
    assert response["Location"] == f"/listings/{listing.pk}/"
    assert not Watch.objects.exists()


def test_the_star_needs_a_login_and_a_csrf_token(client_for, watcher, listing):
    response = client_for().post(star_url(listing), {"watch": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    strict.force_login(watcher)
    assert strict.post(star_url(listing), {"watch": "1"}).status_code == 403
    assert not Watch.objects.exists()
    # Back from logging in, the address is asked for with GET: it leads to the listing.
    response = client_for(watcher).get(star_url(listing))
    assert response.status_code == 302 and response["Location"] == f"/listings/{listing.pk}/"
    assert not Watch.objects.exists()


def test_listings_of_another_region_or_not_public_cannot_be_watched(
    client_for, watcher, ohv, organisation, owner, post
):
    north = make_organisation(ohv, "Nordfirma")
    theirs = make_listing(north, "Kran in Oranienburg")
    draft = make_listing(organisation, "Entwurf", status=Status.DRAFT)
    client = client_for(watcher)
    assert post(client, star_url(theirs), {"watch": "1"}).status_code == 404
    assert post(client, star_url(draft), {"watch": "1"}).status_code == 404
    # Its own people may see the draft, but what is not published is not watched.
    assert post(client_for(owner), star_url(draft), {"watch": "1"}).status_code == 404
    # Taking off what is not on the list: nothing there.
    assert post(client, star_url(theirs), {"watch": "0"}).status_code == 404
    assert not Watch.objects.exists()


def test_the_star_is_rate_limited(client_for, watcher, listing, settings, post):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "watchlist": "2/m/user"}
    client = client_for(watcher)
    for _ in range(2):
        assert post(client, star_url(listing), {"watch": "1"}).status_code == 302
    assert post(client, star_url(listing), {"watch": "0"}).status_code == 429
    assert Watch.objects.count() == 1


def test_cards_cached_for_everyone_show_each_person_their_own_stars(
    client_for, watcher, outsider, listing
):
    services.watch(watcher, listing)
    mine = client_for(watcher).get("/listings/", {"q": "Gabelstapler"}).content.decode()
    others = client_for(outsider).get("/listings/", {"q": "Gabelstapler"}).content.decode()
    anonymous = client_for().get("/listings/", {"q": "Gabelstapler"}).content.decode()
    assert "Gemerkt – entfernen" in mine and 'name="watch" value="0"' in mine
    assert "Gemerkt" not in others and 'name="watch" value="1"' in others
    assert "listing-card-parts" not in mine + others + anonymous
    assert 'name="watch"' not in anonymous
    # Each their own CSRF token, never the one of whoever filled the cache.
    assert others.count("csrfmiddlewaretoken") > 1


def test_cards_with_stars_run_as_many_queries_however_many_they_are(
    client_for, watcher, organisation, django_assert_max_num_queries
):
    client = client_for(watcher)
    for count in (2, 12):
        while organisation.listings.count() < count:
            listing = make_listing(organisation, f"Bagger {organisation.listings.count()}")
            services.watch(watcher, listing)
        for path in ("/", "/listings/?q=Bagger", f"/organisations/{organisation.pk}/"):
            client.get(path)  # the caches filled, once for each count
            with django_assert_max_num_queries(14):
                page = client.get(path).content.decode()
            assert page.count("Gemerkt – entfernen") >= min(count, 6)


def test_the_listing_page_has_the_star_and_visitors_a_way_to_log_in(
    client_for, watcher, listing, post
):
    page = client_for().get(f"/listings/{listing.pk}/").content.decode()
    assert "um die Anzeige auf Ihre Merkliste zu setzen" in page
    client = client_for(watcher)
    assert "Merken" in client.get(f"/listings/{listing.pk}/").content.decode()
    post(client, star_url(listing), {"watch": "1"})
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "Auf Ihrer Merkliste – entfernen" in page


# Following ------------------------------------------------------------------------------------


def test_follow_on_a_profile_and_unfollow(client_for, watcher, organisation, ohv, post):
    client = client_for(watcher)
    assert "Folgen" in client.get(f"/organisations/{organisation.pk}/").content.decode()
    response = post(client, follow_url(organisation), {"follow": "1"})
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert services.is_following(watcher, organisation)
    page = client.get(f"/organisations/{organisation.pk}/").content.decode()
    assert "Sie folgen – nicht mehr folgen" in page
    post(client, follow_url(organisation), {"follow": "0"})
    assert not Follow.objects.exists()
    north = make_organisation(ohv, "Nordfirma")
    assert post(client, follow_url(north), {"follow": "1"}).status_code == 404
    strict = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    strict.force_login(watcher)
    assert strict.post(follow_url(organisation), {"follow": "1"}).status_code == 403
    assert client_for().post(follow_url(organisation), {"follow": "1"}).status_code == 302
    assert not Follow.objects.exists()


# The page "Merkliste" ---------------------------------------------------------------------------


def test_the_watch_list_shows_this_regions_watched_listings_and_follows(
    client_for, watcher, listing, organisation, ohv, post, django_assert_max_num_queries
):
    north = make_organisation(ohv, "Nordfirma")
    services.watch(watcher, make_listing(north, "Kran in Oranienburg"))
    services.follow(watcher, north)
    services.watch(watcher, listing)
    services.follow(watcher, organisation)
    closed = make_listing(organisation, "Alte Hobelbank")
    services.watch(watcher, closed)
    listing_services.close(closed, None)
    client = client_for(watcher)
    client.get(WATCHLIST)
    with django_assert_max_num_queries(12):
        response = client.get(WATCHLIST)
    page = response.content.decode()
    assert [item.title for item in response.context["current"]] == [listing.title]
    assert [item.title for item in response.context["ended"]] == ["Alte Hobelbank"]
    assert "Kran in Oranienburg" not in page and "Nordfirma" not in page
    assert "Tischlerei Holzwurm" in page
    post(client, star_url(closed), {"watch": "0", "next": WATCHLIST})
    post(client, follow_url(organisation), {"follow": "0", "next": WATCHLIST})
    response = client.get(WATCHLIST)
    assert response.context["ended"] == [] and response.context["follows"] == []
    assert client_for().get(WATCHLIST).status_code == 302


def test_the_watch_list_runs_as_many_queries_however_long_it_is(
    client_for, watcher, organisation, django_assert_max_num_queries
):
    client = client_for(watcher)
    for count in (1, 8):
        while Watch.objects.count() < count:
            services.watch(watcher, make_listing(organisation, f"Ding {Watch.objects.count()}"))
            services.follow(watcher, make_organisation(organisation.region, f"Firma {count}"))
        client.get(WATCHLIST)
        with django_assert_max_num_queries(12):
            client.get(WATCHLIST)


# Telling watchers ------------------------------------------------------------------------------


def test_watchers_hear_once_when_everything_is_reserved(
    desks, owner, watcher, inquirer, inquirer_organisation, school, school_user, mailoutbox
):
    services.watch(watcher, desks)
    partly = claim(desks, inquirer_organisation, inquirer, 2)
    inquiry_services.accept(partly, owner)
    run_jobs()
    assert mailoutbox == [] or all("Merkliste" not in mail.subject for mail in mailoutbox)
    rest = claim(desks, school, school_user, 3)
    inquiry_services.accept(rest, owner)
    assert waiting(TELL_WATCHERS) == 1
    mailoutbox.clear()
    run_jobs()
    [mail] = [mail for mail in mailoutbox if "Merkliste" in mail.subject]
    assert mail.to == [watcher.email]
    assert "ist jetzt reserviert" in mail.body


def test_watchers_hear_when_a_listing_is_closed_but_its_own_people_do_not(
    listing, owner, watcher, organisation_member, mailoutbox
):
    services.watch(watcher, listing)
    services.watch(organisation_member, listing)
    listing_services.close(listing, owner)
    run_jobs()
    [mail] = mailoutbox
    assert mail.to == [watcher.email]
    assert mail.subject == f"[starkeRegion Potsdam-Mittelmark] Auf Ihrer Merkliste: {listing.title}"
    assert "beendet" in mail.body and "http://pm.localhost/watchlist/" in mail.body


def test_watchers_hear_a_week_before_a_listing_expires_once_per_end_date(
    listing, owner, watcher, mailoutbox
):
    services.watch(watcher, listing)
    a_week_before = listing.expires_at - timedelta(days=6)
    assert listing_expiry.send_expiry_reminders(now=a_week_before) == 1
    run_jobs()
    told = [mail for mail in mailoutbox if mail.to == [watcher.email]]
    assert len(told) == 1 and "läuft am" in told[0].body
    # The job run again (a worker that died after its commit) tells nobody twice.
    [notice] = Notice.objects.all()
    assert services.tell_watchers(listing.pk, services.EXPIRING, notice.occasion) == 0
    # Renewed, and about to expire again: a new end date, a new notice.
    listing_services.renew(listing, owner)
    listing = fresh(listing)
    listing_expiry.send_expiry_reminders(now=listing.expires_at - timedelta(days=6))
    run_jobs()
    assert len([mail for mail in mailoutbox if mail.to == [watcher.email]]) == 2


def test_nothing_is_queued_for_a_listing_nobody_watches(listing, owner):
    listing_services.close(listing, owner)
    assert waiting(TELL_WATCHERS) == 0


# Telling followers -----------------------------------------------------------------------------


def test_followers_hear_when_the_organisation_publishes_something_new(
    organisation, owner, watcher, organisation_member, mailoutbox
):
    services.follow(watcher, organisation)
    services.follow(organisation_member, organisation)
    new = make_listing(organisation, "Kreissäge zu vermieten", author=owner)
    assert waiting(TELL_FOLLOWERS) == 1
    run_jobs()
    [mail] = mailoutbox
    assert mail.to == [watcher.email]
    assert mail.subject == (
        f"[starkeRegion Potsdam-Mittelmark] Neu von Tischlerei Holzwurm: {new.title}"
    )
    assert f"http://pm.localhost/listings/{new.pk}/" in mail.body
    assert "http://pm.localhost/watchlist/" in mail.body
    # Renewed or approved again after an edit: not new, nobody is told again.
    listing_services.renew(new, owner)
    assert services.tell_followers(new.pk) == 0
    run_jobs()
    assert len(mailoutbox) == 1


def test_followers_never_hear_of_a_rejected_or_removed_listing(
    organisation, owner, watcher, pm_moderator, mailoutbox
):
    services.follow(watcher, organisation)
    organisation.verification = Verification.NEW
    organisation.save()
    draft = make_listing(organisation, "Fragwürdiges Angebot", status=Status.DRAFT)
    listing_services.submit(draft, owner)  # unverified: waits for approval
    listing_services.reject(fresh(draft), pm_moderator, "Bitte überarbeiten.")
    assert waiting(TELL_FOLLOWERS) == 0
    organisation.verification = Verification.VERIFIED
    organisation.save()
    removed = make_listing(organisation, "Gleich wieder weg", author=owner)
    listing_services.remove(removed, pm_moderator, "Verstößt gegen die Regeln.")
    run_jobs()  # the job runs after the removal: it tells nobody
    assert not [mail for mail in mailoutbox if mail.to == [watcher.email]]


def test_followers_hear_of_a_listing_once_staff_approved_it(
    organisation, owner, watcher, pm_moderator, mailoutbox
):
    services.follow(watcher, organisation)
    organisation.verification = Verification.NEW
    organisation.save()
    draft = make_listing(organisation, "Hobelbank", status=Status.DRAFT)
    listing_services.submit(draft, owner)
    run_jobs()
    assert not [mail for mail in mailoutbox if mail.to == [watcher.email]]
    listing_services.approve(fresh(draft), pm_moderator)
    run_jobs()
    assert len([mail for mail in mailoutbox if mail.to == [watcher.email]]) == 1


# Personal data ---------------------------------------------------------------------------------


def test_the_export_holds_the_watch_list_follows_and_match_settings(watcher, listing, organisation):
    from matching.models import MatchSettings

    services.watch(watcher, listing)
    services.follow(watcher, organisation)
    MatchSettings.objects.create(user=watcher, match_mails=False)
    export = export_personal_data(watcher)
    assert [entry["listing"] for entry in export["watch_list"]] == [listing.title]
    assert [entry["organisation"] for entry in export["followed_organisations"]] == [
        organisation.name
    ]
    assert export["match_email_settings"] == [{"match_mails": False}]


def test_deleting_the_account_removes_what_it_saved(watcher, listing, organisation, owner):
    from matching.models import MatchSettings

    services.watch(watcher, listing)
    services.follow(watcher, organisation)
    MatchSettings.objects.create(user=watcher, match_mails=False)
    listing_services.close(listing, owner)
    run_jobs()
    assert Notice.objects.exists()
    delete_account(watcher)
    assert not Watch.objects.exists() and not Follow.objects.exists()
    assert not Notice.objects.exists() and not MatchSettings.objects.exists()
    assert in_days(0)  # the listing and organisation stay
    assert fresh(listing).status == Status.CLOSED


def test_a_watched_listing_removed_by_the_staff_shows_no_title_and_comes_off(
    client_for, watcher, listing, pm_moderator, post
):
    services.watch(watcher, listing)
    listing_services.remove(listing, pm_moderator, "Verstößt gegen die Regeln.")
    client = client_for(watcher)
    page = client.get(WATCHLIST).content.decode()
    assert "Eine Anzeige, die das Team der Region entfernt hat" in page
    assert listing.title not in page
    response = post(client, star_url(listing), {"watch": "0", "next": WATCHLIST})
    assert response.status_code == 302 and response["Location"] == WATCHLIST
    assert not Watch.objects.exists()

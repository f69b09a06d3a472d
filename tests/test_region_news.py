""" "Neu in <Region>": members opt in to a weekly or monthly mail of the region's new offers
and requests by group, with the region's figures and a link to each, in their language,
once per period; staff see how many receive it, never who."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from alerts import digest
from alerts.models import DigestFrequency, DigestSubscription
from core import jobs
from core.models import Job
from listings.models import Direction, Listing

from .factories import category, make_listing, make_organisation, make_user, sign_in_with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_queue():
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


def news_mails():
    return [m for m in mail.outbox if "] Neu " in m.subject or "] New " in m.subject]


def published_ago(listing, **delta):
    Listing.objects.filter(pk=listing.pk).update(published_at=timezone.now() - timedelta(**delta))
    return listing


def send_all(frequency=DigestFrequency.WEEKLY, now=None):
    queued = digest.queue_digests(frequency, now)
    jobs.run_due()
    return queued


@pytest.fixture
def reader(pm):
    user = make_user("leser@example.org")
    digest.subscribe(pm, user, DigestFrequency.WEEKLY)
    return user


def test_the_weekly_news_lists_the_weeks_new_listings_by_group_with_figures(
    reader, organisation, pm
):
    forklift = make_listing(organisation, "Gabelstapler zu vermieten")
    wanted = make_listing(
        organisation, "Lagerhalle gesucht", direction=Direction.REQUEST, category=category("lager")
    )
    published_ago(make_listing(organisation, "Alte Hebebühne"), days=9)
    send_all()
    [message] = news_mails()
    assert message.to == [reader.email]
    assert "Neu in Potsdam-Mittelmark" in message.subject
    assert "2 neue Anzeigen" in message.subject
    body = message.body
    assert f"http://pm.localhost/listings/{forklift.pk}/" in body
    assert f"http://pm.localhost/listings/{wanted.pk}/" in body
    assert "Alte Hebebühne" not in body  # published before the week
    assert body.index("Maschinen & Ausstattung") < body.index("Gabelstapler")
    assert body.index("Räume & Flächen") < body.index("Lagerhalle gesucht")
    assert "2 aktuelle Angebote" in body  # the region's figures, the older one too
    assert "1 aktuelles Gesuch" in body
    assert "http://pm.localhost/alerts/news/unsubscribe/" in body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://pm.localhost/")


def test_the_news_goes_once_per_period_however_often_the_task_and_job_run(reader, organisation):
    make_listing(organisation)
    assert send_all() == 1
    assert send_all() == 0
    subscription = DigestSubscription.objects.get()
    digest.send_digest(subscription.pk)  # the job once more, as after a dead worker
    jobs.run_due()
    assert len(news_mails()) == 1
    # A week later (the clock passed by moving what was stamped back by a week).
    DigestSubscription.objects.update(last_sent_at=timezone.now() - timedelta(days=7))
    Listing.objects.update(published_at=timezone.now() - timedelta(days=8))
    published_ago(make_listing(organisation, "Neuer Stapler"), days=1)
    assert send_all() == 1
    assert len(news_mails()) == 2
    assert "Neuer Stapler" in news_mails()[1].body
    assert "Gabelstapler zu vermieten" not in news_mails()[1].body


def test_a_job_that_fails_before_commit_sends_nothing_and_its_retry_sends_once(
    reader, organisation, monkeypatch
):
    make_listing(organisation)
    subscription = DigestSubscription.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(digest, "region_figures", broken)
    with pytest.raises(RuntimeError):
        digest.send_digest(subscription.pk)
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None
    assert not Job.objects.filter(name="mail").exists()
    monkeypatch.undo()
    digest.send_digest(subscription.pk)
    jobs.run_due()
    assert len(news_mails()) == 1


def test_nothing_new_sends_nothing(reader, organisation):
    published_ago(make_listing(organisation), days=10)
    send_all()
    assert news_mails() == []


def test_the_monthly_news_waits_for_the_monthly_run(pm, organisation):
    monthly = make_user("monatlich@example.org")
    digest.subscribe(pm, monthly, DigestFrequency.MONTHLY)
    published_ago(make_listing(organisation), days=20)
    send_all(DigestFrequency.WEEKLY)
    assert news_mails() == []
    send_all(DigestFrequency.MONTHLY)
    [message] = news_mails()
    assert message.to == [monthly.email]


def test_the_news_of_a_region_holds_only_its_listings(pm, ohv, organisation):
    reader_ohv = make_user("oberhavel@example.org")
    digest.subscribe(ohv, reader_ohv, DigestFrequency.WEEKLY)
    make_listing(organisation)  # in pm
    ohv_company = make_organisation(ohv, "Havel GmbH")
    make_listing(ohv_company, "Kran in Oberhavel")
    send_all()
    [message] = news_mails()
    assert "Oberhavel" in message.subject
    assert "Kran in Oberhavel" in message.body
    assert "Gabelstapler" not in message.body
    assert "http://ohv.localhost/" in message.body


def test_the_news_is_in_the_readers_language(pm, organisation):
    reader = make_user("reader@example.org", language="en")
    digest.subscribe(pm, reader, DigestFrequency.WEEKLY)
    make_listing(organisation)
    send_all()
    [message] = news_mails()
    assert (
        message.subject
        == "[starkeRegion Potsdam-Mittelmark] New in Potsdam-Mittelmark: 1 new listing"
    )
    assert "in figures" in message.body


# Opting in and out --------------------------------------------------------------------------


def test_members_opt_in_and_out_on_the_news_page(client_for, member, pm):
    client = client_for(member)
    assert "Neu in Potsdam-Mittelmark" in client.get("/alerts/news/").content.decode()
    client.post("/alerts/news/", {"frequency": "monthly"})
    assert DigestSubscription.objects.get(user=member).frequency == "monthly"
    client.post("/alerts/news/", {"frequency": "weekly"})
    assert DigestSubscription.objects.get(user=member).frequency == "weekly"
    client.post("/alerts/news/", {"frequency": ""})
    assert not DigestSubscription.objects.exists()


def test_a_wrong_choice_is_refused_at_its_field(client_for, member):
    response = client_for(member).post("/alerts/news/", {"frequency": "daily"})
    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()
    assert not DigestSubscription.objects.exists()


def test_the_news_page_needs_a_login(pm_client):
    assert pm_client.get("/alerts/news/").status_code == 302


def test_the_mails_link_ends_the_news_without_login(pm_client, ohv_client, reader):
    token = digest.unsubscribe_token(DigestSubscription.objects.get())
    assert ohv_client.post(f"/alerts/news/unsubscribe/{token}/").status_code == 404
    assert pm_client.get(f"/alerts/news/unsubscribe/{token}/").status_code == 200
    assert DigestSubscription.objects.exists()
    assert pm_client.post(f"/alerts/news/unsubscribe/{token}/").status_code == 200
    assert not DigestSubscription.objects.exists()


def test_the_news_setting_is_in_the_export(client_for, reader):
    data = client_for(reader).get("/accounts/data/").json()
    assert data["region_news"][0]["frequency"] == "weekly"


# The back office ------------------------------------------------------------------------------


def test_staff_see_how_many_receive_the_news_not_who(pm, ohv, reader, pm_moderator, ohv_admin):
    digest.subscribe(ohv, make_user("oberhavel@example.org"), DigestFrequency.MONTHLY)
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)
    page = client.get("/admin/alerts/digestsubscription/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Potsdam-Mittelmark" in text
    assert "Oberhavel" not in text
    assert reader.email not in text
    assert "<td>1</td>" in text
    assert client.get("/admin/alerts/digestsubscription/1/change/").status_code == 404


def test_the_back_office_page_takes_the_same_queries_for_many_recipients(pm, pm_moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)

    def queries():
        client.get("/admin/alerts/digestsubscription/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/alerts/digestsubscription/").status_code == 200
        return len(captured)

    digest.subscribe(pm, make_user("eins@example.org"), DigestFrequency.WEEKLY)
    one = queries()
    for number in range(10):
        digest.subscribe(pm, make_user(f"leser{number}@example.org"), DigestFrequency.MONTHLY)
    assert queries() == one


def test_a_switched_off_region_sends_no_news(pm, reader, organisation):
    make_listing(organisation)
    type(pm).objects.filter(pk=pm.pk).update(is_active=False)
    assert send_all() == 0
    assert news_mails() == []


def test_the_news_names_the_region_with_its_own_preposition(pm, reader, organisation):
    type(pm).objects.filter(pk=pm.pk).update(preposition="im", name="Havelland")
    make_listing(organisation)
    send_all()
    [message] = news_mails()
    assert "Neu im Havelland: 1 neue Anzeige" in message.subject
    assert "das ist neu im Havelland seit dem" in message.body

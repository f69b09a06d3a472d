"""Error pages tell the truth: 503 with Retry-After while the database is away, and a 500
page that says someone was notified only when error mails go to someone."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connections
from django.test import Client

from regions import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_client():
    """A client that gets the error page, as a visitor would, instead of the exception."""

    def make(host="pm.localhost"):
        return Client(HTTP_HOST=host, raise_request_exception=False)

    return make


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused: is the server running?")

    def stop():
        monkeypatch.setattr(connections["default"], "cursor", refuse)

    return stop


@pytest.fixture
def program_error(monkeypatch):
    def fail(host):
        raise RuntimeError("a bug")

    monkeypatch.setattr(middleware, "region_for_host", fail)


def test_database_down_answers_503_with_retry_after(pm, failing_client, database_down):
    client = failing_client()
    database_down()
    response = client.get("/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "kurz nicht erreichbar" in html
    assert "benachrichtigt" not in html
    assert "/static/css/site.css" in html, "the page keeps the site's design"


def test_database_down_page_in_english_for_who_chose_english(pm, failing_client, database_down):
    client = failing_client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    database_down()
    response = client.get("/listings/")
    assert response.status_code == 503
    assert "briefly unreachable" in response.content.decode()


def test_database_down_page_shows_the_region_when_it_is_known(
    pm, failing_client, database_down, monkeypatch
):
    # With Redis up, the region comes from the cache and only the page's own queries fail.
    monkeypatch.setattr(middleware, "region_for_host", lambda host: pm)
    client = failing_client()
    database_down()
    response = client.get("/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Potsdam-Mittelmark" in html
    assert pm.primary_color in html


def test_database_down_on_the_portal_answers_503(db, failing_client, database_down):
    client = failing_client(host="localhost")
    database_down()
    response = client.get("/")
    assert response.status_code == 503
    assert "kurz nicht erreichbar" in response.content.decode()


def test_500_page_promises_no_one_was_notified_without_error_mails(
    pm, failing_client, program_error, settings
):
    settings.ADMINS = []
    response = failing_client().get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Etwas ist schiefgegangen" in html
    assert "benachrichtigt" not in html
    assert "notified" not in html
    assert not response.has_header("Retry-After")


def test_500_page_says_we_were_notified_when_error_mails_go_out(
    pm, failing_client, program_error, settings
):
    settings.ADMINS = [("Betrieb", "betrieb@starkeregion.example")]
    response = failing_client().get("/")
    assert response.status_code == 500
    assert "Wir wurden benachrichtigt." in response.content.decode()
    # The promise is kept: the operator got the error mail.
    assert [message.to for message in mail.outbox] == [["betrieb@starkeregion.example"]]


def test_database_down_sends_no_error_mail_per_request(pm, failing_client, database_down, settings):
    # A database restart is known and /healthz shows it; an error mail per 503 page and per
    # health probe would flood the operator (142 in a 12-second restart in `make chaos`), each
    # sent inside the request. The 500 test above shows real errors are still mailed.
    settings.ADMINS = [("Betrieb", "betrieb@starkeregion.example")]
    client = failing_client()
    database_down()
    assert client.get("/").status_code == 503
    assert client.get("/healthz").status_code == 503
    assert mail.outbox == []

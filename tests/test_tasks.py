"""Background tasks: mails go out through the queue and survive a mail server outage; the
nightly housekeeping removes expired sessions. The suite runs huey in immediate mode
(TASKS_URL=immediate://), so a queued task runs at once and a retry waits in memory until
the test runs it."""

import datetime
import smtplib
import time

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends import locmem
from django.utils.module_loading import module_has_submodule
from huey.contrib.djhuey import HUEY

from core.mail import send_mail_logged
from core.tasks import MAIL_RETRIES, MAIL_RETRY_DELAY, clear_expired_sessions, send_mail_task
from organisations.models import Invitation, Role
from starkeregion.settings import tasks_settings


class FlakyMailServer(locmem.EmailBackend):
    """The test outbox, refusing every mail while `down` is set, like an unreachable server."""

    down = False

    def send_messages(self, messages):
        if FlakyMailServer.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _empty_queue():
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


@pytest.fixture
def mail_server(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.test_tasks.FlakyMailServer"
    monkeypatch.setattr(FlakyMailServer, "down", False)
    return FlakyMailServer


def run_retries():
    """Does what the worker does when a retry is due: takes it off the schedule and runs it."""
    for retry in HUEY.scheduled():
        for task in HUEY.read_schedule(retry.eta):
            HUEY.execute(task, timestamp=retry.eta)


def test_the_suite_runs_tasks_immediately():
    assert HUEY.immediate


def test_a_mail_goes_out_through_the_task(mail_server):
    assert send_mail_logged(
        "Willkommen",
        "Hallo!",
        ["a@example.org", "b@example.org"],
        html_message="<p>Hallo!</p>",
        reply_to=["moderation@pm.example.org"],
    )
    [message] = mail.outbox
    assert (message.subject, message.body) == ("Willkommen", "Hallo!")
    assert message.to == ["a@example.org", "b@example.org"]
    assert message.reply_to == ["moderation@pm.example.org"]
    assert message.alternatives[0].content == "<p>Hallo!</p>"
    assert message.from_email == "starkeRegion <noreply@starkeregion.digital>"
    assert not HUEY.scheduled()


def test_a_mail_server_outage_is_logged_and_retried_without_waiting(mail_server, caplog):
    mail_server.down = True
    started = time.monotonic()
    assert send_mail_logged("Willkommen", "Hallo!", ["a@example.org"])  # no exception
    assert time.monotonic() - started < 1  # the retry is scheduled, not slept for
    assert mail.outbox == []
    assert "Could not send mail 'Willkommen' to 1 recipients" in caplog.text
    [retry] = HUEY.scheduled()
    assert retry.retries == MAIL_RETRIES - 1
    due_in = retry.eta - datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert datetime.timedelta(seconds=MAIL_RETRY_DELAY - 10) < due_in
    assert due_in <= datetime.timedelta(seconds=MAIL_RETRY_DELAY)

    mail_server.down = False  # the server is back when the retry is due
    run_retries()
    [message] = mail.outbox
    assert message.subject == "Willkommen"
    assert not HUEY.scheduled()


def test_retries_wait_longer_each_time_and_end_with_an_error(mail_server, caplog):
    mail_server.down = True
    send_mail_logged("Willkommen", "Hallo!", ["a@example.org"])
    delays = []
    while HUEY.scheduled():
        delays.append(HUEY.scheduled()[0].retry_delay)
        run_retries()
    assert len(delays) == MAIL_RETRIES
    assert delays == sorted(delays) and delays[0] < delays[-1]
    assert mail.outbox == []
    errors = [record for record in caplog.records if record.name == "core.tasks"]
    assert [record.levelname for record in errors] == ["WARNING"] * MAIL_RETRIES + ["ERROR"]
    assert "giving up" in errors[-1].getMessage()


def test_an_unreachable_queue_does_not_break_the_caller(monkeypatch, caplog):
    def refuse(task):
        raise ConnectionError("the queue is away")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
    assert send_mail_logged("Willkommen", "Hallo!", ["a@example.org"]) is False
    assert "Could not queue mail 'Willkommen'" in caplog.text


def test_an_invitation_during_an_outage_arrives_when_the_server_is_back(
    client_for, owner, organisation, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            f"/organisations/{organisation.pk}/members/",
            {"email": "neue.kollegin@example.org", "role": Role.MEMBER},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "neue.kollegin@example.org"
    assert mail.outbox == []

    mail_server.down = False
    run_retries()
    [message] = mail.outbox
    assert message.to == ["neue.kollegin@example.org"]
    assert "Tischlerei Holzwurm" in message.subject


@pytest.mark.django_db
def test_clearing_sessions_removes_only_the_expired_ones():
    expired, active = SessionStore(), SessionStore()
    expired.set_expiry(-60)
    expired.create()
    active.create()
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == [active.session_key]


def test_sessions_are_cleared_once_a_night():
    def runs_at(hour, minute):
        moment = datetime.datetime(2025, 3, 12, hour, minute)  # UTC, as the worker's clock
        return clear_expired_sessions.task_class in map(type, HUEY.read_periodic(moment))

    assert runs_at(2, 30)
    assert [runs_at(hour, 30) for hour in range(24)].count(True) == 1
    assert not runs_at(2, 31)


def test_the_worker_finds_the_tasks_of_the_ground_floor():
    # run_huey imports the tasks module of every installed app, and only those.
    with_tasks = [
        config.name
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "tasks")
    ]
    assert "core" in with_tasks


@pytest.mark.parametrize(
    ("task", "name"),
    [
        (send_mail_task, "starkeregion.tasks.send_mail_task"),
        (clear_expired_sessions, "starkeregion.tasks.clear_expired_sessions"),
    ],
)
def test_tasks_keep_the_names_they_were_queued_under_before_the_move_to_core(task, name):
    # Queues in production may still hold such tasks (a mail waiting for its retry).
    queued = HUEY.serialize_task(task.s())
    assert HUEY.serializer.deserialize(queued).name == name
    assert type(HUEY.deserialize_task(queued)) is task.task_class


# TASKS_URL ------------------------------------------------------------------------------------

DATABASE = "postgres://app:secret@db:5432/starkeregion"


def test_immediate_runs_tasks_in_memory():
    config = tasks_settings("immediate://", DATABASE)
    assert config["immediate"] and config["huey_class"] == "huey.MemoryHuey"


def test_redis_keeps_the_queue_in_redis():
    config = tasks_settings("redis://redis:6379/1", DATABASE)
    assert config["huey_class"] == "huey.RedisHuey" and not config["immediate"]
    assert config["connection"] == {"url": "redis://redis:6379/1"}


def test_db_uses_the_postgresql_database_without_ddl_at_start():
    config = tasks_settings("db://", DATABASE)
    assert config["huey_class"] == "huey.PostgresHuey"
    assert config["connection"] == {"dsn": DATABASE, "create_tables": False}


@pytest.mark.parametrize(
    ("database", "tasks_file"),
    [
        ("sqlite:////srv/data/db.sqlite3", "/srv/data/db.sqlite3-tasks"),
        ("sqlite:///db.sqlite3", "db.sqlite3-tasks"),
        ("sqlite:///:memory:", ":memory:"),
    ],
)
def test_db_with_sqlite_uses_a_file_beside_the_database(database, tasks_file):
    config = tasks_settings("db://", database)
    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["connection"] == {"filename": tasks_file}


@pytest.mark.parametrize("url", ["amqp://rabbit", "celery://", "", "db://x"])
def test_unknown_tasks_urls_refuse_to_start(url):
    with pytest.raises(ImproperlyConfigured):
        tasks_settings(url, DATABASE)


def test_db_refuses_a_database_huey_cannot_use():
    with pytest.raises(ImproperlyConfigured):
        tasks_settings("db://", "mysql://app@db/starkeregion")

"""Background tasks: the nightly housekeeping removes expired sessions, tasks keep their
names across moves, and TASKS_URL chooses where the queue lives. Mails and other jobs that
must not be lost are in test_jobs.py."""

import datetime

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule
from huey.contrib.djhuey import HUEY

from core.tasks import clear_expired_sessions, send_mail_task
from starkeregion.settings import tasks_settings


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
    pool = config["connection"]["connection_pool"]
    assert pool.connection_kwargs["host"] == "redis" and pool.connection_kwargs["db"] == 1
    # A hanging Redis holds neither a page nor the health check for long.
    assert pool.connection_kwargs["socket_connect_timeout"] == 2


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

"""/healthz tells the truth: 503 only without a database (tests/test_settings.py), and 200
"degraded" when the cache or the task queue is away or no worker takes the jobs."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core import health, jobs
from core.health import QUEUE_BEHIND
from core.models import Job

pytestmark = pytest.mark.django_db


def health_answer():
    response = Client(HTTP_HOST="10.0.0.7").get("/healthz")
    return response.status_code, response.json()


def test_everything_answers():
    assert health_answer() == (
        200,
        {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "queue": "ok",
            "oldest_waiting_job_seconds": 0,
        },
    )


def test_redis_away_is_degraded_not_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    status, answer = health_answer()
    assert status == 200
    assert (answer["status"], answer["cache"], answer["queue"]) == ("degraded", "unavailable", "ok")


def test_a_redis_that_answers_is_ok(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    status, answer = health_answer()
    if answer["cache"] != "ok":
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert (status, answer["status"]) == (200, "ok")


def test_the_task_queue_away_is_degraded(monkeypatch):
    def refuse():
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(HUEY.storage, "queue_size", refuse)
    status, answer = health_answer()
    assert status == 200
    assert (answer["status"], answer["queue"]) == ("degraded", "unavailable")


def test_jobs_nobody_takes_make_the_queue_behind():
    Job.objects.create(name="mail", run_after=timezone.now() - QUEUE_BEHIND + timedelta(minutes=1))
    status, answer = health_answer()
    assert (answer["status"], answer["queue"]) == ("ok", "ok")
    assert 8 * 60 < answer["oldest_waiting_job_seconds"] <= 9 * 60 + 5

    Job.objects.create(name="mail", run_after=timezone.now() - QUEUE_BEHIND - timedelta(minutes=1))
    status, answer = health_answer()
    assert status == 200
    assert (answer["status"], answer["queue"]) == ("degraded", "behind")
    assert answer["oldest_waiting_job_seconds"] >= 11 * 60


def test_retries_waiting_for_their_time_and_finished_jobs_are_not_behind():
    long_ago = timezone.now() - timedelta(hours=3)
    Job.objects.create(
        name="mail", created_at=long_ago, run_after=timezone.now() + timedelta(minutes=30)
    )
    Job.objects.create(name="mail", run_after=long_ago, state=Job.State.DONE)
    Job.objects.create(name="mail", run_after=long_ago, state=Job.State.FAILED)
    assert health_answer()[1]["queue"] == "ok"


def test_a_database_without_the_job_table_is_degraded_not_an_error(django_db_blocker):
    # Before `migrate` has run (a fresh container, a database being restored).
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_job RENAME TO core_job_away")
        try:
            status, answer = health_answer()
        finally:
            cursor.execute("ALTER TABLE core_job_away RENAME TO core_job")
    assert status == 200
    assert (answer["status"], answer["database"], answer["queue"]) == (
        "degraded",
        "ok",
        "unavailable",
    )


def test_a_worker_that_stopped_sweeping_is_reported(monkeypatch):
    # Production: a real queue and a worker whose sweep leaves a heartbeat each minute.
    monkeypatch.setattr(health, "HUEY", SimpleNamespace(immediate=False, storage=HUEY.storage))
    cache.delete(jobs.SWEEP_HEARTBEAT_KEY)
    assert health_answer()[1]["queue"] == "no worker"  # never swept since the cache was new

    jobs.run_due_jobs.call_local()
    status, answer = health_answer()
    assert (status, answer["status"], answer["queue"]) == (200, "ok", "ok")

    stopped = time.time() - health.WORKER_SILENT.total_seconds() - 1
    cache.set(jobs.SWEEP_HEARTBEAT_KEY, stopped, timeout=None)
    status, answer = health_answer()
    assert (status, answer["status"], answer["queue"]) == (200, "degraded", "no worker")

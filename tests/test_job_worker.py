"""The real worker (`manage.py run_huey`) killed or stopped in the middle of sending a mail:
the mail is sent by the next run, once; a mail the server already took is not sent again.

Each test runs the project in subprocesses against a SQLite database and task queue of its
own (migrated once per module) and a mail server in this process (tests/smtp_sink.py) that
holds the mail between receiving it and saying it took it."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent
SUBPROCESS_TIMEOUT = 60


def project_env(directory: Path, smtp_port: int) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        TASKS_URL=f"sqlite:///{directory / 'tasks.sqlite3'}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        CACHE_URL="db://",
        DEMO="0",
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


QUEUE_A_MAIL = """
import django; django.setup()
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from core.mail import queue_mail
with transaction.atomic():
    queue_mail(EmailMultiAlternatives("Einladung", "Hallo!", to=["neu@example.org"]))
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    directory = tmp_path_factory.mktemp("migrated")
    result = manage(project_env(directory, 25), "migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr[-3000:]
    return directory / "db.sqlite3"


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture
def project(migrated, tmp_path, sink):
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    return project_env(tmp_path, sink.port)


def jobs_in(env):
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as database:
        return database.execute(
            "SELECT state, attempts, locked_until IS NOT NULL FROM core_job"
        ).fetchall()


def lease_runs_out(env):
    """What LEASE minutes of waiting do: the dead worker's lease lies in the past."""
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as database:
        database.execute("UPDATE core_job SET locked_until = '2000-01-01 00:00:00'")


def start_worker_holding_a_mail(env, sink):
    """Queue a mail (the action), start the worker and wait until the mail server has the
    mail's data but has not yet said it took it."""
    sink.hold.set()
    queued = subprocess.run(
        [sys.executable, "-c", QUEUE_A_MAIL], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert queued.returncode == 0, queued.stderr[-3000:]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not sink.data_seen.wait(SUBPROCESS_TIMEOUT):
        worker.kill()
        pytest.fail("the worker never sent the mail")
    return worker


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["kill -9", "SIGTERM"])
def test_a_worker_gone_mid_send_leaves_the_mail_to_the_next_run(project, sink, stop):
    worker = start_worker_holding_a_mail(project, sink)
    worker.send_signal(stop)
    worker.wait(SUBPROCESS_TIMEOUT)
    sink.hold.clear()
    assert sink.delivered == []  # the server never said it took the mail
    assert jobs_in(project) == [("waiting", 1, True)]  # leased by the dead worker

    assert "0 jobs done, 1 waiting" in manage(project, "run_jobs").stdout  # still leased
    lease_runs_out(project)
    result = manage(project, "run_jobs")
    assert "1 jobs done, 0 waiting" in result.stdout, result.stderr[-3000:]
    [(recipients, data)] = sink.delivered
    assert recipients == ["neu@example.org"] and b"Subject: Einladung" in data
    assert jobs_in(project) == [("done", 2, False)]


def test_a_worker_stopped_gracefully_finishes_the_mail_it_is_sending(project, sink):
    # compose.yaml stops the worker with SIGINT: huey lets running tasks finish.
    worker = start_worker_holding_a_mail(project, sink)
    worker.send_signal(signal.SIGINT)
    sink.hold.clear()
    assert worker.wait(SUBPROCESS_TIMEOUT) == 0
    assert len(sink.delivered) == 1
    assert jobs_in(project) == [("done", 1, False)]

    lease_runs_out(project)  # however long one waits: a mail the server took is not sent again
    assert "0 jobs done, 0 waiting" in manage(project, "run_jobs").stdout
    assert len(sink.delivered) == 1


def test_a_mail_server_down_then_up_gets_the_mail(project, sink):
    sink.stop()
    queued = subprocess.run(
        [sys.executable, "-c", QUEUE_A_MAIL], cwd=ROOT, env=project, capture_output=True
    )
    assert queued.returncode == 0
    result = manage(project, "run_jobs")
    assert "0 jobs done, 1 waiting" in result.stdout
    assert "Connection refused" in result.stderr

    sink.start()
    path = project["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as database:  # the retry's two minutes have passed
        database.execute("UPDATE core_job SET run_after = '2000-01-01 00:00:00'")
    assert "1 jobs done, 0 waiting" in manage(project, "run_jobs").stdout
    assert len(sink.delivered) == 1

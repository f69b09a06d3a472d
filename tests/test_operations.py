"""How the servers run: gunicorn listens on this machine only unless told otherwise, and every
log line carries its time in UTC, whatever the server's time zone."""

import datetime
import logging
import os
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core import logformat
from core.logformat import UTCFormatter

ROOT = Path(__file__).resolve().parent.parent
# Central European time as a POSIX rule: needs no time-zone database on the machine.
BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"
UTC_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z ")


@pytest.fixture
def berlin_time(monkeypatch):
    """The process's local time is Berlin's, as on a server set up in Germany."""
    monkeypatch.setenv("TZ", BERLIN)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def gunicorn_settings(monkeypatch, **environment):
    for name in ("GUNICORN_HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("starkeregion.gunicorn_config")


def test_gunicorn_listens_on_this_machine_only_by_default(monkeypatch):
    assert gunicorn_settings(monkeypatch)["bind"] == "127.0.0.1:8000"
    assert gunicorn_settings(monkeypatch, PORT="8123")["bind"] == "127.0.0.1:8123"


def test_gunicorn_listens_where_told(monkeypatch):
    settings = gunicorn_settings(monkeypatch, GUNICORN_HOST="0.0.0.0", PORT="8000")  # noqa: S104
    assert settings["bind"] == "0.0.0.0:8000"
    assert gunicorn_settings(monkeypatch, GUNICORN_HOST="::")["bind"] == "[::]:8000"


def test_the_image_tells_gunicorn_to_listen_on_every_interface():
    # Inside the container the proxy comes from outside; compose publishes on 127.0.0.1.
    assert "GUNICORN_HOST=0.0.0.0" in (ROOT / "Dockerfile").read_text()


def test_log_time_is_utc_in_iso_8601_with_z(berlin_time):
    record = logging.makeLogRecord({"msg": "hello", "levelname": "INFO", "name": "core"})
    # 1 July 2026, 00:00:00.250 UTC: 02:00 in Berlin's summer time.
    record.created = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC).timestamp() + 0.25
    record.msecs = 250
    line = UTCFormatter("{asctime} {levelname} {name}: {message}", style="{").format(record)
    assert line == "2026-07-01T00:00:00.250Z INFO core: hello"


def test_the_apps_log_lines_are_stamped_in_utc():
    from django.conf import settings

    plain = settings.LOGGING["formatters"]["plain"]
    assert plain["class"] == "core.logformat.UTCFormatter"
    assert plain["format"].startswith("{asctime} ")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_stamps_its_lines_in_utc_and_binds_to_localhost(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "TZ": BERLIN,
        "PORT": str(port),
        "DATABASE_URL": "sqlite:///:memory:",
        "WEB_CONCURRENCY": "1",
    }
    environment.pop("GUNICORN_HOST", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "python:starkeregion.gunicorn_config",
                "--control-socket",
                str(tmp_path / "gunicorn.ctl"),
                "starkeregion.wsgi",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            for _attempt in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"gunicorn did not answer:\n{log.read_text()}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    lines = log.read_text().splitlines()
    assert f"Listening at: http://127.0.0.1:{port}" in log.read_text()
    # At least one: on a busy machine a first probe may time out here and still be answered.
    access = [line for line in lines if '"GET /healthz" 200' in line]
    assert access
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    for line in (lines[0], access[0]):
        stamp = UTC_STAMP.match(line)
        assert stamp, line
        logged = datetime.datetime.fromisoformat(stamp.group(1))
        assert abs(logged - now) < datetime.timedelta(minutes=1), "UTC, not Berlin's time"


def outage_line(name, message, level=logging.ERROR, **extra):
    record = logging.LogRecord(name, level, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return record


def test_an_outages_repeating_lines_pass_once_a_minute(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(logformat.time, "monotonic", lambda: clock[0])
    repeats = logformat.OutageRepeatsOncePerMinute(loggers=["huey.consumer", "core.health"])
    reading = [
        outage_line("huey.consumer.Worker-1", "Error reading from queue") for _ in range(100)
    ]
    assert [repeats.filter(record) for record in reading].count(True) == 1
    # Other lines, and other loggers' errors, are never held back.
    assert repeats.filter(outage_line("huey.consumer", "Executing task", logging.INFO))
    assert all(repeats.filter(outage_line("core.jobs", "Job mail #1 failed")) for _ in range(3))
    assert all(
        repeats.filter(outage_line("django.request", "Server Error", status_code=500))
        for _ in range(3)
    )
    # A 503 answer is an outage's line wherever it is logged.
    answers = [
        outage_line("django.request", "Service Unavailable: %s", status_code=503) for _ in range(5)
    ]
    assert [repeats.filter(record) for record in answers] == [True, False, False, False, False]

    clock[0] += 61
    record = outage_line("huey.consumer.Worker-2", "Error reading from queue")
    assert repeats.filter(record)
    assert (
        record.getMessage()
        == "Error reading from queue (99 more like it left out in the last minute)"
    )


def test_the_console_holds_back_an_outages_repeats():
    [console] = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    assert any(isinstance(f, logformat.OutageRepeatsOncePerMinute) for f in console.filters)

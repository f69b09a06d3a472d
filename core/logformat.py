"""Log lines stamped in UTC: one zone for the app, the worker and gunicorn.

Servers may run in Europe/Berlin or in UTC, and local time repeats an hour each October;
in UTC the lines of every process sort and compare as they happened. Imports nothing of
Django: gunicorn's master process uses it before any app is loaded.
"""

import logging
import time


class UTCFormatter(logging.Formatter):
    """`asctime` as ISO 8601 in UTC with milliseconds: 2026-03-29T00:59:59.250Z."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class SkipServiceUnavailable(logging.Filter):
    """Keeps 503 answers out of the operator's error mails (settings.LOGGING, `mail_admins`).

    The app answers 503 only while the database is away (core.errors, core.health). Django
    logs every such answer as an error, and its mail handler would send a mail for each page
    and each health probe, inside the request: 142 mails for a 12-second PostgreSQL restart in
    `make chaos`. The lines stay in the log; /healthz is what tells monitoring.
    """

    def filter(self, record):
        return getattr(record, "status_code", None) != 503


class OutageRepeatsOncePerMinute(logging.Filter):
    """Lets an outage's repeating lines through once a minute (settings.LOGGING, console).

    While Redis is away, huey's consumer logs "Error reading from queue" with a traceback
    several times a second and every health probe logs that the cache does not answer; while
    the database is away, every 503 answer is an error line with a chained traceback (about
    2 MB of log for a 12-second PostgreSQL restart in `make chaos`). Lines of the loggers in
    `loggers` (and their children), and 503 answers, pass once per `interval` seconds for
    each message template; the next one that passes says how many were left out.
    """

    def __init__(self, loggers=(), interval=60.0):
        super().__init__()
        self.loggers = tuple(loggers)
        self.interval = interval
        self.last_passed: dict[tuple[str, str], float] = {}
        self.left_out: dict[tuple[str, str], int] = {}

    def _throttled(self, record) -> bool:
        if getattr(record, "status_code", None) == 503:
            return True
        return any(
            record.name == name or record.name.startswith(name + ".") for name in self.loggers
        )

    def filter(self, record):
        if record.levelno < logging.WARNING or not self._throttled(record):
            return True
        key = (record.name.split(".")[0], str(record.msg))
        now = time.monotonic()
        if now - self.last_passed.get(key, -self.interval) < self.interval:
            self.left_out[key] = self.left_out.get(key, 0) + 1
            return False
        self.last_passed[key] = now
        if left_out := self.left_out.pop(key, 0):
            record.msg = f"{record.msg} ({left_out} more like it left out in the last minute)"
        return True

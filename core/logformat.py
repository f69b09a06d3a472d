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

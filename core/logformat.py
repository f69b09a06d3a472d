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

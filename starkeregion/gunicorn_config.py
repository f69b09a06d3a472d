"""gunicorn settings: `gunicorn -c python:starkeregion.gunicorn_config starkeregion.wsgi`.

Every value can be overridden by the usual environment variables (PORT,
WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT) and GUNICORN_HOST.
"""

import os

from gunicorn import glogging

from core.logformat import UTCFormatter

# Only this machine reaches the server unless told otherwise: on a host, the TLS proxy in front
# forwards to 127.0.0.1. In a container the proxy comes from outside, so the image sets
# GUNICORN_HOST=0.0.0.0 (and compose publishes the port on the host's 127.0.0.1 only).
_host = os.environ.get("GUNICORN_HOST", "127.0.0.1")
_port = os.environ.get("PORT", "8000")
bind = f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"  # IPv6 in brackets
# The CPUs this process may use (in a container: its share, not the host's), capped so
# that workers × threads stays well below PostgreSQL's default of 100 connections.
workers = int(os.environ.get("WEB_CONCURRENCY", min(len(os.sched_getaffinity(0)) * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes a server down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The request line only: no query strings with search terms or tokens, no IPs in logs.
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class UTCLogger(glogging.Logger):
    """gunicorn's logging, its lines stamped in UTC like the app's (settings.LOGGING).

    gunicorn stamps error lines in the server's local time and access lines not at all; this
    keeps its handlers (and so `accesslog`, `errorlog` and their command-line options) and
    changes only their formatters.
    """

    error_fmt = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
    access_fmt = "%(asctime)s %(message)s"

    def setup(self, cfg):
        super().setup(cfg)
        for log, fmt in ((self.error_log, self.error_fmt), (self.access_log, self.access_fmt)):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(UTCFormatter(fmt))


logger_class = UTCLogger

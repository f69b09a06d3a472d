"""gunicorn settings: `gunicorn -c python:starkeregion.gunicorn_config starkeregion.wsgi`.

Every value can be overridden by the usual environment variables (PORT,
WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
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

"""`/healthz` for load balancers, container health checks and the operator.

    {"status": "ok" | "degraded" | "error",
     "database": "ok" | "unavailable",
     "cache": "ok" | "unavailable",
     "queue": "ok" | "unavailable" | "behind" | "no worker",
     "oldest_waiting_job_seconds": 12}

503 only when the database is away, for without it no page can be served; a cache or queue
that is away makes pages slower and mails later, not impossible, so the answer is 200 with
"degraded" (a load balancer keeps the instance, monitoring sees the word). "behind" means the
longest-waiting due job has waited longer than QUEUE_BEHIND: no worker is taking jobs;
"no worker" that the worker's minute sweep has not run for WORKER_SILENT.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from huey.contrib.djhuey import HUEY

from . import jobs

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
# The sweep runs every minute; a due job older than this means no worker takes jobs.
QUEUE_BEHIND = timedelta(minutes=10)
# The sweep's heartbeat older than this means no worker runs.
WORKER_SILENT = timedelta(minutes=3)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return "unavailable"
    return "ok"


def _cache() -> str:
    """Writes and reads a key of its own through the real backend, not a local stand-in."""
    probe = getattr(cache, "shared_cache_answers", None)
    if probe is not None:  # core.cache.ResilientRedisCache knows whether Redis itself answers
        return "ok" if probe() else "unavailable"
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    try:
        cache.set(key, value, 10)
        answered = cache.get(key) == value
        cache.delete(key)
    except Exception as error:
        logger.warning("Health check: the cache does not answer (%s)", error)
        return "unavailable"
    return "ok" if answered else "unavailable"


def _queue(answer: dict) -> str:
    try:
        with transaction.atomic():  # a failing query must not break an enclosing transaction
            age = jobs.oldest_waiting_age()
    except DatabaseError:  # the database answers, but not with the job table (not migrated)
        logger.exception("Health check: the job table cannot be read")
        return "unavailable"
    answer["oldest_waiting_job_seconds"] = 0 if age is None else int(age.total_seconds())
    try:
        HUEY.storage.queue_size()
    except Exception as error:
        logger.warning("Health check: the task queue does not answer (%s)", error)
        return "unavailable"
    if age is not None and age > QUEUE_BEHIND:
        return "behind"
    return "ok" if HUEY.immediate or _worker_swept_lately() else "no worker"


def _worker_swept_lately() -> bool:
    """Whether the worker's sweep ran within WORKER_SILENT (its heartbeat in the cache).

    Without one, due jobs would only show as "behind" after QUEUE_BEHIND, and mails that wait
    for a retry never would. (With TASKS_URL=immediate:// there is no worker to ask about.)
    """
    last_sweep = cache.get(jobs.SWEEP_HEARTBEAT_KEY)
    return last_sweep is not None and time.time() - last_sweep < WORKER_SILENT.total_seconds()


def health() -> tuple[dict, int]:
    """The answer and its status code."""
    answer = {"status": "ok", "database": _database()}
    if answer["database"] != "ok":
        answer["status"] = "error"
        return answer, 503
    answer["cache"] = _cache()
    answer["queue"] = _queue(answer)
    if answer["cache"] != "ok" or answer["queue"] != "ok":
        answer["status"] = "degraded"
    return answer, 200


class HealthCheckMiddleware:
    """Answers /healthz before host validation, HTTPS redirects and region lookup.

    Probes come from inside the network with an IP address as host and over plain
    HTTP, so they must not depend on either; the answer carries no personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        answer, status = health()
        return JsonResponse(answer, status=status)

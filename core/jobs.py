"""Work an action leaves for later, kept in the database until it is done.

    jobs.enqueue("mail", subject=…, body=…, to=[…])   # inside the action's transaction

This is a transactional outbox in front of huey. `enqueue` writes a `core.Job` row in the
caller's transaction, so the job exists exactly when the action committed, and once that
commit is through it wakes the worker (`run_jobs`). The wake-up is only a shortcut: when the
queue is away, or a worker dies holding it, the sweep every minute (`run_due_jobs`) finds the
job in the table. Nothing the user did waits for, or fails with, the queue.

A worker leases a job (`LEASE`) before running it and marks it done right after, so a job is
run at least once: a worker killed or stopped mid-run leaves its lease to run out and the next
sweep runs the job again. Handlers must therefore tolerate a second run (a mail carries the
same Message-ID both times, photo sizes are simply made again). A handler that raises is tried
again later with a growing delay, up to its number of attempts; then the job is `failed`,
stays visible in the back office and can be started again from there.

Handlers are registered by name with `@handler(name)` in the module that owns the work, which
must be imported wherever jobs run (an app's `tasks.py` is: the worker imports them all).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Job

logger = logging.getLogger(__name__)

# Longer than any job takes (a mail waits at most EMAIL_TIMEOUT per connection step): a job whose
# lease has run out is taken to be abandoned by a dead worker and is run again.
LEASE = timedelta(minutes=5)
# How many jobs one sweep takes at a time; a sweep goes on until nothing is due.
BATCH = 50
# Finished jobs are kept for the operator to look at, failed ones longer.
KEEP_DONE = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)
# A wake-up that could not be queued is logged once a minute, not once per job.
WAKE_WARNING_EVERY = 60
# Where the worker's sweep notes when it last ran (core.health reads it).
SWEEP_HEARTBEAT_KEY = "jobs:last-sweep"


@dataclass(frozen=True)
class Handler:
    run: Callable[..., None]
    attempts: int
    delay: timedelta
    backoff: int

    def delay_after(self, attempt: int) -> timedelta:
        """The wait before the next try, after `attempt` tries (1, 2, …) have failed."""
        return self.delay * self.backoff ** (attempt - 1)


HANDLERS: dict[str, Handler] = {}
# What a job whose handler is unknown here (an older or newer worker) is retried with.
UNKNOWN = Handler(run=None, attempts=7, delay=timedelta(minutes=2), backoff=2)


def handler(name: str, *, attempts: int = 7, delay=timedelta(minutes=2), backoff: int = 2):
    """Register the decorated function as what runs jobs called `name`.

    The defaults try seven times, 2, 4, 8, 16, 32 and 64 minutes apart: about two hours,
    long enough for a mail server to come back. The function gets the job's payload as
    keyword arguments and raises to ask for another try.
    """

    def register(function):
        HANDLERS[name] = Handler(function, attempts, delay, backoff)
        return function

    return register


def enqueue(name: str, **payload) -> Job:
    """Record a job in the current transaction; it runs once the transaction has committed.

    The payload is stored as JSON: plain values only (strings, numbers, lists, primary keys).
    """
    if name not in HANDLERS:
        raise LookupError(f"No job handler called {name!r} is registered.")
    job = Job.objects.create(name=name, payload=payload)
    transaction.on_commit(lambda: wake([job.pk]))
    return job


_last_wake_warning = 0.0


def wake(job_ids: list[int]) -> None:
    """Ask the worker to run these jobs now; never raises (the sweep runs them anyway)."""
    global _last_wake_warning
    try:
        run_jobs(job_ids)
    except Exception as error:
        if time.monotonic() - _last_wake_warning >= WAKE_WARNING_EVERY:
            _last_wake_warning = time.monotonic()
            logger.warning(
                "Could not wake the worker (%s); waiting jobs run with the next sweep", error
            )


def claim(job_ids=None, *, limit: int = BATCH) -> list[Job]:
    """Lease up to `limit` due jobs (of `job_ids`, if given) to this worker and return them.

    Each lease is a conditional UPDATE of one row, so of two workers that see the same job
    only one takes it, on PostgreSQL and SQLite alike.
    """
    now = timezone.now()
    due = Job.objects.due(now)
    if job_ids is not None:
        due = due.filter(pk__in=job_ids)
    candidates = list(due.order_by("run_after", "pk").values_list("pk", flat=True)[:limit])
    leased = [
        pk
        for pk in candidates
        if Job.objects.due(now)
        .filter(pk=pk)
        .update(locked_until=now + LEASE, attempts=F("attempts") + 1)
    ]
    return list(Job.objects.filter(pk__in=leased).order_by("run_after", "pk"))


def run(job: Job) -> bool:
    """Run one leased job and record how it went; True when it is done."""
    registered = HANDLERS.get(job.name)
    try:
        if registered is None:
            raise LookupError(f"No job handler called {job.name!r} is registered.")
        registered.run(**job.payload)
    except Exception as error:
        _record_failure(job, registered or UNKNOWN, error)
        return False
    # Straight after the work, so that a mail handed to the mail server is not sent twice.
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, finished_at=timezone.now(), locked_until=None, last_error=""
    )
    return True


def _record_failure(job: Job, policy: Handler, error: Exception) -> None:
    now = timezone.now()
    reason = f"{type(error).__name__}: {error}"[:2000]
    if job.attempts >= policy.attempts:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, finished_at=now, locked_until=None, last_error=reason
        )
        logger.error(
            "Job %s failed for good after %d attempts: %s",
            job,
            job.attempts,
            reason,
            exc_info=not isinstance(error, OSError),
        )
        return
    delay = policy.delay_after(job.attempts)
    Job.objects.filter(pk=job.pk).update(
        run_after=now + delay, locked_until=None, last_error=reason
    )
    logger.warning(
        "Job %s failed (%s); trying again in %d s, %d attempts left",
        job,
        reason,
        delay.total_seconds(),
        policy.attempts - job.attempts,
    )


def run_due(*, limit: int = BATCH) -> int:
    """Run every job that is due, batch by batch; returns how many were done."""
    done = 0
    while batch := claim(limit=limit):
        done += sum(run(job) for job in batch)
    return done


def oldest_waiting_age(now=None) -> timedelta | None:
    """How long the longest-waiting due job has waited; None when nothing is due."""
    now = now or timezone.now()
    oldest = Job.objects.waiting().filter(run_after__lte=now).aggregate(oldest=Min("run_after"))
    return None if oldest["oldest"] is None else now - oldest["oldest"]


def retry(jobs) -> int:
    """Make failed (or waiting) jobs due now with a fresh set of attempts."""
    return jobs.exclude(state=Job.State.DONE).update(
        state=Job.State.WAITING,
        run_after=timezone.now(),
        attempts=0,
        locked_until=None,
        finished_at=None,
    )


def purge_finished(now=None) -> int:
    now = now or timezone.now()
    done, _ = Job.objects.filter(state=Job.State.DONE, finished_at__lt=now - KEEP_DONE).delete()
    failed, _ = Job.objects.filter(
        state=Job.State.FAILED, finished_at__lt=now - KEEP_FAILED
    ).delete()
    return done + failed


# The worker's side, run by huey. None of them retries itself: the job table does.


@db_task()
def run_jobs(job_ids: list[int]) -> None:
    """The wake-up: run these jobs if they are still due (the sweep may have been quicker)."""
    for job in claim(job_ids):
        run(job)


@db_periodic_task(crontab())
def run_due_jobs() -> None:
    """Every minute: whatever is due, left over from a lost wake-up, a dead worker or a retry.

    It also leaves the time of the sweep in the cache, the worker's heartbeat for /healthz.
    """
    cache.set(SWEEP_HEARTBEAT_KEY, time.time(), timeout=None)
    done = run_due()
    if done:
        logger.info("Sweep: %d jobs done", done)


@db_periodic_task(crontab(minute="40", hour="2"))
def purge_finished_jobs() -> None:
    logger.info("Finished jobs removed: %d", purge_finished())

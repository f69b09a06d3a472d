"""The ground floor's one table: the work an action leaves behind for the worker."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(state=Job.State.WAITING)

    def due(self, now=None):
        """Waiting, due, and held by no worker (or by one whose lease ran out)."""
        now = now or timezone.now()
        return self.waiting().filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now), run_after__lte=now
        )


class Job(models.Model):
    """A mail to send, photo sizes to make: what an action must cause later.

    It is written in the same database transaction as the action (core.jobs.enqueue), so it
    exists exactly when the action committed, whatever happens to the queue or the worker
    afterwards. A worker leases it before running it; a worker that dies mid-run leaves the
    lease to run out, and the next run takes the job again. Done and failed jobs stay a
    while for the operator to see, and are then removed (core.jobs.purge_finished).
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(_("job"), max_length=100)
    payload = models.JSONField(_("data"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.WAITING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    run_after = models.DateTimeField(_("due"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    locked_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            # The worker's question, "what is due?", reads only waiting jobs.
            models.Index(
                fields=["run_after"], condition=Q(state="waiting"), name="core_job_waiting"
            ),
            models.Index(fields=["state", "finished_at"], name="core_job_finished"),
        ]

    def __str__(self):
        return f"{self.name} #{self.pk}"

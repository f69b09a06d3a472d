from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import jobs
from .backoffice import OperatorOnly, ReadOnly
from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnly, OperatorOnly, admin.ModelAdmin):
    """The operator's view of the background work: what waits, what failed and why.

    A failed job (a mail the server refused for two hours) can be started again here."""

    list_display = ["__str__", "state", "summary", "created_at", "run_after", "attempts"]
    list_filter = ["state", "name"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = [
        "name",
        "state",
        "created_at",
        "run_after",
        "attempts",
        "locked_until",
        "finished_at",
        "last_error",
        "payload",
    ]

    @admin.display(description=_("summary"))
    def summary(self, job):
        """A mail's subject and recipient count; other jobs name what they work on."""
        payload = job.payload
        if "subject" in payload:
            count = len(payload.get("to", [])) + len(payload.get("bcc", []))
            return ngettext(
                "%(subject)s (to %(count)d recipient)",
                "%(subject)s (to %(count)d recipients)",
                count,
            ) % {"subject": payload["subject"], "count": count}
        return ", ".join(f"{key}={value}" for key, value in payload.items())

    @admin.action(description=_("Run the selected jobs again now"))
    def retry(self, request, queryset):
        job_ids = list(queryset.values_list("pk", flat=True))
        count = jobs.retry(queryset)
        transaction.on_commit(lambda: jobs.wake(job_ids))
        self.message_user(
            request,
            ngettext("%(count)d job will run again.", "%(count)d jobs will run again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

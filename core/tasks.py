"""Background tasks of the ground floor: nightly housekeeping, and the worker's side of the
job table (core.jobs, imported here so that the worker finds its tasks).

Tasks run in the worker (`manage.py run_huey`), which imports every installed app's
`tasks.py`; with TASKS_URL=immediate:// (development, tests) they run at once in the
process that queues them. Arguments travel through the queue, so they must be plain,
picklable values (strings, numbers, lists, primary keys), not model instances or lazy
translations. Work that must not be lost is a job (core.jobs), not a bare task.
"""

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import jobs  # noqa: F401  (the job table's tasks: wake-up, sweep, purge)
from .mail import queue_mail

# Huey knows a task as "<module>.<function>" and finds queued and retrying tasks by that string.
# These tasks lived in starkeregion/tasks.py and keep that module in their names, so that what
# waits in a queue from before a move still runs. (`name=` replaces only the function part;
# huey's decorators pass further arguments, `__module__` too, on to the task class.)
TASK_NAME_MODULE = "starkeregion.tasks"


@db_task(__module__=TASK_NAME_MODULE)
def send_mail_task(
    subject: str,
    message: str,
    recipient_list: list[str],
    *,
    html_message: str | None = None,
    reply_to: list[str] | None = None,
    from_email: str | None = None,
) -> None:
    """Mails queued by a release before the job table: they move into it and go out from there.

    Remove it once no queue holds such a task any more (a release after the job table's).
    """
    mail = EmailMultiAlternatives(
        subject, message, from_email, recipient_list, reply_to=reply_to or None
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    queue_mail(mail)


# Crontabs are in UTC: 02:30 UTC is 03:30 or 04:30 in Germany, when hardly anyone signs in.
@db_periodic_task(crontab(minute="30", hour="2"), __module__=TASK_NAME_MODULE)
def clear_expired_sessions() -> None:
    """Delete expired sessions, which Django never removes on its own."""
    call_command("clearsessions")

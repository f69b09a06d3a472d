"""Background tasks of the ground floor: mail delivery and nightly housekeeping.

Tasks run in the worker (`manage.py run_huey`), which imports every installed app's
`tasks.py`; with TASKS_URL=immediate:// (development, tests) they run at once in the
process that queues them. Arguments travel through the queue, so they must be plain,
picklable values (strings, numbers, lists, primary keys), not model instances or lazy
translations.
"""

import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

logger = logging.getLogger(__name__)

# A mail server that is down for a while must not cost anyone their mail: six more attempts,
# 2, 4, 8, 16, 32 and 64 minutes apart, cover an outage of about two hours.
MAIL_RETRIES = 6
MAIL_RETRY_DELAY = 2 * 60
MAIL_RETRY_BACKOFF = 2

# Huey knows a task as "<module>.<function>" and finds queued and retrying tasks by that string.
# These tasks lived in starkeregion/tasks.py and keep that module in their names, so that what
# waits in a queue from before the move still runs. (`name=` replaces only the function part;
# huey's decorators pass further arguments, `__module__` too, on to the task class.)
TASK_NAME_MODULE = "starkeregion.tasks"


@db_task(
    retries=MAIL_RETRIES,
    retry_delay=MAIL_RETRY_DELAY,
    retry_backoff=MAIL_RETRY_BACKOFF,
    context=True,
    __module__=TASK_NAME_MODULE,
)
def send_mail_task(
    subject: str,
    message: str,
    recipient_list: list[str],
    *,
    html_message: str | None = None,
    reply_to: list[str] | None = None,
    from_email: str | None = None,
    task=None,
) -> None:
    """Send one mail; a failing mail server raises, so that huey tries again later."""
    mail = EmailMultiAlternatives(
        subject, message, from_email, recipient_list, reply_to=reply_to or None
    )
    if html_message:
        mail.attach_alternative(html_message, "text/html")
    try:
        mail.send()
    except (smtplib.SMTPException, OSError) as error:
        if task is not None and task.retries:
            logger.warning(
                "Could not send mail %r to %d recipients (%s); trying again in %d s, "
                "%d attempts left",
                subject,
                len(recipient_list),
                error,
                task.retry_delay,
                task.retries,
            )
        else:
            logger.error(
                "Could not send mail %r to %d recipients (%s); giving up",
                subject,
                len(recipient_list),
                error,
            )
        raise


# Crontabs are in UTC: 02:30 UTC is 03:30 or 04:30 in Germany, when hardly anyone signs in.
@db_periodic_task(crontab(minute="30", hour="2"), __module__=TASK_NAME_MODULE)
def clear_expired_sessions() -> None:
    """Delete expired sessions, which Django never removes on its own."""
    call_command("clearsessions")

"""Sending mail without letting a broken mail server break a request.

Mails go out from the background worker (core.tasks.send_mail_task), which tries
again for about two hours while the mail server is down. The user's action stands either
way: what they saved is saved.
"""

import logging

from core.tasks import send_mail_task

logger = logging.getLogger(__name__)


def send_mail_logged(
    subject,
    message,
    recipient_list,
    *,
    html_message=None,
    reply_to=None,
    from_email=None,
) -> bool:
    """Queue one mail for the worker; never raises, returns whether it was queued.

    Subject and bodies are rendered to plain strings here, in the language of the request,
    not later in the worker. Call it inside `transaction.on_commit`, so that no mail tells
    of something a rollback undid. Delivery failures are logged and retried by the task;
    with TASKS_URL=immediate:// the mail is sent right here and a failed attempt is only
    logged (its retry stays in memory, no worker runs it).
    """
    recipients = [str(address) for address in recipient_list]
    try:
        send_mail_task(
            str(subject),
            str(message),
            recipients,
            html_message=None if html_message is None else str(html_message),
            reply_to=list(reply_to) if reply_to else None,
            from_email=from_email,
        )
    except Exception:
        # An unreachable queue (Redis or database away) must not turn a saved form into an
        # error page either; the log tells the operator which mail was lost.
        logger.exception("Could not queue mail %r to %d recipients", str(subject), len(recipients))
        return False
    return True

"""Sending mail without letting a broken mail server break a request.

Mails go out from the background worker (core.tasks.send_mail_task), which tries
again for about two hours while the mail server is down. The user's action stands either
way: what they saved is saved.
"""

import logging

from django.db import transaction
from django.template.loader import render_to_string

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


def subject_prefix(region=None) -> str:
    """What every subject starts with: the platform and, where there is one, the region."""
    return f"[starkeRegion {region.name}]" if region else "[starkeRegion]"


def send_mail_on_commit(region, template, context, recipients, *, subject_template=None):
    """Render the mail `template` (a .txt file) and its subject, and queue it after commit.

    The subject comes from `subject_template`, by default the template's name with
    `_subject` before `.txt`; it is put on one line (a line break in a header would make
    Django refuse the whole mail) and starts with the region's prefix. Both are rendered now,
    in the active language (the request's, German in the worker): people choose no language
    of their own. `region` is any object with a `name` and is in the context as `region`;
    links in the context come from the region (`region.reverse`), not from a request.
    Nothing is queued for nobody.
    """
    recipients = list(recipients)
    if not recipients:
        return
    context = {"region": region, **context}
    if subject_template is None:
        subject_template = template.removesuffix(".txt") + "_subject.txt"
    subject = " ".join(render_to_string(subject_template, context).split())
    subject = f"{subject_prefix(region)} {subject}"
    message = render_to_string(template, context)
    transaction.on_commit(
        lambda: send_mail_logged(subject=subject, message=message, recipient_list=recipients)
    )

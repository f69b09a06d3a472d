"""Mail that is never lost: recorded with the action that causes it, sent by the worker.

`queue_mail` turns a rendered message into a `mail` job (core.jobs) in the caller's
transaction: no mail tells of something a rollback undid, and a mail server or queue that is
down delays a mail but never loses it or fails the user's action. The worker sends it and
tries again for about two hours; after that it waits, failed, for an operator in the back
office. Subjects and bodies are rendered when the mail is queued, never later in the worker,
each in the language its recipients chose (`recipient_languages`).
"""

import contextlib
import contextvars
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from . import jobs
from .hooks import Hook

MAIL_JOB = "mail"
# Seven tries, 2, 4, 8, 16, 32 and 64 minutes apart: a mail server may be away two hours.
MAIL_ATTEMPTS = 7
MAIL_RETRY_DELAY = timedelta(minutes=2)

# Who reads which language: each contributor gets a list of email addresses and returns a
# dict {address: language code} of those it knows (accounts: the users' chosen language).
recipient_languages = Hook("recipient_languages", "(addresses) → {address: language code}")


def queue_mail(message: EmailMessage):
    """Record `message` for delivery once the current transaction commits; returns the job.

    The message gets its Message-ID now, so that if a worker dies after the mail server took
    the mail but before it was marked sent, the copy sent again is recognisably the same mail.
    Attachments are not supported: jobs carry plain values.
    """
    if message.attachments:
        raise ValueError("Queued mails cannot carry attachments.")
    domain = parseaddr(message.from_email)[1].rpartition("@")[2] or "starkeregion.digital"
    headers = {"Message-ID": make_msgid(domain=domain), **message.extra_headers}
    return jobs.enqueue(
        MAIL_JOB,
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email,
        to=[str(address) for address in message.to],
        cc=[str(address) for address in message.cc],
        bcc=[str(address) for address in message.bcc],
        reply_to=[str(address) for address in message.reply_to],
        headers={str(key): str(value) for key, value in headers.items()},
        alternatives=[
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        content_subtype=message.content_subtype,
    )


@jobs.handler(MAIL_JOB, attempts=MAIL_ATTEMPTS, delay=MAIL_RETRY_DELAY)
def deliver(*, alternatives, content_subtype, **fields) -> None:
    """Hand one queued mail to the mail server; raises when it is not taken, to try again."""
    message = EmailMultiAlternatives(connection=get_connection(fail_silently=False), **fields)
    message.content_subtype = content_subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    message.send()


def subject_prefix(region=None) -> str:
    """What every subject starts with: the platform and, where there is one, the region."""
    return f"[starkeRegion {region.name}]" if region else "[starkeRegion]"


def languages_of(addresses) -> dict[str, list[str]]:
    """The addresses grouped by the language their people chose, in the order given; an
    address nobody knows (an invitation to someone without an account) gets the active
    language, the language of the request that causes the mail."""
    known = {}
    for languages in recipient_languages.results(list(addresses)):
        known.update({address.lower(): code for address, code in languages.items()})
    available = {code for code, _name in settings.LANGUAGES}
    fallback = translation.get_language() or settings.LANGUAGE_CODE
    groups = {}
    for address in addresses:
        language = known.get(address.lower())
        groups.setdefault(language if language in available else fallback, []).append(address)
    return groups


def send_mail_on_commit(
    region, template, context, recipients, *, subject_template=None, headers=None
):
    """Render the mail `template` (a .txt file) and its subject, and queue it (see above).

    The subject comes from `subject_template`, by default the template's name with
    `_subject` before `.txt`; it is put on one line (a line break in a header would make
    Django refuse the whole mail) and starts with the region's prefix. Both are rendered now,
    once per language the recipients chose (`languages_of`), each language's recipients
    getting one mail. `region` is any object with a `name` and is in the context as
    `region`; links in the context come from the region (`region.reverse`), not from a
    request. `headers` are added to each mail (List-Unsubscribe). Nothing is queued for
    nobody.
    """
    recipients = list(recipients)
    if not recipients:
        return
    context = {"region": region, **context}
    if subject_template is None:
        subject_template = template.removesuffix(".txt") + "_subject.txt"
    for language, addresses in languages_of(recipients).items():
        with translation.override(language):
            subject = " ".join(render_to_string(subject_template, context).split())
            subject = f"{subject_prefix(region)} {subject}"
            message = render_to_string(template, context)
        queue_mail(
            EmailMultiAlternatives(subject, message, to=addresses, headers=dict(headers or {}))
        )


class Silencer:
    """A switch that keeps one kind of mail unsent within a `with` block, such as the
    notifications of what the demo data plays through the services: it is history, and
    nobody is waiting for it. `with silencer():` switches off; `silencer.on` asks."""

    def __init__(self, name: str):
        self._silenced = contextvars.ContextVar(f"{name}_silenced", default=False)

    @contextlib.contextmanager
    def __call__(self):
        token = self._silenced.set(True)
        try:
            yield
        finally:
            self._silenced.reset(token)

    @property
    def on(self) -> bool:
        return self._silenced.get()

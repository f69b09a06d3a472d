"""Sending mail without letting a broken mail server break a request.

Until the background task queue arrives (with retries), a failed delivery is
logged for the operator and the user's action stands: what they saved is saved.
"""

import logging
import smtplib

from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send_mail_logged(subject, message, recipient_list, **kwargs) -> bool:
    """send_mail that logs instead of raising when the mail server fails."""
    try:
        send_mail(subject, message, None, recipient_list, **kwargs)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send mail %r to %d recipients", subject, len(recipient_list))
        return False
    return True

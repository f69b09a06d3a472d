"""Background work of moderation: the morning mail to staff of what waits for them."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import queue_mail

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="45", hour="4"))  # 04:45 UTC: before the working day
def mail_staff_queues() -> None:
    """Each staff member hears what waits for them in the back office, if anything does."""
    logger.info("Queue mails to staff: %d", queue_mail.send_queue_mails())

"""Background work of organisations: the daily reminder that a proof of status lapses."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="10", hour="6"))  # 06:10 UTC, every morning
def remind_of_lapsing_proofs() -> None:
    """Managers of eligible organisations hear a month before their proof lapses."""
    logger.info("Proof reminders sent: %d", services.send_proof_reminders())

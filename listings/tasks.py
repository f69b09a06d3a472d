"""Background work of listings: photo sizes after upload, and the nightly expiry run."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import photos, services
from .models import ListingPhoto

logger = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=60)
def make_photo_sizes(photo_id: int) -> None:
    photo = ListingPhoto.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted before the task ran
        return
    photos.make_sizes(photo)


@db_periodic_task(crontab(minute="17"))
def expire_and_remind() -> None:
    """Hourly: listings past their date end; those a week before it get a reminder."""
    expired = services.expire_listings()
    reminded = services.send_expiry_reminders()
    logger.info("Listings expired: %d, reminders sent: %d", expired, reminded)

"""Background work of listings: photo sizes after upload, and the nightly expiry run."""

import logging
from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from core import jobs

from . import expiry, photos
from .models import ListingPhoto

logger = logging.getLogger(__name__)

PHOTO_SIZES_JOB = "listings.photo_sizes"


def queue_photo_sizes(photo) -> None:
    """Have the worker make a new photo's sizes, once the upload's transaction commits."""
    jobs.enqueue(PHOTO_SIZES_JOB, photo_id=photo.pk)


@jobs.handler(PHOTO_SIZES_JOB, attempts=4, delay=timedelta(minutes=1))
def photo_sizes(photo_id: int) -> None:
    photo = ListingPhoto.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted before the job ran
        return
    photos.make_sizes(photo)


@db_task()
def make_photo_sizes(photo_id: int) -> None:
    """Uploads queued by a release before the job table move into it.

    Remove it once no queue holds such a task any more (a release after the job table's).
    """
    jobs.enqueue(PHOTO_SIZES_JOB, photo_id=photo_id)


@db_periodic_task(crontab(minute="17"))
def expire_and_remind() -> None:
    """Hourly: listings past their date end; those a week before it get a reminder."""
    expired = expiry.expire_listings()
    reminded = expiry.send_expiry_reminders()
    logger.info("Listings expired: %d, reminders sent: %d", expired, reminded)

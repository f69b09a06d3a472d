"""The alerts' background work: finding the searches a published listing answers (mailing
"immediately" at once), the daily and weekly mails, and the region's news ("Neu in
<Region>") on Mondays and on the 1st of the month. Times are UTC: 05:00 UTC is
06:00 or 07:00 in Germany."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core import jobs

from . import digest, services
from .models import DigestFrequency, Frequency


@jobs.handler("alerts.find_searches")
def find_searches(listing_id: int) -> None:
    services.find_searches_for(listing_id)


@jobs.handler("alerts.send_summary")
def send_summary(saved_search_id: int) -> None:
    services.send_summary(saved_search_id)


@db_periodic_task(crontab(minute="0", hour="5"))
def daily_summaries() -> None:
    services.queue_summaries(Frequency.DAILY)


@db_periodic_task(crontab(minute="0", hour="5", day_of_week="1"))
def weekly_summaries() -> None:
    services.queue_summaries(Frequency.WEEKLY)


@jobs.handler("alerts.send_digest")
def send_digest(subscription_id: int) -> None:
    digest.send_digest(subscription_id)


@db_periodic_task(crontab(minute="30", hour="5", day_of_week="1"))
def weekly_digests() -> None:
    digest.queue_digests(DigestFrequency.WEEKLY)


@db_periodic_task(crontab(minute="30", hour="5", day="1"))
def monthly_digests() -> None:
    digest.queue_digests(DigestFrequency.MONTHLY)

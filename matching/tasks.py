"""The matching job (core.jobs): see matching.services.match_listing."""

from datetime import timedelta

from core import jobs

from . import services

MATCH_LISTING = "matching.match_listing"


@jobs.handler(MATCH_LISTING, attempts=5, delay=timedelta(minutes=1))
def match_listing(listing_id: int) -> None:
    services.match_listing(listing_id)

"""The watch list's jobs (core.jobs): see watchlist.services."""

from datetime import timedelta

from core import jobs

from . import services

TELL_WATCHERS = "watchlist.tell_watchers"
TELL_FOLLOWERS = "watchlist.tell_followers"


@jobs.handler(TELL_WATCHERS, attempts=5, delay=timedelta(minutes=1))
def tell_watchers(listing_id: int, kind: str, occasion: str) -> None:
    services.tell_watchers(listing_id, kind, occasion)


@jobs.handler(TELL_FOLLOWERS, attempts=5, delay=timedelta(minutes=1))
def tell_followers(listing_id: int) -> None:
    services.tell_followers(listing_id)

"""Watching listings and following organisations, and telling people what happened.

What a person saves is changed here only. The notices run as background jobs
(watchlist.tasks), queued by watchlist.receivers in the transaction of the step they tell
of; each writes a Notice per person in the same transaction as that person's mail, so a
job that runs again (a retry, a worker that died after the commit) tells nobody twice.
Each job looks at the listing again before it tells: a listing removed by the staff
before the job ran is announced to nobody, a reservation given back meanwhile neither.
"""

from django.db import transaction

from core.mail import send_mail_on_commit
from listings.models import Listing, Status
from organisations.models import Membership

from .models import Follow, Notice, Watch

NEW = "new"
CLOSED = "closed"
EXPIRING = "expiring"
RESERVED = "reserved"


# What a person saves ---------------------------------------------------------------------------


def watch(user, listing) -> Watch:
    return Watch.objects.get_or_create(user=user, listing=listing)[0]


def unwatch(user, listing) -> None:
    Watch.objects.filter(user=user, listing=listing).delete()


def follow(user, organisation) -> Follow:
    return Follow.objects.get_or_create(user=user, organisation=organisation)[0]


def unfollow(user, organisation) -> None:
    Follow.objects.filter(user=user, organisation=organisation).delete()


def watched_ids(user, region) -> frozenset[int]:
    """The listings of `region` on the person's watch list, in one query."""
    return frozenset(
        Watch.objects.in_region(region).of_user(user).values_list("listing_id", flat=True)
    )


def is_following(user, organisation) -> bool:
    return Follow.objects.filter(user=user, organisation=organisation).exists()


# Telling them ---------------------------------------------------------------------------------


def occasion_of(kind: str, listing, event: str = "") -> str:
    """The name of a happening, the same each time a job about it runs."""
    if kind == EXPIRING:
        return f"{EXPIRING}:{listing.expires_at.isoformat()}"
    if kind == RESERVED:
        return f"{RESERVED}:{event}"
    return kind


def _still_true(listing, kind, occasion) -> bool:
    if kind == CLOSED:
        return listing.status == Status.CLOSED
    if kind == RESERVED:
        return listing.status == Status.PUBLISHED and listing.is_reserved
    if kind == EXPIRING:
        return listing.status == Status.PUBLISHED and occasion == occasion_of(EXPIRING, listing)
    if kind == NEW:
        return listing.status == Status.PUBLISHED
    raise ValueError(kind)


def _told_already(listing, occasion):
    return Notice.objects.filter(listing=listing, occasion=occasion).values("user_id")


def _members_of(organisation_id):
    return Membership.objects.filter(organisation_id=organisation_id).values("user_id")


@transaction.atomic
def tell_watchers(listing_id: int, kind: str, occasion: str) -> int:
    """Tells the people watching the listing that it is reserved, closed or about to expire
    (`kind`); returns how many were told."""
    listing = Listing.objects.select_related("region").filter(pk=listing_id).first()
    if listing is None or not _still_true(listing, kind, occasion):
        return 0
    watches = (
        Watch.objects.filter(listing=listing)
        .exclude(user_id__in=_told_already(listing, occasion))
        # Its own people know already.
        .exclude(user_id__in=_members_of(listing.organisation_id))
        .select_related("user")
        .order_by("pk")
    )
    return _tell(listing, kind, occasion, [watch.user for watch in watches])


@transaction.atomic
def tell_followers(listing_id: int) -> int:
    """Tells the people following the listing's organisation that it published it, if it
    is still published; returns how many were told."""
    listing = Listing.objects.select_related("region", "organisation").filter(pk=listing_id).first()
    if listing is None or not _still_true(listing, NEW, NEW):
        return 0
    follows = (
        Follow.objects.filter(organisation_id=listing.organisation_id)
        .exclude(user_id__in=_told_already(listing, NEW))
        .exclude(user_id__in=_members_of(listing.organisation_id))
        .select_related("user")
        .order_by("pk")
    )
    return _tell(listing, NEW, NEW, [follow.user for follow in follows])


def _tell(listing, kind, occasion, users) -> int:
    users = [user for user in users if user.is_active and user.email]
    Notice.objects.bulk_create(
        [Notice(user=user, listing=listing, occasion=occasion) for user in users]
    )
    region = listing.region
    context = {
        "listing": listing,
        "kind": kind,
        "link": region.reverse("listing_detail", pk=listing.pk),
        "watchlist_link": region.reverse("watchlist"),
    }
    for user in users:
        send_mail_on_commit(
            region,
            f"watchlist/email/{kind}.txt",
            context,
            [user.email],
        )
    return len(users)

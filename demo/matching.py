"""The demo's matches and the demo member's watch list: played through the services of
matching and watchlist, as if each listing had been published just now, without mails
(the demo's listings are history; nobody is waiting)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from listings.models import Listing
from matching import services as matching
from matching.models import Match
from organisations.models import Organisation
from watchlist import services as watchlist
from watchlist.models import Follow, Watch

MEMBER = "mitglied@example.org"
WATCHED = 5
FOLLOWED = 2


@transaction.atomic
def load(region) -> int:
    """Records the pairs of the region's published listings, unless it has some; returns
    how many."""
    if Match.objects.in_region(region).exists():
        return 0
    published = Listing.objects.in_region(region).published().order_by("published_at", "pk")
    return sum(
        len(matching.match_listing(pk, tell=False)) for pk in published.values_list("pk", flat=True)
    )


@transaction.atomic
def load_watch_list(region) -> int:
    """A few listings of other organisations on the demo member's watch list, and two
    organisations they follow, unless they watch or follow something in the region."""
    member = get_user_model().objects.filter(email=MEMBER).first()
    if member is None:
        return 0
    if (
        Watch.objects.in_region(region).of_user(member).exists()
        or Follow.objects.in_region(region).of_user(member).exists()
    ):
        return 0
    theirs = Organisation.objects.in_region(region).exclude(memberships__user=member)
    listings = (
        Listing.objects.in_region(region)
        .published()
        .filter(organisation__in=theirs)
        .order_by("-published_at", "pk")
    )
    # Offers and requests of several organisations, the newest of each direction first.
    chosen = list(listings.filter(direction="offer")[: WATCHED - 2]) + list(
        listings.filter(direction="request")[:2]
    )
    for listing in chosen:
        watchlist.watch(member, listing)
    for organisation in theirs.filter(listings__in=chosen).distinct().order_by("name")[:FOLLOWED]:
        watchlist.follow(member, organisation)
    return len(chosen)

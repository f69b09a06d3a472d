"""What the watch list adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (watchlist.apps)."""

from accounts.hooks import personal_data_export
from listings.hooks import listing_card, listing_page
from organisations.hooks import organisation_profile

from . import services
from .models import Follow, Watch


def _watched(request) -> frozenset[int]:
    """The ids of the region's listings the person watches, read once per request (a
    listing page asks for its own star and for its cards')."""
    if not hasattr(request, "_watched_listing_ids"):
        request._watched_listing_ids = services.watched_ids(request.user, request.region)
    return request._watched_listing_ids


@listing_card.register
def star_on_cards(request) -> dict:
    """The star on each card, for people logged in; one query for the whole page."""
    if not request.user.is_authenticated or getattr(request, "region", None) is None:
        return {}
    return {
        "watched_ids": _watched(request),
        "card_parts": ["watchlist/_star.html"],
    }


@listing_page.register
def star_on_listing(request, listing, is_member) -> dict:
    """The star below the listing's title (for visitors: the way to log in for it); only
    published listings are watched."""
    if not listing.is_published:
        return {}
    watched = request.user.is_authenticated and listing.pk in _watched(request)
    return {"is_watched": watched, "header_parts": ["watchlist/_listing_star.html"]}


@organisation_profile.register
def follow_button(request, organisation) -> dict:
    following = request.user.is_authenticated and services.is_following(request.user, organisation)
    return {"is_following": following, "summary_parts": ["watchlist/_follow.html"]}


@personal_data_export.register
def watch_list_and_follows(user) -> dict:
    # Both go with the account (their foreign keys to the user cascade).
    return {
        "watch_list": [
            {
                "listing": watch.listing.title,
                "region": watch.listing.region.name,
                "since": watch.created_at.isoformat(),
            }
            for watch in Watch.objects.of_user(user)
            .select_related("listing__region")
            .order_by("created_at", "pk")
        ],
        "followed_organisations": [
            {
                "organisation": follow.organisation.name,
                "region": follow.organisation.region.name,
                "since": follow.created_at.isoformat(),
            }
            for follow in Follow.objects.of_user(user)
            .select_related("organisation__region")
            .order_by("created_at", "pk")
        ],
    }

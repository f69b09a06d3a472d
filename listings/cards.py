"""Listing cards as the search renders them, and the parts higher apps add to every card
(listings.hooks.listing_card), such as the watch list's star.

The hook is asked once per request, whatever the number of cards. Cards rendered for
everyone and cached (listings.browse) must not hold one person's parts, nor their CSRF
token, nor what only one search knows (the place searched around and the distance from
it): they are rendered with `defer_card_parts`, which leaves markers in each card.
`result_cards` fills in a search's place and distances; `fill_card_parts` puts the
request's parts in place when the page is shown. A listing's own text is escaped in a
card, so it cannot forge a marker.
"""

import re
from urllib.parse import quote

from django.core.cache import cache
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.cache import writes_many_at_once

from .hooks import listing_card
from .models import Listing

MARKER = "<!--listing-card-parts:{pk}-->"
_MARKER = re.compile(r"<!--listing-card-parts:(\d+)-->")
# Where a search's place and distance go in a card for everyone (constants: safe).
NEAR_MARKER = mark_safe("<!--listing-card-near-->")
DISTANCE_MARKER = mark_safe("<!--listing-card-distance-->")
CARD_CACHED_FOR = 15 * 60  # seconds; the key's listings generation ends it sooner


def result_cards(rows, key_prefix: str, near: str) -> list[SafeString]:
    """The cards of a page of results, in order: `rows` are (pk, distance in km or None).

    Each listing's card is rendered once for everyone and kept under `key_prefix` (which
    must change whenever a card could: the region's listings generation, the catalogue's
    version, the language), so a search renders, and reads from the database, only the
    cards no earlier search showed: with a cache that keeps them all in one round trip
    (core.cache.writes_many_at_once). Listings gone since the rows were read are left out.
    """
    keys = {pk: f"{key_prefix}:{pk}" for pk, _distance in rows}
    kept = writes_many_at_once()
    cards = cache.get_many(keys.values()) if kept else {}
    missing = [pk for pk, key in keys.items() if key not in cards]
    if missing:
        fresh = {
            keys[listing.pk]: render_to_string(
                "listings/_card.html", {"listing": listing, "defer_card_parts": True}
            )
            for listing in Listing.objects.filter(pk__in=missing).card_columns_only()
        }
        if kept:
            cache.set_many(fresh, CARD_CACHED_FOR)
        cards.update(fresh)
    place = near_query(near)
    return [
        mark_safe(  # noqa: S308  (our rendered card; what is filled in is escaped)
            cards[keys[pk]]
            .replace(NEAR_MARKER, place, 1)
            .replace(DISTANCE_MARKER, distance_text(distance), 1)
        )
        for pk, distance in rows
        if keys[pk] in cards
    ]


def near_query(near) -> str:
    """The query that tells a listing page the place searched around, to show the distance."""
    return escape(f"?near={quote(near, safe='/')}") if near else ""


def distance_text(km) -> str:
    """A card's distance from the place searched around, after its place name."""
    if km is None:
        return ""
    if km < 1:
        return format_html(" · {}", gettext("less than 1 km away"))
    return format_html(" · {}", gettext("%(km)s km away") % {"km": floatformat(km, 0)})


class CardListing:
    """What a deferred card's parts know of its listing: the primary key."""

    def __init__(self, pk: int):
        self.pk = self.id = pk


def card_context(request) -> dict:
    """The contributors' context for this request's cards, asked once per request."""
    if request is None:
        return {"card_parts": []}
    context = getattr(request, "_listing_card_context", None)
    if context is None:
        context = request._listing_card_context = listing_card.merged(request)
    return context


def render_card_parts(request, listing) -> str:
    context = card_context(request)
    if not context["card_parts"]:
        return ""
    context = {**context, "listing": listing}
    return mark_safe(  # noqa: S308  (rendered templates, escaped as usual)
        "".join(render_to_string(part, context, request=request) for part in context["card_parts"])
    )


def deferred_marker(listing) -> str:
    return mark_safe(MARKER.format(pk=int(listing.pk)))  # noqa: S308  (a number)


def fill_card_parts(request, html) -> SafeString:
    """Cached cards with the request's parts in the place of their markers."""
    if not html:
        return html
    filled = _MARKER.sub(lambda match: render_card_parts(request, CardListing(int(match[1]))), html)
    return mark_safe(filled)  # noqa: S308  (cached HTML we rendered, and our parts)

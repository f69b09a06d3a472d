"""The parts higher apps add to every listing card (listings.hooks.listing_card), such as
the watch list's star.

The hook is asked once per request, whatever the number of cards. Cards rendered for
everyone and cached (a page of search results, listings.browse) must not hold one
person's parts, nor their CSRF token: they are rendered with `defer_card_parts`, which
leaves a marker in each card, and `fill_card_parts` puts the request's parts in its place
when the page is shown. A listing's own text is escaped in a card, so it cannot forge a
marker.
"""

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .hooks import listing_card

MARKER = "<!--listing-card-parts:{pk}-->"
_MARKER = re.compile(r"<!--listing-card-parts:(\d+)-->")


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

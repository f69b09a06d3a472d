"""What a listing card shows in place of a photo (a drawing of its category's group), and
the parts of a card that one search or one person adds to it (listings.cards)."""

from django import template
from django.templatetags.static import static

from listings import cards

register = template.Library()

# The groups seeded by migration 0003, each with its drawing in static/img/categories/;
# groups the operator adds later get the general one.
ILLUSTRATED_GROUPS = frozenset(
    {
        "maschinen-ausstattung",
        "fahrzeuge-transport",
        "raeume-flaechen",
        "personal-know-how",
        "kooperation-investition",
        "spenden-verschenken",
    }
)
GENERAL = "allgemein"


@register.simple_tag
def category_illustration(category) -> str:
    """The address of the drawing for `category` (reads `category.parent`, which the cards'
    queryset selects along)."""
    group = category.parent if category.parent_id else category
    name = group.slug if group.slug in ILLUSTRATED_GROUPS else GENERAL
    return static(f"img/categories/{name}.svg")


@register.simple_tag(takes_context=True)
def listing_card_parts(context, listing) -> str:
    """What the apps above add to this card (listings.cards): rendered for the request, or
    a marker filled in per request where the card is cached for everyone."""
    if context.get("defer_card_parts"):
        return cards.deferred_marker(listing)
    return cards.render_card_parts(context.get("request"), listing)


@register.simple_tag(takes_context=True)
def listing_card_near(context) -> str:
    """The place searched around, for the card's link: or a marker, in a card for everyone."""
    if context.get("defer_card_parts"):
        return cards.NEAR_MARKER
    return cards.near_query(context.get("near"))


@register.simple_tag(takes_context=True)
def listing_card_distance(context, listing) -> str:
    """The distance from the place searched around: or a marker, in a card for everyone."""
    if context.get("defer_card_parts"):
        return cards.DISTANCE_MARKER
    return cards.distance_text(getattr(listing, "distance_km", None))

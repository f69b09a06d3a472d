"""The listing page: everything a visitor needs to decide whether to get in touch.

Who sees what is decided in listings.permissions (published: everyone; otherwise
the organisation's members and the region's staff). Members also get the
listing's status, the moderation reason and their actions; the apps above add their
part through listings.hooks.listing_page (the inquiry panel). The page runs the
same number of queries whatever the number of photos, attributes or similar
listings.
"""

from decimal import Decimal, InvalidOperation

from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.sharing import share_data
from organisations.acting import acting_membership
from regions.places import nearest_distance_km

from . import services
from .actions import buttons_for
from .catalogue import attribute_definitions
from .counting import count_view
from .hooks import listing_page
from .models import AttributeKind, Listing
from .permissions import can_edit, get_listing
from .search import find_places, names_one_place, origin_of

SIMILAR_COUNT = 4
MAX_PLACE_LENGTH = 100  # as the search form's place field

TRUE_VALUES = {True, "1", "true", "True", "yes", "on"}  # True == 1 as well


def _number(value) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number, force_grouping=True)


def attribute_rows(listing: Listing):
    """(label, value) of each detail the listing's category defines and the listing has,
    in the category's order; numbers with their unit, yes/no in words, several choices
    joined by commas."""
    rows = []
    values = listing.attributes if isinstance(listing.attributes, dict) else {}
    for definition in attribute_definitions(listing.category):
        value = values.get(definition.key)
        if value is None or value == "":
            continue
        if definition.kind == AttributeKind.MULTIPLE:
            text = ", ".join(str(item) for item in definition.values_of(value))
            if not text:
                continue
        elif definition.kind == AttributeKind.BOOLEAN:
            text = _("Yes") if value in TRUE_VALUES else _("No")
        elif definition.kind == AttributeKind.NUMBER:
            text = _number(value)
        else:
            text = str(value)
        if definition.unit and definition.kind != AttributeKind.BOOLEAN:
            text = f"{text} {definition.unit}"
        rows.append((definition.label, text))
    return rows


def _viewers_place(request, listing, is_member):
    """Where the viewer is, as far as the page knows, and its name: the places searched
    around (search results link here with them as `near`; all places of a postal code,
    the distance counting from the nearest), else that of the organisation the viewer
    acts for. None for the listing's own members, to whom the distance to their own
    listing means nothing."""
    if is_member:
        return None, None
    searched = request.GET.get("near", "")[:MAX_PLACE_LENGTH]
    places = find_places(listing.region, searched) if searched else []
    if places and names_one_place(places):
        origin = origin_of(places)
        return origin.label, origin.places
    membership = acting_membership(request)
    if membership is None:
        return None, None
    return membership.organisation.name, [membership.organisation.place]


def similar_listings(listing: Listing):
    """The newest other published listings of the same category in the same region."""
    return list(
        Listing.objects.in_region(listing.region_id)
        .published()
        .filter(category_id=listing.category_id)
        .exclude(pk=listing.pk)
        .card_columns_only()
        .order_by("-published_at", "-pk")[:SIMILAR_COUNT]
    )


@require_safe
def detail(request, pk):
    listing = get_listing(request, pk)
    is_member = can_edit(request.user, listing)
    if count_view(request, listing, by_member=is_member):
        listing.view_count += 1  # the visitor's own view is part of the number shown

    photos = list(listing.photos.all())
    origin_name, origins = _viewers_place(request, listing, is_member)
    similar = similar_listings(listing)
    if origins:
        for other in similar:
            other.distance_km = nearest_distance_km(origins, other.place)

    context = {
        "listing": listing,
        "photos": photos,
        "attributes": attribute_rows(listing),
        "similar": similar,
        "is_member": is_member,
        "distance_km": nearest_distance_km(origins, listing.place) if origins else None,
        "distance_from": origin_name,
        **share_data(request, listing, listing.description, photos[0].large_url if photos else ""),
    }
    if not listing.is_published and not is_member:
        # Only the region's staff get this far (listings.permissions.can_view).
        context["backoffice_url"] = reverse("admin:listings_listing_change", args=[listing.pk])
    if is_member:
        context.update(
            buttons=buttons_for(listing, needs_approval=services.needs_approval(listing)),
            can_change=listing.status in services.EDITABLE,
        )
    context.update(listing_page.merged(request, listing, is_member))
    response = render(request, "listings/detail.html", context)
    if not listing.is_published:
        # Drafts and removed listings are for their organisation and staff only.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response

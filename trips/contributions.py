"""What trips adds to the listings' pages, through their hook points (core.hooks);
registered when the app is ready (trips.apps)."""

from django.utils import timezone

from listings.hooks import listing_form, listing_page, search_page
from listings.models import Direction

from . import finding
from .forms import RouteForm
from .models import TRANSPORT_CATEGORY, Route
from .routes import CORRIDOR_KM

SHOWN_ON_LISTING_PAGE = 6


def _is_offer(request, listing, data) -> bool:
    """Whether the form is about a trip (an offer) or goods to carry (a request): what was
    posted, else the listing's, else what step one chose."""
    chosen = (data or {}).get("direction") or (
        listing.direction if listing else request.GET.get("direction")
    )
    return chosen != Direction.REQUEST


@listing_form.register
def route_form(request, category, listing, data) -> dict:
    """For a transport listing: from where to where, when, and the load."""
    if category is None or category.slug != TRANSPORT_CATEGORY:
        return {}
    route = None
    if listing is not None:
        route = Route.objects.select_related("origin", "destination").filter(listing=listing)
        route = route.first()
    form = RouteForm(
        data, region=request.region, is_offer=_is_offer(request, listing, data), route=route
    )
    return {
        "extra_forms": [form],
        "aside_parts": ["trips/_listing_form_aside.html"],
        "corridor_km": f"{CORRIDOR_KM:.0f}",
    }


@listing_page.register
def route_and_counterparts(request, listing, is_member) -> dict:
    """Beside a transport listing its route; below it the requests along a trip or the
    trips on a request's way (published ones, for everyone)."""
    route = finding.route_of(listing)
    if route is None:
        return {}
    context = {"route": route, "parts": ["trips/_route_panel.html"]}
    if listing.is_published:
        found = finding.counterparts(route, now=timezone.now())
        context["along_route"] = found[:SHOWN_ON_LISTING_PAGE]
        context["along_route_more"] = len(found) > SHOWN_ON_LISTING_PAGE
        context["main_parts"] = ["trips/_along_route.html"]
    return context


@search_page.register
def route_search_link(request, filterset) -> dict:
    """On the search page of the transport category or its group, and on the unfiltered
    one: the way to the route search. No query."""
    chosen = filterset.selected_category
    if chosen is None or TRANSPORT_CATEGORY in {
        chosen.category.slug,
        *(child.slug for child in chosen.children),
    }:
        return {"parts": ["trips/_search_link.html"]}
    return {}

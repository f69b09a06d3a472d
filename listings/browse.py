"""The search page: a region's published listings, filtered by the query string."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from .filtersets import RADIUS_CHOICES, ListingFilter
from .models import Listing
from .search import cached_facet_counts

PAGE_SIZE = 20


def search_filter(request) -> ListingFilter:
    """The search form over the published listings of the request's region."""
    return ListingFilter(
        request.GET,
        queryset=Listing.objects.in_region(request.region).published(),
        region=request.region,
    )


def search(request):
    filterset = search_filter(request)
    results = filterset.qs
    facets, filters_cache_key = cached_facet_counts(
        request.region,
        _search_key(filterset, request.GET),
        results,
        catalogue_version=filterset.catalogue.version,
    )
    filterset.label_counts(facets)
    paginator = Paginator(CardsByPage(results), PAGE_SIZE)
    paginator.count = facets.total  # counted by the facet query already
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "listings/search.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "facets": facets,
            "filters_cache_key": filters_cache_key,
            "feed_query": _without(request.GET, "page", "sort"),
            "wider_radius": _wider_radius(filterset),
        },
    )


class CardsByPage:
    """The results as the paginator slices them: a slice picks the page's listings by their
    ids in a subquery, which sorts the matches without joining anything a card shows, and
    joins those for the page's listings only. A broad text search sorts thousands of
    matches by rank; joining the organisation and category to each of them first took
    longer than the search itself."""

    def __init__(self, results):
        self.results = results

    def __getitem__(self, window):
        on_page = self.results.values("pk")[window]
        return self.results.filter(pk__in=on_page).for_cards()


def _search_key(filterset, query) -> str:
    """What the results depend on, in a fixed order: the known filters only, so unknown
    parameters or another order cannot multiply the cached counts."""
    known = set(filterset.filters) - {"sort"}
    return urlencode(
        sorted((name, value) for name, values in query.lists() if name in known for value in values)
    )


def _without(query, *names):
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _wider_radius(filterset):
    """The next larger distance to suggest when a search around a place finds nothing."""
    if not filterset.origin:
        return None
    return next((km for km, _label in RADIUS_CHOICES if km > filterset.radius_km), None)

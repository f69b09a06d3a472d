"""The search page: a region's published listings, filtered by the query string.

What a search shows changes only when a listing of the region or a category does, so
its three costly parts are cached per search: the counts beside the filters (a pass
over every result), the filter form labelled with them, and each page of cards. Their
keys hold the region's listings generation and the catalogue's version, which
listings.signals and listings.catalogue renew on every change. One round trip to the
cache fetches all three, and the query behind them is only assembled for what is
missing.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language

from .cards import fill_card_parts, result_cards
from .facets import FACET_FIELDS, facet_counts, facets_of
from .filtersets import RADIUS_CHOICES, ListingFilter
from .hooks import search_page
from .models import Listing
from .search import did_you_mean
from .signals import listings_generation

PAGE_SIZE = 20
CACHED_FOR = 15 * 60  # seconds; a change to the region's listings or categories ends it sooner
MAX_PAGE = 10_000


def search_filter(request) -> ListingFilter:
    """The search form over the published listings of the request's region."""
    return ListingFilter(
        request.GET,
        queryset=Listing.objects.in_region(request.region).published(),
        region=request.region,
    )


def search(request):
    filterset = search_filter(request)
    results = SimpleLazyObject(lambda: filterset.qs)
    keys = SearchKeys.of(request, filterset)
    asked_page = _page_number(request.GET.get("page"))
    cached = cache.get_many(
        [keys.counts, keys.filters, keys.cards(filterset.order, asked_page), keys.suggestion]
    )
    fresh = {}

    facets = cached.get(keys.counts)
    matches = None
    if facets is None:
        # The results of a text search are sorted by relevance, which reads every match
        # anyway: in a region of a district's size, the first of them, in order, give the
        # counts and the pages at once. (In a larger one a word matches too many.)
        reads_at_once = filterset.text and filterset.is_small
        matches = first_matches(results) if reads_at_once else None
        if matches is not None and len(matches) <= MATCHES_READ:
            facets = facets_of((*match[1 : 1 + len(FACET_FIELDS)], 1) for match in matches)
        else:
            facets = facet_counts(results)
        fresh[keys.counts] = facets
    paginator = Paginator(CardsByPage(results, matches), PAGE_SIZE)
    paginator.count = facets.total  # counted by the facet query already
    page = paginator.get_page(request.GET.get("page"))

    filters = cached.get(keys.filters)
    if filters is None:
        filterset.label_counts(facets)
        context = {"filter": filterset, "form": filterset.form}
        filters = fresh[keys.filters] = render_to_string("listings/_facets.html", context)
    # A page number past the end shows the last page, which the cache was not asked for.
    cards_key = keys.cards(filterset.order, page.number)
    cards = cached.get(cards_key)
    if cards is None and facets.total:
        # Cards link with the place searched around, so the listing shows its distance.
        near = filterset.origin.label if filterset.origin else ""
        # For everyone: each person's parts (the star) are filled in below.
        context = {"cards": result_cards(page.object_list.rows, keys.card_prefix, near)}
        cards = fresh[cards_key] = render_to_string("listings/_result_cards.html", context)
    suggestion = cached.get(keys.suggestion) if not facets.total and filterset.text else None
    if suggestion is None and not facets.total and filterset.text:
        suggestion = fresh[keys.suggestion] = did_you_mean(request.region, filterset.text)
    if fresh:
        cache.set_many(fresh, CACHED_FOR)

    filterset.offer_sort_choices()
    return render(
        request,
        "listings/search.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "facets": facets,
            "filters": filters,
            "cards": fill_card_parts(request, cards),
            "search_cache_key": keys.search,
            "feed_query": _without(request.GET, "page", "sort"),
            "wider_radius": _wider_radius(filterset),
            "suggestion": suggestion,
            "suggestion_query": _with_text(request.GET, suggestion) if suggestion else "",
            **search_page.merged(request, filterset),
        },
    )


@dataclass(frozen=True)
class SearchKeys:
    """The cache keys of one search's counts, filters and cards, and of each listing's card."""

    scope: str  # region, its listings generation, the catalogue's version
    digest: str  # the query

    @classmethod
    def of(cls, request, filterset):
        region_id = request.region.pk
        digest = hashlib.sha256(_known_filters(filterset, request.GET).encode()).hexdigest()
        generation = listings_generation(region_id)
        return cls(f"{region_id}:{generation}:{filterset.catalogue.version}", digest)

    @property
    def search(self):
        return f"listings:search:{self.scope}:{self.digest}"

    @property
    def card_prefix(self):
        """Of each listing's card, whatever the search (listings.cards.result_cards)."""
        return f"listings:card:{self.scope}:{get_language()}"

    @property
    def counts(self):
        return f"{self.search}:counts"

    @property
    def filters(self):
        return f"{self.search}:filters:{get_language()}"

    @property
    def suggestion(self):
        """What a search that found nothing suggests instead (see search.did_you_mean)."""
        return f"{self.search}:suggestion"

    def cards(self, order, number):
        return f"{self.search}:cards:{order}:{number}:{get_language()}"


def _page_number(value) -> int:
    """The page most likely shown, to ask the cache for its cards before the paginator
    knows how many pages there are (a wrong guess only misses the cache)."""
    if value and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_PAGE)):
        return max(1, int(value))
    return 1


# A text search reads up to this many matches in one query, for the counts and the page
# (see first_matches); a search that finds more counts them by a query of their own.
MATCHES_READ = 400


def first_matches(results) -> list[tuple]:
    """The first MATCHES_READ + 1 results in order: each (pk, *FACET_FIELDS) and, when
    searching around a place, its distance last."""
    return list(results.values_list("pk", *FACET_FIELDS, *_distance(results))[: MATCHES_READ + 1])


def _distance(results) -> tuple:
    return ("distance_km",) if "distance_km" in results.query.annotations else ()


class CardsByPage:
    """The results as the paginator slices them: each of the page's listings as (pk,
    distance from the place searched around or None), picked from the matches a text
    search read already, or else by one query that sorts the matches without joining
    anything a card shows; listings.cards.result_cards reads what the cards show by their
    ids. A broad text search sorts thousands of matches by rank; joining the organisation
    and category to each of them first took longer than the search itself, and repeating
    the search's conditions around the page's ids cost the planner as much again."""

    def __init__(self, results, matches=None):
        self.results = results
        self.matches = matches  # first_matches, if read

    def __getitem__(self, window):
        def page():
            with_distance = bool(_distance(self.results))
            holds_all = self.matches is not None and len(self.matches) <= MATCHES_READ
            if holds_all or (self.matches is not None and window.stop <= len(self.matches)):
                picked = self.matches[window]
            else:
                picked = self.results.values_list("pk", *_distance(self.results))[window]
            return PageOfResults([(row[0], row[-1] if with_distance else None) for row in picked])

        return SimpleLazyObject(page)  # the page's cards may be cached


class PageOfResults(Sequence):
    """One page of results: its `rows` (pk, distance or None), which are all its cards
    need, and its listings, read from the database only for whoever asks for them."""

    def __init__(self, rows):
        self.rows = rows

    @cached_property
    def listings(self) -> list[Listing]:
        by_pk = Listing.objects.filter(pk__in=[pk for pk, _ in self.rows]).for_cards().in_bulk()
        for pk, distance in self.rows:
            if pk in by_pk and distance is not None:
                by_pk[pk].distance_km = distance
        return [by_pk[pk] for pk, _ in self.rows if pk in by_pk]  # some may be gone since

    def __getitem__(self, index):
        return self.listings[index]

    def __len__(self):
        return len(self.listings)


def _known_filters(filterset, query) -> str:
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


def _with_text(query, text):
    query = query.copy()
    query.pop("page", None)
    query["q"] = text
    return query.urlencode()


def _wider_radius(filterset):
    """The next larger distance to suggest when a search around a place finds nothing."""
    if not filterset.origin:
        return None
    return next((km for km, _label in RADIUS_CHOICES if km > filterset.radius_km), None)

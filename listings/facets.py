"""What the search and the region's pages count and show in summary: how many results fall
under each filter option, the category tree with the region's published listings per
category, and the newest offers and requests."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Audience, Category, Direction, Listing, Status, Terms


@dataclass
class Facets:
    """How many of the current results fall under each filter option."""

    total: int
    directions: dict
    terms: dict
    audiences: dict
    with_photos: int
    free: int
    categories: dict  # category id → count


# What the counts beside the filters need of each result.
FACET_FIELDS = ("category", "direction", "terms", "audience", "has_photos", "is_free")


def facet_counts(queryset) -> Facets:
    """Counts over the results in one pass: the results grouped by every value a filter
    counts, and the groups summed here. Even a broad search has a few hundred groups at
    most; one filtered COUNT per option (twenty of them, each a list of audiences) cost
    more to build in Python than the database took to run them."""
    groups = queryset.order_by().values_list(*FACET_FIELDS).annotate(count=Count("pk"))
    return facets_of(groups)


def facets_of(groups) -> Facets:
    """The counts of rows of FACET_FIELDS' values, each followed by how many results hold
    them (1 for a single result)."""
    total = with_photos = free = 0
    directions = dict.fromkeys(Direction.values, 0)
    terms = dict.fromkeys(Terms.values, 0)
    audiences = dict.fromkeys(Audience.values, 0)
    categories = {}
    for category, direction, term, audience, has_photos, is_free, count in groups:
        total += count
        categories[category] = categories.get(category, 0) + count
        directions[direction] = directions.get(direction, 0) + count
        terms[term] = terms.get(term, 0) + count
        for bit in audiences:
            if audience & bit:
                audiences[bit] += count
        with_photos += count if has_photos else 0
        free += count if is_free else 0
    return Facets(total, directions, terms, audiences, with_photos, free, categories)


def category_tree(region) -> list[Category]:
    """The active groups, each with its active categories in `children_with_counts` and the
    number of the region's published listings in `listing_count` – in one query."""
    published_here = Q(listings__region=region, listings__status=Status.PUBLISHED)
    categories = (
        Category.objects.active()
        .leaves()
        .filter(parent__is_active=True)
        .select_related("parent")
        .annotate(listing_count=Count("listings", filter=published_here))
        .order_by("parent__position", "parent__name", "position", "name")
    )
    groups = {}
    for category in categories:
        group = groups.setdefault(category.parent_id, category.parent)
        if not hasattr(group, "children_with_counts"):
            group.children_with_counts = []
            group.listing_count = 0
        group.children_with_counts.append(category)
        group.listing_count += category.listing_count
    return list(groups.values())


def newest_by_direction(region, count: int) -> dict[str, list[Listing]]:
    """The newest `count` published offers and requests of the region, ready for cards:
    each direction's newest is picked by the index in a subquery, all fetched at once."""
    published = Listing.objects.in_region(region).published()
    newest = Q()
    for direction in Direction:
        picked = published.filter(direction=direction).order_by("-published_at", "-pk")
        newest |= Q(pk__in=picked.values("pk")[:count])
    listings = {direction.value: [] for direction in Direction}
    for listing in published.filter(newest).for_cards().order_by("-published_at", "-pk"):
        listings[listing.direction].append(listing)
    return listings

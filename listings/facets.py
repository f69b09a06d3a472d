"""What the search and the region's pages count and show in summary: how many results fall
under each filter option, the category tree with the region's published listings per
category, and the newest offers and requests."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import (
    Audience,
    Category,
    Direction,
    Listing,
    Status,
    Terms,
    audience_includes,
)


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


def facet_counts(queryset) -> Facets:
    """Counts over the results in one pass: per category, a filtered count per option.
    Every listing has one category, so the counts over all results are their sums."""
    counts = {
        "total": Count("pk"),
        "with_photos": Count("pk", filter=Q(has_photos=True)),
        "free": Count("pk", filter=Q(is_free=True)),
    }
    counts |= {f"direction_{d.value}": Count("pk", filter=Q(direction=d)) for d in Direction}
    counts |= {f"terms_{t.value}": Count("pk", filter=Q(terms=t)) for t in Terms}
    counts |= {f"audience_{a.value}": Count("pk", filter=audience_includes(a)) for a in Audience}
    totals = dict.fromkeys(counts, 0)
    categories = {}
    for row in queryset.order_by().values("category").annotate(**counts):
        categories[row["category"]] = row["total"]
        for name in counts:
            totals[name] += row[name]
    return Facets(
        total=totals["total"],
        directions={d.value: totals[f"direction_{d.value}"] for d in Direction},
        terms={t.value: totals[f"terms_{t.value}"] for t in Terms},
        audiences={a.value: totals[f"audience_{a.value}"] for a in Audience},
        with_photos=totals["with_photos"],
        free=totals["free"],
        categories=categories,
    )


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

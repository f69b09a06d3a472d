"""Keeps each listing's search columns up to date.

PostgreSQL gets a weighted tsvector in the `german_unaccent` text search
configuration (German stemming, accents folded; created by migration 0002):
title A, category and group B, organisation C, description D. Other databases get
`search_text`, the same words folded to plain lower-case ASCII, for the simpler
fallback search in listings.search.
"""

import unicodedata

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from organisations.models import Organisation

SEARCH_CONFIG = "german_unaccent"  # written out in the SQL below too

_POSTGRES_REINDEX = """
UPDATE listings_listing AS listing SET search_vector =
    setweight(to_tsvector('german_unaccent', listing.title), 'A')
    || setweight(to_tsvector('german_unaccent',
        category.name || ' ' || coalesce(category_group.name, '')), 'B')
    || setweight(to_tsvector('german_unaccent', organisation.name), 'C')
    || setweight(to_tsvector('german_unaccent', listing.description), 'D')
FROM listings_category AS category
    LEFT JOIN listings_category AS category_group ON category_group.id = category.parent_id,
    organisations_organisation AS organisation
WHERE category.id = listing.category_id AND organisation.id = listing.organisation_id
"""


def fold(text: str) -> str:
    """Lower case without accents: "Gerät Größe" → "gerat grosse"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def searchable_text(listing) -> str:
    category = listing.category
    parts = [listing.title, category.name, category.parent.name if category.parent_id else ""]
    parts += [listing.organisation.name, listing.description]
    return fold(" ".join(parts))


def reindex(listing_ids=None):
    """Recomputes the search columns of the given listings (all of them when None)."""
    from .models import Listing
    from .signals import listings_changed

    listings = Listing.objects.all()
    if listing_ids is not None:
        listing_ids = list(listing_ids)
        listings = listings.filter(pk__in=listing_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if listing_ids is None:
                cursor.execute(_POSTGRES_REINDEX)
            else:
                cursor.execute(_POSTGRES_REINDEX + " AND listing.id = ANY(%s)", [listing_ids])
    else:
        for listing in (
            listings.select_related("category__parent", "organisation")
            .only(
                "title",
                "description",
                "category__name",
                "category__parent__name",
                "organisation__name",
            )
            .iterator(chunk_size=2000)
        ):
            Listing.objects.filter(pk=listing.pk).update(search_text=searchable_text(listing))
    # What a search finds has changed: counts cached for the regions are out of date.
    listings_changed(listings.values_list("region_id", flat=True).distinct())


# Names that are part of listings' search text live on other models too. ---------------------


def _reindex_after_commit(listings):
    transaction.on_commit(lambda: reindex(list(listings.values_list("pk", flat=True))))


@receiver(post_save, sender=Organisation, dispatch_uid="reindex_listings_of_organisation")
def organisation_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and "name" not in update_fields):
        return
    from .models import Listing

    _reindex_after_commit(Listing.objects.filter(organisation=instance))


@receiver(post_save, sender="listings.Category", dispatch_uid="reindex_listings_of_category")
def category_saved(sender, instance, created, **kwargs):
    if created:
        return
    from .models import Listing

    _reindex_after_commit(
        Listing.objects.filter(Q(category=instance) | Q(category__parent=instance))
    )

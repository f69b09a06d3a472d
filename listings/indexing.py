"""Keeps each listing's search columns up to date.

Both columns hold *folded* text (see `fold`): lower case, plain letters, and an umlaut
spelled out read as the umlaut, so "Büro", "Buero" and "Buro" are one word to search.
The query is folded the same way (listings.search).

- `search_text`, on every database: the folded title, description, then category, group
  and organisation, the parts ended by TITLE_END and DESCRIPTION_END, so a search can
  tell where a word occurs (a title match ranks first). SQLite searches it for
  substrings; PostgreSQL too, through a trigram index (pg_trgm, migration 0007), which
  is what lets "Stapler" find "Gabelstapler".
- `search_vector`, on PostgreSQL: a weighted tsvector of the same folded parts in the
  `german_unaccent` configuration (German stemming; migration 0002): title A,
  description B, category and group C, organisation D.

On PostgreSQL the SQL function `search_fold` (migration 0007) folds as `fold` does, so a
whole table is reindexed in one statement.
"""

import re
import unicodedata

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from organisations.models import Organisation

SEARCH_CONFIG = "german_unaccent"  # written out in the SQL below too
TITLE_END = "\x1e"  # chr(30) in the SQL below
DESCRIPTION_END = "\x1f"  # chr(31)

_POSTGRES_REINDEX = """
UPDATE listings_listing AS listing SET
    search_text = search_fold(listing.title) || chr(30) || search_fold(listing.description)
        || chr(31) || search_fold(category.name || ' ' || coalesce(category_group.name, '')
        || ' ' || organisation.name),
    search_vector =
        setweight(to_tsvector('german_unaccent', search_fold(listing.title)), 'A')
        || setweight(to_tsvector('german_unaccent', search_fold(listing.description)), 'B')
        || setweight(to_tsvector('german_unaccent',
            search_fold(category.name || ' ' || coalesce(category_group.name, ''))), 'C')
        || setweight(to_tsvector('german_unaccent', search_fold(organisation.name)), 'D')
FROM listings_category AS category
    LEFT JOIN listings_category AS category_group ON category_group.id = category.parent_id,
    organisations_organisation AS organisation
WHERE category.id = listing.category_id AND organisation.id = listing.organisation_id
"""

# Letters without a decomposition that PostgreSQL's unaccent still maps to plain ones; the
# separators of search_text never come from the text itself.
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    | {TITLE_END: " ", DESCRIPTION_END: " "}
)
_SPELLED_OUT_UMLAUT = re.compile(r"([aou])e")


def fold(text: str) -> str:
    """Lower case, without accents, an umlaut spelled out (ae, oe, ue) as the plain vowel:
    "Gerät GRÖẞE Café" → "gerat grosse cafe", and "Büro", "Buero", "Buro" → "buro".
    The SQL function search_fold (migration 0007) does the same on PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPELLED_OUT_UMLAUT.sub(r"\1", plain.translate(_PLAIN_LETTERS))


def searchable_text(listing) -> str:
    category = listing.category
    others = [category.name, category.parent.name if category.parent_id else ""]
    others.append(listing.organisation.name)
    return (
        fold(listing.title)
        + TITLE_END
        + fold(listing.description)
        + DESCRIPTION_END
        + fold(" ".join(others))
    )


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

"""Search that folds umlauts spelled out ("Buero" finds "Büro") and finds parts of
compounds ("Stapler" finds "Gabelstapler"), issue #13.

PostgreSQL gets the pg_trgm extension (unaccent came with 0002), the SQL function `search_fold` (the twin of
listings.indexing.fold), a trigram index on `search_text` (which it now fills too) and
its search columns rebuilt. pg_trgm and unaccent are "trusted" extensions (PostgreSQL
13+): the owner of the database may create them without being a superuser; CI and
`make test` connect as `postgres` anyway.

SQLite gets `search_text` rebuilt with the new folding and the parts' separators.
"""

import re
import unicodedata

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FOLD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace(
        translate(lower(unaccent('unaccent'::regdictionary, $1)),
                  chr(30) || chr(31), '  '),
        '([aou])e', '\1', 'g') $$;
"""

TRIGRAM_INDEX = """
CREATE INDEX IF NOT EXISTS listing_search_text_trigram_idx
    ON listings_listing USING gin (search_text gin_trgm_ops);
"""

# listings.indexing._POSTGRES_REINDEX as of this migration
REINDEX = """
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

BACKWARD = """
DROP INDEX IF EXISTS listing_search_text_trigram_idx;
DROP FUNCTION IF EXISTS search_fold(text);
"""

# listings.indexing.fold as of this migration
_PLAIN = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    | {"\x1e": " ", "\x1f": " "}
)


class TrigramExtensionOfPostgreSQL(TrigramExtension):
    """Django's operation checks the database only on the way forward; undoing it on SQLite
    would ask SQLite for PostgreSQL's extensions."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"([aou])e", r"\1", plain.translate(_PLAIN))


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FOLD_FUNCTION)
        schema_editor.execute(TRIGRAM_INDEX)
        schema_editor.execute(REINDEX)
        return
    Listing = apps.get_model("listings", "Listing")
    listings = Listing.objects.select_related("category__parent", "organisation").only(
        "title", "description", "category__name", "category__parent__name", "organisation__name"
    )
    for listing in listings.iterator(chunk_size=2000):
        category = listing.category
        others = [category.name, category.parent.name if category.parent_id else ""]
        others.append(listing.organisation.name)
        text = (
            _fold(listing.title)
            + "\x1e"
            + _fold(listing.description)
            + "\x1f"
            + _fold(" ".join(others))
        )
        Listing.objects.filter(pk=listing.pk).update(search_text=text)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("listings", "0009_old_platform_values")]

    operations = [
        TrigramExtensionOfPostgreSQL(),
        migrations.RunPython(forward, backward),
    ]

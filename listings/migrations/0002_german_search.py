"""German full-text search on PostgreSQL: a text search configuration that stems
German and folds accents (unaccent), and a GIN index on the listings' search vector.

Other databases skip this; listings.search falls back to plain-text matching there.
The index is not declared in Listing.Meta because SQLite cannot create GIN indexes.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'german_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION german_unaccent (COPY = german);
        ALTER TEXT SEARCH CONFIGURATION german_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS listing_search_vector_idx
    ON listings_listing USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS listing_search_vector_idx;
DROP TEXT SEARCH CONFIGURATION IF EXISTS german_unaccent;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("listings", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

"""Filtering by a category attribute that holds several values.

A listing stores several choices (a hall that is "innen" and "beheizt") as a JSON list
in `Listing.attributes`. A search for some of them finds the listings holding any of
them. PostgreSQL answers that with its `?|` operator on jsonb; SQLite walks the list
with `json_each`. Both also accept a single string stored under the key, as listings
held before the attribute allowed several.
"""

from django.db.models import Lookup
from django.db.models.fields.json import KeyTransform, compile_json_path


class HoldsAnyOf(Lookup):
    """The JSON value under a key is one of the strings, or a list holding one of them."""

    lookup_name = "holds_any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [str(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params, keys = self.lhs.preprocess_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        # Only the compiled column and placeholders go into the text; values are parameters.
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({lhs}, %s) AS held "  # noqa: S608
            f"WHERE held.value IN ({placeholders}))"
        )
        return sql, (*lhs_params, compile_json_path(keys), *self.rhs)

    def as_postgresql(self, compiler, connection):  # pragma: no mutate block, PostgreSQL only
        lhs, lhs_params = compiler.compile(self.lhs)
        return f"({lhs} ?| %s::text[])", (*lhs_params, list(self.rhs))


def holds_any_of(key: str, values, field: str = "attributes") -> HoldsAnyOf:
    """A filter for the listings whose attribute `key` holds any of `values`."""
    return HoldsAnyOf(KeyTransform(key, field), list(values))

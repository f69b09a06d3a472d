"""System checks on the data of the regions, run by `manage.py migrate` and
`manage.py check --database default` (checks that read the database are left out of a
plain `check`, as Django's own are)."""

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from .models import Region


@checks.register(checks.Tags.database)
def check_regions_have_places(app_configs=None, databases=None, **kwargs):
    """A region without its postal codes refuses the addresses of its own towns."""
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        regions = list(Region.objects.without_places().values_list("name", "district_key"))
    except DatabaseError:
        return []  # not migrated yet: nothing to say
    return [
        checks.Warning(
            f"The region {name} has no postal codes: it refuses the addresses of its own towns.",
            hint=f"Load them: python manage.py import_places {district_key}",
            id="regions.W001",
        )
        for name, district_key in regions
    ]

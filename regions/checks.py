"""System checks on the data of the regions, run by `manage.py migrate` and
`manage.py check --database default` (checks that read the database are left out of a
plain `check`, as Django's own are)."""

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from .models import Region, RegionDomain


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


def outside_cookie_domain(host: str, cookie_domain: str) -> bool:
    domain = cookie_domain.lstrip(".").lower()
    return host != domain and not host.endswith(f".{domain}")


@checks.register(checks.Tags.database)
def check_hosts_lie_below_the_cookie_domain(app_configs=None, databases=None, **kwargs):
    """With COOKIE_DOMAIN set, a host outside it gets no cookies: nobody logs in there."""
    if not settings.COOKIE_DOMAIN or not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        hosts = list(RegionDomain.objects.values_list("host", flat=True))
    except DatabaseError:
        return []
    return [
        checks.Warning(
            f"The host {host} is not below COOKIE_DOMAIN ({settings.COOKIE_DOMAIN}): browsers "
            "refuse its cookies, so nobody can log in there.",
            hint="Give the region a host below that domain, or leave COOKIE_DOMAIN empty.",
            id="regions.W002",
        )
        for host in sorted({*hosts, *settings.PORTAL_HOSTS})
        if outside_cookie_domain(host, settings.COOKIE_DOMAIN)
    ]

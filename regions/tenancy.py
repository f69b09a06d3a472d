"""Which region a host name belongs to, cached in the shared cache.

Every process asks the cache first; saving or deleting a region or one of its
host names forgets the affected hosts at once, in every process.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Region, RegionDomain

CACHE_SECONDS = 60 * 60
_UNKNOWN = "unknown"


def _cache_key(host: str) -> str:
    return f"region-for-host:{host}"


def region_for_host(host: str) -> Region | None:
    """The region serving `host` (active or not), or None for a host no region has."""
    key = _cache_key(host)
    cached = cache.get(key)
    if cached == _UNKNOWN:
        return None
    if cached is not None:
        return cached
    domain = RegionDomain.objects.select_related("region").filter(host=host).first()
    region = domain.region if domain else None
    cache.set(key, region or _UNKNOWN, CACHE_SECONDS)
    return region


def forget_hosts(*hosts: str) -> None:
    cache.delete_many([_cache_key(host) for host in hosts if host])


@receiver(pre_save, sender=RegionDomain)
def _forget_renamed_host(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        forget_hosts(*RegionDomain.objects.filter(pk=instance.pk).values_list("host", flat=True))


@receiver([post_save, post_delete], sender=RegionDomain)
def _forget_domain(sender, instance, **kwargs):
    forget_hosts(instance.host)


@receiver([post_save, post_delete], sender=Region)
def _forget_region(sender, instance, **kwargs):
    forget_hosts(*RegionDomain.objects.filter(region_id=instance.pk).values_list("host", flat=True))

"""Which region a host name belongs to, cached in the shared cache.

Every process asks the cache first; saving or deleting a region or one of its
host names forgets the affected hosts at once and again after the commit, so a
request that raced the transaction cannot keep the old answer. Hosts that
belong to no region are not cached: anyone can invent them, and filling the
shared cache with them would push out what matters (such as login rate limits).
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Region, RegionDomain

CACHE_SECONDS = 60 * 60


def _cache_key(host: str) -> str:
    # Hashed: host names can be longer than cache backends allow for keys. Any spelling of
    # the key serves as long as it is the same for a host and different between hosts.
    return "region-for-host:" + hashlib.sha256(host.encode()).hexdigest()[:32]  # pragma: no mutate


def region_for_host(host: str) -> Region | None:
    """The region serving `host` (active or not), or None for a host no region has."""
    key = _cache_key(host)
    region = cache.get(key)
    if region is None:
        domain = RegionDomain.objects.select_related("region").filter(host=host).first()
        if domain is None:
            return None
        region = domain.region
        # With its host names, so that links to the region (Region.primary_host) need no
        # query either; their changes forget the cached region like the host's own.
        prefetch_related_objects([region], "domains")
        cache.set(key, region, CACHE_SECONDS)
    return region


def forget_hosts(*hosts: str) -> None:
    keys = [_cache_key(host) for host in hosts if host]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(pre_save, sender=RegionDomain)
def _forget_renamed_host(sender, instance, raw, **kwargs):
    if instance.pk and not raw:
        forget_hosts(*RegionDomain.objects.filter(pk=instance.pk).values_list("host", flat=True))


@receiver([post_save, post_delete], sender=RegionDomain)
def _forget_domain(sender, instance, **kwargs):
    # The region is cached with all its host names: a new primary one changes its links.
    hosts = RegionDomain.objects.filter(region_id=instance.region_id).values_list("host", flat=True)
    forget_hosts(instance.host, *hosts)


@receiver([post_save, post_delete], sender=Region)
def _forget_region(sender, instance, **kwargs):
    forget_hosts(*RegionDomain.objects.filter(region_id=instance.pk).values_list("host", flat=True))

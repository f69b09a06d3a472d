"""The public listing list, served from the cache.

Partners' scripts and portals read the same pages over and over, far more often than the
region's listings change. A read without a key sees only public data, the same for
everyone, so its answer is cached whole per region, address, language and query, as the
embedded listings are (embeds.showcase): the key holds the region's listings generation
and the catalogue's version, which any change to a listing of the region or to a
category renews, and the timeout bounds how long a listing past its end date can stay.
A read with a key may include its organisation's own listings and fields and is never
cached.
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils.translation import get_language

from listings.catalogue import catalogue
from listings.signals import listings_generation

CACHED_FOR = 5 * 60  # seconds; a change to the region's listings or categories ends it sooner


def public_list_key(request) -> str:
    region = request.region
    query = urlencode(sorted(request.query_params.lists()), doseq=True)
    # The answer's links are absolute: the scheme and host name are part of what it says.
    seen_as = f"{request.build_absolute_uri('/')}|{get_language()}|{query}"
    digest = hashlib.sha256(seen_as.encode()).hexdigest()[:32]
    generation = listings_generation(region.pk)
    return f"api:listings:{region.pk}:{generation}:{catalogue().version}:{digest}"


def cached_public_list(request, answer):
    """The data of the list page the request asks for: from the cache, or `answer()`'s,
    which is then kept."""
    key = public_list_key(request)
    data = cache.get(key)
    if data is None:
        data = answer()
        cache.set(key, data, CACHED_FOR)
    return data

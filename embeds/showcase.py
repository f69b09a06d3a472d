"""The listings an embed shows, rendered once and then served from the cache.

Only what the region's own search shows, and only what can still be had: published
listings of the host's region (never a draft, pending, paused, closed, expired or
removed one, nor another region's), not past their end date while the hourly expiry
has yet to catch up, and no offer whose whole quantity is reserved.

An embed on a busy website is asked for far more often than its listings change, so
the whole page is cached per region, options and language. The key holds the region's
listings generation and the catalogue's version (listings.signals, listings.catalogue),
which any change to a listing of the region or to a category renews; the timeout
bounds how long a listing past its end date can stay. A page from the cache costs no
database query.
"""

import hashlib

from django.core.cache import cache
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from listings.catalogue import Catalogue
from listings.models import PERIOD_TERMS, Direction, Listing, audience_includes
from listings.signals import listings_generation
from organisations.models import Organisation

from .framing import brand_style
from .options import EmbedOptions

CACHED_FOR = 5 * 60  # seconds; a change to the region's listings or categories ends it sooner


class UnknownOrganisation(Exception):
    """The embed names an organisation the region does not have."""


def current_listings(region, options: EmbedOptions, catalogue: Catalogue):
    """The region's listings the options ask for, newest first, at most `options.count`."""
    listings = (
        Listing.objects.in_region(region)
        .published()
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .exclude(
            Q(direction=Direction.OFFER)
            & ~Q(terms__in=PERIOD_TERMS)
            & Q(quantity_reserved__gte=F("quantity"))
        )
    )
    if options.direction:
        listings = listings.filter(direction=options.direction)
    choice = catalogue.choice(options.category) if options.category else None
    if choice:
        listings = listings.filter(category__in=choice.ids)
    if options.terms:
        listings = listings.filter(terms__in=options.terms)
    if options.audience:
        listings = listings.filter(audience_includes(sum(options.audience)))
    if options.organisation:
        listings = listings.filter(organisation_id=options.organisation)
    return listings.for_cards().order_by("-published_at", "-pk")[: options.count]


def cache_key(region, options: EmbedOptions, language: str, catalogue: Catalogue) -> str:
    generation = listings_generation(region.pk)
    digest = hashlib.sha256(f"{options.query()}|{language}".encode()).hexdigest()[:32]
    return f"embeds:listings:{region.pk}:{generation}:{catalogue.version}:{digest}"


def embed_page(region, options: EmbedOptions, language: str, catalogue: Catalogue) -> str:
    """The embed's whole HTML page, from the cache when it holds it.

    Raises UnknownOrganisation for an organisation that is not the region's."""
    key = cache_key(region, options, language, catalogue)
    page = cache.get(key)
    if page is None:
        page = render_page(region, options, language, catalogue)
        cache.set(key, page, CACHED_FOR)
    return page


def render_page(region, options, language, catalogue) -> str:
    organisation = None
    if options.organisation:
        organisation = (
            Organisation.objects.in_region(region).filter(pk=options.organisation).first()
        )
        if organisation is None:
            raise UnknownOrganisation(options.organisation)
    with translation.override(language):
        # Rendered without the request: nothing of the visitor (no session, no CSRF
        # token, no user) can get into a page that is cached for everyone.
        return render_to_string(
            "embeds/listings.html",
            {
                "region": region,
                "options": options,
                "organisation": organisation,
                "listings": list(current_listings(region, options, catalogue)),
                "brand_style": brand_style(region),
                "LANGUAGE_CODE": language,
            },
        )

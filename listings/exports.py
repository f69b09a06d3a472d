"""Listings as a CSV file for the region's reports: what was offered and asked for, by
whom, in which category, and how often it was looked at. No personal data of members.

Dates as YYYY-MM-DD, amounts with a decimal comma; the file's format is core.exports'.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import column_label as _label
from core.exports import csv_download
from regions.models import Place

from .models import Listing


def _amount(value) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _date(value) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def header():
    return [
        "ID",
        _label(Listing, "title"),
        _label(Listing, "organisation"),
        _("Group"),
        _label(Listing, "category"),
        _label(Listing, "direction"),
        _label(Listing, "terms"),
        _label(Listing, "price"),
        _label(Listing, "price_unit"),
        _label(Listing, "reduced_price"),
        _label(Listing, "status"),
        _label(Place, "postal_code"),
        _label(Place, "name"),
        _label(Listing, "published_at"),
        _label(Listing, "expires_at"),
        _label(Listing, "view_count"),
        _label(Listing, "created_at"),
    ]


def row(listing: Listing):
    category = listing.category
    return [
        listing.pk,
        listing.title,
        listing.organisation.name,
        category.parent.name if category.parent_id else "",
        category.name,
        listing.get_direction_display(),
        listing.get_terms_display(),
        _amount(listing.price),
        listing.get_price_unit_display() if listing.price is not None else "",
        _amount(listing.reduced_price),
        listing.get_status_display(),
        listing.place.postal_code,
        listing.place.name,
        _date(listing.published_at),
        _date(listing.expires_at),
        listing.view_count,
        _date(listing.created_at),
    ]


def listings_csv(listings, filename: str) -> HttpResponse:
    """A download of `listings` (a queryset; the caller has scoped it to the staff's regions)."""
    rows = listings.select_related("organisation", "category__parent", "place")
    return csv_download(
        filename, header(), (row(listing) for listing in rows.iterator(chunk_size=500))
    )

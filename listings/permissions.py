"""Who may see and change a listing — the one place that decides it.

Everyone sees published listings of the request's region. Members of the owning
organisation see their listings in every state and are the only ones who change
them; the region's staff see every listing (to moderate) but change them only
through the back office. Everyone else gets 404: a draft or a removed listing
must not be known to exist.
"""

from django.http import Http404

from organisations.permissions import membership_of
from regions.permissions import has_staff_role

from .models import Listing, Status

# What the listing pages show of a listing, fetched in its one query; the joins are held
# by tests/test_query_baselines.py.
LISTING_JOINS = ("category__parent", "organisation__place", "place", "region")


def listings_of_region(request):
    return Listing.objects.in_region(request.region).select_related(*LISTING_JOINS)


def can_edit(user, listing) -> bool:
    return membership_of(user, listing.organisation) is not None


def can_view(user, listing) -> bool:
    return (
        listing.status == Status.PUBLISHED
        or can_edit(user, listing)
        or has_staff_role(user, listing.region)
    )


def _get(request, pk) -> Listing:
    try:
        return listings_of_region(request).get(pk=pk)
    except (Listing.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def get_listing(request, pk) -> Listing:
    """A listing the request's user may look at."""
    listing = _get(request, pk)
    if not can_view(request.user, listing):
        raise Http404
    return listing


def get_listing_for_editing(request, pk) -> Listing:
    """A listing of one of the user's organisations, in this region."""
    listing = _get(request, pk)
    if not can_edit(request.user, listing):
        raise Http404
    return listing

"""Which listings a request reaches — the API's one place for it.

Everyone reaches the published listings of the host's region. A key reaches its own
organisation's listings in every state as well (and changes only those); anything
else answers 404, as on the pages: a draft must not be known to exist.
"""

from django.db.models import Prefetch, Q
from rest_framework.exceptions import NotFound

from listings.models import Listing, ListingPhoto, Status

from .permissions import key_of

JOINS = ("category__parent", "organisation", "place")


def with_details(queryset):
    """What the API shows of each listing, fetched in a fixed number of queries."""
    return (
        queryset.select_related(*JOINS)
        .defer(
            "search_vector",
            "search_text",
            "organisation__description",
            "organisation__verification_note",
            "organisation__rejection_reason",
        )
        .prefetch_related(
            Prefetch("photos", queryset=ListingPhoto.objects.order_by("position", "pk"))
        )
    )


def published_listings(request):
    return Listing.objects.in_region(request.region).published()


def reachable_listings(request):
    region_listings = Listing.objects.in_region(request.region)
    key = key_of(request)
    if key is None:
        return region_listings.published()
    return region_listings.filter(Q(status=Status.PUBLISHED) | Q(organisation=key.organisation))


def own_listings(request):
    return Listing.objects.in_region(request.region).of_organisation(key_of(request).organisation)


def _get(queryset, pk) -> Listing:
    try:
        return with_details(queryset).get(pk=pk)
    except (Listing.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound from error


def get_listing(request, pk) -> Listing:
    return _get(reachable_listings(request), pk)


def get_own_listing(request, pk) -> Listing:
    """A listing of the key's organisation in this region (the permission class has made
    sure there is a key that may write)."""
    return _get(own_listings(request), pk)


def is_own(request, listing) -> bool:
    key = key_of(request)
    return key is not None and listing.organisation_id == key.organisation_id

"""What listings adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (listings.apps)."""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy

from accounts.hooks import personal_data_export
from organisations.hooks import organisation_profile
from regions.hooks import region_home, staff_queues
from regions.queues import Queue, counts_by_region

from .facets import category_tree, newest_by_direction
from .models import Direction, Listing, Status

NEWEST_ON_HOME = 6
LISTINGS_PER_PROFILE_PAGE = 12


@region_home.register
def newest_listings(request) -> dict:
    """The region's newest offers and requests, and the categories with how many listings
    each holds."""
    newest = newest_by_direction(request.region, NEWEST_ON_HOME)
    return {
        "offers": newest[Direction.OFFER],
        "requests": newest[Direction.REQUEST],
        "category_groups": category_tree(request.region),
        "search_parts": ["listings/_search_form.html"],
        "parts": ["listings/_home_newest.html"],
    }


@organisation_profile.register
def organisation_listings(request, organisation) -> dict:
    """The organisation's published listings, newest first, a page at a time."""
    listings = (
        Listing.objects.in_region(request.region)
        .published()
        .of_organisation(organisation)
        .for_cards()
        .order_by("-published_at", "-pk")
    )
    page = Paginator(listings, LISTINGS_PER_PROFILE_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "parts": ["listings/_profile_listings.html"]}


@personal_data_export.register
def listings_written(user) -> dict:
    # Listings belong to their organisation; the author is named on them (and unnamed
    # when the account is deleted, while the listing stays the organisation's).
    return {
        "listings_written": [
            {
                "title": listing.title,
                "organisation": listing.organisation.name,
                "region": listing.region.name,
                "status": listing.status,
                "created": listing.created_at.isoformat(),
            }
            for listing in Listing.objects.filter(author=user)
            .select_related("organisation", "region")
            .order_by("created_at")
        ],
    }


@staff_queues.register
def listings_awaiting_approval(region_ids) -> list:
    pending = Listing.objects.filter(status=Status.PENDING)
    return [
        Queue(
            key="listings_pending",
            label=gettext_lazy("Listings awaiting approval"),
            changelist="admin:listings_listing_changelist",
            query={"status__exact": Status.PENDING},
            counts=counts_by_region(pending, region_ids),
        )
    ]

"""An Atom feed for any search: the newest listings that match its query string.

The feed applies the search page's form to its own query string, so subscribing to
"this search" gives exactly what the page shows; filters the form cannot accept are
left out, as on the page. Links point to the region's own host.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .browse import search_filter
from .filtersets import ListingFilter

FEED_SIZE = 50


@dataclass
class FeedSearch:
    """One request's search, made once and handed to every part of the feed."""

    filter: ListingFilter
    region_name: str
    in_region: str  # "im Havelland"
    site: str  # scheme and host of the region, e.g. https://pm.starkeregion.digital
    query: str

    def url(self, path):
        return self.site + path


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        # The region's address is looked up once, not once per link.
        return FeedSearch(
            filter=search_filter(request),
            region_name=request.region.name,
            in_region=request.region.name_with_preposition,
            site=request.region.build_absolute_uri("").rstrip("/"),
            query=request.GET.urlencode(),
        )

    def title(self, search):
        if search.filter.text:
            return _("Listings for “%(text)s” %(in_region)s") % {
                "text": search.filter.text,
                "in_region": search.in_region,
            }
        return _("Listings %(in_region)s") % {"in_region": search.in_region}

    def subtitle(self, search):
        return _("The newest offers and requests on starkeRegion %(region)s.") % {
            "region": search.region_name
        }

    def link(self, search):
        path = reverse("listing_search")
        return search.url(f"{path}?{search.query}" if search.query else path)

    def feed_url(self, search):
        path = reverse("listing_feed")
        return search.url(f"{path}?{search.query}" if search.query else path)

    def items(self, search):
        results = list(
            search.filter.qs.select_related("category", "organisation", "place").order_by(
                "-published_at", "-pk"
            )[:FEED_SIZE]
        )
        for listing in results:
            listing.feed_link = search.url(listing.get_absolute_url())
        return results

    def item_title(self, listing):
        return f"{listing.get_direction_display()}: {listing.title}"

    def item_description(self, listing):
        return f"{listing.place.name}: {Truncator(listing.description).words(60)}"

    def item_link(self, listing):
        return listing.feed_link

    def item_guid(self, listing):
        return listing.feed_link

    def item_pubdate(self, listing):
        return listing.published_at

    def item_updateddate(self, listing):
        return listing.updated_at

    def item_author_name(self, listing):
        return listing.organisation.name

    def item_categories(self, listing):
        return [listing.category.name]

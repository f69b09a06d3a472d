"""What listings adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (listings.apps)."""

from regions.hooks import region_home

from .models import Direction
from .search import category_tree, newest_by_direction

NEWEST_ON_HOME = 6


@region_home.register
def newest_listings(request) -> dict:
    """The region's newest offers and requests, and the categories with how many listings
    each holds."""
    newest = newest_by_direction(request.region, NEWEST_ON_HOME)
    return {
        "offers": newest[Direction.OFFER],
        "requests": newest[Direction.REQUEST],
        "category_groups": category_tree(request.region),
    }

"""The points at which higher apps add their part to the region's pages (core.hooks)."""

from core.hooks import Hook

# The region's front page: each contributor gets the request and returns a dict for the
# context of regions/home.html, with the templates it shows under "search_parts" (in the
# page's opening section) and "parts" (below it). Listings: the search form, the newest
# offers and requests, the categories.
region_home = Hook(
    "region_home",
    "(request) → context of the region's home page",
    parts=("search_parts", "parts"),
)

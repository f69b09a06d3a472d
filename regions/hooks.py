"""The points at which higher apps add their part to the region's pages (core.hooks)."""

from core.hooks import Hook

# The region's front page: each contributor gets the request and returns a dict for the
# context of regions/home.html (listings: "offers", "requests", "category_groups").
region_home = Hook("region_home", "(request) → context of the region's home page")

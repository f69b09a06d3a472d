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

# What waits for the region's staff: each contributor gets the ids of the regions asked
# about (None: every region) and returns a list of regions.queues.Queue, each a kind of work
# with its count per region, counted in one query whatever the number of regions (listings:
# awaiting approval; organisations: to verify, proofs lapsing; inquiries: reported
# messages; moderation: reports). The back office's overview shows them, the daily mail to
# staff lists them (moderation.queue_mail).
staff_queues = Hook("staff_queues", "(region_ids or None) → [regions.queues.Queue]")

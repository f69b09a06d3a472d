"""The points at which higher apps add their part to the listings' pages (core.hooks)."""

from core.hooks import Hook

# The listing page: each contributor gets the request, the listing and whether the viewer
# is one of its organisation's members, and returns a dict for the context of
# listings/detail.html, with the templates it shows beside the listing under "parts"
# (inquiries: the way to respond or, for members, the open inquiries; the booked periods).
listing_page = Hook(
    "listing_page",
    "(request, listing, is_member) → context of the listing page",
    parts=("parts",),
)

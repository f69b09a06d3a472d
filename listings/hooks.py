"""The points at which higher apps add their part to the listings' pages (core.hooks)."""

from core.hooks import Hook

# The listing page: each contributor gets the request, the listing and whether the viewer
# is one of its organisation's members, and returns a dict for the context of
# listings/detail.html, with the templates it shows under "header_parts" (below the
# title: the watch list's star), "parts" (beside the listing: inquiries' way to respond
# or, for members, the open inquiries; the booked periods) and "main_parts" (below the
# details: matching's offers or requests that fit, for members).
listing_page = Hook(
    "listing_page",
    "(request, listing, is_member) → context of the listing page",
    parts=("header_parts", "parts", "main_parts"),
)

# Every listing card (listings/_card.html, through the tag `listing_card_parts`): asked
# once per request, each contributor gets the request and returns a dict for the context
# of the card's parts, with the templates it shows on each card under "card_parts" (the
# watch list's star); each part also gets `listing`. Cards cached for everyone (the
# search's) get their parts filled in per request (listings.cards).
listing_card = Hook(
    "listing_card",
    "(request) → context of the parts on every listing card",
    parts=("card_parts",),
)

# "Meine Anzeigen": each contributor gets the request and the listings on the page (which
# it may annotate) and returns a dict for the context of listings/mine.html, with the
# templates it shows under each listing under "listing_parts" (matching: how many offers
# or requests fit).
my_listings = Hook(
    "my_listings",
    "(request, listings) → context of the parts of each listing on “My listings”",
    parts=("listing_parts",),
)

# The search page: each contributor gets the request and the search's filter set and
# returns a dict for the context of listings/search.html, with the templates it shows
# beside the results under "parts" (alerts: "save this search"). Called on every search,
# cached or not: a contribution must not cost a query per result.
search_page = Hook(
    "search_page",
    "(request, filterset) → context of the search page",
    parts=("parts",),
)

# The listing form (creating and editing): each contributor gets the request, the chosen
# category (a leaf, or None before one is chosen), the listing being edited (None when it
# is created) and the posted data (None on a GET). It returns {} when the category is not
# its business, else a dict for the context of listings/form.html with forms of its own
# under "extra_forms" and templates shown above the form under "aside_parts" (what the
# law says about lending staff). An extra form has a `prefix`, is bound to the data when
# there is any, has a `legend` (its section's heading) and a method `save_for(listing)`,
# which the view calls after the listing is saved, in the same transaction. The listing
# form and every extra form are checked together; their errors share one summary.
listing_form = Hook(
    "listing_form",
    "(request, category, listing, data) → context of the listing form page",
    parts=("extra_forms", "aside_parts"),
)

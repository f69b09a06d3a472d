"""The points at which higher apps add their part to the organisations' pages (core.hooks)."""

from core.hooks import Hook

# The public profile: each contributor gets the request and the organisation and returns a
# dict for the context of organisations/profile.html, with the templates it shows under
# "summary_parts" (in the profile's header; impact: how often it helped and received; the
# watch list: "Folgen") and
# "parts" (below the description; listings: "page", its published listings; inquiries:
# "thank_yous", the thank-you notes it may show).
organisation_profile = Hook(
    "organisation_profile",
    "(request, organisation) → context of the public profile",
    parts=("summary_parts", "parts"),
)

# The management pages (profile, members, proof): each contributor gets the request and the
# organisation the user manages and returns {"manage_nav_parts": [templates]}, the links it
# adds to their navigation (api: "API-Schlüssel"; embeds: "Einbinden").
organisation_management = Hook(
    "organisation_management",
    "(request, organisation) → links in the navigation of the management pages",
    parts=("manage_nav_parts",),
)

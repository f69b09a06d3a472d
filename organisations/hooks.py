"""The points at which higher apps add their part to the organisations' pages (core.hooks)."""

from core.hooks import Hook

# The public profile: each contributor gets the request and the organisation and returns a
# dict for the context of organisations/profile.html, with the templates it shows under
# "parts" (listings: "page", its published listings; inquiries: "thank_yous", the
# thank-you notes it may show).
organisation_profile = Hook(
    "organisation_profile",
    "(request, organisation) → context of the public profile",
    parts=("parts",),
)

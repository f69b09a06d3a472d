"""The points at which higher apps add their part to the embeds' pages (core.hooks)."""

from core.hooks import Hook

# The "Einbinden" page: each contributor gets the request and the user's BuilderScope
# (embeds.permissions) and returns a dict for the context of embeds/builder.html, with the
# templates it shows below the listings' snippet under "parts" (impact: the counter of
# what the region's organisations achieved).
embed_builder = Hook(
    "embed_builder",
    "(request, scope) → further embeds offered on the Einbinden page",
    parts=("parts",),
)

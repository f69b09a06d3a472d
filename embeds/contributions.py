"""What embeds adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (embeds.apps)."""

from organisations.hooks import organisation_management


@organisation_management.register
def embed_link(request, organisation) -> dict:
    """ "Einbinden" beside the organisation's profile and members: its own listings on
    its own website. Whoever sees these pages manages the organisation, and so may."""
    return {"manage_nav_parts": ["embeds/_manage_nav_link.html"]}

"""What embeds adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (embeds.apps)."""

from organisations.hooks import organisation_manage


@organisation_manage.register
def embed_link(request, organisation) -> dict:
    """ "Einbinden" beside the organisation's profile and members: its own listings on
    its own website. Whoever sees these pages manages the organisation, and so may."""
    return {"nav_parts": ["embeds/_manage_nav_link.html"]}

"""What api adds to the pages of the apps below it, through their hook points (core.hooks);
registered when the app is ready (api.apps)."""

from organisations.hooks import organisation_management


@organisation_management.register
def api_keys_link(request, organisation) -> dict:
    """The link to the organisation's API keys, beside its profile and members."""
    return {"manage_nav_parts": ["api/_manage_nav_link.html"]}

"""What matching adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (matching.apps)."""

from accounts.hooks import personal_data_export
from inquiries.hooks import email_settings
from listings.hooks import listing_page, my_listings

from . import services
from .forms import MatchSettingsForm
from .models import MatchSettings

SHOWN_ON_LISTING_PAGE = 6


@listing_page.register
def fitting_listings(request, listing, is_member) -> dict:
    """For the listing's own members: the offers that fit a request, or the requests that
    fit an offer."""
    if not is_member or not listing.is_published:
        return {}
    return {
        "fitting": services.fitting(listing, limit=SHOWN_ON_LISTING_PAGE),
        "main_parts": ["matching/_fitting.html"],
    }


@my_listings.register
def fitting_counts(request, listings) -> dict:
    """Beside each published listing on "Meine Anzeigen": how many fit it."""
    counts = services.fitting_counts(listing for listing in listings if listing.is_published)
    for listing in listings:
        listing.fitting_count = counts.get(listing.pk, 0)
    return {"listing_parts": ["matching/_fitting_count.html"]}


@email_settings.register
def match_mail_settings(request) -> dict:
    instance = MatchSettings.objects.filter(user=request.user).first()
    form = MatchSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=instance or MatchSettings(user=request.user),
    )
    return {"forms": [form]}


@personal_data_export.register
def match_settings(user) -> dict:
    return {
        "match_email_settings": [
            {"match_mails": entry.match_mails} for entry in MatchSettings.objects.filter(user=user)
        ]
    }

"""What inquiries adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (inquiries.apps)."""

from listings.hooks import listing_page
from organisations.hooks import organisation_profile

from .listing_panel import respond_context
from .models import Outcome

THANK_YOUS_SHOWN = 5


@organisation_profile.register
def thank_you_notes(request, organisation) -> dict:
    """The newest thank-you notes for what the organisation gave, where it allowed them
    to be shown (inquiries.services.allow_thank_you)."""
    return {"thank_yous": list(Outcome.objects.for_profile_of(organisation)[:THANK_YOUS_SHOWN])}


# The way to respond (or why one cannot), the periods booked, the open inquiries.
listing_page.register(respond_context)

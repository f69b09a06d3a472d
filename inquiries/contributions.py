"""What inquiries adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (inquiries.apps)."""

from django.utils.translation import gettext_lazy

from accounts.hooks import personal_data_export
from listings.hooks import listing_page
from organisations.hooks import organisation_profile
from regions.hooks import staff_queues
from regions.queues import Queue, counts_by_region

from .listing_panel import respond_context
from .models import Message, MessageReport, NotificationSettings, Outcome

THANK_YOUS_SHOWN = 5


@organisation_profile.register
def thank_you_notes(request, organisation) -> dict:
    """The newest thank-you notes for what the organisation gave, where it allowed them
    to be shown (inquiries.services.allow_thank_you)."""
    thank_yous = list(Outcome.objects.for_profile_of(organisation)[:THANK_YOUS_SHOWN])
    return {"thank_yous": thank_yous, "parts": ["inquiries/_thank_yous.html"] if thank_yous else []}


@listing_page.register
def inquiry_panel(request, listing, is_member) -> dict:
    """The way to respond (or why one cannot), the periods booked, the open inquiries."""
    context = respond_context(request, listing, is_member)
    return {**context, "parts": ["inquiries/_listing_panel.html"]}


@personal_data_export.register
def messages_and_email_settings(user) -> dict:
    # Messages stay in the conversation of the two organisations when the account is
    # deleted, without the author's name.
    return {
        "messages_written": [
            {
                "listing": message.inquiry.listing.title,
                "organisation": message.organisation.name,
                "region": message.inquiry.region.name,
                "kind": message.kind,
                "text": message.body,
                "written": message.created_at.isoformat(),
            }
            for message in Message.objects.filter(author=user)
            .select_related(
                "inquiry__listing",
                "inquiry__region",
                "inquiry__organisation",
                "inquiry__listing_organisation",
            )
            .order_by("created_at", "pk")
        ],
        "email_settings": [
            {"new_inquiry": entry.new_inquiry, "message": entry.message, "status": entry.status}
            for entry in NotificationSettings.objects.filter(user=user)
        ],
    }


@staff_queues.register
def reported_messages(region_ids) -> list:
    return [
        Queue(
            key="message_reports",
            label=gettext_lazy("Reported messages"),
            changelist="admin:inquiries_messagereport_changelist",
            query={"resolved": "no"},
            counts=counts_by_region(MessageReport.objects.unresolved(), region_ids),
        )
    ]

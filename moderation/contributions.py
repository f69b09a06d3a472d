"""What moderation adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (moderation.apps)."""

from django.urls import reverse

from accounts.hooks import personal_data_export
from listings.hooks import listing_page
from organisations.acting import memberships_in_region
from organisations.hooks import organisation_profile

from .models import Report

REPORT_LINK = "moderation/_report_link.html"


@listing_page.register
def report_listing_link(request, listing, is_member) -> dict:
    """ "Melden" under a published listing, for everyone but its own organisation."""
    if is_member or not listing.is_published:
        return {}
    return {"report_url": reverse("report_listing", args=[listing.pk]), "parts": [REPORT_LINK]}


@organisation_profile.register
def report_organisation_link(request, organisation) -> dict:
    """ "Melden" on a profile, for everyone but the organisation's own members."""
    if any(m.organisation_id == organisation.pk for m in memberships_in_region(request)):
        return {}
    return {
        "report_url": reverse("report_organisation", args=[organisation.pk]),
        "parts": [REPORT_LINK],
    }


@personal_data_export.register
def reports_made(user) -> dict:
    return {
        "reports": [
            {
                "about": str(report.case),
                "reason": report.reason,
                "text": report.text,
                "reported": report.created_at.isoformat(),
            }
            for report in Report.objects.filter(reported_by=user)
            .select_related("case__listing", "case__organisation")
            .order_by("created_at", "pk")
        ]
    }

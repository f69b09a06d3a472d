"""What moderation adds to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (moderation.apps)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.hooks import personal_data_export
from inquiries.hooks import email_settings
from listings.hooks import listing_page
from organisations.acting import memberships_in_region
from organisations.hooks import organisation_profile
from regions.hooks import staff_queues
from regions.models import StaffMembership
from regions.queues import Queue, counts_by_region

from .forms import StaffMailSettingsForm
from .models import Case, Report, StaffMailSettings

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
        "backoffice_email_settings": [
            {"queue_mail": entry.queue_mail}
            for entry in StaffMailSettings.objects.filter(user=user)
        ],
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
        ],
    }


@staff_queues.register
def reports_waiting(region_ids) -> list:
    return [
        Queue(
            key="reports",
            label=gettext_lazy("Reports of listings and organisations"),
            changelist="admin:moderation_case_changelist",
            query={"todo": "yes"},
            counts=counts_by_region(Case.objects.waiting(), region_ids),
        )
    ]


@email_settings.register
def queue_mail_settings(request) -> dict:
    """Staff choose whether they get the morning's mail of what waits for them."""
    if not StaffMembership.objects.filter(user=request.user).exists():
        return {}
    instance = StaffMailSettings.objects.filter(user=request.user).first()
    form = StaffMailSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=instance or StaffMailSettings(user=request.user),
    )
    return {"forms": [form]}

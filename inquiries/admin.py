"""Reported messages in the back office — the one place where staff read a thread.

Inquiries themselves have no admin: threads are private to the two organisations.
A report shows the region's staff the reported message and its conversation, and
records what they did about it.
"""

from django.contrib import admin
from django.db.models import F
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import StaffRole

from . import safety_steps
from .models import MessageReport


def _moment(value):
    """A message's time as the site shows it: in the site's time zone, short format."""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


class ResolvedFilter(admin.SimpleListFilter):
    title = gettext_lazy("resolved")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", gettext_lazy("Open")), ("yes", gettext_lazy("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(MessageReport)
class MessageReportAdmin(RegionScopedAdmin):
    """Open reports first; saving with a note of what was done resolves the report."""

    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": StaffRole.MODERATOR,
        "delete": SUPERUSER_ONLY,
    }
    list_display = ["created_at", "reason", "listing_title", "reporter_email", "resolved_at"]
    list_filter = [ResolvedFilter, "reason"]
    list_select_related = ["message__inquiry__listing", "reported_by"]
    fields = [
        "reason",
        "text",
        "reporter_email",
        "created_at",
        "reported_message",
        "thread",
        "resolution",
        "resolved_at",
        "resolved_by",
    ]
    readonly_fields = [
        "reason",
        "text",
        "reporter_email",
        "created_at",
        "reported_message",
        "thread",
        "resolved_at",
        "resolved_by",
    ]

    def get_ordering(self, request):
        # Open reports (no resolution date) first, then the newest.
        return [F("resolved_at").asc(nulls_first=True), "-created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("listing"))
    def listing_title(self, report):
        return report.message.inquiry.listing.title

    @admin.display(description=gettext_lazy("reported by"))
    def reporter_email(self, report):
        return report.reported_by.email if report.reported_by else "–"

    @admin.display(description=gettext_lazy("reported message"))
    def reported_message(self, report):
        message = report.message
        return format_html(
            "<strong>{}</strong>, {}:<br>{}",
            message.organisation.name,
            _moment(message.created_at),
            linebreaksbr(message.body),
        )

    @admin.display(description=gettext_lazy("conversation"))
    def thread(self, report):
        inquiry = report.message.inquiry
        entries = inquiry.messages.order_by("created_at", "pk")
        return format_html(
            "<p>{} → {}: {}</p><ol>{}</ol>",
            inquiry.organisation.name,
            inquiry.listing_organisation.name,
            inquiry.listing.title,
            format_html_join(
                "",
                "<li><strong>{}</strong> ({}, {}): {}</li>",
                (
                    (
                        inquiry.organisation_of(entry.side).name,
                        _moment(entry.created_at),
                        entry.get_kind_display(),
                        linebreaksbr(entry.body),
                    )
                    for entry in entries
                ),
            ),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "resolution" and formfield is not None:
            formfield.help_text = _(
                "Saving a note resolves the report. Whoever reported the message is told by "
                "email that it was dealt with, not what you write here."
            )
        return formfield

    def save_model(self, request, obj, form, change):
        if obj.resolution.strip() and obj.resolved_at is None:
            safety_steps.resolve_report(obj, request.user, obj.resolution)
        else:
            super().save_model(request, obj, form, change)

"""The back office's figures (impact.report): a page per period with every region the
staff member may see side by side, its exports for funders, and the list of exchanges
handed over. Region-scoped as everything in the back office: staff of one region never
see another's figures; the operator sees every region on the portal host."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy

from core.backoffice import CsvExportAdmin, ReadOnly
from core.exports import csv_download
from regions.backoffice import RegionScopedAdmin
from regions.models import Region

from . import exports
from .forms import PeriodForm
from .models import HandedOver
from .report import build_report, exchange_rows, outcome_header

EXPORTS = {
    "figures.csv": exports.figures_csv,
    "exchanges.csv": exports.outcomes_csv,
    "xlsx": exports.workbook_xlsx,
}


def exchanges_csv(queryset, filename):
    return csv_download(filename, outcome_header(), exchange_rows(queryset))


@admin.register(HandedOver)
class HandedOverAdmin(ReadOnly, CsvExportAdmin, RegionScopedAdmin):
    """The exchanges the figures count, newest first; "Figures" above the list."""

    region_field = "inquiry.region"
    csv_name = "exchanges"
    write_csv = staticmethod(exchanges_csv)
    change_list_template = "admin/impact/change_list.html"
    list_display = ["completed_at", "listing_title", "terms", "giver", "receiver", "region"]
    list_filter = ["inquiry__listing__terms", ("inquiry__region", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "completed_at"
    search_fields = [
        "inquiry__listing__title",
        "inquiry__organisation__name",
        "inquiry__listing_organisation__name",
    ]
    actions = ["export_csv"]
    fields = ["completed_at", "listing_title", "terms", "giver", "receiver", "region", "thank_you"]
    readonly_fields = fields
    ordering = ["-completed_at", "-pk"]

    def region_of(self, obj):
        return obj.inquiry.region

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .achieved()
            .select_related(
                "inquiry__region",
                "inquiry__listing",
                "inquiry__organisation",
                "inquiry__listing_organisation",
            )
        )

    @admin.display(description=gettext_lazy("listing"), ordering="inquiry__listing__title")
    def listing_title(self, outcome):
        return outcome.inquiry.listing.title

    @admin.display(description=gettext_lazy("terms"), ordering="inquiry__listing__terms")
    def terms(self, outcome):
        return outcome.inquiry.listing.get_terms_display()

    @admin.display(description=gettext_lazy("giving organisation"))
    def giver(self, outcome):
        return outcome.inquiry.organisation_of(outcome.inquiry.giving_side)

    @admin.display(description=gettext_lazy("receiving organisation"))
    def receiver(self, outcome):
        return outcome.inquiry.receiving_organisation

    @admin.display(description=gettext_lazy("region"), ordering="inquiry__region__name")
    def region(self, outcome):
        return outcome.inquiry.region

    @admin.action(description=gettext_lazy("Export selected exchanges as CSV"))
    def export_csv(self, request, queryset):
        return self.export_selected(request, queryset)

    def get_urls(self):
        figures = path(
            "figures/",
            self.admin_site.admin_view(self.figures_view),
            name="impact_handedover_figures",
        )
        return [figures, *super().get_urls()]

    def report_regions(self, request):
        region_ids = self.staff_region_ids(request, "view")
        regions = Region.objects.order_by("name")
        return regions if region_ids is None else regions.filter(pk__in=region_ids)

    def figures_view(self, request):
        """The figures of a period (the last 12 months unless one is chosen), or one of
        its exports (?export=figures.csv, exchanges.csv or xlsx)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodForm(request.GET if request.GET else None)
        period = form.period()
        report = build_report(self.report_regions(request), period) if period else None
        export = EXPORTS.get(request.GET.get("export", ""))
        if export and report is not None:
            return export(report)
        query = request.GET.copy()
        query.pop("export", None)
        if period and not query:
            query.update({"start": period.start.isoformat(), "end": period.end.isoformat()})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_lazy("Figures"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "report": report,
            "query": query.urlencode(),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/impact/figures.html", context)

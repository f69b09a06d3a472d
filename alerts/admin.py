"""Saved searches and the region's news in the back office: staff see how many people of
their region receive which mail, never who (counts, not addresses)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path

from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import Region, StaffRole

from .models import DigestFrequency, DigestSubscription, Frequency, SavedSearch


@admin.register(DigestSubscription)
class RecipientsAdmin(RegionScopedAdmin):
    """One page of counts per region: recipients of the news by frequency, saved searches
    by frequency. Nothing here leads to a person."""

    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": SUPERUSER_ONLY,
        "delete": SUPERUSER_ONLY,
    }

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.changelist_view)
        return [path("", view, name="{}_{}_changelist".format(*info))]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        region_ids = self.staff_region_ids(request, "view")
        regions = Region.objects.order_by("name")
        if region_ids is not None:
            regions = regions.filter(pk__in=region_ids)
        news = {
            (row["region"], row["frequency"]): row["count"]
            for row in self.get_queryset(request)
            .values("region", "frequency")
            .annotate(count=Count("pk"))
        }
        searches = SavedSearch.objects.all()
        if region_ids is not None:
            searches = searches.in_regions(region_ids)
        searched = {
            row["region"]: row
            for row in searches.values("region").annotate(
                active=Count("pk", filter=Q(is_active=True)),
                people=Count("user", distinct=True),
                **{
                    frequency: Count("pk", filter=Q(is_active=True, frequency=frequency))
                    for frequency in Frequency.values
                },
            )
        }
        rows = [
            {
                "region": region,
                "news": [news.get((region.pk, value), 0) for value in DigestFrequency.values],
                "news_total": sum(
                    news.get((region.pk, value), 0) for value in DigestFrequency.values
                ),
                "searches": [
                    searched.get(region.pk, {}).get(value, 0) for value in Frequency.values
                ],
                "searches_active": searched.get(region.pk, {}).get("active", 0),
                "searchers": searched.get(region.pk, {}).get("people", 0),
            }
            for region in regions
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.opts.verbose_name_plural,
            "rows": rows,
            "news_labels": DigestFrequency.labels,
            "search_labels": Frequency.labels,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/alerts/recipients.html", context)

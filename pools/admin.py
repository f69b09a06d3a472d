"""Pools in the back office: staff of the region see every pool, its terms, how far it is
and who committed, read-only (pools change only through their organisations' steps). The
group thread stays private to the partners, as inquiry threads do."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.backoffice import ReadOnly, ReadOnlyInline
from regions.backoffice import RegionScopedAdmin

from .models import Commitment, Pool


class CommitmentInline(ReadOnlyInline):
    model = Commitment
    fields = ["organisation", "share", "use", "committed_at", "withdrawn_at"]
    readonly_fields = fields


@admin.register(Pool)
class PoolAdmin(ReadOnly, RegionScopedAdmin):
    list_display = [
        "listing",
        "organisation",
        "shared",
        "status",
        "partners",
        "covered",
        "join_until",
        "region",
    ]
    list_filter = ["status", "shared"]
    list_select_related = ["listing__organisation", "region"]
    search_fields = ["listing__title", "listing__organisation__name"]
    date_hierarchy = "created_at"
    fields = [
        "listing",
        "shared",
        "total_cost",
        "cost_basis",
        "partners_sought",
        "initiator_share",
        "use_split",
        "join_until",
        "status",
        "threshold_reached_at",
        "formed_at",
        "lapsed_at",
        "lapse_reason",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [CommitmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("organisation"), ordering="listing__organisation__name")
    def organisation(self, pool):
        return pool.listing.organisation

    @admin.display(description=_("partners"), ordering="partner_count")
    def partners(self, pool):
        return f"{pool.partner_count} / {pool.partners_sought}"

    @admin.display(description=_("cost covered"))
    def covered(self, pool):
        return f"{min(pool.initiator_share + pool.shares_committed, 100)} %"

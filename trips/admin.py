"""Routes in the back office: staff read where a transport listing goes and when, beside
the listing itself; members change them on the listing form only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import StaffRole

from .models import Route


@admin.register(Route)
class RouteAdmin(RegionScopedAdmin):
    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": SUPERUSER_ONLY,
        "delete": SUPERUSER_ONLY,
    }
    list_display = ["listing", "origin", "destination", "when", "weight_kg", "pallet_spaces"]
    list_select_related = ["listing", "origin", "destination"]
    list_filter = ["listing__direction", "is_cooled", "has_tail_lift"]
    search_fields = ["listing__title", "origin__name", "destination__name"]
    ordering = ["-listing__created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("When"))
    def when(self, route):
        if route.is_weekly:
            return _("every %(weekday)s") % {"weekday": route.get_weekday_display()}
        return route.date

"""API keys in the back office: staff of a region see its organisations' keys and revoke
them; nobody makes or edits one here (organisations do, on their page)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import StaffRole

from . import keys
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(RegionScopedAdmin):
    region_field = "region"
    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": StaffRole.MODERATOR,
        "delete": SUPERUSER_ONLY,
    }
    list_display = [
        "name",
        "organisation",
        "scope",
        "shown_prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "organisation__name"]
    list_select_related = ["organisation__region"]
    readonly_fields = [
        "organisation",
        "name",
        "scope",
        "shown_prefix",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("key begins with"))
    def shown_prefix(self, key):
        return key.shown_prefix

    @admin.action(description=gettext_lazy("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = sum(keys.revoke(key, request.user) for key in queryset)
        self.message_user(
            request,
            ngettext("%(count)s key revoked.", "%(count)s keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

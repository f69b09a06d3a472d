"""The Django admin as each region's back office.

`BackofficeSite` lets in superusers and region staff (only with two-factor
login) and titles itself after the region of the host. `RegionScopedAdmin` is
the base for every region-owned model: its lists, forms, lookups and actions see
only the staff member's regions, and anything outside them answers 404.
"""

from functools import update_wrapper
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RegionOwnedQuerySet, StaffRole
from .permissions import can_use_backoffice, staff_regions

SUPERUSER_ONLY = None


class BackofficeSite(admin.AdminSite):
    site_title = gettext_lazy("starkeRegion back office")
    index_title = gettext_lazy("Overview")
    site_url = "/"

    def each_context(self, request):
        context = super().each_context(request)
        region = getattr(request, "region", None)
        name = region.name if region else "starkeRegion"
        context["site_header"] = _("%(name)s · Back office") % {"name": name}
        context["site_title"] = context["site_header"]
        return context

    def has_permission(self, request):
        return can_use_backoffice(request.user)

    def admin_view(self, view, cacheable=False):
        guarded_view = super().admin_view(view, cacheable)

        def require_two_factor(request, *args, **kwargs):
            if self.has_permission(request) and not is_mfa_enabled(request.user):
                messages.warning(
                    request,
                    _("The back office needs two-factor authentication. Please set it up first."),
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
            return guarded_view(request, *args, **kwargs)

        return update_wrapper(require_two_factor, guarded_view)

    def password_change(self, request, extra_context=None):
        """One place to change a password: allauth's, which also notifies by email."""
        return HttpResponseRedirect(reverse("account_change_password"))

    def login(self, request, extra_context=None):
        """Sign-in goes through allauth, so its rate limits and two-factor step apply."""
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return HttpResponseRedirect(reverse("admin:index"))
        query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
        return HttpResponseRedirect(f"{reverse('account_login')}?{query}")


class RegionScopedAdmin(admin.ModelAdmin):
    """Base admin for region-owned models.

    `region_field` is the attribute leading from an object to its Region (None:
    the object is a Region). `minimum_roles` gives, per action, the least staff
    role that may take it (SUPERUSER_ONLY: nobody but the operator).
    """

    region_field = "region"
    # Addresses typed without a scheme are taken as https (Django 6's default already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": StaffRole.ADMIN,
        "change": StaffRole.ADMIN,
        "delete": StaffRole.ADMIN,
    }

    def staff_region_ids(self, request, action):
        """The ids of the regions this request may take `action` in; None means all of them."""
        if request.user.is_superuser:
            return None
        minimum_role = self.minimum_roles[action]
        if minimum_role is SUPERUSER_ONLY:
            return set()
        known = request.__dict__.setdefault("_staff_region_ids", {})
        if minimum_role not in known:
            known[minimum_role] = set(
                staff_regions(request.user, minimum_role).values_list("pk", flat=True)
            )
        return known[minimum_role]

    def region_of(self, obj):
        return obj if self.region_field is None else getattr(obj, self.region_field)

    def _allowed(self, request, action, obj=None):
        region_ids = self.staff_region_ids(request, action)
        if region_ids is None:
            return True
        if obj is None:
            return bool(region_ids)
        region = self.region_of(obj)
        return region is not None and region.pk in region_ids

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        region_ids = self.staff_region_ids(request, "view")
        return queryset if region_ids is None else queryset.in_regions(region_ids)

    def has_module_permission(self, request):
        return self._allowed(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices for a region, or for anything region-owned, come from the staff's regions."""
        related_queryset = db_field.related_model._default_manager.all()
        region_ids = self.staff_region_ids(request, "add")
        if region_ids is not None and isinstance(related_queryset, RegionOwnedQuerySet):
            kwargs["queryset"] = related_queryset.in_regions(region_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index saying the object does not exist; outside the
        # staff member's regions nothing may even hint at that, so answer plainly 404.
        raise Http404

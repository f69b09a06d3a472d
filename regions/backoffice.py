"""The Django admin as each region's back office.

`BackofficeSite` lets in superusers and region staff, only after a sign-in with
a second factor, and titles itself after the region of the host. On a region's
host it shows that region only (and only to its staff); the portal host is
where the operator and staff of several regions see all of theirs.
`RegionScopedAdmin` is the base for every region-owned model: its lists, forms,
lookups and actions see only those regions, and anything outside answers 404.
"""

from functools import update_wrapper
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RegionOwnedQuerySet, StaffRole
from .permissions import can_use_backoffice, has_staff_role, staff_regions
from .queues import waiting

SUPERUSER_ONLY = None


def passed_two_factor(request) -> bool:
    """Whether this session's sign-in included the second factor.

    allauth records each authentication step in the session (an internal API,
    hence this one wrapper); having an authenticator is not enough, since
    whoever knows a password could otherwise enrol an authenticator of their own.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


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

    def index(self, request, extra_context=None):
        """The overview, headed by what waits for staff in the regions this page shows."""
        context = {"queues": waiting(self.queue_region_ids(request)), **(extra_context or {})}
        return super().index(request, context)

    @staticmethod
    def queue_region_ids(request):
        """The regions whose queues the overview shows: the host's region, or on the portal
        host all of the staff member's (None: every region, for the operator)."""
        host_region = getattr(request, "region", None)
        if request.user.is_superuser:
            return None if host_region is None else {host_region.pk}
        regions = staff_regions(request.user)
        if host_region is not None:
            regions = regions.filter(pk=host_region.pk)
        return set(regions.values_list("pk", flat=True))

    def has_permission(self, request):
        user = request.user
        if not can_use_backoffice(user):
            return False
        region = getattr(request, "region", None)
        return region is None or user.is_superuser or has_staff_role(user, region)

    def admin_view(self, view, cacheable=False):
        guarded_view = super().admin_view(view, cacheable)

        def require_two_factor(request, *args, **kwargs):
            if self.has_permission(request):
                query = urlencode({"next": request.get_full_path()})
                if not is_mfa_enabled(request.user):
                    messages.warning(
                        request,
                        _(
                            "The back office needs two-factor authentication. "
                            "Please set it up first."
                        ),
                    )
                    return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
                if not passed_two_factor(request):
                    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
            return guarded_view(request, *args, **kwargs)

        return update_wrapper(require_two_factor, guarded_view)

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        view_on_site = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" redirects for any object it can find; this one only for
        objects the staff member may see, so it cannot be used to probe other regions."""
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model_admin = self._registry.get(content_type.model_class()) if content_type else None
        if model_admin is None:
            raise Http404
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError) as error:
            raise Http404 from error
        if obj is None or not hasattr(obj, "get_absolute_url"):
            raise Http404
        return HttpResponseRedirect(obj.get_absolute_url())

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
        """The ids of the regions this request may take `action` in; None means all of them.

        On a region's host that is at most this region; on the portal host, all of the
        staff member's regions (all regions for the operator).
        """
        host_region = getattr(request, "region", None)
        if request.user.is_superuser:
            return None if host_region is None else {host_region.pk}
        minimum_role = self.minimum_roles[action]
        if minimum_role is SUPERUSER_ONLY:
            return set()
        known = request.__dict__.setdefault("_staff_region_ids", {})
        if minimum_role not in known:
            regions = staff_regions(request.user, minimum_role)
            if host_region is not None:
                regions = regions.filter(pk=host_region.pk)
            known[minimum_role] = set(regions.values_list("pk", flat=True))
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

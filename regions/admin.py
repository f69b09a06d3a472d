from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.backoffice import CsvExportAdmin, OperatorChanges, OperatorOnly, ReadOnly

from . import onboarding
from .admin_staff import StaffInvitationAdmin  # noqa: F401  (registers it before RegionAdmin)
from .audit import AuditEntry
from .audit_exports import audit_csv
from .backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from .invitations import StaffInvitation
from .legal import starter_text
from .models import Place, Region, RegionDomain, RegionPage, StaffMembership, StaffRole
from .operators import InstallationOperator, PortalPage
from .places import UnknownDistrict, import_places


class RegionDomainFormSet(BaseInlineFormSet):
    """A region keeps at least one host name and exactly one primary one."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if kept and sum(bool(data.get("is_primary")) for data in kept) != 1:
            raise ValidationError(_("Mark exactly one host name as primary."))

    def save(self, commit=True):
        # Clear the old primary first, so the one-primary constraint holds at every step.
        if commit:
            changed = [form.instance.pk for form in self.forms if form.has_changed()]
            RegionDomain.objects.filter(pk__in=[pk for pk in changed if pk]).update(
                is_primary=False
            )
        return super().save(commit)


class RegionDomainInline(OperatorChanges, admin.TabularInline):
    """Host names are the operator's: only the operator sees, gives and changes them."""

    model = RegionDomain
    formset = RegionDomainFormSet
    extra = 0
    min_num = 1
    fields = ["host", "is_primary"]

    def get_formset(self, request, obj=None, **kwargs):
        # Django's inline admin never asks the formset to enforce min_num on deletion.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


OPERATOR_FIELDS = [
    "operator_name",
    "operator_address",
    "operator_representative",
    "operator_register",
    "operator_vat_id",
    "operator_supervisory_authority",
    "operator_email",
    "operator_phone",
    "operator_website",
    "operator_responsible_person",
    "operator_privacy_officer",
]


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    """Region administrators shape their region's look and texts; only the operator
    creates regions, gives them host names and switches them on or off. A new region starts
    switched off; its page shows the onboarding checklist, and it goes live through
    "Go live" (regions.onboarding.go_live) once the checklist holds, never by a checkbox."""

    region_field = None
    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": StaffRole.ADMIN,
        "delete": SUPERUSER_ONLY,
    }
    list_display = ["name", "slug", "district_key", "moderation", "is_active"]
    list_filter = ["is_active", "moderation"]
    search_fields = ["name", "slug", "district_key"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RegionDomainInline]
    change_form_template = "admin/regions/region/change_form.html"
    readonly_fields = ["is_active"]
    fieldsets = [
        (None, {"fields": ["name", "preposition", "slug", "district_key", "is_active"]}),
        (_("Branding"), {"fields": ["claim", "logo", "primary_color"]}),
        (
            _("Operator (shown in the imprint)"),
            {"fields": OPERATOR_FIELDS},
        ),
        (_("Rules"), {"fields": ["moderation"]}),
        (_("Embedding on other websites"), {"fields": ["embed_allowed_origins"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["is_active"]
        return ["name", "preposition", "slug", "district_key", "is_active"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not onboarding.has_places(form.instance):
            # A region created here gets its postal codes at once, as with `add_region`.
            try:
                import_places(form.instance.district_key)
            except UnknownDistrict as error:
                messages.warning(request, str(error))

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(require_POST(function))

        return [
            path(
                "<path:object_id>/go-live/", view(self.go_live_view), name="regions_region_go_live"
            ),
            path(
                "<path:object_id>/switch-off/",
                view(self.switch_off_view),
                name="regions_region_switch_off",
            ),
            *super().get_urls(),
        ]

    def _region_for_operator(self, request, object_id):
        region = self.get_object(request, object_id)
        if region is None:
            raise Http404
        if not request.user.is_superuser:
            raise PermissionDenied
        return region

    def go_live_view(self, request, object_id):
        region = self._region_for_operator(request, object_id)
        try:
            onboarding.go_live(region, request.user)
        except onboarding.OnboardingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(region)s is live.") % {"region": region.name})
        return HttpResponseRedirect(reverse("admin:regions_region_change", args=[region.pk]))

    def switch_off_view(self, request, object_id):
        region = self._region_for_operator(request, object_id)
        try:
            onboarding.switch_off(region, request.user)
        except onboarding.OnboardingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(region)s is switched off: its pages answer 404.") % {"region": region.name},
            )
        return HttpResponseRedirect(reverse("admin:regions_region_change", args=[region.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        region = self.get_object(request, object_id)
        if region is not None:
            extra_context = {
                **(extra_context or {}),
                "checklist": onboarding.checklist(region),
                "staff_members": list(
                    StaffMembership.objects.filter(region=region).select_related("user")
                ),
                "staff_invitations": list(
                    StaffInvitation.objects.filter(
                        region=region, accepted_at__isnull=True, revoked_at__isnull=True
                    )[:20]
                ),
                "can_invite_staff": self.admin_site.get_model_admin(
                    StaffInvitation
                ).has_add_permission(request),
            }
        without_places = Region.objects.without_places()
        if request.method == "GET" and region and without_places.filter(pk=region.pk).exists():
            messages.warning(
                request,
                _(
                    "No postal codes have been imported for %(region)s: it refuses the "
                    "addresses of its own towns. The operator loads them with "
                    "“python manage.py import_places %(key)s”."
                )
                % {"region": region.name, "key": region.district_key},
            )
        return super().change_view(request, object_id, form_url, extra_context)


class LegalPageAdmin:
    """What the region's and the portal's page admins share: the placeholders explained
    beside the text, and no deleting of a page the law asks for (the action included:
    Django asks `has_delete_permission` for each selected object)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.help_text = format_html(
                "{}<br>{}",
                _(
                    "Markdown: blank line between paragraphs, ## for a heading, - for a list "
                    "item, [text](https://…) for a link."
                ),
                _(
                    "The operator's details are filled in where the text names them in braces, "
                    "e.g. {operator_name}, {operator_address}, {operator_email}, "
                    "{operator_phone}, {operator_representative}, {operator_register}, "
                    "{operator_responsible_person}, {operator_privacy_officer}; a changed detail "
                    "reaches the page at once."
                ),
            )
        return field

    def is_required_page(self, obj):
        return obj is not None and obj.kind in RegionPage.REQUIRED


@admin.register(RegionPage)
class RegionPageAdmin(LegalPageAdmin, RegionScopedAdmin):
    list_display = ["title", "region", "kind", "updated_at"]
    list_filter = ["kind", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "body"]
    fields = ["region", "kind", "title", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["region", "kind"] if obj else []

    def save_model(self, request, obj, form, change):
        # The page no longer holds its starter text (regions.onboarding's checklist).
        if not change or {"title", "body"} & set(form.changed_data):
            obj.adapted_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if self.is_required_page(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(InstallationOperator)
class InstallationOperatorAdmin(OperatorOnly, admin.ModelAdmin):
    """The installation's one operator: changed, never deleted; added only while missing."""

    formfield_overrides = RegionScopedAdmin.formfield_overrides

    fieldsets = [
        (None, {"fields": OPERATOR_FIELDS}),
        (
            _("Technical operation (named in every privacy policy)"),
            {"fields": ["state", "hosting_provider", "email_provider", "log_retention"]},
        ),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser and not InstallationOperator.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        existing = InstallationOperator.objects.order_by("pk").first()
        if existing is not None and self.has_view_permission(request, existing):
            return HttpResponseRedirect(
                reverse("admin:regions_installationoperator_change", args=[existing.pk])
            )
        return super().changelist_view(request, extra_context)


@admin.register(PortalPage)
class PortalPageAdmin(LegalPageAdmin, OperatorOnly, admin.ModelAdmin):
    """The portal's own legal pages, the operator's: edited, never deleted. A page not yet
    saved is shown with its starter text, which "add" offers to adapt."""

    list_display = ["title", "kind", "updated_at"]
    fields = ["kind", "title", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind") or next(
            (kind for kind in PortalPage.Kind if not PortalPage.objects.filter(kind=kind).exists()),
            None,
        )
        if kind in PortalPage.Kind.values:
            with translation.override(settings.LANGUAGE_CODE):
                initial.setdefault("kind", kind)
                initial.setdefault("title", str(PortalPage.Kind(kind).label))
            initial.setdefault("body", starter_text(kind))
        return initial


@admin.register(StaffMembership)
class StaffMembershipAdmin(RegionScopedAdmin):
    """Who works in which back office is the operator's decision."""

    minimum_roles = dict.fromkeys(["view", "add", "change", "delete"], SUPERUSER_ONLY)
    list_display = ["user", "region", "role"]
    list_filter = ["role", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]


@admin.register(Place)
class PlaceAdmin(ReadOnly, OperatorOnly, admin.ModelAdmin):
    """Reference data from GeoNames, loaded by `import_places`; read-only for everyone."""

    list_display = ["postal_code", "name", "district_key", "latitude", "longitude"]
    list_filter = ["district_key"]
    search_fields = ["postal_code", "name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, CsvExportAdmin, RegionScopedAdmin):
    """Every moderation decision of the region, newest first; written by the services that
    decide, never here. Staff filter it and export it as CSV."""

    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": SUPERUSER_ONLY,
        "delete": SUPERUSER_ONLY,
    }
    csv_name = "moderation-log"
    write_csv = staticmethod(audit_csv)
    list_display = ["created_at", "actor_email", "action", "kind", "subject", "reason"]
    list_filter = [
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("region", admin.RelatedOnlyFieldListFilter),  # shown on the portal host only
        "created_at",
    ]
    list_select_related = ["actor", "content_type", "region"]
    search_fields = ["subject", "reason", "actor__email"]
    search_help_text = _("Object, reason or a staff member's email address")
    date_hierarchy = "created_at"
    actions = ["export_csv"]

    @admin.display(description=_("who"), ordering="actor__email")
    def actor_email(self, entry):
        return entry.actor.email if entry.actor else _("automatically")

    @admin.display(description=_("kind"), ordering="content_type")
    def kind(self, entry):
        return capfirst(entry.content_type.name)

    @admin.action(description=_("Export selected entries as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.export_selected(request, queryset)

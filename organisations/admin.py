"""Organisations in the back office.

Moderators check profiles and proofs of their regions and verify or reject them.
Verification changes only through the actions, which call the services, so every
decision is logged with its reason and the organisation's managers are told.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.backoffice import CsvExportAdmin, DecisionAdmin, ReadOnlyInline, decision_form
from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import Place, Region, StaffRole

from . import services
from .exports import organisations_csv
from .forms import OrganisationAdminForm
from .models import PROOF_LAPSES_SOON, PROOF_REMINDER_BEFORE, Membership, Organisation


class EligibleForDonationsFilter(admin.SimpleListFilter):
    title = gettext_lazy("eligible for donations")
    parameter_name = "eligible"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.eligible_for_donations()
        if self.value() == "no":
            return queryset.exclude(pk__in=Organisation.objects.eligible_for_donations())
        if self.value():
            raise IncorrectLookupParameters  # like the admin's own filters: never ignored
        return queryset


class ProofLapsingFilter(admin.SimpleListFilter):
    title = gettext_lazy("proof of status")
    parameter_name = "proof"

    def lookups(self, request, model_admin):
        return [
            (
                "lapsing",
                _("Lapses within %(days)d days or has lapsed") % {"days": PROOF_LAPSES_SOON.days},
            ),
            ("lapsed", _("Has lapsed")),
            (
                "verified-lapsing",
                _("Eligible, verified proof lapses within %(days)d days")
                % {"days": PROOF_REMINDER_BEFORE.days},
            ),
        ]

    def queryset(self, request, queryset):
        if self.value() == "lapsing":
            return queryset.with_proof_lapsing()
        if self.value() == "lapsed":
            return queryset.with_proof_lapsing(within=timedelta(days=-1))
        if self.value() == "verified-lapsing":
            return queryset.verified_proof_lapsing()
        if self.value():
            raise IncorrectLookupParameters
        return queryset


class SuspendedFilter(admin.SimpleListFilter):
    title = gettext_lazy("suspended")
    parameter_name = "suspended"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.suspended()
        if self.value() == "no":
            return queryset.filter(suspended_at__isnull=True)
        return queryset


class MembershipInline(ReadOnlyInline):
    """Who acts for the organisation; members manage this themselves on the site."""

    model = Membership
    fields = ["email", "role", "created_at"]
    readonly_fields = fields
    verbose_name = gettext_lazy("member")
    verbose_name_plural = gettext_lazy("members")

    @admin.display(description=gettext_lazy("email address"))
    def email(self, membership):
        return membership.user.email

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


REASON_REQUIRED = gettext_lazy("Please give a reason; the organisation will read it.")
VerifyForm = decision_form(
    "note",
    gettext_lazy("Note"),
    gettext_lazy("Optional. For staff only: kept as the internal note and in the history."),
)
RejectForm = decision_form(
    "reason",
    gettext_lazy("Reason"),
    gettext_lazy("The organisation's administrators read this in an email and on their profile."),
    required=REASON_REQUIRED,
)
SuspendForm = decision_form(
    "reason",
    gettext_lazy("Reason"),
    gettext_lazy("The organisation's managers read this in an email."),
    required=REASON_REQUIRED,
)
ReinstateForm = decision_form(
    "note",
    gettext_lazy("Note"),
    gettext_lazy("Optional. The organisation's managers read it in an email."),
)


@admin.register(Organisation)
class OrganisationAdmin(DecisionAdmin, CsvExportAdmin, RegionScopedAdmin):
    """Verification is the moderators' job; organisations are founded by members on the
    site (so only the operator adds them here). Deleting one takes its listings, conversations
    and history with it, so only the operator does that; staff reject an organisation."""

    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": StaffRole.MODERATOR,
        "delete": SUPERUSER_ONLY,
    }
    decision_template = "admin/organisations/decision.html"
    decision_error = services.OrganisationError
    csv_name = "organisations"
    write_csv = staticmethod(organisations_csv)
    form = OrganisationAdminForm
    list_display = [
        "name",
        "region",
        "type",
        "place",
        "verification",
        "eligible",
        "proof_valid_until",
    ]
    list_filter = [
        "verification",
        "type",
        ("region", admin.RelatedOnlyFieldListFilter),
        EligibleForDonationsFilter,
        ProofLapsingFilter,
        SuspendedFilter,
    ]
    list_select_related = ["region", "place"]
    search_fields = ["name", "place__name", "place__postal_code", "memberships__user__email"]
    search_help_text = gettext_lazy("Name, place, postal code or a member's email address")
    actions = ["verify", "reject", "suspend", "reinstate", "export_csv"]
    inlines = [MembershipInline]
    verification_fields = ["verification", "verified_at", "decided_by", "rejection_reason"]
    fieldsets = [
        (None, {"fields": ["name", "type", "legal_form", "sector", "size"]}),
        (gettext_lazy("Address"), {"fields": ["region", "street", "place"]}),
        (
            gettext_lazy("Profile"),
            {
                "fields": [
                    "website",
                    "public_email",
                    "public_phone",
                    "description",
                    "logo",
                    "named_as_giver",
                ]
            },
        ),
        (
            gettext_lazy("Verification"),
            {
                "fields": [
                    *verification_fields,
                    "verification_note",
                    "proof_link",
                    "proof_valid_until",
                    "proof_verified_until",
                    "suspended_at",
                    "suspension_reason",
                    "created_at",
                ],
                "description": gettext_lazy(
                    "Verify or reject with the actions in the list of organisations, so that "
                    "every decision is recorded and the organisation is told."
                ),
            },
        ),
    ]

    def get_list_display(self, request):
        # On a region's host the back office shows that region only: no need to repeat it.
        if getattr(request, "region", None) is not None:
            return [field for field in self.list_display if field != "region"]
        return self.list_display

    def get_readonly_fields(self, request, obj=None):
        # Being named on the impact page is the organisation's own choice.
        fields = [
            *self.verification_fields,
            "proof_link",
            "proof_verified_until",
            "suspended_at",
            "suspension_reason",
            "created_at",
            "named_as_giver",
        ]
        if obj is not None:
            fields.append("region")  # an organisation does not move to another region
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            # On the add form: the places of all regions; the form narrows them to the region.
            kwargs["queryset"] = Place.objects.filter(
                district_key__in=Region.objects.values("district_key")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Columns and read-only fields ------------------------------------------------------------

    @admin.display(boolean=True, description=gettext_lazy("eligible"))
    def eligible(self, organisation):
        """May receive donations (a verified school, association …)."""
        return organisation.is_eligible_for_donations

    @admin.display(description=gettext_lazy("decided by"))
    def decided_by(self, organisation):
        return organisation.verified_by.email if organisation.verified_by else "–"

    @admin.display(description=gettext_lazy("proof of status"))
    def proof_link(self, organisation):
        if not organisation.proof:
            return _("No proof uploaded.") if organisation.may_prove_status else "–"
        return format_html(
            '<a href="{}">{}</a>', self.proof_url(organisation), _("Download the proof")
        )

    @staticmethod
    def proof_url(organisation):
        """The file lives in private storage without a URL; this view checks who asks. It is
        reached on the organisation's own host, whichever host the back office runs on."""
        return organisation.region.reverse("organisation_proof_file", organisation.pk)

    # Verify and reject ----------------------------------------------------------------------

    def changeable(self, request, queryset):
        region_ids = self.staff_region_ids(request, "change")
        return queryset if region_ids is None else queryset.in_regions(region_ids)

    @admin.action(description=gettext_lazy("Verify selected organisations"), permissions=["change"])
    def verify(self, request, queryset):
        def decide(organisation, data):
            services.verify(organisation, request.user, data["note"])

        return self.decision(
            request,
            queryset,
            form_class=VerifyForm,
            action="verify",
            title=_("Verify organisations"),
            explanation=_(
                "Their managers are told by email; the decision is recorded in each "
                "organisation's history."
            ),
            button=_("Verify"),
            decide=decide,
            done=lambda count: ngettext(
                "%(count)d organisation has been verified; its managers are told by email.",
                "%(count)d organisations have been verified; their managers are told by email.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Reject selected organisations"), permissions=["change"])
    def reject(self, request, queryset):
        def decide(organisation, data):
            services.reject(organisation, request.user, data["reason"])

        return self.decision(
            request,
            queryset,
            form_class=RejectForm,
            action="reject",
            title=_("Reject organisations"),
            explanation=_(
                "Their managers are told by email, with your reason; the decision is recorded "
                "in each organisation's history."
            ),
            button=_("Reject"),
            decide=decide,
            done=lambda count: ngettext(
                "%(count)d organisation has been rejected; its managers are told by email.",
                "%(count)d organisations have been rejected; their managers are told by email.",
                count,
            ),
        )

    @admin.action(
        description=gettext_lazy("Suspend selected organisations"), permissions=["change"]
    )
    def suspend(self, request, queryset):
        def decide(organisation, data):
            services.suspend(organisation, request.user, data["reason"])

        return self.decision(
            request,
            queryset,
            form_class=SuspendForm,
            action="suspend",
            title=_("Suspend organisations"),
            explanation=_(
                "Their members can still log in and read, but no longer publish, send "
                "inquiries or write messages. Their managers are told by email, with your "
                "reason; the decision is recorded in the moderation log."
            ),
            button=_("Suspend"),
            decide=decide,
            done=lambda count: ngettext(
                "%(count)d organisation has been suspended; its managers are told by email.",
                "%(count)d organisations have been suspended; their managers are told by email.",
                count,
            ),
        )

    @admin.action(
        description=gettext_lazy("Lift the suspension of selected organisations"),
        permissions=["change"],
    )
    def reinstate(self, request, queryset):
        def decide(organisation, data):
            services.reinstate(organisation, request.user, data["note"])

        return self.decision(
            request,
            queryset,
            form_class=ReinstateForm,
            action="reinstate",
            title=_("Lift suspensions"),
            explanation=_(
                "They can publish, send inquiries and write messages again. Their managers "
                "are told by email."
            ),
            button=_("Lift the suspension"),
            decide=decide,
            done=lambda count: ngettext(
                "The suspension of %(count)d organisation has been lifted.",
                "The suspensions of %(count)d organisations have been lifted.",
                count,
            ),
        )

    def decision_objects(self, request, queryset):
        organisations = list(
            self.changeable(request, queryset)
            .select_related("region", "place")
            .prefetch_related("region__domains")
        )
        for organisation in organisations:
            organisation.proof_url = self.proof_url(organisation)
        return organisations

    # CSV --------------------------------------------------------------------------------------

    @admin.action(
        description=gettext_lazy("Export selected organisations as CSV"), permissions=["view"]
    )
    def export_csv(self, request, queryset):
        return self.export_selected(request, queryset)

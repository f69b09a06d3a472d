"""Reports in the back office: the region's queue, and the decisions staff take from it.

The queue shows what waits for staff first (open reports and requests for review), the
most-reported and newest at the top. A report's page lists every single report and the
owner's request for review; its buttons lead to the decisions, which call
moderation.services, so that each is logged with its reason and the owner is told.
"""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.backoffice import DecisionAdmin, ReadOnlyInline
from regions.backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from regions.models import StaffRole

from . import services
from .forms import DecisionForm, DismissForm, ReviewAnswerForm
from .models import WAITING, Case, CaseState, Decision, Report


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["created_at", "reason", "text", "reporter_organisation", "reporter_email"]
    readonly_fields = fields
    verbose_name = gettext_lazy("report")
    verbose_name_plural = gettext_lazy("single reports")

    def get_queryset(self, request):
        # Each row is titled with its case (Report.__str__): fetched with it.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "reported_by", "reporter_organisation", "case__listing", "case__organisation"
            )
        )

    @admin.display(description=gettext_lazy("reported by"))
    def reporter_email(self, report):
        return report.reported_by.email if report.reported_by else "–"


class WaitingFilter(admin.SimpleListFilter):
    title = gettext_lazy("to do")
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [("yes", _("Waits for staff")), ("no", _("Done"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=WAITING)
        if self.value() == "no":
            return queryset.exclude(state__in=WAITING)
        return queryset


@admin.register(Case)
class CaseAdmin(DecisionAdmin, RegionScopedAdmin):
    minimum_roles = {
        "view": StaffRole.MODERATOR,
        "add": SUPERUSER_ONLY,
        "change": SUPERUSER_ONLY,
        "delete": SUPERUSER_ONLY,
        "moderate": StaffRole.MODERATOR,
    }
    decision_template = "admin/moderation/decision.html"
    decision_error = services.ModerationError
    change_form_template = "admin/moderation/case/change_form.html"
    # The case's own page on the site is the owner's; staff open the reported thing instead.
    view_on_site = False
    list_display = [
        "subject",
        "kind",
        "organisation",
        "report_count",
        "last_reported_at",
        "state",
        "decision",
        "hidden",
    ]
    list_display_links = ["subject"]
    list_filter = [WaitingFilter, "state", "decision", "hidden"]
    list_select_related = ["listing", "organisation"]
    search_fields = ["listing__title", "organisation__name", "reports__text"]
    search_help_text = gettext_lazy("Title, organisation or the text of a report")
    actions = [
        "dismiss",
        "ask_to_fix",
        "remove_listing",
        "suspend_organisation",
        "uphold",
        "withdraw",
    ]
    inlines = [ReportInline]
    fieldsets = [
        (None, {"fields": ["subject", "kind", "organisation", "on_the_site", "state", "hidden"]}),
        (
            gettext_lazy("Reports"),
            {"fields": ["report_count", "created_at", "last_reported_at"]},
        ),
        (
            gettext_lazy("Decision"),
            {"fields": ["decision", "decision_text", "decided_by", "decided_at"]},
        ),
        (
            gettext_lazy("Review"),
            {
                "fields": [
                    "review_text",
                    "review_requested_at",
                    "review_requested_by",
                    "review_answer",
                    "closed_at",
                ]
            },
        ),
    ]
    readonly_fields = [field for _name, options in fieldsets for field in options["fields"]]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "listing", "organisation", "region", "decided_by", "review_requested_by"
            )
        )

    def get_ordering(self, request):
        # What waits for staff first, then the most-reported, then the newest.
        waiting_first = models.Case(
            models.When(state__in=WAITING, then=0), default=1, output_field=models.IntegerField()
        )
        return [waiting_first.asc(), "-report_count", "-last_reported_at", "-pk"]

    def has_moderate_permission(self, request, obj=None):
        return self._allowed(request, "moderate", obj)

    # Delete would leave the reporters' words behind nowhere; only the operator may.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=gettext_lazy("reported"), ordering="listing__title")
    def subject(self, case):
        return str(case)

    @admin.display(description=gettext_lazy("kind"))
    def kind(self, case):
        return _("Listing") if case.is_about_listing else _("Organisation")

    @admin.display(description=gettext_lazy("on the site"))
    def on_the_site(self, case):
        if case.listing is not None:
            url = case.region.reverse("listing_detail", pk=case.listing_id)
        else:
            url = case.region.reverse("organisation_profile", pk=case.organisation_id)
        return format_html('<a href="{}">{}</a>', url, _("Open it on the site"))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and self.has_moderate_permission(request, obj):
            context["decisions"] = self.decisions_for(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def decisions_for(self, case):
        """The actions a report's page offers as buttons, in its state."""
        if case.state == CaseState.OPEN:
            names = ["dismiss", "ask_to_fix", "suspend_organisation"]
            if case.is_about_listing:
                names.insert(2, "remove_listing")
        elif case.state == CaseState.REVIEW:
            names = ["uphold", "withdraw"]
        else:
            names = []
        return [(name, self.get_action(name)[2]) for name in names]

    # Decisions --------------------------------------------------------------------------

    def decision_objects(self, request, queryset):
        region_ids = self.staff_region_ids(request, "moderate")
        cases = queryset if region_ids is None else queryset.in_regions(region_ids)
        cases = list(
            cases.select_related("listing", "organisation", "region").prefetch_related(
                "region__domains"
            )
        )
        return cases

    def _decide(self, request, queryset, decision, form_class, title, explanation, button, done):
        return self.decision(
            request,
            queryset,
            form_class=form_class,
            action=request.POST.get("action"),
            title=title,
            explanation=explanation,
            button=button,
            decide=lambda case, data: services.decide(case, request.user, decision, data["text"]),
            done=done,
        )

    @admin.action(description=gettext_lazy("Dismiss the reports"), permissions=["moderate"])
    def dismiss(self, request, queryset):
        return self._decide(
            request,
            queryset,
            Decision.DISMISSED,
            DismissForm,
            _("Dismiss reports"),
            _(
                "Nothing is wrong: a hidden listing is shown again (its organisation is told), "
                "the reporters are not told."
            ),
            _("Dismiss"),
            lambda count: ngettext(
                "%(count)d report has been dismissed.",
                "%(count)d reports have been dismissed.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Ask the owner to fix it"), permissions=["moderate"])
    def ask_to_fix(self, request, queryset):
        return self._decide(
            request,
            queryset,
            Decision.FIX_REQUESTED,
            DecisionForm,
            _("Ask the owner to fix it"),
            _("The organisation is told by email what to change; a hidden listing is shown again."),
            _("Send"),
            lambda count: ngettext(
                "%(count)d organisation has been asked to fix it.",
                "%(count)d organisations have been asked to fix it.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Remove the listing"), permissions=["moderate"])
    def remove_listing(self, request, queryset):
        return self._decide(
            request,
            queryset,
            Decision.LISTING_REMOVED,
            DecisionForm,
            _("Remove the reported listings"),
            _("They disappear from the platform for good; their organisations are told why."),
            _("Remove"),
            lambda count: ngettext(
                "%(count)d listing has been removed.",
                "%(count)d listings have been removed.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Suspend the organisation"), permissions=["moderate"])
    def suspend_organisation(self, request, queryset):
        return self._decide(
            request,
            queryset,
            Decision.ORGANISATION_SUSPENDED,
            DecisionForm,
            _("Suspend the organisations"),
            _(
                "Their members can still log in and read, but no longer publish, send "
                "inquiries or write messages. They are told why."
            ),
            _("Suspend"),
            lambda count: ngettext(
                "%(count)d organisation has been suspended.",
                "%(count)d organisations have been suspended.",
                count,
            ),
        )

    def _answer(self, request, queryset, *, withdraw, title, explanation, button, done):
        return self.decision(
            request,
            queryset,
            form_class=ReviewAnswerForm,
            action=request.POST.get("action"),
            title=title,
            explanation=explanation,
            button=button,
            decide=lambda case, data: services.answer_review(
                case, request.user, data["text"], withdraw=withdraw
            ),
            done=done,
        )

    @admin.action(description=gettext_lazy("Review: keep the decision"), permissions=["moderate"])
    def uphold(self, request, queryset):
        return self._answer(
            request,
            queryset,
            withdraw=False,
            title=_("Keep the decision"),
            explanation=_("The organisation is told by email, with your answer."),
            button=_("Keep the decision"),
            done=lambda count: ngettext(
                "%(count)d review has been answered.",
                "%(count)d reviews have been answered.",
                count,
            ),
        )

    @admin.action(
        description=gettext_lazy("Review: withdraw the decision"), permissions=["moderate"]
    )
    def withdraw(self, request, queryset):
        return self._answer(
            request,
            queryset,
            withdraw=True,
            title=_("Withdraw the decision"),
            explanation=_(
                "A suspension is lifted and a hidden listing shown again; a removed listing "
                "stays removed (the organisation may publish it anew). The organisation is "
                "told by email, with your answer."
            ),
            button=_("Withdraw the decision"),
            done=lambda count: ngettext(
                "%(count)d decision has been withdrawn.",
                "%(count)d decisions have been withdrawn.",
                count,
            ),
        )

"""What the back office's admins share, whichever app they belong to: who may change what
the operator keeps, read-only inlines, decisions that ask for a reason on a page of their
own, and CSV exports of a changelist. Plain Django admin; the region scoping lives in
regions.backoffice.RegionScopedAdmin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Permissions ---------------------------------------------------------------------------------


class OperatorChanges:
    """Only the operator (superuser) adds, changes and deletes; who sees it is the admin's."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OperatorOnly(OperatorChanges):
    """Serves every region (the category tree, the places): only the operator sees it."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class ReadOnly:
    """Shown, never written through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Shown only inside an object the region-scoped admin already let this user see."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True


# Decisions with a reason ---------------------------------------------------------------------


class DecisionAdmin:
    """Actions that decide on each selected object through a service (approve, reject,
    verify …): an intermediate page lists the selection and asks for confirmation and,
    where the form has fields, a note or reason; then all of them are decided, or none if
    a rule stops one.

    A subclass names the template that lists the selection (extending
    "admin/decision.html"), the service's error class, and prepares the objects."""

    decision_template = "admin/decision.html"
    decision_error = Exception

    def decision_objects(self, request, queryset) -> list:
        """The selected objects this user may decide on, ready for the page."""
        return list(queryset)

    def decision(
        self, request, queryset, *, form_class, action, title, explanation, button, decide, done
    ):
        objects = self.decision_objects(request, queryset)
        if not objects:
            self.message_user(
                request,
                _(
                    "Items must be selected in order to perform actions on them. "
                    "No items have been changed."
                ),
                messages.WARNING,
            )
            return None
        form = form_class(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            current = None
            try:
                with transaction.atomic():
                    for current in objects:
                        decide(current, form.cleaned_data)
            except self.decision_error as error:
                self.message_user(
                    request,
                    _("Nothing has been changed. “%(title)s”: %(error)s")
                    % {"title": current, "error": error},
                    messages.ERROR,
                )
            else:
                self.message_user(request, done(len(objects)) % {"count": len(objects)})
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "objects": objects,
            "explanation": explanation,
            "adminform": helpers.AdminForm(
                form, [(None, {"fields": list(form.fields)})] if form.fields else [], {}
            ),
            "errors": helpers.AdminErrorList(form, []),
            "action": action,
            "button": button,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.decision_template, context)


DECISION_TEXT_LENGTH = 2000


def decision_form(name, label, help_text, *, required=None):
    """The form of a decision page: one text, a reason the other side reads (`required`
    is then the message shown when it is left empty) or, without `required`, an optional
    note."""
    field = forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=DECISION_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4 if required else 3, "cols": 60}),
        error_messages={
            "required": required or "",
            "max_length": gettext_lazy("Please keep this under %(limit_value)s characters."),
        },
    )
    return type("DecisionForm", (forms.Form,), {name: field})


# CSV -----------------------------------------------------------------------------------------


class CsvExportAdmin:
    """The changelist as a CSV file: the selection through an action (the subclass declares
    it with its own label and calls `export_selected`), or the whole list as filtered and
    searched through the "export/" address.

    `write_csv(queryset, filename)` makes the response; files are named
    "<csv_name>-<region or all>-<date>.csv"."""

    csv_name = "export"
    change_list_template = "admin/change_list_with_export.html"

    @staticmethod
    def write_csv(queryset, filename):
        raise NotImplementedError

    def csv_filename(self, request):
        region = getattr(request, "region", None)
        return f"{self.csv_name}-{region.slug if region else 'all'}-{timezone.localdate()}.csv"

    def export_selected(self, request, queryset):
        return self.write_csv(queryset, self.csv_filename(request))

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The whole list as filtered and searched on the changelist, as CSV.

        A filter the list does not know (a parameter or a value) is refused with 400, not
        left out: a file for funders that quietly ignored a filter would count the wrong
        things."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
            queryset = changelist.get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                _(
                    "This list cannot be exported: one of its filters is unknown or has an "
                    "unknown value. Filter the list in the back office again, then export it."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return self.write_csv(queryset, self.csv_filename(request))

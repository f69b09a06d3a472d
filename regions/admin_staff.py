"""Staff invitations in the back office: the operator, or a region administrator for their
own region, invites an address in a role (regions.staffing); the list shows each
invitation's state, and actions send one again or revoke it."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import staffing
from .backoffice import SUPERUSER_ONLY, RegionScopedAdmin
from .invitations import StaffInvitation
from .models import StaffRole


class StaffInvitationForm(forms.ModelForm):
    class Meta:
        model = StaffInvitation
        fields = ["region", "email", "role"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        region, email = cleaned.get("region"), cleaned.get("email")
        if region and email and staffing.already_staff(region, email):
            self.add_error(
                "email",
                _("%(email)s already works for %(region)s.")
                % {"email": email, "region": region.name},
            )
        return cleaned


@admin.register(StaffInvitation)
class StaffInvitationAdmin(RegionScopedAdmin):
    minimum_roles = {
        "view": StaffRole.ADMIN,
        "add": StaffRole.ADMIN,
        "change": SUPERUSER_ONLY,
        "delete": SUPERUSER_ONLY,
    }
    form = StaffInvitationForm
    list_display = ["email", "region", "role", "state", "sent_at", "invited_by"]
    list_filter = ["role", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region", "invited_by"]
    search_fields = ["email"]
    actions = ["resend", "revoke"]
    readonly_fields = ["state", "sent_at", "invited_by", "accepted_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["region", "email", "role"]
        return ["region", "email", "role", *self.readonly_fields]

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is sent, resent or revoked, never edited

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, so that the list keeps what was sent

    @admin.display(description=gettext_lazy("state"))
    def state(self, invitation):
        return invitation.get_state_display()

    def save_model(self, request, obj, form, change):
        staffing.invite_staff(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(
            request,
            _("The invitation to %(email)s is sent.") % {"email": obj.email},
        )
        return HttpResponseRedirect(reverse("admin:regions_region_change", args=[obj.region_id]))

    @admin.action(description=gettext_lazy("Send selected invitations again"), permissions=["add"])
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset:
            try:
                staffing.resend(request, invitation)
            except staffing.StaffInvitationError as error:
                messages.warning(request, str(error))
            else:
                sent += 1
        if sent:
            messages.success(request, _("Invitations sent again: %(count)d.") % {"count": sent})

    @admin.action(description=gettext_lazy("Revoke selected invitations"), permissions=["add"])
    def revoke(self, request, queryset):
        revoked = sum(staffing.revoke(invitation) for invitation in queryset)
        messages.success(request, _("Invitations revoked: %(count)d.") % {"count": revoked})

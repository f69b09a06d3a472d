from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, Scope


class ApiKeyForm(forms.ModelForm):
    """A new key: its name, what it may do and, if it should end, when."""

    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Optional. After this day the key no longer works."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}
        help_texts = {
            "scope": _(
                "“Read” sees your organisation's listings in every state; “read and write” "
                "also creates and changes them."
            )
        }
        error_messages = {"name": {"required": _("Please name the key.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = Scope.choices

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise ValidationError(_("Please choose a day after today."), code="expiry_in_the_past")
        return day

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if not day:
            return None
        # Valid through the day chosen, in the region's time.
        return timezone.make_aware(datetime.combine(day, time.max))

from django import forms
from django.utils.translation import gettext_lazy as _

from core.backoffice import decision_form

from .models import MAX_TEXT_LENGTH, ReportReason, StaffMailSettings


def text_field(label, *, required, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Please write a few words."),
            "max_length": _("Please keep this under %(limit_value)s characters."),
        },
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    text = text_field(
        _("Details"),
        required=False,
        help_text=_("What should the staff know? Required for “Something else”."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == ReportReason.OTHER and not cleaned.get("text", "").strip():
            self.add_error("text", _("Please describe what is wrong."))
        return cleaned


class ReviewForm(forms.Form):
    text = text_field(
        _("Your answer to the staff"),
        required=True,
        help_text=_(
            "Say why you think the decision is wrong, or what you have changed. You can ask "
            "for a review only once."
        ),
    )


# The back office's decision pages (moderation.admin) ----------------------------------------


DismissForm = decision_form("text", _("Note"), _("Optional; kept in the moderation log."))
DecisionForm = decision_form(
    "text",
    _("Reason"),
    _(
        "The organisation reads this in an email, and may answer it once to ask for a "
        "review. Say what is wrong and, where it can be fixed, what to change."
    ),
    required=_("Please give a reason; the organisation will read it."),
)
ReviewAnswerForm = decision_form(
    "text",
    _("Answer"),
    _("The organisation reads this in an email."),
    required=_("Please write an answer; the organisation will read it."),
)


class StaffMailSettingsForm(forms.ModelForm):
    """On "E-Mail-Einstellungen", for staff only (moderation.contributions)."""

    legend = _("Back office")
    prefix = "backoffice"

    class Meta:
        model = StaffMailSettings
        fields = ["queue_mail"]

"""Forms of the exchange. Each rule a member can break (too many pieces, a period
already booked, an empty message) is a message at its field; the steps themselves are
in inquiries.services, which checks again under lock."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from . import rules, services
from .models import (
    MAX_MESSAGE_LENGTH,
    MAX_THANK_YOU_LENGTH,
    NotificationSettings,
    ReportReason,
    Status,
)

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
MAX_QUANTITY = 1_000_000


def message_field(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=True,
        error_messages={
            "required": _("Please write a message."),
            "max_length": _("Please keep the message under %(limit_value)s characters."),
        },
    )


def date_field(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(**DATE_WIDGET),
        error_messages={
            "required": _("Please enter a date."),
            "invalid": _("Please enter a date, for example 24.12.2026."),
        },
    )


class InquiryForm(forms.Form):
    """ "Anfragen" on an offer, "Ich kann helfen" on a request; asks for the quantity or
    the period only where the listing is claimed or booked that way."""

    body = message_field(_("Your message"))
    quantity = forms.IntegerField(
        label=_("How many do you need?"),
        min_value=1,
        validators=[MaxValueValidator(MAX_QUANTITY)],
        error_messages={
            "required": _("Please enter how many you need."),
            "invalid": _("Please enter a whole number."),
            "min_value": _("Please enter at least 1."),
        },
    )
    period_start = date_field(_("From"))
    period_end = date_field(_("Until"))

    def __init__(self, *args, listing, **kwargs):
        super().__init__(*args, **kwargs)
        self.listing = listing
        is_offer = listing.is_offer
        if not is_offer or listing.books_periods:
            del self.fields["quantity"]
        else:
            self.fields["quantity"].widget.attrs.update(min=1, max=listing.quantity_left)
            self.fields["quantity"].initial = 1
            self.fields["quantity"].help_text = _("Still available: %(left)s") % {
                "left": listing.quantity_left_display
            }
        if not (is_offer and listing.books_periods):
            del self.fields["period_start"]
            del self.fields["period_end"]
        else:
            today = timezone.localdate().isoformat()
            self.fields["period_start"].widget.attrs["min"] = today
            self.fields["period_end"].widget.attrs["min"] = today
        if is_offer:
            self.fields["body"].help_text = _(
                "Introduce your organisation briefly and say what you need it for."
            )
        else:
            self.fields["body"].label = _("How can you help?")

    @property
    def period(self):
        if "period_start" not in self.fields:
            return None
        return self.cleaned_data["period_start"], self.cleaned_data["period_end"]

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        try:
            rules.check_quantity(self.listing, quantity)
        except services.InquiryError as error:
            raise forms.ValidationError(str(error)) from error
        return quantity

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            try:
                rules.check_period(self.listing, start, end)
            except services.InquiryError as error:
                field = "period_end" if end < start else "period_start"
                self.add_error(field, str(error))
        return data


class MessageForm(forms.Form):
    body = message_field(_("Your message"))


class ReasonForm(forms.Form):
    reason = message_field(
        _("Reason (optional)"),
        required=False,
        help_text=_("The other organisation reads it in the conversation."),
    )


class HandoverForm(forms.Form):
    handover_on = date_field(_("Handover date"))

    def clean_handover_on(self):
        day = self.cleaned_data["handover_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The handover date must not be in the past."))
        return day


class OptionalHandoverForm(HandoverForm):
    """Accepting may name the handover date at once, or leave it for later."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handover_on"].required = False
        self.fields["handover_on"].label = _("Handover date (optional)")


class InboxFilterForm(forms.Form):
    """The inbox's query string. A value it cannot read is left out of the filter, as on
    the search page; the other values still apply."""

    BOXES = {
        "all": _("All"),
        "received": _("Received"),
        "sent": _("Sent"),
    }

    box = forms.ChoiceField(choices=list(BOXES.items()), required=False)
    status = forms.ChoiceField(choices=Status.choices, required=False)
    listing = forms.IntegerField(min_value=1, max_value=2**53, required=False)

    def value(self, name):
        """The field's value, or empty where the query string has none it can read."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    def filter(self, inquiries, organisation):
        box = self.value("box") or "all"
        inquiries = {
            "all": inquiries.of_organisation(organisation),
            "received": inquiries.received_by(organisation),
            "sent": inquiries.sent_by(organisation),
        }[box]
        if status := self.value("status"):
            inquiries = inquiries.filter(status=status)
        if listing := self.value("listing"):
            inquiries = inquiries.filter(listing_id=listing)
        return inquiries


class UnblockForm(forms.Form):
    """Which of the organisations it blocked the organisation lets contact it again."""

    organisation = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            blocked_by__organisation=organisation
        )


class OutcomeForm(forms.Form):
    """ "Did it work out?" – with a thank-you note from the receiving side."""

    succeeded = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")},
    )
    thank_you = forms.CharField(
        label=_("A thank-you note (optional)"),
        help_text=_("A few words for the other organisation; they may allow it to be shown."),
        required=False,
        max_length=MAX_THANK_YOU_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the note under %(limit_value)s characters.")},
    )

    def __init__(self, *args, is_giver, **kwargs):
        super().__init__(*args, **kwargs)
        if is_giver:
            del self.fields["thank_you"]


class ThankYouConsentForm(forms.Form):
    """The giving side's consent, given once it has read the note."""

    public = forms.BooleanField(
        label=_("The thank-you note may be shown on our profile and the region's pages"),
        required=False,
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this message?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    text = forms.CharField(
        label=_("Anything the staff should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep this under %(limit_value)s characters.")},
    )


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["new_inquiry", "message", "status"]

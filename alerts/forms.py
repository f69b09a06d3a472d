from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DigestFrequency, SavedSearch


class SavedSearchForm(forms.ModelForm):
    """A saved search's name and how often its mails come."""

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"name": _("Name of the search"), "frequency": _("Email me new listings")}
        help_texts = {"name": _("So that you recognise the search in the mails and the list.")}
        error_messages = {
            "name": {
                "required": _("Please give the search a name."),
                "max_length": _("Please shorten the name to at most %(limit_value)d characters."),
            },
            "frequency": {"required": _("Please choose how often you want emails.")},
        }


class DigestForm(forms.Form):
    """Whether, and how often, the person gets "Neu in <Region>"."""

    frequency = forms.ChoiceField(
        label=_("Email me the region's new listings"),
        choices=[("", _("No, thanks")), *DigestFrequency.choices],
        required=False,
        widget=forms.RadioSelect,
    )

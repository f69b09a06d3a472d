from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MatchSettings


class MatchSettingsForm(forms.ModelForm):
    legend = _("Offers and requests that fit")
    prefix = "matching"

    class Meta:
        model = MatchSettings
        fields = ["match_mails"]

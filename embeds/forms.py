"""The form of the "Einbinden" page: the embed's options, with the organisations the
user may choose (embeds.permissions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .options import EmbedOptionsForm
from .permissions import BuilderScope


class BuilderForm(EmbedOptionsForm):
    def __init__(self, data, *, catalogue, scope: BuilderScope, **kwargs):
        super().__init__(data, catalogue=catalogue, **kwargs)
        choices = [(organisation.pk, organisation.name) for organisation in scope.organisations]
        if scope.whole_region:
            choices.insert(0, ("", _("All organisations of the region")))
        self.fields["organisation"] = forms.TypedChoiceField(
            label=_("Whose listings"),
            help_text=_("One organisation's listings, for its own website."),
            choices=choices,
            coerce=int,
            empty_value=None,
            required=not scope.whole_region,
        )

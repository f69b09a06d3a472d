"""What an embed shows, read from its query string.

The same names and values as the search page (`direction`, `category`, `terms`,
`audience`), so a search's filters carry over, plus what only an embed has: how many
listings (`count`, 1–10), the `layout` (portrait for a sidebar, landscape for a banner),
one organisation's own listings (`organisation`) and the language (`lang`), since an
iframe on another site does not get the visitor's language cookie.

Wrong values (an unknown category, a count that is not a number) answer 400 with the
form's message; a count outside 1–10 is brought within it.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from listings.catalogue import Catalogue
from listings.models import Audience, Direction, Terms

MIN_COUNT, MAX_COUNT, DEFAULT_COUNT = 1, 10, 5
UNKNOWN_ORGANISATION = _("This region has no organisation with this number.")


class Layout:
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"
    CHOICES = [
        (PORTRAIT, _("Portrait: one below the other, for a sidebar")),
        (LANDSCAPE, _("Landscape: side by side, for a banner")),
    ]


@dataclass(frozen=True)
class EmbedOptions:
    """The options of one embed, normalised: equal options give equal keys and URLs."""

    count: int = DEFAULT_COUNT
    layout: str = Layout.PORTRAIT
    direction: str = ""
    category: str = ""
    terms: tuple[str, ...] = ()
    audience: tuple[int, ...] = ()
    organisation: int | None = None
    language: str = ""  # empty: the visitor's (German unless their cookie says otherwise)

    def query(self) -> str:
        """The query string of the embed's address; options at their default are left out."""
        pairs = [("count", self.count)] if self.count != DEFAULT_COUNT else []
        if self.layout != Layout.PORTRAIT:
            pairs.append(("layout", self.layout))
        pairs += [("direction", self.direction)] if self.direction else []
        pairs += [("category", self.category)] if self.category else []
        pairs += [("terms", value) for value in self.terms]
        pairs += [("audience", value) for value in self.audience]
        pairs += [("organisation", self.organisation)] if self.organisation else []
        pairs += [("lang", self.language)] if self.language else []
        return urlencode(pairs)

    def search_query(self) -> str:
        """The search page's query string for the same listings (the embed's "show all")."""
        pairs = [("direction", self.direction)] if self.direction else []
        pairs += [("category", self.category)] if self.category else []
        pairs += [("terms", value) for value in self.terms]
        pairs += [("audience", value) for value in self.audience]
        return urlencode(pairs)


class EmbedOptionsForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of listings"),
        help_text=_("From 1 to 10."),
        required=False,
        min_value=None,
        initial=DEFAULT_COUNT,
        widget=forms.NumberInput(attrs={"min": MIN_COUNT, "max": MAX_COUNT}),
    )
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=Layout.CHOICES,
        required=False,
        initial=Layout.PORTRAIT,
        widget=forms.RadioSelect,
    )
    direction = forms.ChoiceField(
        label=_("Offers or requests"),
        choices=[
            ("", _("Both")),
            (Direction.OFFER, _("Offers")),
            (Direction.REQUEST, _("Requests")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    terms = forms.MultipleChoiceField(
        label=_("Terms"),
        help_text=_("None ticked: all."),
        choices=Terms.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.TypedMultipleChoiceField(
        label=_("Open to"),
        help_text=_("For example donations for schools: tick “Donation” and “Schools”."),
        choices=Audience.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.IntegerField(
        label=_("Organisation"), required=False, min_value=1, widget=forms.HiddenInput
    )
    lang = forms.ChoiceField(
        label=_("Language"),
        help_text=_("Automatic: German, or English for visitors who chose it on this site."),
        choices=[("", _("Automatic")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, data, *, catalogue: Catalogue, **kwargs):
        super().__init__(data, **kwargs)
        self.catalogue = catalogue
        self.fields["category"].choices = category_options(catalogue)

    def clean_count(self):
        count = self.cleaned_data["count"]
        return DEFAULT_COUNT if count is None else min(max(count, MIN_COUNT), MAX_COUNT)

    def options(self) -> EmbedOptions:
        """The valid options (call after is_valid())."""
        data = self.cleaned_data
        return EmbedOptions(
            count=data["count"],
            layout=data["layout"] or Layout.PORTRAIT,
            direction=data["direction"],
            category=data["category"],
            terms=tuple(sorted(set(data["terms"]))),
            audience=tuple(sorted(set(data["audience"]))),
            organisation=data["organisation"],
            language=data["lang"],
        )


def category_options(catalogue: Catalogue):
    """One option group per category group, led by the whole group; as on the search page."""
    options = [("", _("All categories"))]
    group = None
    for choice in catalogue.choices:
        if choice.category.is_group:
            group = [(choice.category.slug, _("All in this group"))]
            options.append((choice.category.name, group))
        elif group is not None:
            group.append((choice.category.slug, choice.category.name))
    return options

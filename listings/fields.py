"""The fields the listing forms are built of: categories under their groups, offer or
request, amounts written as people write them, a category's attributes, and the
checkboxes whose ticks are stored as bits (audience, places of use)."""

import re
from decimal import Decimal

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from .models import AttributeKind, Audience, Category, Direction, PlaceOfUse

# Categories ---------------------------------------------------------------------------------


def categories_to_file_under():
    """Active categories of active groups, in the tree's order. (A listing whose category
    the operator has retired since must move to another one when it is next edited.)"""
    return (
        Category.objects.leaves()
        .filter(is_active=True, parent__is_active=True)
        .select_related("parent")
        .order_by("parent__position", "parent__name", "position", "name")
    )


class GroupedCategoryIterator(forms.models.ModelChoiceIterator):
    """The categories under their group's name, for <optgroup>s or fieldsets of radios."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for category in self.queryset:
            groups.setdefault(category.parent.name, []).append(self.choice(category))
        yield from groups.items()


class CategoryField(forms.ModelChoiceField):
    iterator = GroupedCategoryIterator

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Category"))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Please choose a category."),
                "invalid_choice": _("Please choose one of the categories listed."),
            },
        )
        super().__init__(categories_to_file_under(), **kwargs)

    def label_from_instance(self, category):
        return category.name


class GroupedRadioSelect(forms.RadioSelect):
    """Radio buttons in one fieldset per group, so that 20 categories stay easy to scan."""

    template_name = "listings/_grouped_radios.html"


DIRECTION_HELP = _("An offer is something you have; a request is something you need.")


def direction_field(widget):
    return forms.ChoiceField(
        label=_("Offer or request"),
        choices=Direction.choices,
        widget=widget,
        help_text=DIRECTION_HELP,
        error_messages={
            "required": _("Please choose whether you offer or need something."),
            "invalid_choice": _("Please choose “offer” or “request”."),
        },
    )


# Amounts ----------------------------------------------------------------------------------


class AmountField(forms.DecimalField):
    """A decimal as people write it in the page's language: in German "1.250,50" and
    "1.250" mean one thousand two hundred and fifty, not 1.25."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            decimal_separator = get_format("DECIMAL_SEPARATOR")
            thousands = get_format("THOUSAND_SEPARATOR")
            grouped = rf"\d{{1,3}}({re.escape(thousands)}\d{{3}})+"
            value = "".join(value.split())
            if decimal_separator in value or re.fullmatch(grouped, value):
                value = value.replace(thousands, "").replace(decimal_separator, ".")
        return super().to_python(value)


# Category attributes ------------------------------------------------------------------------


def attribute_field(definition):
    """The form field for one CategoryAttribute; every attribute is optional."""
    label = f"{definition.label} ({definition.unit})" if definition.unit else definition.label
    if definition.kind == AttributeKind.NUMBER:
        return AmountField(
            label=label, required=False, max_digits=12, decimal_places=2, min_value=Decimal(0)
        )
    if definition.kind == AttributeKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=[(c, c) for c in definition.choice_list],
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Tick all that apply."),
        )
    if definition.kind == AttributeKind.CHOICE:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", _("– not stated –"))] + [(c, c) for c in definition.choice_list],
        )
    if definition.kind == AttributeKind.BOOLEAN:
        return forms.BooleanField(label=label, required=False)
    return forms.CharField(label=label, required=False, max_length=200)


def stored_value(value):
    """A cleaned attribute as JSON keeps it: numbers as numbers (so that searches can
    compare them), None for empty so that it is dropped."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return value.strip() or None
    return value or None  # an unticked box says nothing either way


# Bits ---------------------------------------------------------------------------------------


class BitsField(forms.TypedMultipleChoiceField):
    """Checkboxes of IntegerChoices whose values are bits; cleans to the sum of the
    ticked bits, which is how the listing stores them."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, bits, **kwargs):
        self.bits = bits
        super().__init__(choices=bits.choices, coerce=int, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):  # the stored sum, e.g. from the instance
            return [bit for bit in self.bits.values if value & bit]
        return value

    def clean(self, value):
        return sum(set(super().clean(value)))


class AudienceField(BitsField):
    """Checkboxes of Audience."""

    def __init__(self, **kwargs):
        super().__init__(
            Audience,
            label=_("Who may respond?"),
            help_text=_("Only organisations of the kinds you tick can answer your listing."),
            error_messages={
                "required": _("Please tick at least one group that may respond."),
                "invalid_choice": _("Please tick only the groups listed."),
            },
            **kwargs,
        )


class PlacesOfUseField(BitsField):
    """Checkboxes of PlaceOfUse: at the customer's, at the provider's, on request."""

    def __init__(self, **kwargs):
        super().__init__(
            PlaceOfUse,
            label=_("Place of use"),
            help_text=_("Where what you offer or need is used; tick all that apply."),
            error_messages={
                "required": _("Please tick at least one place of use."),
                "invalid_choice": _("Please tick only the places listed."),
            },
            **kwargs,
        )

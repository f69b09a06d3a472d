"""The search's filters that take more than a line: a place of the region (a postal code
or a name, cleaned to where the search starts from) and the filters of a category's
attributes (listings/filtersets.py puts them together)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.places import places_of

from . import search
from .attributes import holds_any_of
from .models import AttributeKind

HIGHEST_NUMBER = 10_000_000  # far beyond any price or attribute, and safe in every database


class PlaceInput(forms.TextInput):
    """A text input that suggests the region's places as one types (a <datalist>: the
    browser's own suggestions, no JavaScript of ours). Each place of a shared postal code
    is offered on its own, "14542 Werder (Havel)" beside "14542 Schwielowsee"."""

    template_name = "listings/widgets/place_input.html"
    region = None  # whose places; read when the input is drawn, not when a search is run

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if self.region is not None and widget["attrs"].get("id"):
            widget["list_id"] = f"{widget['attrs']['id']}-places"
            widget["attrs"] |= {"list": widget["list_id"], "autocomplete": "off"}
            widget["places"] = [f"{p.postal_code} {p.name}" for p in places_of(self.region)]
        return context


class PlaceField(forms.CharField):
    """A postal code or place name of the region, cleaned to a search.Origin."""

    widget = PlaceInput

    def __init__(self, *, region, **kwargs):
        self.region = region
        super().__init__(**kwargs)
        self.widget.region = region

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        region_places = places_of(self.region)
        places = search.find_places(self.region, text, region_places)
        if not places:
            raise ValidationError(
                _(
                    "There is no place “%(place)s” in %(region)s. Please enter a postal code "
                    "or the name of a place in the region."
                ),
                code="unknown_place",
                params={"place": text, "region": self.region.name},
            )
        if not search.names_one_place(places):
            options = sorted({f"{place.postal_code} {place.name}" for place in places})
            raise ValidationError(
                _("Several places match “%(place)s”: %(options)s. Please enter one of them."),
                code="ambiguous_place",
                params={"place": text, "options": ", ".join(options[:8])},
            )
        return search.origin_of(places, region_places)


class PlaceFilter(django_filters.CharFilter):
    field_class = PlaceField


# Attributes -------------------------------------------------------------------------------


def _number(value):
    """Attribute values are JSON numbers; Decimal is not JSON."""
    return int(value) if value == value.to_integral_value() else float(value)


def attribute_filters(attribute):
    """The filters for one attribute: a choice list, tick boxes of several choices (any of
    them), a tick box, or a from–to range."""
    name = f"attr-{attribute.key}"
    lookup = f"attributes__{attribute.key}"
    if attribute.kind == AttributeKind.MULTIPLE:

        def holds_any(queryset, field_name, values, key=attribute.key):
            return queryset.filter(holds_any_of(key, values)) if values else queryset

        choices = [(choice, choice) for choice in attribute.choice_list]
        yield (
            name,
            django_filters.MultipleChoiceFilter(
                label=attribute.label,
                choices=choices,
                method=holds_any,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Listings with any of the ticked values."),
            ),
        )
    elif attribute.kind == AttributeKind.CHOICE:
        choices = [(choice, choice) for choice in attribute.choice_list]
        yield (
            name,
            django_filters.ChoiceFilter(
                label=attribute.label, field_name=lookup, choices=choices, empty_label=_("Any")
            ),
        )
    elif attribute.kind == AttributeKind.BOOLEAN:

        def only_if_ticked(queryset, field_name, value):
            return queryset.filter(**{field_name: True}) if value else queryset

        yield (
            name,
            django_filters.BooleanFilter(
                label=attribute.label,
                field_name=lookup,
                method=only_if_ticked,
                widget=forms.CheckboxInput,
            ),
        )
    elif attribute.kind == AttributeKind.NUMBER:
        unit = f" ({attribute.unit})" if attribute.unit else ""
        for suffix, label, comparison in (
            ("min", _("%(label)s from%(unit)s"), "gte"),
            ("max", _("%(label)s up to%(unit)s"), "lte"),
        ):

            def compare(queryset, field_name, value, comparison=comparison):
                return queryset.filter(**{f"{field_name}__{comparison}": _number(value)})

            yield (
                f"{name}-{suffix}",
                django_filters.NumberFilter(
                    label=label % {"label": attribute.label, "unit": unit},
                    field_name=lookup,
                    method=compare,
                    min_value=-HIGHEST_NUMBER,
                    max_value=HIGHEST_NUMBER,
                    # Also bounds the exponent: "1e-20000" would overflow PostgreSQL.
                    max_digits=14,
                    decimal_places=4,
                ),
            )

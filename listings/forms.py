"""Forms for posting and changing listings (their fields: listings/fields.py; their
photos: listings/photo_forms.py).

Every rule a member can break is checked here and answered with a message at the
field: the price only where something is rented, the dates in order, the place among
the region's own. The workflow around saving (status, events, approval) stays in
listings.services.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from regions.places import place_in_region

from .catalogue import attribute_definitions
from .fields import (
    AmountField,
    AudienceField,
    CategoryField,
    GroupedRadioSelect,
    PlacesOfUseField,
    attribute_field,
    direction_field,
    stored_value,
)
from .models import EVERYONE, FREE_TERMS, Category, Direction, Listing
from .services import MEMBER_FIELDS

MAX_QUANTITY = 1_000_000  # far above any real stock; keeps the number inside the column
ATTRIBUTE_PREFIX = "attribute_"


# Choosing what to post ----------------------------------------------------------------------


class ChooseCategoryForm(forms.Form):
    """Step one of a new listing (a GET form, no JavaScript needed): what and where to file it."""

    direction = direction_field(forms.RadioSelect)
    category = CategoryField(widget=GroupedRadioSelect, empty_label=None)


# The listing --------------------------------------------------------------------------------


def _signature(definitions):
    return [(d.key, d.kind, d.choices) for d in definitions]


class ListingForm(forms.ModelForm):
    """A listing's details; the attribute fields follow the chosen category.

    Changing the category on the edit page shows that category's fields first, before
    anything is saved, so no detail is stored unchecked or silently lost.
    """

    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        error_messages={"required": _("Please enter the postal code of the location.")},
    )
    place_name = forms.CharField(
        label=_("Place"),
        max_length=100,
        required=False,
        help_text=_("Only needed where several places share the postal code."),
    )
    audience = AudienceField()
    places_of_use = PlacesOfUseField()
    shown_category = forms.IntegerField(required=False, widget=forms.HiddenInput)

    template_name = "listings/_listing_form.html"
    # Forms higher apps add for the chosen category (listings.hooks.listing_form), set by
    # the view; shown after the listing's sections and summarised with its errors.
    extra_forms = ()

    sections = [
        (_("What it is"), ["direction", "category", "title", "description"]),
        (_("Terms and price"), ["terms", "price", "price_unit", "reduced_price", "audience"]),
        (
            _("Quantity and availability"),
            ["quantity", "quantity_unit", "available_from", "available_until", "places_of_use"],
        ),
        (_("Location"), ["postal_code", "place_name", "street"]),
    ]

    class Meta:
        model = Listing
        fields = MEMBER_FIELDS
        field_classes = {"price": AmountField, "reduced_price": AmountField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "available_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "quantity": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {
            "title": _("Short and concrete, e.g. “Forklift 2.5 t, by the day”."),
            "description": _("What exactly, in what condition, what should people know?"),
            "terms": _("Only rent has a price; everything else is free of charge."),
            "price": _(
                "Only for rent. Leave empty for “price on request”; 0 means free of charge."
            ),
            "reduced_price": _(
                "Optional, only for rent: what schools, associations and non-profits pay."
            ),
            "available_from": _("Optional."),
            "available_until": _("Optional. Must not be before “available from”."),
        }
        error_messages = {
            "title": {"required": _("Please enter a title.")},
            "description": {"required": _("Please describe what you offer or need.")},
            "terms": {"required": _("Please choose the terms.")},
            "quantity": {"required": _("Please enter a quantity (at least 1).")},
        }

    def __init__(self, *args, organisation, choose_category=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.region = organisation.region
        listing = self.instance
        current = listing.category if listing.category_id else None
        self.fields["category"] = CategoryField()
        self.fields["direction"] = direction_field(forms.RadioSelect)
        # Checked here rather than by the model only, so the price rules below see valid prices.
        for name in ("price", "reduced_price"):
            self.fields[name].validators.append(MinValueValidator(Decimal(0)))
        self.fields["quantity"].validators.append(MaxValueValidator(MAX_QUANTITY))
        self.fields["category"].help_text = _(
            "If you choose another category, its details are shown before anything is saved."
        )
        if not choose_category:  # chosen in step one; shown above the form instead
            self.fields["direction"].widget = forms.HiddenInput()
            self.fields["category"].widget = forms.HiddenInput()
        place = listing.place if listing.place_id else organisation.place
        self.initial.setdefault("postal_code", place.postal_code)
        self.initial.setdefault("place_name", place.name)
        self.initial.setdefault("audience", listing.audience if listing.pk else EVERYONE)
        self.initial.setdefault("places_of_use", listing.places_of_use)
        self.chosen_category = self._category_in_data(current)
        self._add_attribute_fields(listing)

    # Attributes of the chosen category

    def _category_in_data(self, current):
        """The category whose details the form shows: the one posted, or the listing's."""
        chosen = self.data.get(self.add_prefix("category")) if self.is_bound else None
        chosen = chosen or self.initial.get("category") or current
        if isinstance(chosen, Category):
            return chosen
        try:
            return self.fields["category"].queryset.get(pk=chosen)
        except (Category.DoesNotExist, ValueError, TypeError):
            return current

    def _add_attribute_fields(self, listing):
        category = self.chosen_category
        self.attribute_definitions = list(attribute_definitions(category)) if category else []
        self.category_changed = False
        if self.is_bound and category:
            shown = self.data.get(self.add_prefix("shown_category"))
            if shown and shown != str(category.pk):
                shown_category = (
                    Category.objects.filter(pk=shown).first() if shown.isdecimal() else None
                )
                shown_definitions = (
                    list(attribute_definitions(shown_category)) if shown_category else []
                )
                self.category_changed = _signature(shown_definitions) != _signature(
                    self.attribute_definitions
                )
            # The page shown next carries the fields of the category chosen now.
            self.data = self.data.copy()
            self.data[self.add_prefix("shown_category")] = category.pk
        elif category:
            self.initial["shown_category"] = category.pk
        for definition in self.attribute_definitions:
            name = ATTRIBUTE_PREFIX + definition.key
            self.fields[name] = attribute_field(definition)
            if definition.key in listing.attributes:
                stored = listing.attributes[definition.key]
                if definition.allows_several:
                    stored = definition.values_of(stored)
                self.initial.setdefault(name, stored)

    @property
    def extra_forms_have_errors(self):
        return any(extra.errors for extra in self.extra_forms)

    @property
    def direction_label(self):
        return dict(Direction.choices).get(self["direction"].value(), "")

    @property
    def attribute_fields(self):
        return [self[ATTRIBUTE_PREFIX + d.key] for d in self.attribute_definitions]

    def section_fields(self):
        """(heading, bound fields) for the template, the category's details last."""
        sections = [
            (heading, [self[name] for name in names if not self[name].is_hidden])
            for heading, names in self.sections
        ]
        if self.attribute_definitions:
            sections.append((_("Details"), self.attribute_fields))
        return [(heading, fields) for heading, fields in sections if fields]

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        reserved = self.instance.quantity_reserved
        if quantity is not None and quantity < reserved:
            raise ValidationError(
                _(
                    "Accepted inquiries have reserved %(reserved)s already; the quantity "
                    "cannot be less."
                ),
                code="below_reserved",
                params={"reserved": reserved},
            )
        return quantity

    # Rules spanning several fields

    def clean(self):
        cleaned = super().clean()
        if self.category_changed:
            self.add_error(
                "category",
                ValidationError(
                    _(
                        "You changed the category. Please check the details for the new "
                        "category below, then save again."
                    ),
                    code="category_changed",
                ),
            )
        self._clean_prices(cleaned)
        self._clean_dates(cleaned)
        self._clean_place(cleaned)
        return cleaned

    def _clean_prices(self, cleaned):
        terms, price, reduced = (cleaned.get(name) for name in ("terms", "price", "reduced_price"))
        if terms in FREE_TERMS:
            for name in ("price", "reduced_price"):
                if cleaned.get(name) is not None:
                    self.add_error(
                        name,
                        ValidationError(
                            _(
                                "Under “%(terms)s” nothing is paid. Leave the price empty "
                                "or choose “rent”."
                            ),
                            code="price_for_free_terms",
                            params={"terms": Listing(terms=terms).get_terms_display()},
                        ),
                    )
            return
        if reduced is not None and price is None and "price" not in self.errors:
            self.add_error(
                "price",
                ValidationError(
                    _("Please enter the regular price as well as the reduced one."),
                    code="reduced_without_price",
                ),
            )
        elif reduced is not None and price is not None and reduced > price:
            self.add_error(
                "reduced_price",
                ValidationError(
                    _("The reduced price must not be higher than the regular price."),
                    code="reduced_above_price",
                ),
            )

    def _clean_dates(self, cleaned):
        start, end = cleaned.get("available_from"), cleaned.get("available_until")
        if start and end and end < start:
            self.add_error(
                "available_until",
                ValidationError(
                    _("“Available until” must not be before “available from”."),
                    code="until_before_from",
                ),
            )

    def _clean_place(self, cleaned):
        postal_code = (cleaned.get("postal_code") or "").strip()
        if not postal_code:
            return
        try:
            self.instance.place = place_in_region(
                self.region, postal_code, cleaned.get("place_name") or ""
            )
        except ValidationError as error:
            self.add_error(None, error)

    def attribute_values(self):
        """The details to store: {key: value}, without the empty ones."""
        values = {}
        for definition in self.attribute_definitions:
            value = stored_value(self.cleaned_data.get(ATTRIBUTE_PREFIX + definition.key))
            if value and definition.allows_several:  # in the order they are offered
                value = [choice for choice in definition.choice_list if choice in value]
            if value is not None:
                values[definition.key] = value
        return values

    def save(self, commit=False):
        """The listing with the form's values, unsaved: the services save it."""
        listing = super().save(commit=False)
        listing.organisation = self.organisation
        listing.region = self.region
        listing.attributes = self.attribute_values()
        return listing

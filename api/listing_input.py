"""A listing sent to the API, checked by the web's listing form (listings.forms.ListingForm):
the same rules and the same German messages at the same fields.

The API speaks JSON: a category by its slug, the audience by names, the details as one
object and numbers with a decimal point. These functions translate that into what the
form reads, and the form's errors back into the API's field names.
"""

import copy
from functools import partial

from django import forms
from django.utils.translation import gettext as _

from listings.fields import AmountField
from listings.forms import ATTRIBUTE_PREFIX, ListingForm
from listings.models import Category, Listing
from listings.services import MEMBER_FIELDS

from .errors import InvalidInput, form_errors
from .serializers import (
    AUDIENCE,
    PLACES_OF_USE,
)

FORM_FIELDS = [*MEMBER_FIELDS, "postal_code", "place_name"]
LIST_FIELDS = {"audience", "places_of_use"}
OBJECT_FIELDS = {"attributes"}
# Fields of a listing as the API shows it that are not input: sent back unchanged (a
# client may PUT what it got), they are ignored.
READ_ONLY = frozenset(
    {
        "id", "url", "is_free", "quantity_left", "place", "photos", "organisation", "status",
        "published_at", "expires_at", "updated_at", "distance_km", "moderation_reason",
    }
)  # fmt: skip
SCALAR = (str, int, float, bool, type(None))
# Choices the web form always sends (its selects start at the model's default); left out of
# a new listing, they take that default here too.
DEFAULTED = ("price_unit", "quantity_unit", "places_of_use")


class ApiListingForm(ListingForm):
    """The listing form reading numbers as JSON writes them ("1250.5"). The web form reads
    them as people write them in German, where "1.250" is a thousand two hundred and fifty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choose_category=True, **kwargs)
        for field in self.fields.values():
            if isinstance(field, AmountField):
                field.localize = False
                field.to_python = partial(forms.DecimalField.to_python, field)


def current_values(listing) -> dict:
    """The listing's input fields as the API names them, the base of a partial change."""
    values = {name: getattr(listing, name) for name in MEMBER_FIELDS if name != "category"}
    values["category"] = listing.category.slug
    values["audience"] = AUDIENCE.names(listing.audience)
    values["places_of_use"] = PLACES_OF_USE.names(listing.places_of_use)
    values["postal_code"] = listing.place.postal_code
    values["place_name"] = listing.place.name
    values["attributes"] = dict(listing.attributes or {})
    return values


def _type_errors(payload) -> dict:
    errors = {}
    known = {*FORM_FIELDS, *OBJECT_FIELDS, *READ_ONLY}
    for name, value in payload.items():
        if name not in known:
            errors[name] = [_("There is no such field.")]
        elif name in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
                errors[name] = [_("Please send a list.")]
        elif name in OBJECT_FIELDS:
            if not isinstance(value, dict) or not all(
                isinstance(v, SCALAR) for v in value.values()
            ):
                errors[name] = [_("Please send an object of simple values.")]
        elif name not in READ_ONLY and not isinstance(value, SCALAR):
            errors[name] = [_("Please send a single value.")]
    return errors


def _form_data(values) -> dict:
    data = {}
    for name in FORM_FIELDS:
        value = values.get(name)
        if value is None or value == "":
            continue
        if name == "category":
            category = Category.objects.filter(slug=str(value)).only("pk").first()
            data[name] = category.pk if category else str(value)
        elif name == "audience":
            data[name] = [AUDIENCE.bit(item) for item in value]
        elif name == "places_of_use":
            if isinstance(value, int):  # the model's default, as bits
                value = PLACES_OF_USE.names(value)
            data[name] = [PLACES_OF_USE.bit(item) for item in value]
        elif isinstance(value, bool):
            data[name] = value
        else:
            data[name] = str(value)
    for key, value in (values.get("attributes") or {}).items():
        if value is not None:
            data[ATTRIBUTE_PREFIX + key] = value if isinstance(value, bool) else str(value)
    return data


def _field_names(form) -> dict:
    return {name: f"attributes.{name[len(ATTRIBUTE_PREFIX) :]}" for name in form.fields} | {
        name: name for name in FORM_FIELDS
    }


def checked_form(payload, organisation, listing=None, *, partial_change=False) -> ApiListingForm:
    """The bound, valid listing form for `payload`, or InvalidInput with its errors."""
    if not isinstance(payload, dict):
        raise InvalidInput({"non_field_errors": [_("Please send a JSON object.")]})
    errors = _type_errors(payload)
    if errors:
        raise InvalidInput(errors)
    values = current_values(listing) if listing is not None and partial_change else {}
    values |= {
        name: Listing._meta.get_field(name).default for name in DEFAULTED if name not in values
    }
    values.update({name: value for name, value in payload.items() if name not in READ_ONLY})
    if listing is not None and partial_change and "category" in payload:
        # Another category has other details: those of the old one are not carried over.
        values["attributes"] = payload.get("attributes") or {}
    form = ApiListingForm(
        _form_data(values),
        instance=copy.copy(listing) if listing is not None else None,
        organisation=organisation,
    )
    if not form.is_valid():
        raise InvalidInput(form_errors(form, _field_names(form)))
    unknown = set(values.get("attributes") or {}) - {
        definition.key for definition in form.attribute_definitions
    }
    if unknown:
        raise InvalidInput(
            {f"attributes.{key}": [_("The category has no such detail.")] for key in unknown}
        )
    return form

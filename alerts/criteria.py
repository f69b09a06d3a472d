"""A search of the search page as plain values, and the test of one listing against them.

Saving a search reads its query string with the search page's own form
(listings.filtersets.ListingFilter), so a saved search means what the page showed: what
the form could not accept is left out, as the page leaves it out. What the form accepted
becomes plain values (`criteria_of`) that `matches` tests against one newly published
listing in Python, the way listings.search filters in SQL: every word's stem must occur
in the listing's folded text (listings.indexing.fold, the same folding), none of the
excluded ones; the place within the distance, by regions.places' distance.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.http import QueryDict

from listings.filtersets import ListingFilter
from listings.indexing import searchable_text
from listings.models import AttributeKind, Listing
from listings.search import search_stems
from regions.places import PlaceEntry, nearest_distance_km

# The search page's parameters that do not change what it finds.
NOT_CRITERIA = {"sort", "page"}


def search_form(region, query) -> ListingFilter:
    """The search page's form over `query` (a QueryDict or a query string)."""
    if isinstance(query, str):
        query = QueryDict(query)
    return ListingFilter(query, queryset=Listing.objects.none(), region=region)


def accepted_query(form: ListingFilter) -> str:
    """The query string of what the form accepted: known filters with a valid value, in a
    fixed order (so the same search saved twice reads the same)."""
    form.errors  # noqa: B018 – validates the form once, filling cleaned_data
    accepted = {name for name, value in form.form.cleaned_data.items() if value not in (None, "")}
    pairs = [
        (name, value)
        for name, values in form.data.lists()
        if name in accepted and name not in NOT_CRITERIA and name in form.filters
        for value in values
        if value
    ]
    if "near" not in accepted:
        pairs = [(name, value) for name, value in pairs if name != "radius"]
    return urlencode(sorted(pairs))


def columns_of(form: ListingFilter) -> dict:
    """The parts of the search that select candidates: direction, category (or group), and
    its longest word stem (the rarest, most likely), which the database looks for in the
    listing's folded text."""
    data = form.form.cleaned_data
    choice = form.selected_category
    wanted, _unwanted = search_stems(form.text)
    return {
        "direction": data.get("direction") or "",
        "category": choice.category if choice else None,
        "key_word": max(wanted, key=len) if wanted else "",
    }


def criteria_of(form: ListingFilter) -> dict:
    """Everything else the search asks for, as JSON-ready plain values."""
    data = form.form.cleaned_data
    criteria = {}
    wanted, unwanted = search_stems(form.text)
    if wanted:
        criteria["words"] = wanted
    if unwanted:
        criteria["not_words"] = unwanted
    if form.origin:
        criteria["near"] = [[place.latitude, place.longitude] for place in form.origin.places]
        criteria["near_label"] = form.origin.label
        criteria["radius"] = form.radius_km
    if data.get("terms"):
        criteria["terms"] = sorted(data["terms"])
    if data.get("audience"):
        criteria["audience"] = sum(set(data["audience"]))
    for name in ("price_min", "price_max"):
        if data.get(name) is not None:
            criteria[name] = str(data[name])
    for name in ("free", "photos"):
        if data.get(name):
            criteria[name] = True
    if data.get("available_on"):
        criteria["available_on"] = data["available_on"].isoformat()
    for name in ("organisation_type", "sector"):
        if data.get(name):
            criteria[name] = data[name]
    attributes = _attribute_criteria(form, data)
    if attributes:
        criteria["attributes"] = attributes
    return criteria


def _attribute_criteria(form, data) -> list:
    """[key, kind, comparison, value] for each attribute filter with a value."""
    if not form.selected_category:
        return []
    found = []
    for attribute in form.catalogue.attributes_of(form.selected_category.category):
        name = f"attr-{attribute.key}"
        if attribute.kind == AttributeKind.NUMBER:
            for suffix in ("min", "max"):
                value = data.get(f"{name}-{suffix}")
                if value is not None:
                    found.append([attribute.key, attribute.kind, suffix, float(value)])
        elif data.get(name) not in (None, "", [], False):
            value = data[name]
            found.append(
                [
                    attribute.key,
                    attribute.kind,
                    "is",
                    list(value) if isinstance(value, list) else value,
                ]
            )
    return found


# Testing one listing ----------------------------------------------------------------------


class ListingFacts:
    """What the criteria are tested against, read once per listing: its folded text, the
    coordinates of its place, its organisation's type and sector."""

    def __init__(self, listing: Listing):
        self.listing = listing
        self.text = searchable_text(listing)
        self.place = PlaceEntry(
            listing.place.postal_code,
            listing.place.name,
            listing.place.latitude,
            listing.place.longitude,
        )


def matches(criteria: dict, facts: ListingFacts) -> bool:
    """Whether the listing is one the search would show (direction, category and region
    are the candidates' columns, tested before)."""
    listing = facts.listing
    if "words" in criteria and not all(word in facts.text for word in criteria["words"]):
        return False
    if "not_words" in criteria and any(word in facts.text for word in criteria["not_words"]):
        return False
    if "terms" in criteria and listing.terms not in criteria["terms"]:
        return False
    if "audience" in criteria and not listing.audience & criteria["audience"]:
        return False
    if "price_min" in criteria and (
        listing.price is None or listing.price < Decimal(criteria["price_min"])
    ):
        return False
    if "price_max" in criteria and not (
        listing.is_free
        or (listing.price is not None and listing.price <= Decimal(criteria["price_max"]))
    ):
        return False
    if criteria.get("free") and not listing.is_free:
        return False
    if criteria.get("photos") and not listing.has_photos:
        return False
    if "available_on" in criteria and not _available_on(
        listing, date.fromisoformat(criteria["available_on"])
    ):
        return False
    organisation = listing.organisation
    if "organisation_type" in criteria and organisation.type != criteria["organisation_type"]:
        return False
    if "sector" in criteria and organisation.sector != criteria["sector"]:
        return False
    if "near" in criteria:
        origins = [
            PlaceEntry("", "", latitude, longitude) for latitude, longitude in criteria["near"]
        ]
        if nearest_distance_km(origins, facts.place) > criteria["radius"]:
            return False
    return all(
        _attribute_matches(listing.attributes or {}, *entry)
        for entry in criteria.get("attributes", ())
    )


def _available_on(listing, day) -> bool:
    return (listing.available_from is None or listing.available_from <= day) and (
        listing.available_until is None or listing.available_until >= day
    )


def _attribute_matches(attributes, key, kind, comparison, value) -> bool:
    held = attributes.get(key)
    if kind == AttributeKind.NUMBER:
        if not isinstance(held, int | float) or isinstance(held, bool):
            return False
        return held >= value if comparison == "min" else held <= value
    if kind == AttributeKind.BOOLEAN:
        return held is True
    if kind == AttributeKind.MULTIPLE:
        values = held if isinstance(held, list) else [held]
        return any(str(item) in value for item in values if item is not None)
    return held == value

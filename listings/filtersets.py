"""The search form over a region's published listings, shared by the search page and its feed
(the filters of a place and of a category's attributes: listings/filters.py).

Every filter lives in the query string, so a search can be bookmarked, shared and
subscribed to. A value the form cannot accept is reported at its field and left out
of the search; the other filters still apply.
"""

import copy
from functools import cached_property

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationType, Sector

from . import search
from .catalogue import catalogue
from .filters import HIGHEST_NUMBER, PlaceFilter, attribute_filters
from .models import Audience, Direction, Terms, audience_includes

FORM_ID = "listing-search"
MAX_QUERY_LENGTH = 200
RADIUS_CHOICES = [(km, f"{km} km") for km in (5, 10, 25, 50, 100)]
DEFAULT_RADIUS = 25
MORE_FILTERS = [
    "terms",
    "audience",
    "price_min",
    "price_max",
    "free",
    "available_on",
    "photos",
    "organisation_type",
    "sector",
]
DIRECTION_PLURALS = [(Direction.OFFER.value, _("Offers")), (Direction.REQUEST.value, _("Requests"))]


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    NEAREST = "nearest"
    PRICE = "price"
    CHOICES = [
        (RELEVANCE, _("Best match")),
        (NEWEST, _("Newest first")),
        (NEAREST, _("Nearest first")),
        (PRICE, _("Price: low to high")),
    ]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search term"),
        help_text=_("For example: forklift, storage space, trainee"),
        widget=forms.SearchInput,
        method="applied_last",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Please shorten the search term to at most %(limit_value)d characters.")
        },
    )
    near = PlaceFilter(
        label=_("Postal code or place"),
        method="applied_last",
        max_length=100,
        error_messages={
            "max_length": _(
                "Please enter a postal code or a place name of at most %(limit_value)d characters."
            )
        },
    )
    radius = django_filters.TypedChoiceFilter(
        label=_("Distance"),
        method="applied_last",
        choices=RADIUS_CHOICES,
        coerce=int,
    )
    direction = django_filters.ChoiceFilter(
        label=_("Offers or requests"),
        choices=DIRECTION_PLURALS,
        empty_label=_("Both"),
        widget=forms.RadioSelect,
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), method="filter_category", empty_label=_("All categories")
    )
    terms = django_filters.MultipleChoiceFilter(
        label=_("Terms"),
        choices=Terms.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a plain column: no join that could repeat a listing
    )
    audience = django_filters.TypedMultipleChoiceFilter(
        label=_("Open to"),
        choices=Audience.choices,
        coerce=int,
        method="filter_audience",
        widget=forms.CheckboxSelectMultiple,
    )
    price_min = django_filters.NumberFilter(
        label=_("Price from (€)"),
        field_name="price",
        lookup_expr="gte",
        min_value=0,
        max_value=HIGHEST_NUMBER,
        max_digits=12,
        decimal_places=2,
    )
    price_max = django_filters.NumberFilter(
        label=_("Price up to (€)"),
        method="filter_price_max",
        min_value=0,
        max_value=HIGHEST_NUMBER,
        max_digits=12,
        decimal_places=2,
        help_text=_("Listings free of charge are included."),
    )
    free = django_filters.BooleanFilter(
        label=_("Free of charge only"), method="filter_free", widget=forms.CheckboxInput
    )
    available_on = django_filters.DateFilter(
        label=_("Available on"), method="filter_available_on", widget=_date_input()
    )
    photos = django_filters.BooleanFilter(
        label=_("With photos only"), method="filter_photos", widget=forms.CheckboxInput
    )
    organisation_type = django_filters.ChoiceFilter(
        label=_("Type of organisation"),
        field_name="organisation__type",
        choices=OrganisationType.choices,
        empty_label=_("All types"),
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector of the organisation"),
        field_name="organisation__sector",
        choices=Sector.choices,
        empty_label=_("All sectors"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=Sort.CHOICES,
        method="applied_last",
        empty_label=None,
        # The order is chosen above the results, outside the filter form it belongs to.
        widget=forms.Select(attrs={"form": FORM_ID}),
    )

    def __init__(self, data=None, *args, region, **kwargs):
        if data is not None and not data.get("radius"):
            # The distance shown before anyone chooses one is the one searched with.
            data = data.copy()
            data["radius"] = str(DEFAULT_RADIUS)
        super().__init__(data, *args, **kwargs)
        self.region = region
        self.filters["near"].extra["region"] = region
        self.catalogue = catalogue()
        self.filters["category"].extra["choices"] = self._category_options()
        self.selected_category = self.catalogue.choice(self.data.get("category"))
        self.attribute_filter_names = []
        if self.selected_category:
            self._add_attribute_filters(self.selected_category.category)

    def get_form_class(self):
        """django-filter makes the form's class for each search, from fields made for that
        search alone (_FiltersCopiedPerSearch): its form takes them as they are, where a
        Form copies its class's fields deeply."""
        form_class = super().get_form_class()
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class

    # Categories and their attributes ----------------------------------------------------------

    @property
    def category_choices(self):
        return self.catalogue.choices

    def _category_options(self, counts=None, within=None):
        """The category select: one option group per group, its first option standing for
        the whole group. With `counts` (id → results), options show their number – only
        those inside the choice `within`, when the results are narrowed to one."""

        def label(text, choice):
            if counts is None or (within and not choice.ids <= within.ids):
                return text
            return with_count(text, sum(counts.get(pk, 0) for pk in choice.ids))

        options = []
        for choice in self.category_choices:
            if choice.category.is_group:
                group = [(choice.category.slug, label(_("All in this group"), choice))]
                options.append((choice.category.name, group))
            else:
                group.append((choice.category.slug, label(choice.category.name, choice)))
        return options

    def _add_attribute_filters(self, category):
        """Filters for the selected category's filterable attributes (and its group's)."""
        for attribute in self.catalogue.attributes_of(category):
            if not attribute.is_filterable:
                continue
            for name, filter_ in attribute_filters(attribute):
                if name not in self.filters:  # a group's and a category's key may coincide
                    filter_.parent = self
                    filter_.model = self.queryset.model
                    self.filters[name] = filter_
                    self.attribute_filter_names.append(name)

    def filter_category(self, queryset, name, value):
        choice = self.selected_category
        if choice is None:
            return queryset
        return queryset.filter(category__in=choice.ids)

    # Methods of the other filters -------------------------------------------------------------

    def applied_last(self, queryset, name, value):
        """Text, place and order depend on each other; filter_queryset applies them."""
        return queryset

    def filter_audience(self, queryset, name, value):
        return queryset.filter(audience_includes(sum(set(value))))

    def filter_price_max(self, queryset, name, value):
        return queryset.filter(Q(price__lte=value) | Q(is_free=True))

    def filter_free(self, queryset, name, value):
        return queryset.filter(is_free=True) if value else queryset

    def filter_available_on(self, queryset, name, value):
        return queryset.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=value),
            Q(available_until__isnull=True) | Q(available_until__gte=value),
        )

    def filter_photos(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(has_photos=True)

    # Counts beside the options --------------------------------------------------------------

    def label_counts(self, facets):
        """Shows beside each option how many of the results it holds. A filter that narrows
        the results itself shows no counts: its other options would all read zero."""
        fields = self.form.fields
        if not self.data.get("direction"):
            fields["direction"].choices = [
                (value, with_count(name, facets.directions[value]))
                for value, name in DIRECTION_PLURALS
            ]
        else:
            fields["direction"].choices = DIRECTION_PLURALS
        # A selected group's categories still split the results, so they keep counts.
        fields["category"].choices = self._category_options(
            facets.categories, within=self.selected_category
        )
        for name, numbers, choices in (
            ("terms", facets.terms, Terms.choices),
            ("audience", facets.audiences, Audience.choices),
        ):
            if not self.data.get(name):
                fields[name].choices = [
                    (value, with_count(label, numbers[value])) for value, label in choices
                ]
        for name, count in (("free", facets.free), ("photos", facets.with_photos)):
            if not self.data.get(name):
                fields[name].label = with_count(fields[name].label, count)

    def offer_sort_choices(self):
        """Narrows the order select, shown above the results, to the orders that apply."""
        self.form.fields["sort"].widget.choices = self.sort_choices

    # What the search resolved to ------------------------------------------------------------

    def _clean(self, name):
        if not self.is_bound:
            return None
        self.errors  # noqa: B018 – validates the form once, filling cleaned_data
        return self.form.cleaned_data.get(name)

    @cached_property
    def text(self) -> str:
        text = self._clean("q") or ""
        return text if search.has_search_words(text) else ""

    @cached_property
    def is_small(self) -> bool:
        """Whether the region is of a district's size (listings.search.is_small)."""
        return search.is_small(self.region)

    @cached_property
    def origin(self):
        return self._clean("near")

    @property
    def radius_km(self) -> int:
        return self._clean("radius") or DEFAULT_RADIUS

    @cached_property
    def order(self) -> str:
        """The chosen order where it applies; otherwise best match for a text, else newest."""
        chosen = self._clean("sort")
        if chosen == Sort.RELEVANCE and self.text:
            return chosen
        if chosen == Sort.NEAREST and self.origin:
            return chosen
        if chosen in (Sort.NEWEST, Sort.PRICE):
            return chosen
        return Sort.RELEVANCE if self.text else Sort.NEWEST

    @property
    def sort_choices(self):
        """The orders that make sense for this search."""
        applies = {
            Sort.RELEVANCE: bool(self.text),
            Sort.NEWEST: True,
            Sort.NEAREST: bool(self.origin),
            Sort.PRICE: True,
        }
        return [(value, label) for value, label in Sort.CHOICES if applies[value]]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.text:
            queryset = search.search_listings(
                queryset, self.text, region_first=search.uses_postgres_search() and self.is_small
            )
        if self.origin:
            queryset = search.within_radius(queryset, self.origin, self.radius_km)
        if self.order == Sort.RELEVANCE:
            return search.order_by_relevance(queryset)
        if self.order == Sort.NEAREST:
            return queryset.order_by("distance_km", "-published_at", "-pk")
        if self.order == Sort.PRICE:
            # Free of charge first, "price on request" (no price) last.
            return queryset.order_by(
                "-is_free", F("price").asc(nulls_last=True), "-published_at", "-pk"
            )
        return queryset.order_by("-published_at", "-pk")

    @property
    def attribute_fields(self):
        return [self.form[name] for name in self.attribute_filter_names]

    @property
    def more_fields(self):
        """The less used filters, folded away on the page unless one of them is set."""
        return [self.form[name] for name in MORE_FILTERS]

    @property
    def uses_more_filters(self) -> bool:
        return any(self.data.get(name) for name in MORE_FILTERS)

    @property
    def active_filter_count(self) -> int:
        """How many filters narrow the results, for the "Filter" button on phones: the
        search words, the place and the order are not filters."""
        ignored = {"q", "near", "radius", "sort"}
        return sum(
            1
            for name in self.filters
            if name not in ignored and any(value for value in self.data.getlist(name))
        )

    @property
    def has_filters(self) -> bool:
        """Whether anything but the text narrows the results."""
        ignored = {"q", "sort", "radius"}
        return any(self.data.get(name) for name in self.filters if name not in ignored)


class _FiltersCopiedPerSearch(dict):
    """ListingFilter's declared filters, as each search copies them. django-filter copies
    them deeply for every search (FilterSet.__init__), their lazy labels and choices
    included: a thousand objects, a quarter of a search's time before its first query.
    A search changes nothing in them but their `extra` (the region, the category
    choices), so each gets its own filter objects and `extra`, sharing what they hold."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, declared in self.items():
            filter_ = copies[name] = copy.copy(declared)
            filter_.extra = dict(declared.extra)
            filter_.__dict__.pop("_field", None)  # each search builds its own form field
            filter_.method = declared.method  # bound anew, to the copy (FilterMethod)
        return copies


ListingFilter.base_filters = _FiltersCopiedPerSearch(ListingFilter.base_filters)


class _FieldsOfOneForm(dict):
    def __deepcopy__(self, memo):
        return dict(self)


def with_count(label, count):
    return _("%(label)s (%(count)s)") % {"label": label, "count": count}

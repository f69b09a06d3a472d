"""The category tree and its attributes, as the search and listing pages read them.

Every search page needs the whole tree (for the category select) and the selected
category's attributes (for its filters), and every listing page its category's
attributes. The operator changes them a few times a year, so they are read from the
database once and kept in the shared cache. Saving or deleting a category or an
attribute, in the admin or anywhere else, drops that copy (listings.signals); the
timeout only bounds what a bulk `update()`, which sends no signals, could leave behind.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .models import Category, CategoryAttribute

CACHE_KEY = "listings:catalogue"
CACHED_FOR = 60 * 60  # seconds


@dataclass(frozen=True)
class CategoryChoice:
    """A category as the search form offers it: a group stands for all its categories."""

    category: Category
    children: tuple = ()

    @property
    def ids(self):
        return {self.category.pk} | {child.pk for child in self.children}


@dataclass(frozen=True)
class Catalogue:
    choices: tuple[CategoryChoice, ...]  # each active group, then its active categories
    attributes: dict  # category id → its own attributes, in their order
    # When it was read: what is cached with category names in it carries this in its key.
    version: int = 0

    def choice(self, slug) -> CategoryChoice | None:
        return next((choice for choice in self.choices if choice.category.slug == slug), None)

    def attributes_of(self, category: Category) -> list[CategoryAttribute]:
        """The extra fields of a listing in `category`: its group's, then its own."""
        owners = [category.parent_id, category.pk] if category.parent_id else [category.pk]
        return [attribute for owner in owners for attribute in self.attributes.get(owner, ())]


def load() -> Catalogue:
    """The catalogue from the database, in two queries."""
    categories = list(Category.objects.active().select_related("parent"))
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    choices = []
    for group in (category for category in categories if category.is_group):
        kids = tuple(children.get(group.pk, ()))
        choices.append(CategoryChoice(group, kids))
        choices.extend(CategoryChoice(child) for child in kids)
    attributes = {}
    for attribute in CategoryAttribute.objects.order_by("category", "position", "label"):
        attributes.setdefault(attribute.category_id, []).append(attribute)
    return Catalogue(
        choices=tuple(choices),
        attributes={owner: tuple(items) for owner, items in attributes.items()},
        version=time.time_ns(),
    )


def catalogue() -> Catalogue:
    """The catalogue, from the cache when it holds one."""
    current = cache.get(CACHE_KEY)
    if current is None:
        current = load()
        cache.set(CACHE_KEY, current, CACHED_FOR)
    return current


def attribute_definitions(category: Category) -> list[CategoryAttribute]:
    """The extra fields of a listing in `category`: its group's, then its own, as the
    cached catalogue holds them."""
    return catalogue().attributes_of(category)


def forget() -> None:
    """Drops the cached catalogue, now and after the commit: a request in between may
    have cached the old tree again."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))

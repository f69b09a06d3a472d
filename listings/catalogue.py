"""The category tree and its attributes, as the search and listing pages read them.

Every search page needs the whole tree (for the category select) and the selected
category's attributes (for its filters), and every listing page its category's
attributes. The operator changes them a few times a year, so they are read from the
database once and kept in the shared cache. Saving or deleting a category or an
attribute, in the admin or anywhere else, drops that copy (listings.signals); the
timeout only bounds what a bulk `update()`, which sends no signals, could leave behind.
Each process keeps the copy it read last for as long as the cache holds its version.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .models import Category, CategoryAttribute

CACHE_KEY = "listings:catalogue"
VERSION_KEY = "listings:catalogue:version"
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


_last_read: Catalogue | None = None  # by this process


def catalogue() -> Catalogue:
    """The catalogue, from the cache when it holds one: as this process last read it
    while the cache still holds that version, for the tree of a few hundred categories
    took longer to unpickle than the cache to say its version."""
    global _last_read
    version = cache.get(VERSION_KEY)
    if version is not None and _last_read is not None and _last_read.version == version:
        return _last_read
    current = cache.get(CACHE_KEY)
    if current is None:
        current = load()
        cache.set_many({CACHE_KEY: current, VERSION_KEY: current.version}, CACHED_FOR)
    elif version != current.version:
        cache.set(VERSION_KEY, current.version, CACHED_FOR)
    _last_read = current
    return current


def attribute_definitions(category: Category) -> list[CategoryAttribute]:
    """The extra fields of a listing in `category`: its group's, then its own, as the
    cached catalogue holds them."""
    return catalogue().attributes_of(category)


def forget() -> None:
    """Drops the cached catalogue, now and after the commit: a request in between may
    have cached the old tree again. Each process's last read goes with its version."""
    cache.delete_many([CACHE_KEY, VERSION_KEY])
    transaction.on_commit(lambda: cache.delete_many([CACHE_KEY, VERSION_KEY]))

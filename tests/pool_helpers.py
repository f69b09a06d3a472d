"""Pools for tests: a cooperation offer of the pm carpentry with its terms, and partners."""

import datetime
from decimal import Decimal

from django.utils import timezone

from pools.models import Pool, Shared

from .factories import category, make_listing, make_organisation, make_user


def make_pool(organisation, author=None, *, title="Gemeinsame CNC-Fräse", **terms):
    """A published cooperation offer of `organisation` and its pool (4 partners sought,
    the initiator carrying 20 %, partners may join for another month)."""
    listing = make_listing(
        organisation,
        title,
        author=author,
        category=category(terms.pop("category", "gemeinsame-investition")),
        price=None,
    )
    terms = {
        "shared": Shared.MACHINE,
        "total_cost": Decimal("48000"),
        "cost_basis": "one_off",
        "partners_sought": 4,
        "initiator_share": 20,
        "use_split": "Je ein Tag pro Woche",
        "join_until": timezone.localdate() + datetime.timedelta(days=30),
        **terms,
    }
    return Pool.objects.create(listing=listing, region=organisation.region, **terms)


def make_partner(region, name, email):
    """An organisation of `region` and its owner, who may commit for it."""
    owner = make_user(email)
    return make_organisation(region, name, owner=owner), owner

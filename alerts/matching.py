"""Which saved searches a newly published listing answers.

One query selects the candidates by the indexed columns (the listing's region, its
category or group or none, its direction or none), saved before it was published, of
people in its audience and not of its own organisation, whose key word occurs in the
listing's folded text (a substring test in the database, as the search page's);
`criteria.matches` tests the rest of each in Python against the one listing. A region's
ten thousand saved searches cost one query.
"""

from dataclasses import dataclass

from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex

from listings.models import AUDIENCE_OF_ORGANISATION_TYPE, EVERYONE, Listing
from organisations.models import Membership

from .criteria import ListingFacts, matches
from .models import SavedSearch


@dataclass(frozen=True)
class Match:
    saved_search_id: int
    user_id: int
    frequency: str


def candidates(listing: Listing, text: str):
    """The region's active searches that could match by their columns alone; `text` is
    the listing's folded search text, in which each search's key word must occur. The
    searcher must be in the listing's audience: a member of an organisation of the region
    it is meant for, or, if it is open to everyone, of none there."""
    categories = [listing.category_id]
    if listing.category.parent_id:
        categories.append(listing.category.parent_id)
    # People's ids in hashed subqueries: far cheaper than a correlated EXISTS per candidate.
    members = Membership.objects.in_region(listing.region_id).values("user_id")
    colleagues = Membership.objects.filter(organisation_id=listing.organisation_id)
    meant_for = [
        kind for kind, bit in AUDIENCE_OF_ORGANISATION_TYPE.items() if listing.audience & bit
    ]
    audience = Q(user_id__in=members.filter(organisation__type__in=meant_for))
    if listing.audience == EVERYONE:
        audience |= ~Q(user_id__in=members)
    return (
        SavedSearch.objects.in_region(listing.region_id)
        .active()
        .alias(key_word_at=StrIndex(Value(text), F("key_word")))
        .filter(Q(category__isnull=True) | Q(category_id__in=categories))
        .filter(direction__in=["", listing.direction])
        .filter(created_at__lte=listing.published_at)
        .filter(Q(key_word="") | Q(key_word_at__gt=0))
        .filter(audience)
        .exclude(user_id__in=colleagues.values("user_id"))
        .order_by()
    )


def matching_searches(listing: Listing) -> list[Match]:
    """The saved searches the published listing answers, for people it is meant for: the
    listing's audience includes one of their organisations in the region, or, for people
    without one there, it is open to everyone.

    `listing` comes with its category, organisation and place (select_related)."""
    if listing.published_at is None:
        return []
    facts = ListingFacts(listing)
    rows = candidates(listing, facts.text).values_list("pk", "user_id", "frequency", "criteria")
    return [
        Match(pk, user_id, frequency)
        for pk, user_id, frequency, criteria in rows.iterator(chunk_size=2000)
        if matches(criteria, facts)
    ]

"""Which saved searches a newly published listing answers.

One query selects the candidates by the indexed columns (the listing's region, its
category or group or none, its direction or none, saved before it was published, not its
own organisation's people); `criteria.matches` tests the rest of each in Python against
the one listing; one more query reads the organisations of the people whose searches
matched, for the audience. A region's ten thousand saved searches cost three queries.
"""

from dataclasses import dataclass

from django.db.models import Q

from listings.models import AUDIENCE_OF_ORGANISATION_TYPE, EVERYONE, Listing
from organisations.models import Membership

from .criteria import ListingFacts, matches
from .models import SavedSearch


@dataclass(frozen=True)
class Match:
    saved_search_id: int
    user_id: int
    frequency: str


def candidates(listing: Listing):
    """The region's active searches that could match by their columns alone."""
    categories = [listing.category_id]
    if listing.category.parent_id:
        categories.append(listing.category.parent_id)
    colleagues = Membership.objects.filter(organisation_id=listing.organisation_id)
    return (
        SavedSearch.objects.in_region(listing.region_id)
        .active()
        .filter(Q(category__isnull=True) | Q(category_id__in=categories))
        .filter(direction__in=["", listing.direction])
        .filter(created_at__lte=listing.published_at)
        .exclude(user_id__in=colleagues.values("user_id"))
    )


def audiences_of(region_id, user_ids) -> dict[int, int]:
    """The audience bits of each person's organisations in the region (0: none there)."""
    bits = dict.fromkeys(user_ids, 0)
    memberships = (
        Membership.objects.in_region(region_id)
        .filter(user_id__in=user_ids)
        .values_list("user_id", "organisation__type")
    )
    for user_id, organisation_type in memberships:
        bits[user_id] |= AUDIENCE_OF_ORGANISATION_TYPE[organisation_type]
    return bits


def may_see(listing: Listing, audience: int) -> bool:
    """Whether a person whose organisations make up `audience` is the listing's audience;
    a person without an organisation in the region hears of listings open to everyone."""
    return bool(listing.audience & audience) if audience else listing.audience == EVERYONE


def matching_searches(listing: Listing) -> list[Match]:
    """The saved searches the published listing answers, for people it is meant for.

    `listing` comes with its category, organisation and place (select_related)."""
    if listing.published_at is None:
        return []
    facts = ListingFacts(listing)
    rows = candidates(listing).values_list("pk", "user_id", "frequency", "criteria")
    found = [
        Match(pk, user_id, frequency)
        for pk, user_id, frequency, criteria in rows.iterator(chunk_size=2000)
        if matches(criteria, facts)
    ]
    if not found:
        return []
    audiences = audiences_of(listing.region_id, {match.user_id for match in found})
    return [match for match in found if may_see(listing, audiences[match.user_id])]

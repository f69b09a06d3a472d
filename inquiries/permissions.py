"""Who may see an inquiry — the one place that decides it.

Only members of the two organisations. Everyone else gets 404: other organisations,
other regions' hosts, and the region's staff too, for whom threads are private unless a
message of theirs was reported (and then only in the back office).
"""

from django.http import Http404

from organisations.acting import acting_membership, memberships_in_region

from .models import Inquiry, Side

# What the thread and its step pages show of an inquiry, fetched in its one query. No
# single test tells one join apart; tests/test_query_baselines.py holds them together.
THREAD_JOINS = (
    "listing__category__parent",
    "listing__organisation",
    "listing__place",
    "listing__region",
    "listing_organisation",
    "organisation",
    "region",
)


def inquiries_of_region(request):
    return Inquiry.objects.in_region(request.region).select_related(*THREAD_JOINS)


def side_of(request, inquiry) -> Side | None:
    """The side the request's user is on. Someone who belongs to both organisations acts
    for the one chosen in the header ("Handeln für")."""
    organisation_ids = {membership.organisation_id for membership in memberships_in_region(request)}
    sides = [
        side
        for side, organisation_id in (
            (Side.OWNER, inquiry.listing_organisation_id),
            (Side.INQUIRER, inquiry.organisation_id),
        )
        if organisation_id in organisation_ids
    ]
    if len(sides) > 1:
        acting = acting_membership(request)
        if acting and acting.organisation_id == inquiry.organisation_id:
            return Side.INQUIRER
        return Side.OWNER
    return sides[0] if sides else None


def get_inquiry(request, pk) -> tuple[Inquiry, Side]:
    """An inquiry of one of the user's organisations in this region, and the user's side."""
    if not request.user.is_authenticated:
        raise Http404
    try:
        inquiry = inquiries_of_region(request).get(pk=pk)
    except (Inquiry.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    side = side_of(request, inquiry)
    if side is None:
        raise Http404
    return inquiry, side

"""Who may see what of a pool — the one place that decides it.

- Everyone who may see the listing sees the pool's terms and how far it is (counts only).
- The initiator (any member of the listing's organisation) sees who committed, with their
  shares and uses, and forms the pool or lets it lapse.
- A partner (a member of an organisation with an active commitment) sees its own
  commitment and, once the group thread is open, the other partners: they talk there.
- The group thread is for the initiator and the active partners only, once the threshold
  was reached; everyone else gets 404, staff of the region too (as inquiry threads).
"""

from django.http import Http404

from organisations.acting import acting_membership, memberships_in_region

from .models import Pool

POOL_JOINS = ("listing__organisation", "listing__category__parent", "listing__region", "region")


def my_organisation_ids(request) -> set[int]:
    return {membership.organisation_id for membership in memberships_in_region(request)}


def participant(request, pool, commitments=None):
    """The organisation through which the request's user takes part in the pool (the
    initiator's, else one with an active commitment; the acting one first), or None."""
    mine = my_organisation_ids(request)
    if not mine:
        return None
    if commitments is None:
        commitments = pool.commitments.active().select_related("organisation")
    taking_part = {
        commitment.organisation_id: commitment.organisation for commitment in commitments
    }
    if pool.listing.organisation_id in mine:
        taking_part[pool.listing.organisation_id] = pool.listing.organisation
    acting = acting_membership(request)
    if acting and acting.organisation_id in taking_part:
        return taking_part[acting.organisation_id]
    for organisation_id, organisation in taking_part.items():
        if organisation_id in mine:
            return organisation
    return None


def get_pool(request, pk) -> Pool:
    """A pool of this region whose listing is published, or the user's own (404 else)."""
    try:
        pool = Pool.objects.in_region(request.region).select_related(*POOL_JOINS).get(pk=pk)
    except (Pool.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if not pool.listing.is_published and pool.listing.organisation_id not in my_organisation_ids(
        request
    ):
        raise Http404
    return pool


def get_pool_of_initiator(request, pk) -> Pool:
    pool = get_pool(request, pk)
    if pool.listing.organisation_id not in my_organisation_ids(request):
        raise Http404
    return pool


def get_thread(request, pk):
    """The pool and the organisation the user writes for, if they take part in its open
    thread; 404 for everyone else. Read whatever the listing's status: partners keep
    their thread when the listing is closed."""
    try:
        pool = Pool.objects.in_region(request.region).select_related(*POOL_JOINS).get(pk=pk)
    except (Pool.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    organisation = participant(request, pool) if pool.thread_is_open else None
    if organisation is None:
        raise Http404
    return pool, organisation

"""Who may join a pool, and with what share: each answers None when it may, else why not,
in words for the organisation's members. pools.services asks them under the pool's row
lock; the listing page asks them to show the way in (or why there is none)."""

from django.utils import formats
from django.utils.translation import gettext as _

from listings.models import Status as ListingStatus
from organisations.permissions import inquiry_refusal

from .models import Commitment, PoolStatus


class PoolError(Exception):
    """A rule of the pool stopped a step; the message is for the user."""


def status_refusal(pool) -> str | None:
    """Why nothing more can happen to the pool's partners, or None while it is open."""
    if pool.status == PoolStatus.FORMED:
        return _("The partnership has been formed; no more partners can join.")
    if pool.status == PoolStatus.LAPSED:
        return _("This pool has lapsed; no more partners can join.")
    return None


def form_refusal(pool, progress=None) -> str | None:
    """Why the initiator cannot mark the partnership formed now, or None: only an open
    pool that has reached its threshold."""
    if refusal := status_refusal(pool):
        return refusal
    if not (progress or pool.progress()).threshold_reached:
        return _("The pool has not reached its threshold yet: it needs more partners or shares.")
    return None


def active_commitment(pool, organisation) -> Commitment | None:
    return pool.commitments.active().filter(organisation=organisation).first()


def join_refusal(pool, organisation, progress=None, today=None) -> str | None:
    """Why `organisation` may not commit to `pool` now, or None."""
    if refusal := status_refusal(pool):
        return refusal
    listing = pool.listing
    if organisation.pk == listing.organisation_id:
        return _("Your organisation started this pool; it cannot join its own pool.")
    if organisation.region_id != pool.region_id or listing.status != ListingStatus.PUBLISHED:
        return _("This pool is not published, so nobody can join it now.")
    if pool.join_period_is_over(today):
        return _("Partners could join until %(date)s; that date has passed.") % {
            "date": formats.date_format(pool.join_until, "DATE_FORMAT")
        }
    if refusal := inquiry_refusal(organisation):
        return refusal
    if not listing.accepts_organisation(organisation):
        return _("This pool is open to other kinds of organisations only.")
    if active_commitment(pool, organisation) is not None:
        return _("Your organisation has already committed to this pool.")
    progress = progress or pool.progress()
    if progress.threshold_reached:
        return _("This pool already has the partners it needs.")
    return None


def share_refusal(pool, share, progress=None) -> str | None:
    """Why a commitment may not take `share` percent of the cost, or None: no partner
    takes more than is still open."""
    progress = progress or pool.progress()
    if share > progress.open_share:
        return _("Only %(open)s %% of the cost is still open; please take at most that.") % {
            "open": progress.open_share
        }
    return None

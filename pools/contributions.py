"""What pools add to the pages of the apps below it, through their hook points
(core.hooks); registered when the app is ready (pools.apps)."""

from accounts.hooks import personal_data_export
from listings.hooks import listing_form, listing_page
from listings.models import Direction
from organisations.acting import acting_membership

from . import rules
from .forms import PoolTermsForm
from .models import Commitment, Pool, PoolMessage, is_pool_category
from .permissions import my_organisation_ids


def _direction(request, listing, data):
    if data is not None:
        return data.get("direction")
    if listing is not None:
        return listing.direction
    return request.GET.get("direction")


@listing_form.register
def pool_terms(request, category, listing, data) -> dict:
    """The pool's terms as a fieldset of the listing form, for offers in the group
    "Kooperation & Investition". A pool formed or lapsed keeps its terms as they were."""
    if not is_pool_category(category) or _direction(request, listing, data) != Direction.OFFER:
        return {}
    pool = Pool.objects.filter(listing=listing).first() if listing is not None else None
    if pool is not None and not pool.is_open:
        return {}
    return {
        "extra_forms": [PoolTermsForm(data, instance=pool, category=category)],
        "aside_parts": ["pools/_listing_form_aside.html"],
    }


@listing_page.register
def pool_panel(request, listing, is_member) -> dict:
    """How far the pool is, for everyone; who committed, for the initiator; the way in,
    for other organisations; the partner's own commitment and the group thread."""
    # The category comes with the listing (listings.permissions.LISTING_JOINS): other
    # listings' pages cost no query here.
    if listing.direction != Direction.OFFER or not is_pool_category(listing.category):
        return {}
    pool = Pool.objects.filter(listing=listing).first()
    if pool is None:
        return {}
    pool.listing = listing
    commitments = list(
        Commitment.objects.filter(pool=pool)
        .select_related("organisation", "committed_by")
        .order_by("committed_at", "pk")
    )
    active = [commitment for commitment in commitments if commitment.is_active]
    progress = pool.progress(active)
    mine = my_organisation_ids(request)
    own = next((c for c in active if c.organisation_id in mine), None)
    context = {
        "pool": pool,
        "pool_progress": progress,
        "pool_own_commitment": own,
        "pool_is_initiator": is_member,
        "pool_thread_open": pool.thread_is_open and (is_member or own is not None),
        "pool_join_over": pool.join_period_is_over(),
    }
    if is_member:
        context["pool_commitments"] = commitments
    elif own is not None and pool.thread_is_open:
        context["pool_commitments"] = active
    elif own is None:
        context["pool_join"] = _join_context(request, pool, progress)
    return {**context, "main_parts": ["pools/_listing_panel.html"]}


def _join_context(request, pool, progress) -> dict:
    if not request.user.is_authenticated:
        return {"needs_login": True}
    membership = acting_membership(request)
    if membership is None:
        return {"needs_organisation": True}
    return {"refusal": rules.join_refusal(pool, membership.organisation, progress)}


@personal_data_export.register
def commitments_and_pool_messages(user) -> dict:
    # Commitments and messages belong to the organisations; a deleted account leaves them
    # without the person's name (SET_NULL).
    return {
        "pool_commitments": [
            {
                "pool": commitment.pool.listing.title,
                "organisation": commitment.organisation.name,
                "share_percent": commitment.share,
                "use": commitment.use,
                "committed": commitment.committed_at.isoformat(),
                "withdrawn": commitment.withdrawn_at.isoformat()
                if commitment.withdrawn_at
                else None,
            }
            for commitment in Commitment.objects.filter(committed_by=user)
            .select_related("pool__listing", "organisation")
            .order_by("committed_at", "pk")
        ],
        "pool_messages_written": [
            {
                "pool": message.pool.listing.title,
                "organisation": message.organisation.name,
                "text": message.body,
                "written": message.created_at.isoformat(),
            }
            for message in PoolMessage.objects.filter(author=user)
            .select_related("pool__listing", "organisation")
            .order_by("created_at", "pk")
        ],
    }

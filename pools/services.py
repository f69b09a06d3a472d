"""Each step of a pool, one transaction each:

    open ──(commitments reach the threshold: everyone told, thread opens)──▶ open, reached
      │                                                       │
      ├──lapse (with a reason, everyone told)──▶ lapsed  ◀────┤
      └───────────────────────────────────────────────────────┴──form──▶ formed

Every step locks the pool's row first and reads its commitments after, so two
organisations committing at once cannot both take the last place or the last percent,
and a commitment cannot slip in while the initiator forms the pool or lets it lapse.
A rule that stops a step raises PoolError (pools.rules) with words for the user.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.permissions import message_refusal

from . import notifications
from .models import MAX_MESSAGE_LENGTH, Commitment, Pool, PoolMessage, PoolStatus
from .rules import PoolError, form_refusal, join_refusal, share_refusal, status_refusal

__all__ = ["PoolError", "commit", "form", "lapse", "post_message", "terms_changed", "withdraw"]


def _lock(pool) -> Pool:
    """Locks the pool's row (not the joined rows) and reads it anew."""
    return (
        # Row locks are PostgreSQL's (tests/test_pool_rules.py); SQLite has none.
        Pool.objects.select_for_update(of=("self",))  # pragma: no mutate
        .select_related("listing__organisation", "region")
        .get(pk=pool.pk)
    )


def _check_threshold(pool) -> bool:
    """Opens the group thread and tells everyone when the threshold is reached for the
    first time; True then. The pool is locked by the caller."""
    if pool.threshold_reached_at is not None or not pool.progress().threshold_reached:
        return False
    pool.threshold_reached_at = timezone.now()
    pool.save(update_fields=["threshold_reached_at", "updated_at"])
    notifications.tell(pool, "threshold", notifications.everyone(pool))
    return True


@transaction.atomic
def commit(pool, organisation, user, *, share: int, use: str) -> Commitment:
    """`organisation` joins the pool with its share of the cost and its use."""
    pool = _lock(pool)
    progress = pool.progress()
    if refusal := join_refusal(pool, organisation, progress):
        raise PoolError(refusal)
    if refusal := share_refusal(pool, share, progress):
        raise PoolError(refusal)
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(
                pool=pool,
                organisation=organisation,
                share=share,
                use=use.strip(),
                committed_by=user,
            )
    except IntegrityError as error:
        raise PoolError(_("Your organisation has already committed to this pool.")) from error
    notifications.tell(
        pool,
        "committed",
        notifications.initiator_addresses(pool),
        commitment=commitment,
        progress=pool.progress(),
    )
    _check_threshold(pool)
    return commitment


@transaction.atomic
def withdraw(commitment, user) -> None:
    """The partner leaves the pool, while it is not yet formed or lapsed. The group thread,
    once open, stays open to those still in it."""
    pool = _lock(commitment.pool)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not commitment.is_active:
        raise PoolError(_("Your organisation has already withdrawn from this pool."))
    if not pool.is_open:
        raise PoolError(status_refusal(pool))
    commitment.withdrawn_at = timezone.now()
    commitment.save(update_fields=["withdrawn_at"])
    notifications.tell(
        pool,
        "withdrawn",
        notifications.initiator_addresses(pool),
        commitment=commitment,
        progress=pool.progress(),
    )


@transaction.atomic
def form(pool, user) -> Pool:
    """The initiator marks the partnership formed: only while the threshold holds."""
    pool = _lock(pool)
    if refusal := form_refusal(pool):
        raise PoolError(refusal)
    pool.status = PoolStatus.FORMED
    pool.formed_at = timezone.now()
    pool.save(update_fields=["status", "formed_at", "updated_at"])
    notifications.tell(pool, "formed", notifications.everyone(pool, actor=user))
    return pool


@transaction.atomic
def lapse(pool, user, reason: str) -> Pool:
    """The initiator lets the pool lapse, telling everyone why."""
    pool = _lock(pool)
    if not pool.is_open:
        raise PoolError(status_refusal(pool))
    reason = reason.strip()
    if not reason:
        raise PoolError(_("Please tell the partners why the pool lapses."))
    pool.status = PoolStatus.LAPSED
    pool.lapsed_at = timezone.now()
    pool.lapse_reason = reason
    pool.save(update_fields=["status", "lapsed_at", "lapse_reason", "updated_at"])
    notifications.tell(pool, "lapsed", notifications.everyone(pool, actor=user), reason=reason)
    return pool


@transaction.atomic
def terms_changed(pool) -> None:
    """After the initiator changed the terms (fewer partners sought, a larger own share):
    the threshold may be reached now."""
    pool = _lock(pool)
    if pool.is_open:
        _check_threshold(pool)


def post_message(pool, organisation, user, body: str) -> PoolMessage:
    """A message in the group thread; the other organisations hear of it by mail."""
    body = body.strip()
    if not body:
        raise PoolError(_("Please write a message."))
    if len(body) > MAX_MESSAGE_LENGTH:
        raise PoolError(
            _("Please keep the message under %(limit)s characters.") % {"limit": MAX_MESSAGE_LENGTH}
        )
    if pool.is_lapsed:
        raise PoolError(_("This pool has lapsed; its thread can be read but not written to."))
    if refusal := message_refusal(organisation):
        raise PoolError(refusal)
    with transaction.atomic():
        message = PoolMessage.objects.create(
            pool=pool, organisation=organisation, author=user, body=body
        )
        addresses = notifications.everyone(pool, actor=user, but=organisation)
        notifications.tell(pool, "message", addresses, message=message)
    return message

"""Mails about pools, through the one mail path (core.mail): sent after the commit, each
in its recipient's language, branded with the pool's region and linking into its host.

In each organisation the person responsible hears of it (who wrote the listing, who
committed) while they still belong to it, else its owners and administrators
(Membership.objects.mail_recipients), less whoever took the step."""

from core.mail import Silencer, send_mail_on_commit
from organisations.models import Membership

# No mails for what happens inside `with suppressed():` (demo data).
suppressed = Silencer("pool_notifications")


def _addresses(organisation, responsible_id, actor) -> list[str]:
    memberships = Membership.objects.mail_recipients(organisation, responsible_id)
    if actor is not None:
        memberships = memberships.exclude(user_id=actor.pk)
    return memberships.emails()


def initiator_addresses(pool, actor=None) -> list[str]:
    return _addresses(pool.listing.organisation, pool.listing.author_id, actor)


def everyone(pool, actor=None, *, but=None) -> list[str]:
    """The initiator's people and those of every active partner (less the organisation
    `but`: the one that wrote a message)."""
    addresses = [] if but == pool.listing.organisation else initiator_addresses(pool, actor)
    commitments = pool.commitments.active().select_related("organisation")
    for commitment in commitments:
        if commitment.organisation != but:
            addresses += _addresses(commitment.organisation, commitment.committed_by_id, actor)
    return list(dict.fromkeys(addresses))


def tell(pool, template, addresses, **context) -> None:
    """Queues the mail `pools/email/<template>.txt` to `addresses` after commit."""
    if suppressed.on:
        return
    region = pool.region
    context = {
        "pool": pool,
        "listing": pool.listing,
        "link": region.reverse("listing_detail", pk=pool.listing_id),
        "thread_link": region.reverse("pool_thread", pk=pool.pk),
        **context,
    }
    send_mail_on_commit(region, f"pools/email/{template}.txt", context, addresses)

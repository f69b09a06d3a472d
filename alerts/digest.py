""" "Neu in <Region>": the region's new offers and requests of the week or month, by group,
with the region's figures, mailed to the members who asked for it.

A weekly (Mondays) and a monthly (on the 1st) task leave a job per subscription
(alerts.tasks); the job marks the subscription sent and queues its mail in one
transaction, and sends nothing to a subscription that got its mail less than
MIN_GAP ago: a job run twice, or a task started twice, mails once.
"""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.mail import send_mail_on_commit
from listings.models import Direction, Listing
from organisations.models import Organisation

from .models import DigestFrequency, DigestSubscription

# What the first mail looks back on, and how long after a mail the next may go.
LOOK_BACK = {DigestFrequency.WEEKLY: timedelta(days=7), DigestFrequency.MONTHLY: timedelta(days=31)}
MIN_GAP = {DigestFrequency.WEEKLY: timedelta(days=5), DigestFrequency.MONTHLY: timedelta(days=20)}
# Listed per group and direction; the group's search link shows the rest.
MOST_PER_GROUP = 5
UNSUBSCRIBE_SALT = "alerts.digest.unsubscribe"


class DigestError(Exception):
    """A rule stopped the action; the message is meant for the user."""


def subscribe(region, user, frequency) -> DigestSubscription | None:
    """Sets how often the person gets the region's news; no frequency ends it."""
    if not frequency:
        DigestSubscription.objects.in_region(region).filter(user=user).delete()
        return None
    subscription, _created = DigestSubscription.objects.update_or_create(
        region=region, user=user, defaults={"frequency": frequency}
    )
    return subscription


def unsubscribe_token(subscription: DigestSubscription) -> str:
    return signing.dumps({"digest": subscription.pk}, salt=UNSUBSCRIBE_SALT)


def subscription_from_token(region, token: str) -> DigestSubscription:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise DigestError(_("This link is not valid.")) from error
    subscription = DigestSubscription.objects.in_region(region).filter(pk=data.get("digest"))
    subscription = subscription.select_related("region").first()
    if subscription is None:
        raise DigestError(_("You no longer receive the region's news."))
    return subscription


def region_figures(region) -> dict:
    """What the mail's "in figures" says: current offers and requests, organisations."""
    counts = (
        Listing.objects.in_region(region)
        .published()
        .aggregate(
            offers=Count("pk", filter=Q(direction=Direction.OFFER)),
            requests=Count("pk", filter=Q(direction=Direction.REQUEST)),
        )
    )
    return {**counts, "organisations": Organisation.objects.in_region(region).count()}


def new_by_group(region, since, until) -> list[dict]:
    """The listings published in the period and still published, by group (in the
    catalogue's order), each group's offers and requests newest first."""
    listings = (
        Listing.objects.in_region(region)
        .published()
        .filter(published_at__gte=since, published_at__lt=until)
        .select_related("category__parent", "organisation", "place")
        .order_by("category__parent__position", "category__parent__name", "-published_at", "-pk")
    )
    groups = {}
    for listing in listings:
        group = listing.category.parent or listing.category
        entry = groups.setdefault(
            group.pk,
            {
                "group": group,
                "search_link": region.reverse("listing_search") + f"?category={group.slug}",
                Direction.OFFER: [],
                Direction.REQUEST: [],
            },
        )
        entry[listing.direction].append((listing, region.reverse("listing_detail", pk=listing.pk)))
    return [
        {
            "group": entry["group"],
            "search_link": entry["search_link"],
            "offers": entry[Direction.OFFER][:MOST_PER_GROUP],
            "requests": entry[Direction.REQUEST][:MOST_PER_GROUP],
            "count": len(entry[Direction.OFFER]) + len(entry[Direction.REQUEST]),
            "more": max(len(entry[Direction.OFFER]) - MOST_PER_GROUP, 0)
            + max(len(entry[Direction.REQUEST]) - MOST_PER_GROUP, 0),
        }
        for entry in groups.values()
    ]


def due(frequency, now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        DigestSubscription.objects.filter(frequency=frequency, region__is_active=True)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - MIN_GAP[frequency]))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def queue_digests(frequency, now=None) -> int:
    """A job per subscription due, so each is retried on its own."""
    subscriptions = due(frequency, now)
    for pk in subscriptions:
        jobs.enqueue("alerts.send_digest", subscription_id=pk)
    return len(subscriptions)


@transaction.atomic
def send_digest(subscription_id, now=None) -> int:
    """The mail of one subscription, if it is due; returns how many listings it names."""
    now = now or timezone.now()
    subscription = (
        DigestSubscription.objects.select_for_update(of=("self",))
        .select_related("region", "user")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        return 0
    frequency = subscription.frequency
    last = subscription.last_sent_at
    if last and now - last < MIN_GAP[frequency]:
        return 0  # sent already (a second run of the job or the task)
    since = max(last, now - LOOK_BACK[frequency]) if last else now - LOOK_BACK[frequency]
    region = subscription.region
    groups = new_by_group(region, since, now)
    DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
    if not groups:
        return 0  # nothing new: no mail
    count = sum(group["count"] for group in groups)
    context = {
        "subscription": subscription,
        "groups": groups,
        "count": count,
        "since": since,
        "figures": region_figures(region),
        "search_link": region.reverse("listing_search"),
        "settings_link": region.reverse("alert_digest"),
        "unsubscribe_link": region.reverse(
            "alert_digest_unsubscribe", token=unsubscribe_token(subscription)
        ),
    }
    send_mail_on_commit(
        region,
        "alerts/email/digest.txt",
        context,
        [subscription.user.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_link']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return count

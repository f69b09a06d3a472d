"""Recording the pairs of a newly published listing and telling the other side, once.

`match_listing` runs as a background job (matching.tasks) after a listing was published,
approved, resumed or renewed. It finds the listing's counterparts (matching.rules) and, in
one transaction, records each pair not recorded before and queues one mail to each
counterpart's organisation about its listings the new one fits ("Passt zu Ihrem Gesuch …").
A job that runs again (a retry, a worker that died after the commit) finds its pairs
recorded and sends nothing twice; two jobs recording the same pair at once collide on the
pair's unique constraint, and the loser's retry finds it recorded.
"""

from collections import defaultdict

from django.db import transaction

from core.mail import send_mail_on_commit
from listings.models import Listing, Status
from organisations.models import Membership

from . import rules
from .models import Match, MatchSettings


def opted_out():
    """The people who turned mails about fitting listings off."""
    return MatchSettings.objects.filter(match_mails=False).values("user_id")


@transaction.atomic
def match_listing(listing_id: int, *, tell: bool = True) -> list[Match]:
    """Records the pairs `listing` forms now and tells the other sides of the new ones
    (unless `tell` is False: the demo's history); returns the new pairs."""
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("region", "organisation", "category", "place")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None or listing.status != Status.PUBLISHED:
        return []
    fits = {fit.listing.pk: fit for fit in rules.counterparts(listing)}
    side, other_side = ("offer", "request") if listing.is_offer else ("request", "offer")
    recorded = {
        getattr(match, f"{other_side}_id"): match
        for match in Match.objects.filter(**{side: listing})
    }
    # Pairs that no longer fit (the text changed) leave the pages; those that fit again return.
    stale = [pk for pk, match in recorded.items() if match.is_current and pk not in fits]
    Match.objects.filter(**{side: listing, f"{other_side}_id__in": stale}).update(is_current=False)
    back = [pk for pk, match in recorded.items() if not match.is_current and pk in fits]
    Match.objects.filter(**{side: listing, f"{other_side}_id__in": back}).update(is_current=True)

    new = [
        Match(
            region_id=listing.region_id,
            score=fit.score,
            distance_km=round(fit.distance_km, 1),
            **{side: listing, f"{other_side}_id": pk},
        )
        for pk, fit in fits.items()
        if pk not in recorded
    ]
    Match.objects.bulk_create(new)
    if tell and new:
        _tell_counterparts(listing, new, other_side)
    return new


def _tell_counterparts(listing, new, other_side) -> None:
    """One mail to each organisation whose listings the new one fits, to the people
    responsible for them (their authors, else its owners and admins), less those who
    turned such mails off."""
    counterparts = Listing.objects.filter(
        pk__in=[getattr(match, f"{other_side}_id") for match in new]
    ).select_related("organisation")
    by_organisation = defaultdict(list)
    for counterpart in counterparts.order_by("organisation_id", "pk"):
        by_organisation[counterpart.organisation].append(counterpart)
    region = listing.region
    told_ids = []
    for organisation, theirs in by_organisation.items():
        addresses = set()
        for counterpart in theirs:
            recipients = Membership.objects.mail_recipients(organisation, counterpart.author_id)
            addresses.update(recipients.exclude(user_id__in=opted_out()).emails())
        if not addresses:
            continue
        send_mail_on_commit(
            region,
            "matching/email/match.txt",
            {
                "listing": listing,
                "theirs": theirs,
                "link": region.reverse("listing_detail", pk=listing.pk),
                "settings_link": region.reverse("inquiry_notifications"),
            },
            sorted(addresses),
        )
        told_ids.extend(counterpart.pk for counterpart in theirs)
    side = "request" if other_side == "offer" else "offer"
    Match.objects.filter(**{side: listing, f"{other_side}_id__in": told_ids}).update(told=True)


def fitting(listing, *, limit=None):
    """The current counterparts of `listing`, best first, as cards (for its members)."""
    side, other_side = ("offer", "request") if listing.is_offer else ("request", "offer")
    pairs = (
        Match.objects.in_region(listing.region_id)
        .current()
        .filter(**{side: listing})
        .order_by("-score", "distance_km", "pk")
    )
    ids = list(pairs.values_list(f"{other_side}_id", flat=True)[:limit])
    order = {pk: index for index, pk in enumerate(ids)}
    cards = Listing.objects.filter(pk__in=ids).for_cards()
    return sorted(cards, key=lambda card: order[card.pk])


def fitting_counts(listings) -> dict[int, int]:
    """How many current counterparts each of these listings has, in one query."""
    from django.db.models import Count

    ids = [listing.pk for listing in listings]
    counts = defaultdict(int)
    for field in ("offer", "request"):
        rows = (
            Match.objects.current()
            .filter(**{f"{field}_id__in": ids})
            .values(field)
            .annotate(count=Count("pk"))
            .values_list(field, "count")
        )
        for pk, count in rows:
            counts[pk] += count
    return counts

"""What happens to saved searches: saving one, finding the listings it asks for when they
are published, and mailing them, each listing once.

The mails follow the transactional outbox of core.jobs: the record that a listing was
sent for a search (`SentListing.sent_at`) and the queued mail are written in one
transaction, so a job that dies midway and runs again sends nothing twice, and a rollback
sends nothing at all.
"""

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.mail import send_mail_on_commit
from listings.models import Listing, Status

from . import criteria as search_criteria
from .matching import matching_searches
from .models import MAX_SEARCHES_PER_REGION, Frequency, SavedSearch, SentListing

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# The most listings one mail lists; the search link shows the rest.
MOST_IN_ONE_MAIL = 30


class AlertError(Exception):
    """A rule stopped the action; the message is meant for the user."""


def describe(form) -> str:
    """A name for a search, as the search page would head it: "Gabelstapler – Maschinen"."""
    parts = []
    if form.text:
        parts.append(f"„{form.text}“")
    if form.selected_category:
        parts.append(form.selected_category.category.name)
    if form.origin:
        parts.append(
            _("within %(km)s km of %(place)s") % {"km": form.radius_km, "place": form.origin.label}
        )
    return " – ".join(parts)[:80] or _("All listings")


@transaction.atomic
def save_search(region, user, query, *, name, frequency, now=None) -> SavedSearch:
    """Saves the search page's `query` (what its form accepts of it) for `user`. Only
    listings published from now on are sent."""
    if SavedSearch.objects.in_region(region).of_user(user).count() >= MAX_SEARCHES_PER_REGION:
        raise AlertError(
            _("You can keep at most %(count)d saved searches here. Please delete one first.")
            % {"count": MAX_SEARCHES_PER_REGION}
        )
    form = search_criteria.search_form(region, query)
    return SavedSearch.objects.create(
        region=region,
        user=user,
        name=name,
        frequency=frequency,
        query=search_criteria.accepted_query(form),
        criteria=search_criteria.criteria_of(form),
        created_at=now or timezone.now(),
        **search_criteria.columns_of(form),
    )


def set_active(saved_search: SavedSearch, active: bool) -> SavedSearch:
    """Pauses or resumes a search. Nothing published while it was paused is sent."""
    saved_search.is_active = active
    saved_search.save(update_fields=["is_active"])
    return saved_search


# Unsubscribing without logging in ---------------------------------------------------------


def unsubscribe_token(saved_search: SavedSearch) -> str:
    return signing.dumps({"search": saved_search.pk}, salt=UNSUBSCRIBE_SALT)


def saved_search_from_token(region, token: str) -> SavedSearch:
    """The search a mail's unsubscribe link names, in this region; AlertError otherwise."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise AlertError(_("This link is not valid.")) from error
    saved_search = SavedSearch.objects.in_region(region).filter(pk=data.get("search")).first()
    if saved_search is None:
        raise AlertError(_("This saved search no longer exists; you receive no mails for it."))
    return saved_search


# Finding and sending ------------------------------------------------------------------------


def listing_for_matching(listing_id):
    return (
        Listing.objects.select_related("region", "category__parent", "organisation", "place")
        .filter(pk=listing_id, status=Status.PUBLISHED)
        .first()
    )


@transaction.atomic
def find_searches_for(listing_id, now=None) -> int:
    """Records the published listing for every saved search it answers (once per search),
    and mails it at once to those who asked for "immediately". Returns how many searches
    it answered anew. Safe to run twice: what was recorded is not recorded or sent again."""
    listing = listing_for_matching(listing_id)
    if listing is None:  # withdrawn again before the job ran
        return 0
    now = now or timezone.now()
    recorded = set(
        SentListing.objects.filter(listing=listing).values_list("saved_search_id", flat=True)
    )
    new = [match for match in matching_searches(listing) if match.saved_search_id not in recorded]
    instant = {m.saved_search_id for m in new if m.frequency == Frequency.INSTANT}
    SentListing.objects.bulk_create(
        SentListing(
            saved_search_id=match.saved_search_id,
            listing=listing,
            found_at=now,
            sent_at=now if match.saved_search_id in instant else None,
        )
        for match in new
    )
    if instant:
        for saved_search in SavedSearch.objects.filter(pk__in=instant).select_related("user"):
            saved_search.region = listing.region
            _mail(saved_search, [listing])
        SavedSearch.objects.filter(pk__in=instant).update(last_sent_at=now)
    return len(new)


@transaction.atomic
def send_summary(saved_search_id, now=None) -> int:
    """One mail with every listing found for the search and not yet sent (daily, weekly);
    returns how many it lists. Listings no longer published are left out, and not sent
    later either."""
    saved_search = (
        SavedSearch.objects.select_for_update(of=("self",))
        .select_related("region", "user")
        .filter(pk=saved_search_id, is_active=True)
        .first()
    )
    if saved_search is None:
        return 0
    now = now or timezone.now()
    found = saved_search.found.unsent()
    listings = list(
        Listing.objects.published()
        .filter(pk__in=found.values("listing_id"))
        .select_related("category", "organisation", "place")
        .order_by("-published_at", "-pk")
    )
    found.update(sent_at=now)
    if not listings:
        return 0
    _mail(saved_search, listings)
    SavedSearch.objects.filter(pk=saved_search.pk).update(last_sent_at=now)
    return len(listings)


def searches_due(frequency) -> list[int]:
    """The active searches of this frequency with listings waiting to be sent, in regions
    that are switched on; a daily run also takes what waits for an "immediately" search
    (one changed from daily)."""
    frequencies = [frequency, Frequency.INSTANT] if frequency == Frequency.DAILY else [frequency]
    return list(
        SavedSearch.objects.active()
        .filter(frequency__in=frequencies, found__sent_at__isnull=True, region__is_active=True)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def queue_summaries(frequency) -> int:
    """A job per search due (alerts.tasks), so each is retried on its own."""
    due = searches_due(frequency)
    for pk in due:
        jobs.enqueue("alerts.send_summary", saved_search_id=pk)
    return len(due)


def _mail(saved_search, listings) -> None:
    region = saved_search.region
    unsubscribe = region.reverse("alert_unsubscribe", token=unsubscribe_token(saved_search))
    context = {
        "saved_search": saved_search,
        "listings": [
            (listing, region.reverse("listing_detail", pk=listing.pk))
            for listing in listings[:MOST_IN_ONE_MAIL]
        ],
        "more": max(len(listings) - MOST_IN_ONE_MAIL, 0),
        "count": len(listings),
        "search_link": saved_search.absolute_search_url(),
        "manage_link": region.reverse("alert_list"),
        "unsubscribe_link": unsubscribe,
    }
    send_mail_on_commit(
        region,
        "alerts/email/alert.txt",
        context,
        [saved_search.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )

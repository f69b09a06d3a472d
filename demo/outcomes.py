"""A year of exchanges handed over, for the impact figures of `manage.py load_demo`.

The demo conversations (demo.inquiries) happen in the last weeks, on today's listings.
The year before them is told here: in each of the 11 months before the current one a few
organisations of the region gave, lent or helped, on listings of that time that are
closed now. Each such listing is a copy of one of the demo's current listings (same
organisation, category, terms and text) as it was published back then; each exchange
goes through inquiries.services (asked, accepted, handed over, "Did it work out?", a
thank-you note and the giver's consent for some), and the listing is then closed through
listings.services, as its organisation would have done. Afterwards everything is moved
back to its month (by queryset update), as demo.inquiries does with its conversations.

Loading adds nothing to a region that already has exchanges from before the last weeks.
No mail goes out (`notifications.suppressed`).
"""

import logging
import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from inquiries import notifications, rules, services
from inquiries.models import Inquiry, Message, MessageKind, Outcome, Side
from listings import indexing
from listings import services as listing_services
from listings.models import PERIOD_TERMS, Direction, Listing, ListingEvent, Status, Terms
from organisations.models import (
    NONPROFIT_TYPES,
    Membership,
    Organisation,
    OrganisationType,
    Role,
)

logger = logging.getLogger(__name__)

SEED = "starkeregion-impact"
# Exchanges handed over in each month before the current one, the oldest first: the
# platform grows over the year.
PER_MONTH = [2, 2, 3, 2, 3, 3, 4, 3, 4, 5, 4]
# Exchanges older than this are the history (the demo conversations are younger).
HISTORY_BEFORE = timedelta(days=25)

# What the year's exchanges are, in turn.
KINDS = [
    (Direction.OFFER, Terms.GIVE_AWAY),
    (Direction.OFFER, Terms.DONATION),
    (Direction.OFFER, Terms.LOAN),
    (Direction.REQUEST, None),
    (Direction.OFFER, Terms.TIME_DONATION),
    (Direction.OFFER, Terms.GIVE_AWAY),
    (Direction.OFFER, Terms.RENT),
    (Direction.OFFER, Terms.LOAN),
]

THANK_YOUS = [
    "Herzlichen Dank! Bei uns wird alles sofort gebraucht.",
    "Vielen Dank für die unkomplizierte Hilfe – das hat uns sehr weitergebracht.",
    "Danke! Die Kinder haben sich riesig gefreut.",
    "Ein großes Dankeschön vom ganzen Team, das war großartig.",
    "Danke für die schnelle und freundliche Abwicklung!",
    "Ohne Ihre Unterstützung hätten wir das nicht geschafft. Danke!",
    "Vielen Dank – genau das hat uns gefehlt.",
]


def history(region):
    """The region's exchanges of the year before the last weeks."""
    return Outcome.objects.in_region(region).filter(
        completed_at__lt=timezone.now() - HISTORY_BEFORE
    )


def history_listings(region):
    """The closed listings on which the year's exchanges happened."""
    return Listing.objects.in_region(region).filter(
        status=Status.CLOSED, inquiries__outcome__in=history(region)
    )


@transaction.atomic
def load(region) -> int:
    """Adds a year of exchanges to `region` unless it has some; returns how many."""
    if history(region).exists():
        return 0
    templates = list(
        Listing.objects.in_region(region)
        .published()
        .select_related("organisation", "category")
        .order_by("pk")
    )
    organisations = list(Organisation.objects.in_region(region).order_by("pk"))
    if not templates or len(organisations) < 2:
        return 0
    people = _people(organisations)
    rng = random.Random(f"{SEED}-{region.slug}")  # noqa: S311  (demo data, not secrets)
    now = timezone.now()
    added = 0
    turn = 0
    with notifications.suppressed():
        for months_ago, count in zip(range(len(PER_MONTH), 0, -1), PER_MONTH, strict=True):
            for _number in range(count):
                direction, terms = KINDS[turn % len(KINDS)]
                turn += 1
                when = _in_month(rng, now, months_ago)
                try:
                    with transaction.atomic():
                        if _exchange(rng, templates, organisations, people, direction, terms, when):
                            added += 1
                except (services.InquiryError, listing_services.ListingError) as error:
                    logger.warning("Demo exchange left out (%s): %s", terms, error)
    _name_companies_that_gave(region)
    return added


def _name_companies_that_gave(region):
    """Most companies that gave chose to be named on the impact page (a setting on their
    profile); schools and associations, which mostly received, did not."""
    gave = set(
        history(region)
        .filter(inquiry__listing__direction=Direction.OFFER)
        .values_list("inquiry__listing_organisation", flat=True)
    ) | set(
        history(region)
        .filter(inquiry__listing__direction=Direction.REQUEST)
        .values_list("inquiry__organisation", flat=True)
    )
    companies = Organisation.objects.in_region(region).filter(
        pk__in=sorted(gave)[1:], type__in=[OrganisationType.COMPANY, OrganisationType.CRAFT]
    )
    for organisation in companies:
        organisation.named_as_giver = True
        organisation.save(update_fields=["named_as_giver", "updated_at"])


def _people(organisations):
    owners = Membership.objects.filter(organisation__in=organisations, role=Role.OWNER)
    return {m.organisation_id: m.user for m in owners.select_related("user")}


def _in_month(rng, now, months_ago):
    """A working-day moment about `months_ago` months back, at least HISTORY_BEFORE ago."""
    moment = now - timedelta(days=30 * months_ago + rng.uniform(-7, 7))
    moment = min(moment, now - HISTORY_BEFORE - timedelta(days=3))
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    local = timezone.localtime(moment)
    return local.replace(hour=rng.randint(8, 16), minute=rng.choice([0, 15, 30, 45]))


def _exchange(rng, templates, organisations, people, direction, terms, when) -> bool:
    fitting = [
        t
        for t in templates
        if t.direction == direction
        and (terms is None or t.terms == terms)
        and t.organisation_id in people
    ]
    if not fitting:
        return False
    template = rng.choice(fitting)
    listing = _copy(template, people[template.organisation_id], when - timedelta(days=14))
    giving_is_owner = direction == Direction.OFFER
    receivers = [
        o
        for o in organisations
        if o.pk != listing.organisation_id
        and o.pk in people
        and rules.refusal(listing, o) is None
        # Gifts and help go to schools, associations and non-profits where they may.
        and (terms == Terms.RENT or not giving_is_owner or o.type in NONPROFIT_TYPES)
    ] or [
        o
        for o in organisations
        if o.pk != listing.organisation_id and o.pk in people and rules.refusal(listing, o) is None
    ]
    if not receivers:
        listing.delete()
        return False
    other = rng.choice(receivers)
    owner_user, other_user = people[listing.organisation_id], people[other.pk]

    period = shown = None
    if listing.is_offer and listing.terms in PERIOD_TERMS:
        days = rng.randint(1, 5)
        start = max(timezone.localdate(), listing.available_from or timezone.localdate())
        period = (start, start + timedelta(days=days - 1))
        shown_start = timezone.localdate(when) - timedelta(days=days)
        shown = (shown_start, shown_start + timedelta(days=days - 1))
    inquiry = services.create_inquiry(
        listing,
        other,
        other_user,
        body=_ask(listing),
        quantity=listing.quantity if listing.is_offer and not period else None,
        period=period,
    )
    services.accept(inquiry, owner_user)
    services.complete(inquiry, owner_user)
    receiving_side = Side.INQUIRER if giving_is_owner else Side.OWNER
    giving_side = Side.OWNER if giving_is_owner else Side.INQUIRER
    receiver_user = other_user if giving_is_owner else owner_user
    giver_user = owner_user if giving_is_owner else other_user
    thanks = rng.choice(THANK_YOUS) if terms != Terms.RENT and rng.random() < 0.6 else ""
    services.answer_outcome(
        inquiry, receiving_side, receiver_user, succeeded=True, thank_you=thanks
    )
    services.answer_outcome(inquiry, giving_side, giver_user, succeeded=True)
    if thanks and rng.random() < 0.75:
        services.allow_thank_you(inquiry, giving_side, giver_user, public=True)
    listing_services.close(listing, owner_user)

    _backdate(inquiry, listing, when, shown)
    return True


def _copy(template, author, published_at):
    """Today's listing as it was once published, before its exchange."""
    listing = Listing(
        region=template.region,
        organisation=template.organisation,
        author=author,
        direction=template.direction,
        category=template.category,
        title=template.title,
        description=template.description,
        terms=template.terms,
        price=template.price,
        price_unit=template.price_unit,
        reduced_price=template.reduced_price,
        audience=template.audience,
        places_of_use=template.places_of_use,
        quantity=template.quantity,
        quantity_unit=template.quantity_unit,
        place=template.place,
        attributes=template.attributes,
    )
    listing_services.apply_terms(listing)
    listing.save()
    listing_services._publish(listing, author, "published")
    indexing.reindex([listing.pk])
    Listing.objects.filter(pk=listing.pk).update(
        created_at=published_at,
        published_at=published_at,
        expires_at=published_at + timedelta(days=90),
    )
    listing.published_at = published_at
    return listing


def _ask(listing) -> str:
    if listing.direction == Direction.REQUEST:
        return "Guten Tag,\n\nwir können Ihnen dabei helfen. Wann passt es Ihnen?"
    return "Guten Tag,\n\nwir hätten großes Interesse. Wann könnten wir vorbeikommen?"


def _backdate(inquiry, listing, when, shown):
    """Moves the exchange, and the listing's closing, back to `when`."""
    asked = when - timedelta(days=6, hours=3)
    accepted = when - timedelta(days=5)
    answered = when + timedelta(days=1, hours=2)
    moments = {
        MessageKind.CREATED: asked,
        MessageKind.TEXT: asked,
        MessageKind.ACCEPTED: accepted,
        MessageKind.COMPLETED: when,
        MessageKind.CONFIRMED: answered,
    }
    for kind, moment in moments.items():
        Message.objects.filter(inquiry=inquiry, kind=kind).update(created_at=moment)
    latest = Message.objects.filter(inquiry=inquiry).aggregate(Min("created_at"))
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=latest["created_at__min"] or asked,
        updated_at=answered,
        owner_unread=0,
        inquirer_unread=0,
        **({"period_start": shown[0], "period_end": shown[1]} if shown else {}),
    )
    Outcome.objects.filter(inquiry=inquiry).update(
        completed_at=when, owner_answered_at=answered, inquirer_answered_at=answered
    )
    closed = when + timedelta(days=1)
    Listing.objects.filter(pk=listing.pk).update(updated_at=closed)
    events = ListingEvent.objects.filter(listing=listing)
    events.exclude(action="closed").update(created_at=listing.published_at)
    events.filter(action="closed").update(created_at=closed)

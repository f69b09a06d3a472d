"""The region's public impact figures ("Erfolge"): what its organisations achieved together.

Only what really happened counts: exchanges handed over whose outcome no side denied
(inquiries.models.OutcomeQuerySet.achieved), on the day they were handed over. Open,
declined, withdrawn and not collected inquiries never count; nothing is estimated.

- what was given (given away, donated) is counted in the unit of its listing: the
  quantity the inquiry claimed, or the quantity a request asked for when it was answered;
- time donated likewise in its listing's unit (hours, mostly): a booking takes the whole
  listing, a request answered gives what it asked for;
- a free loan lends its booked period, counted in days.

Each figure is a total and one for the last 12 months: this month and the 11 before, the
months the chart shows, so that the chart adds up to the figure beside it. Every figure
comes from one aggregate query per kind of figure (a fixed number whatever the data), and
the result is cached per region until an outcome, an organisation or a listing of the
region changes (impact.signals), or for an hour at most.
"""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Sum, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from inquiries.models import WERE_PUBLIC, Outcome
from listings.models import QUANTITY_WORDS, Direction, QuantityUnit, Terms
from organisations.models import OrganisationType
from pools.figures import formed_partnerships

from .signals import impact_generation

CACHED_FOR = 60 * 60  # seconds; any change to the region's outcomes ends it sooner
MONTHS_SHOWN = 12
THANK_YOUS_SHOWN = 12
GIVERS_SHOWN = 50

# The kinds of exchange, in the order the page and the chart show them.
KINDS = [Terms.DONATION, Terms.GIVE_AWAY, Terms.TIME_DONATION, Terms.LOAN, Terms.RENT]
GIFT_TERMS = [Terms.GIVE_AWAY, Terms.DONATION]


class ReceiverGroup:
    """The receivers the page names: schools (and daycare centres), associations, and the
    other non-profit and public institutions. Companies that received are not counted."""

    SCHOOLS = "schools"
    ASSOCIATIONS = "associations"
    OTHER_NONPROFITS = "other"
    OF_TYPE = {
        OrganisationType.SCHOOL: SCHOOLS,
        OrganisationType.DAYCARE: SCHOOLS,
        OrganisationType.ASSOCIATION: ASSOCIATIONS,
        OrganisationType.NONPROFIT: OTHER_NONPROFITS,
        OrganisationType.PUBLIC: OTHER_NONPROFITS,
    }
    ORDER = [SCHOOLS, ASSOCIATIONS, OTHER_NONPROFITS]


# Who gave and who received, whichever way the listing went: the listing's organisation
# gives on an offer and receives on a request.
IS_OFFER = Q(inquiry__listing__direction=Direction.OFFER)
GIVER = Case(
    When(IS_OFFER, then=F("inquiry__listing_organisation_id")),
    default=F("inquiry__organisation_id"),
)
RECEIVER = Case(
    When(IS_OFFER, then=F("inquiry__organisation_id")),
    default=F("inquiry__listing_organisation_id"),
)
RECEIVER_TYPE = Case(
    When(IS_OFFER, then=F("inquiry__organisation__type")),
    default=F("inquiry__listing_organisation__type"),
)
# What a claim took, or what an answered request asked for.
QUANTITY = Coalesce(F("inquiry__quantity"), F("inquiry__listing__quantity"))
PERIOD = ExpressionWrapper(
    F("inquiry__period_end") - F("inquiry__period_start"), output_field=DurationField()
)


@dataclass(frozen=True)
class Figure:
    """One figure: in all, and in the last 12 months."""

    total: int = 0
    recent: int = 0


@dataclass(frozen=True)
class Amount:
    """A quantity in one unit (QuantityUnit), such as 40 pieces or 12 hours."""

    unit: str
    figure: Figure

    @property
    def unit_label(self):
        return QuantityUnit(self.unit).label

    def words(self, which: str) -> str:
        return QUANTITY_WORDS[self.unit] % {"count": getattr(self.figure, which)}

    @property
    def total_words(self):
        return self.words("total")

    @property
    def recent_words(self):
        return self.words("recent")


@dataclass(frozen=True)
class Month:
    start: datetime.date
    counts: tuple[int, ...]  # per kind, in the order of KINDS

    @property
    def total(self):
        return sum(self.counts)


@dataclass(frozen=True)
class ThankYou:
    note: str
    what: str
    terms: str
    giver_id: int
    giver: str
    receiver: str
    completed_on: datetime.date

    @property
    def terms_label(self):
        return Terms(self.terms).label


@dataclass(frozen=True)
class Giver:
    pk: int
    name: str
    count: int


@dataclass(frozen=True)
class Impact:
    """The region's figures, as its impact page and the embed show them."""

    since: datetime.date  # the first day of the last 12 months
    exchanges: Figure = Figure()
    by_kind: dict = field(default_factory=dict)  # terms → Figure
    days_lent: Figure = Figure()
    given: tuple[Amount, ...] = ()
    time_donated: tuple[Amount, ...] = ()
    receivers: dict = field(default_factory=dict)  # ReceiverGroup → Figure
    givers: Figure = Figure()
    months: tuple[Month, ...] = ()
    thank_yous: tuple[ThankYou, ...] = ()
    named_givers: tuple[Giver, ...] = ()
    partnerships: Figure = Figure()  # co-investment pools formed (pools.figures)

    def kind(self, terms) -> Figure:
        return self.by_kind.get(terms, Figure())

    @property
    def donations(self) -> Figure:
        """Given away, donated and time donated: everything given for nothing in return."""
        kinds = [self.kind(terms) for terms in (*GIFT_TERMS, Terms.TIME_DONATION)]
        return Figure(sum(k.total for k in kinds), sum(k.recent for k in kinds))

    @property
    def loans(self) -> Figure:
        return self.kind(Terms.LOAN)

    @property
    def receiving_non_profits(self) -> Figure:
        groups = self.receivers.values()
        return Figure(sum(g.total for g in groups), sum(g.recent for g in groups))

    def receiver_group(self, group) -> Figure:
        return self.receivers.get(group, Figure())

    @property
    def busiest_month(self) -> int:
        return max((month.total for month in self.months), default=0)


def months_back(day: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def recent_start(today=None) -> datetime.date:
    """The first day of the last 12 months: this month and the 11 before."""
    return months_back(today or timezone.localdate(), MONTHS_SHOWN - 1)


def region_impact(region, today=None) -> Impact:
    """The region's figures, from the cache while nothing of them has changed."""
    today = today or timezone.localdate()
    key = f"impact:{region.pk}:{impact_generation(region.pk)}:{today.isoformat()}"
    impact = cache.get(key)
    if impact is None:
        impact = compute_impact(region, today)
        cache.set(key, impact, CACHED_FOR)
    return impact


def compute_impact(region, today) -> Impact:
    since = recent_start(today)
    since_moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    recent = Q(completed_at__gte=since_moment)
    achieved = Outcome.objects.in_region(region).achieved()

    by_kind, days_lent = {}, Figure()
    rows = (
        achieved.values(terms=F("inquiry__listing__terms"))
        .annotate(
            total=Count("pk"),
            recent=Count("pk", filter=recent),
            periods=Count("inquiry__period_start"),
            periods_recent=Count("inquiry__period_start", filter=recent),
            lent=Sum(PERIOD),
            lent_recent=Sum(PERIOD, filter=recent),
        )
        .order_by()
    )
    for row in rows:
        by_kind[row["terms"]] = Figure(row["total"], row["recent"])
        if row["terms"] == Terms.LOAN:
            # A period from the 1st to the 3rd lends three days.
            days_lent = Figure(
                _days(row["lent"]) + row["periods"],
                _days(row["lent_recent"]) + row["periods_recent"],
            )

    given, time_donated = [], []
    rows = (
        achieved.filter(inquiry__listing__terms__in=[*GIFT_TERMS, Terms.TIME_DONATION])
        .values(
            is_time=Case(
                When(inquiry__listing__terms=Terms.TIME_DONATION, then=True), default=False
            ),
            unit=F("inquiry__listing__quantity_unit"),
        )
        .annotate(total=Sum(QUANTITY), recent=Coalesce(Sum(QUANTITY, filter=recent), 0))
        .order_by("unit")
    )
    for row in rows:
        amount = Amount(row["unit"], Figure(row["total"], row["recent"]))
        (time_donated if row["is_time"] else given).append(amount)

    receivers = {}
    rows = (
        achieved.annotate(receiver_type=RECEIVER_TYPE, receiver=RECEIVER)
        .filter(receiver_type__in=list(ReceiverGroup.OF_TYPE))
        .values("receiver_type")
        .annotate(
            total=Count("receiver", distinct=True),
            recent=Count("receiver", distinct=True, filter=recent),
        )
        .order_by()
    )
    for row in rows:
        # Schools and daycare centres are one group: distinct within each type, and no
        # organisation has two types, so the sums are distinct too.
        group = ReceiverGroup.OF_TYPE[row["receiver_type"]]
        before = receivers.get(group, Figure())
        receivers[group] = Figure(before.total + row["total"], before.recent + row["recent"])

    givers = achieved.annotate(giver=GIVER).aggregate(
        total=Count("giver", distinct=True), recent=Count("giver", distinct=True, filter=recent)
    )

    counts = {}
    rows = (
        achieved.filter(recent)
        .annotate(month=TruncMonth("completed_at"))
        .values("month", terms=F("inquiry__listing__terms"))
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        counts[(month, row["terms"])] = row["count"]
    months = tuple(
        Month(start, tuple(counts.get((start, terms), 0) for terms in KINDS))
        for start in (months_back(today, back) for back in reversed(range(MONTHS_SHOWN)))
    )

    return Impact(
        since=since,
        exchanges=Figure(
            sum(f.total for f in by_kind.values()), sum(f.recent for f in by_kind.values())
        ),
        by_kind=by_kind,
        days_lent=days_lent,
        given=tuple(given),
        time_donated=tuple(time_donated),
        receivers=receivers,
        givers=Figure(givers["total"], givers["recent"]),
        months=months,
        thank_yous=tuple(public_thank_yous(region)),
        named_givers=tuple(named_givers(region)),
        partnerships=Figure(**formed_partnerships(region, since_moment)),
    )


def _days(duration) -> int:
    return duration.days if duration else 0


def public_thank_yous(region, limit=THANK_YOUS_SHOWN):
    """The notes both sides agreed to show (the receiver wrote it knowing so, the giver
    allowed it), about listings that were public, newest first."""
    outcomes = (
        Outcome.objects.in_region(region)
        .achieved()
        .shown_publicly()
        .filter(inquiry__listing__status__in=WERE_PUBLIC)
        .select_related(
            "inquiry__listing", "inquiry__organisation", "inquiry__listing_organisation"
        )
        .only(
            "thank_you",
            "completed_at",
            "inquiry__listing__title",
            "inquiry__listing__terms",
            "inquiry__listing__direction",
            "inquiry__organisation__name",
            "inquiry__listing_organisation__name",
        )
        .order_by("-completed_at", "-pk")[:limit]
    )
    for outcome in outcomes:
        inquiry = outcome.inquiry
        giver = inquiry.organisation_of(inquiry.giving_side)
        yield ThankYou(
            note=outcome.thank_you,
            what=inquiry.listing.title,
            terms=inquiry.listing.terms,
            giver_id=giver.pk,
            giver=giver.name,
            receiver=inquiry.receiving_organisation.name,
            completed_on=timezone.localdate(outcome.completed_at),
        )


def named_givers(region, limit=GIVERS_SHOWN):
    """The organisations that gave and chose to be named (Organisation.named_as_giver),
    the most often first: one query for their offers handed over, one for the requests
    they answered."""
    achieved = Outcome.objects.in_region(region).achieved()
    counts, names = {}, {}
    for direction, side in (
        (Direction.OFFER, "inquiry__listing_organisation"),
        (Direction.REQUEST, "inquiry__organisation"),
    ):
        rows = (
            achieved.filter(
                inquiry__listing__direction=direction, **{f"{side}__named_as_giver": True}
            )
            .values(giver=F(side), giver_name=F(f"{side}__name"))
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["giver"]] = counts.get(row["giver"], 0) + row["count"]
            names[row["giver"]] = row["giver_name"]
    givers = [Giver(pk, names[pk], count) for pk, count in counts.items()]
    givers.sort(key=lambda giver: (-giver.count, giver.name))
    return givers[:limit]


def organisation_counts(organisation) -> dict:
    """How often the organisation gave and received in its region, in one query."""
    achieved = (
        Outcome.objects.in_region(organisation.region_id)
        .achieved()
        .filter(
            Q(inquiry__listing_organisation=organisation) | Q(inquiry__organisation=organisation)
        )
    )
    counts = achieved.annotate(giver=GIVER, receiver=RECEIVER).aggregate(
        helped=Count("pk", filter=Q(giver=organisation.pk)),
        received=Count("pk", filter=Q(receiver=organisation.pk)),
    )
    return {"helped": counts["helped"], "received": counts["received"]}

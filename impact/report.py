"""The figures the district's staff see in the back office and hand to funders: for a
period and for each region they may see, side by side (one column per region).

- organisations: by type and verification state (those that had joined by the period's
  end), and how many joined in each month of the period;
- listings created in the period: by category group, direction, status (as they are now)
  and month;
- inquiries sent in the period as a funnel (sent → accepted → completed), with how they
  ended otherwise, the median time to the listing side's first answer and the share it
  never answered;
- outcomes handed over in the period (impact.figures' rule: no side denied them) by kind;
- partnerships formed in the period (co-investment pools, pools.figures);
- what the region is missing: the categories most asked for by requests of the period in
  which the region has no published offer now.

Every figure is one aggregate query grouped by region, so the number of queries does not
grow with the data; only the median takes one more query per region (the middle rows in
order, never the whole list).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inquiries.models import WERE_PUBLIC, Inquiry, Message, MessageKind, Outcome, Side
from inquiries.models import Status as InquiryStatus
from listings.models import Direction, Listing, Terms
from listings.models import Status as ListingStatus
from organisations.models import Organisation, OrganisationType, Verification
from pools.figures import partnerships_by_region

from .figures import KINDS, QUANTITY

MISSING_SHOWN = 10
# Lent for a period: no quantity changes hands.
LENT = frozenset({Terms.RENT, Terms.LOAN})


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: datetime.date
    end: datetime.date

    @property
    def start_moment(self):
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_moment(self):
        """The first moment after the period."""
        following = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))

    def contains(self, lookup) -> Q:
        return Q(**{f"{lookup}__gte": self.start_moment, f"{lookup}__lt": self.end_moment})

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    @property
    def slug(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


@dataclass
class Row:
    label: str
    values: list  # one per region, in the order of the report's regions
    level: int = 0  # 1: a part of the row above


@dataclass
class Table:
    key: str
    title: str
    rows: list = field(default_factory=list)
    first_column: str = pgettext_lazy("figures table", "Figure")


@dataclass
class Report:
    period: Period
    regions: list
    tables: list = field(default_factory=list)
    missing: dict = field(default_factory=dict)  # region id → [(category name, requests)]

    def missing_by_region(self):
        return [(region, self.missing.get(region.pk, [])) for region in self.regions]


def _grouped(queryset, key) -> dict:
    """{(region id, key value): count} of one grouped query."""
    rows = queryset.values("region_id", key).annotate(count=Count("pk")).order_by()
    return {(row["region_id"], row[key]): row["count"] for row in rows}


def _month(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _monthly(queryset, moment_field) -> dict:
    rows = (
        queryset.annotate(month=TruncMonth(moment_field))
        .values("region_id", "month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(row["region_id"], _month(row["month"])): row["count"] for row in rows}


def build_report(regions, period: Period) -> Report:
    regions = list(regions)
    report = Report(period, regions)
    ids = [region.pk for region in regions]

    def row(label, counts, key, level=0):
        return Row(str(label), [counts.get((pk, key), 0) for pk in ids], level)

    def totals(counts):
        return [sum(v for (pk, _key), v in counts.items() if pk == region) for region in ids]

    # Organisations ---------------------------------------------------------------------
    organisations = Organisation.objects.in_regions(ids).filter(created_at__lt=period.end_moment)
    by_type = _grouped(organisations, "type")
    by_verification = _grouped(organisations, "verification")
    joined = _monthly(organisations.filter(period.contains("created_at")), "created_at")
    table = Table("organisations", _("Organisations"))
    table.rows.append(Row(str(_("Organisations at the end of the period")), totals(by_type)))
    table.rows += [row(label, by_type, value, 1) for value, label in OrganisationType.choices]
    table.rows += [row(label, by_verification, value, 1) for value, label in Verification.choices]
    table.rows.append(Row(str(_("Joined in the period")), totals(joined)))
    table.rows += [row(_month_label(month), joined, month, 1) for month in period.months]
    report.tables.append(table)

    # Listings --------------------------------------------------------------------------
    listings = Listing.objects.in_regions(ids).filter(period.contains("created_at"))
    by_direction = _grouped(listings, "direction")
    by_status = _grouped(listings, "status")
    by_group = _grouped(listings, "category__parent__name")
    created = _monthly(listings, "created_at")
    table = Table("listings", _("Listings created in the period"))
    table.rows.append(Row(str(_("Listings")), totals(by_direction)))
    table.rows += [row(label, by_direction, value, 1) for value, label in Direction.choices]
    table.rows.append(Row(str(_("By status today")), [""] * len(ids)))
    table.rows += [row(label, by_status, value, 1) for value, label in ListingStatus.choices]
    table.rows.append(Row(str(_("By category group")), [""] * len(ids)))
    groups = sorted({name for (_pk, name) in by_group if name})
    table.rows += [row(name, by_group, name, 1) for name in groups]
    table.rows.append(Row(str(_("By month")), [""] * len(ids)))
    table.rows += [row(_month_label(month), created, month, 1) for month in period.months]
    report.tables.append(table)

    # Inquiries -------------------------------------------------------------------------
    inquiries = Inquiry.objects.in_regions(ids).filter(period.contains("created_at"))
    accepted_step = Message.objects.filter(inquiry=OuterRef("pk"), kind=MessageKind.ACCEPTED)
    funnel = {
        row["region_id"]: row
        for row in inquiries.annotate(was_accepted=Exists(accepted_step))
        .values("region_id")
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(was_accepted=True)),
            completed=Count("pk", filter=Q(status=InquiryStatus.COMPLETED)),
            declined=Count("pk", filter=Q(status=InquiryStatus.DECLINED)),
            withdrawn=Count("pk", filter=Q(status=InquiryStatus.WITHDRAWN)),
            released=Count("pk", filter=Q(status=InquiryStatus.RELEASED)),
            still_open=Count(
                "pk", filter=Q(status__in=[InquiryStatus.OPEN, InquiryStatus.ACCEPTED])
            ),
        )
        .order_by()
    }
    answered = _with_first_answer(inquiries).filter(first_answer__isnull=False)
    answered_counts = dict(
        answered.values("region_id").annotate(count=Count("pk")).values_list("region_id", "count")
    )
    table = Table("inquiries", _("Inquiries sent in the period"))

    def funnel_row(label, key, level=0):
        return Row(str(label), [funnel.get(pk, {}).get(key, 0) for pk in ids], level)

    table.rows += [
        funnel_row(_("Sent"), "sent"),
        funnel_row(_("Accepted"), "accepted"),
        funnel_row(_("Completed (handed over)"), "completed"),
        funnel_row(_("Declined"), "declined", 1),
        funnel_row(_("Withdrawn"), "withdrawn", 1),
        funnel_row(_("Released (not collected)"), "released", 1),
        funnel_row(_("Still open or accepted"), "still_open", 1),
    ]
    medians, never = [], []
    for pk in ids:
        sent = funnel.get(pk, {}).get("sent", 0)
        count = answered_counts.get(pk, 0)
        medians.append(_duration_words(_median_wait(answered.filter(region_id=pk), count)))
        never.append(_share(sent - count, sent))
    table.rows.append(Row(str(_("Median time to the first answer")), medians))
    table.rows.append(Row(str(_("Never answered")), never))
    report.tables.append(table)

    # Outcomes --------------------------------------------------------------------------
    outcomes = Outcome.objects.in_regions(ids).filter(
        period.contains("completed_at"), inquiry__status=InquiryStatus.COMPLETED
    )
    achieved = outcomes.achieved()
    by_kind = {
        (row["inquiry__region_id"], row["inquiry__listing__terms"]): row["count"]
        for row in achieved.values("inquiry__region_id", "inquiry__listing__terms")
        .annotate(count=Count("pk"))
        .order_by()
    }
    others = {
        row["inquiry__region_id"]: row
        for row in outcomes.values("inquiry__region_id")
        .annotate(
            denied=Count("pk", filter=Q(owner_succeeded=False) | Q(inquirer_succeeded=False)),
            confirmed=Count("pk", filter=Q(owner_succeeded=True, inquirer_succeeded=True)),
            public_notes=Count("pk", filter=Q(thank_you_public=True) & ~Q(thank_you="")),
        )
        .order_by()
    }
    table = Table("outcomes", _("Exchanges handed over in the period"))
    table.rows.append(Row(str(_("Handed over")), totals(by_kind)))
    table.rows += [row(Terms(terms).label, by_kind, terms, 1) for terms in KINDS]
    for key, label in (
        ("confirmed", _("Confirmed by both sides")),
        ("public_notes", _("With a public thank-you note")),
        ("denied", _("Not counted: one side said it did not work out")),
    ):
        table.rows.append(Row(str(label), [others.get(pk, {}).get(key, 0) for pk in ids]))
    report.tables.append(table)

    # Partnerships: shared investments, offices and specialists (pools.figures) ---------
    pools = partnerships_by_region(ids, period.start_moment, period.end_moment)
    table = Table("partnerships", _("Partnerships (shared machines, offices, specialists)"))
    for key, label in (
        ("formed", _("Partnerships formed")),
        ("partners", _("Partner organisations in them")),
        ("started", _("Pools started")),
        ("lapsed", _("Pools lapsed")),
    ):
        table.rows.append(Row(str(label), [pools[pk][key] for pk in ids]))
    report.tables.append(table)

    # What the region is missing --------------------------------------------------------
    offered = Listing.objects.filter(
        region_id=OuterRef("region_id"),
        category_id=OuterRef("category_id"),
        direction=Direction.OFFER,
        status=ListingStatus.PUBLISHED,
    )
    missing_rows = (
        # Requests that were public: not drafts, nor ones moderation refused or removed.
        listings.filter(direction=Direction.REQUEST, status__in=WERE_PUBLIC)
        .annotate(has_offer=Exists(offered))
        .filter(has_offer=False)
        .values("region_id", "category__name", "category__parent__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__name")
    )
    for item in missing_rows:
        shown = report.missing.setdefault(item["region_id"], [])
        if len(shown) < MISSING_SHOWN:
            name = item["category__name"]
            parent = item["category__parent__name"]
            shown.append((f"{parent} › {name}" if parent else name, item["count"]))
    return report


def _with_first_answer(inquiries):
    """The inquiries with the moment the listing's side first wrote or acted in the thread."""
    first = (
        Message.objects.filter(inquiry=OuterRef("pk"), side=Side.OWNER)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return inquiries.annotate(first_answer=Subquery(first))


def _median_wait(answered, count) -> datetime.timedelta | None:
    """The median of the waits to the first answer: the middle row (or the two middle
    ones) in order of the wait, fetched alone."""
    if not count:
        return None
    waits = answered.annotate(wait=F("first_answer") - F("created_at")).order_by("wait")
    middle = list(waits.values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1])
    middle = [_as_timedelta(wait) for wait in middle]
    return sum(middle, datetime.timedelta()) / len(middle)


def _as_timedelta(wait):
    # SQLite hands a difference of moments back as microseconds.
    return wait if isinstance(wait, datetime.timedelta) else datetime.timedelta(microseconds=wait)


def _duration_words(wait) -> str:
    if wait is None:
        return "–"
    hours = wait.total_seconds() / 3600
    if hours < 48:
        return str(_("%(hours)s h") % {"hours": f"{hours:.1f}".replace(".", ",")})
    return str(_("%(days)s days") % {"days": f"{hours / 24:.1f}".replace(".", ",")})


def _share(part, whole) -> str:
    if not whole:
        return "–"
    return f"{round(100 * part / whole)} %"


def _month_label(month: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "YEAR_MONTH_FORMAT")


def outcome_rows(regions, period: Period):
    """One row per exchange handed over in the period (the figures' rule), oldest first."""
    outcomes = (
        Outcome.objects.in_regions([region.pk for region in regions])
        .achieved()
        .filter(period.contains("completed_at"))
    )
    return exchange_rows(outcomes)


def exchange_rows(outcomes):
    """A row per outcome for the funders' export: what, between whom, how much or for how
    long, and whether both sides confirmed it."""
    outcomes = (
        outcomes.annotate(amount=QUANTITY)
        .select_related(
            "inquiry__region",
            "inquiry__listing__category__parent",
            "inquiry__organisation",
            "inquiry__listing_organisation",
        )
        .order_by("completed_at", "pk")
    )
    for outcome in outcomes.iterator(chunk_size=500):
        inquiry = outcome.inquiry
        listing = inquiry.listing
        giver = inquiry.organisation_of(inquiry.giving_side)
        receiver = inquiry.receiving_organisation
        yield [
            timezone.localdate(outcome.completed_at).isoformat(),
            inquiry.region.name,
            listing.get_direction_display(),
            listing.get_terms_display(),
            str(listing.category),
            listing.title,
            giver.name,
            giver.get_type_display(),
            receiver.name,
            receiver.get_type_display(),
            "" if listing.terms in LENT else outcome.amount,
            "" if listing.terms in LENT else listing.get_quantity_unit_display(),
            inquiry.period_start.isoformat() if inquiry.period_start else "",
            inquiry.period_end.isoformat() if inquiry.period_end else "",
            _yes_no(outcome.owner_succeeded),
            _yes_no(outcome.inquirer_succeeded),
            outcome.thank_you if outcome.thank_you_public else "",
        ]


def outcome_header():
    return [
        str(label)
        for label in (
            _("Handed over on"),
            _("Region"),
            _("Offer or request"),
            _("Terms"),
            _("Category"),
            _("Listing"),
            _("Giving organisation"),
            _("Type"),
            _("Receiving organisation"),
            _("Type"),
            _("Quantity"),
            _("Unit"),
            _("From"),
            _("Until"),
            _("Worked out (listing's side)"),
            _("Worked out (inquiring side)"),
            _("Public thank-you note"),
        )
    ]


def _yes_no(value) -> str:
    if value is None:
        return str(_("not answered yet"))
    return str(_("yes") if value else _("no"))

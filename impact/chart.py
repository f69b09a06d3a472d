"""The monthly chart of the impact page as plain numbers for an inline SVG: each month a
bar of segments, one per kind of exchange, each filled with its own pattern (so that no
one needs to tell colours apart) and labelled by the legend and the table beside it."""

from dataclasses import dataclass

from django.utils.formats import date_format

from listings.models import Terms

from .figures import KINDS, Impact

# A pattern per kind, defined once on the page (impact/_chart.html).
PATTERNS = {
    Terms.DONATION: "solid",
    Terms.GIVE_AWAY: "stripes",
    Terms.TIME_DONATION: "dots",
    Terms.LOAN: "checks",
    Terms.RENT: "lines",
}


@dataclass(frozen=True)
class Segment:
    kind: str
    count: int
    x: float  # percent of the bar's width
    width: float

    @property
    def pattern(self):
        return PATTERNS[self.kind]


@dataclass(frozen=True)
class Bar:
    label: str  # "Dez. 2026"
    long_label: str  # "Dezember 2026"
    total: int
    counts: tuple
    segments: tuple


def legend():
    return [(kind, Terms(kind).label, PATTERNS[kind]) for kind in KINDS]


def bars(impact: Impact) -> list[Bar]:
    # The longest bar takes 90 % of the width, leaving room for its number.
    scale = 90 / impact.busiest_month if impact.busiest_month else 0
    result = []
    for month in reversed(impact.months):  # newest first, as the notes below
        segments, x = [], 0.0
        for kind, count in zip(KINDS, month.counts, strict=True):
            if count:
                width = round(count * scale, 2)
                segments.append(Segment(kind, count, round(x, 2), width))
                x += width
        result.append(
            Bar(
                date_format(month.start, "M Y"),
                date_format(month.start, "YEAR_MONTH_FORMAT"),
                month.total,
                month.counts,
                tuple(segments),
            )
        )
    return result

"""What waits for the region's staff: the queues of the back office's overview and of the
daily mail to staff (moderation.queue_mail).

The apps above name their queues through the hook `regions.hooks.staff_queues`; each queue
is counted once, grouped by region, so the overview costs one query per queue however many
regions a staff member works for.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from .hooks import staff_queues


@dataclass(frozen=True)
class Queue:
    """One kind of work: its name, its count per region id, and the back office's list of
    it (a changelist's URL name and the filter that shows just this work)."""

    key: str
    label: str
    changelist: str
    query: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count_in(self, region_id) -> int:
        return self.counts.get(region_id, 0)

    @property
    def path(self) -> str:
        """The filtered changelist, on whatever host it is opened."""
        path = reverse(self.changelist)
        return f"{path}?{urlencode(self.query)}" if self.query else path


def counts_by_region(queryset, region_ids=None) -> dict:
    """{region id: number} of `queryset` (a region-owned queryset), limited to `region_ids`
    unless None; regions with nothing are left out."""
    if region_ids is not None:
        queryset = queryset.in_regions(region_ids)
    lookup = queryset.region_lookup
    rows = queryset.order_by().values_list(lookup).annotate(number=Count("pk"))
    return dict(rows)


def waiting(region_ids=None) -> list[Queue]:
    """Every queue of the apps, in the order of INSTALLED_APPS, counted for `region_ids`
    (None: every region)."""
    if region_ids is not None and not region_ids:
        return []
    return [queue for queues in staff_queues.results(region_ids) for queue in queues]

"""What the pools add to a region's figures (impact.figures, impact.report): partnerships
formed, and the organisations in them. A pool counts on the day it was formed; open and
lapsed pools never count. Each figure is one aggregate query grouped by region."""

from django.db.models import Count, Q

from .models import Commitment, Pool


def formed_partnerships(region, since) -> dict:
    """{"total", "recent"}: the region's partnerships formed, in all and since `since` (a
    moment)."""
    return (
        Pool.objects.in_region(region)
        .formed()
        .aggregate(total=Count("pk"), recent=Count("pk", filter=Q(formed_at__gte=since)))
    )


def partnerships_by_region(region_ids, start, end) -> dict:
    """{region id: {"started", "formed", "partners", "lapsed"}} for pools started, formed
    and lapsed from `start` until before `end` (moments); "partners" counts the
    organisations that committed to the pools formed, initiators not included."""
    pools = Pool.objects.in_regions(region_ids)
    counts = {pk: {"started": 0, "formed": 0, "partners": 0, "lapsed": 0} for pk in region_ids}
    rows = (
        pools.values("region_id")
        .annotate(
            started=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
            formed=Count("pk", filter=Q(formed_at__gte=start, formed_at__lt=end)),
            lapsed=Count("pk", filter=Q(lapsed_at__gte=start, lapsed_at__lt=end)),
        )
        .order_by()
    )
    for row in rows:
        counts[row["region_id"]].update(
            started=row["started"], formed=row["formed"], lapsed=row["lapsed"]
        )
    partners = (
        Commitment.objects.active()
        .filter(pool__in=pools.formed().filter(formed_at__gte=start, formed_at__lt=end))
        .values("pool__region_id")
        .annotate(count=Count("organisation", distinct=True))
        .order_by()
    )
    for row in partners:
        counts[row["pool__region_id"]]["partners"] = row["count"]
    return counts

"""Publishing one listing against 10,000 open requests: how long matching takes (issue #15).

    .venv/bin/python -m tests.bench.matching      (`make bench` runs it after the pages)

Seeds its own PostgreSQL database (BENCH_MATCHING_DATABASE_URL, default
starkeregion_bench_matching on 127.0.0.1, created if missing; skipped when it holds the
requests already): Potsdam-Mittelmark with 300 organisations, BENCH_MATCHING_REQUESTS
(10,000) published requests and a quarter as many offers, their words and categories drawn
as tests/bench/seed.py draws them. Then, for BENCH_MATCHING_RUNS offers of every group of
categories, it times the matching step (matching.rules.counterparts: the candidates'
query, then words and distance) and the whole job (matching.services.match_listing, also
recording the pairs and queuing the mails; rolled back each time), and prints p50/p95/max
with the target (matching step ≤ 50 ms), the candidates and fits per offer, and the
candidates query's plan. A benchmark, not a test: it reports and exits 0.
"""

import os
import random
import statistics
import sys
import time

from tests.bench.settings_env import ENVIRONMENT

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/starkeregion_bench_matching"
URL = os.environ.get("BENCH_MATCHING_DATABASE_URL", DEFAULT_URL)
REQUESTS = int(os.environ.get("BENCH_MATCHING_REQUESTS", "10000"))
OFFERS = REQUESTS // 4
RUNS = int(os.environ.get("BENCH_MATCHING_RUNS", "60"))
TARGET_MS = 50
SEED = 15


def seed():
    from django.db import connection, transaction
    from django.utils import timezone

    from listings import indexing
    from listings.catalogue import attribute_definitions
    from listings.models import Category, Direction, Listing, Status
    from regions.models import Place
    from tests.bench import seed as bench_seed

    region = next(r for r in bench_seed.ensure_regions() if r.slug == "pm")
    published = Listing.objects.in_region(region).published()
    if published.filter(direction=Direction.REQUEST).count() == REQUESTS:
        print(f"The database holds {REQUESTS:,} open requests already; seeding skipped.")
        return region
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE listings_listing CASCADE")
    rng = random.Random(SEED)
    now = timezone.now()
    categories = {c.slug: c for c in Category.objects.leaves().select_related("parent")}
    definitions = {slug: list(attribute_definitions(c)) for slug, c in categories.items()}
    places = list(Place.objects.in_region(region))
    organisations = bench_seed.create_organisations(rng, region, places)
    wanted = {Direction.REQUEST: REQUESTS, Direction.OFFER: OFFERS}
    chosen = []
    while any(wanted.values()):
        listing = bench_seed.make_listing(
            rng, region, organisations, places, categories, definitions, now
        )
        if not wanted[listing.direction]:
            continue
        wanted[listing.direction] -= 1
        # Open: published, a while ago, running for weeks still.
        listing.status = Status.PUBLISHED
        listing.published_at = now - timezone.timedelta(days=rng.uniform(0, 60))
        listing.expires_at = listing.published_at + timezone.timedelta(days=90)
        chosen.append(listing)
    fields = [f for f in Listing._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        bench_seed.copy_listings(chosen, fields, connection)
    indexing.reindex()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE listings_listing")
        cursor.execute("ANALYZE")
    print(
        f"Seeded {REQUESTS:,} open requests and {OFFERS:,} offers "
        f"in {time.monotonic() - started:.0f} s."
    )
    return region


def offers_to_publish(region):
    """Offers as they are published: spread over every group, words as people write them."""
    from listings.models import Direction, Listing

    offers = list(
        Listing.objects.in_region(region)
        .published()
        .filter(direction=Direction.OFFER)
        .select_related("region", "organisation", "category", "place")
        .order_by("?")[: RUNS * 3]
    )
    by_group = {}
    for offer in offers:
        by_group.setdefault(offer.category.parent_id, []).append(offer)
    # Round robin over the groups, so each is measured about as often.
    spread = []
    while len(spread) < RUNS and any(by_group.values()):
        for group in list(by_group):
            if by_group[group]:
                spread.append(by_group[group].pop())
    return spread[:RUNS]


def measure(region):
    from django.db import connection, transaction

    from matching import rules, services

    offers = offers_to_publish(region)
    rules.counterparts(offers[0])  # the places and categories in the cache
    step, job, candidates, fits = [], [], [], []
    for offer in offers:
        started = time.perf_counter()
        found = rules.counterparts(offer)
        step.append((time.perf_counter() - started) * 1000)
        fits.append(len(found))
        in_group = rules.candidates(offer, offer.published_at)
        own = rules.Own.of(offer.search_text, rules.place_words(offer.region))
        candidates.append((in_group.count(), rules.narrowed(in_group, offer, own).count()))

        class Undo(Exception):
            pass

        started = time.perf_counter()
        try:
            with transaction.atomic():
                services.match_listing(offer.pk)
                job.append((time.perf_counter() - started) * 1000)
                raise Undo
        except Undo:
            pass
    report("matching step (candidates query + words + distance)", step, TARGET_MS)
    report("whole job (+ recording the pairs, queuing the mails)", job, None)
    in_group = [count for count, _fetched in candidates]
    fetched = [count for _in_group, count in candidates]
    print(
        f"  open requests of the offer's group (region, status, direction, category): median "
        f"{statistics.median(in_group):.0f}, max {max(in_group)}; fetched after the words' "
        f"narrowing: median {statistics.median(fetched):.0f}, max {max(fetched)}; fits per "
        f"offer: median {statistics.median(fits):.0f}, max {max(fits)} (recorded: at most "
        f"{rules.MAX_MATCHES})"
    )
    with connection.cursor() as cursor:
        offer = offers[0]
        own = rules.Own.of(offer.search_text, rules.place_words(offer.region))
        query = (
            rules.narrowed(rules.candidates(offer, offer.published_at), offer, own)
            .order_by()
            .values_list("pk", "category_id", "place__latitude", "place__longitude", "search_text")
        )
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("  plan of the candidates query:")
        for (line,) in cursor.fetchall():
            if any(word in line for word in ("Scan", "Join", "BitmapOr", "Execution")):
                print("    " + line.strip()[:150])


def report(label, timings, target):
    timings = sorted(timings)
    p50 = statistics.median(timings)
    p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
    verdict = ""
    if target is not None:
        verdict = f"  {'PASS' if p95 <= target else 'MISS'} (target p95 ≤ {target} ms)"
    print(
        f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
        f"over {len(timings)} offers{verdict}"
    )


def main():
    from tests.bench.seed import ensure_database

    ensure_database(URL)
    ENVIRONMENT["DATABASE_URL"] = URL
    from tests.bench.settings_env import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    region = seed()
    print(f"Publishing one offer against {REQUESTS:,} open requests in {region.name}:")
    measure(region)


if __name__ == "__main__":
    sys.exit(main())

"""The search at the size of Germany (issue #13): 400 regions with about 2,500 listings
each, one installation; one region searched with varied queries that its cache cannot
answer.

    .venv/bin/python -m tests.bench.national      (`make bench-national`)

Seeds its own database (BENCH_NATIONAL_DATABASE_URL, default starkeregion_bench_national)
on the first run – about a quarter of an hour for a million listings – and reuses it
afterwards. The regions are real districts from the bundled postal codes, Potsdam-
Mittelmark (12069, slug "pm") among them; it is the one searched. Then it measures as
tests.bench.run does and prints PASS/MISS for the targets: p95 ≤ 40 ms single-user and
≥ 0.3 × the trivial page's throughput, with the queries each page ran.

A benchmark, not a test: it reports and exits 0 unless something crashes.
"""

import csv
import os
import random
import sys
from urllib.parse import urlencode

os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get(
        "BENCH_NATIONAL_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/starkeregion_bench_national",
    ),
)

# The database is chosen above, before settings_env reads the environment.
from tests.bench import run, seed
from tests.bench.settings_env import ENVIRONMENT, configure

REGION_COUNT = 400
LISTINGS_PER_REGION = 2_500
ORGANISATIONS_PER_REGION = 60
SEARCHED = "12069"  # Potsdam-Mittelmark, slug "pm" as in tests.bench.run
TARGETS = {"search": (40, 0.3)}


def districts():
    """(slug, name, district key) of REGION_COUNT districts, the searched one first."""
    from regions.places import DATA_FILE

    names = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        for row in csv.DictReader(data):
            names.setdefault(row["district_key"], row["district"])
    others = sorted(key for key in names if key != SEARCHED)
    chosen = [SEARCHED, *others[: REGION_COUNT - 1]]
    return [("pm" if key == SEARCHED else f"k{key}", names[key][:100], key) for key in chosen]


def scenarios(postal_codes):
    """Scenario name → a function giving the next path; seldom the same query twice."""
    from listings.models import Terms

    rng = random.Random(13)
    words = sorted({word for nouns in seed.NOUNS.values() for word in nouns})
    groups = list(seed.NOUNS)
    directions = ["offer", "request"]

    def text():
        query = {"q": rng.choice(words)}
        if rng.random() < 0.5:
            query["q"] += " " + rng.choice(seed.ADJECTIVES).split()[0]
        return "/listings/?" + urlencode(query)

    def text_near():
        return "/listings/?" + urlencode(
            {
                "q": rng.choice(words),
                "near": rng.choice(postal_codes),
                "radius": rng.choice([5, 10, 25, 50]),
            }
        )

    def filters():
        query = {
            "direction": rng.choice(directions),
            "category": rng.choice(groups),
            "terms": rng.choice(Terms.values),
        }
        if rng.random() < 0.5:
            query.update(near=rng.choice(postal_codes), radius=rng.choice([10, 25, 50]))
        if rng.random() < 0.5:
            query["sort"] = rng.choice(["newest", "price"])
        return "/listings/?" + urlencode(query)

    return {
        "search: text, varied": never_twice(text),
        "search: text + place + radius, varied": never_twice(text_near),
        "search: filters, varied": never_twice(filters),
        "imprint (trivial page)": lambda: "/imprint/",
    }


def never_twice(make, tries=100):
    """`make`, drawn again until it gives a path not asked before: a repeated search would
    be answered from the cache, and these scenarios measure searches it cannot answer."""
    asked = set()

    def next_path():
        for _attempt in range(tries):
            path = make()
            if path not in asked:
                break
        asked.add(path)
        return path

    return next_path


def main():
    seed.ensure_database(ENVIRONMENT["DATABASE_URL"])
    environment = configure()
    from django.db import connection

    from listings.models import Listing
    from listings.signals import listings_changed
    from regions.models import Place, Region

    seed.seed(
        REGION_COUNT * LISTINGS_PER_REGION,
        districts(),
        organisations_per_region=ORGANISATIONS_PER_REGION,
        by_size=False,
    )
    region = Region.objects.get(slug="pm")
    total = Listing.objects.count()
    in_region = Listing.objects.in_region(region).count()
    places = Place.objects.in_region(region)
    postal_codes = sorted(set(places.values_list("postal_code", flat=True)))
    pages = scenarios(postal_codes)
    listings_changed(Region.objects.values_list("pk", flat=True))
    print(
        f"{total:,} listings in {Region.objects.count()} regions; {region.name} holds "
        f"{in_region:,}. PostgreSQL {connection.pg_version // 10000}."
    )
    results, log = run.measure(pages, environment)
    run.report_table(results)
    print("\nTargets (issue #13, a national installation):")
    run.check_targets(results, TARGETS)
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the SQL on listings, one request each:")
    for next_path in list(pages.values())[:-1]:
        run.explain_page(next_path())
    print(f"\ngunicorn log: {log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

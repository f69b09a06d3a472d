"""Python function calls per request for each scenario of tests.bench.run: a measure of the
work a page does in Python that, unlike its time, does not move with the machine's load.

    .venv/bin/python -m tests.bench.calls      (on the database tests.bench.seed made)

Wall-clock figures on a shared machine can differ by a third between two runs of the same
code; this count is the same every time. Use it to compare two commits (run it from a
worktree of each, each with its own BENCH_DATABASE_URL and BENCH_CACHE_URL): it shows
work added or saved in Python, not time spent waiting for the database or in C code.

Each scenario: 30 warm-up requests, then the mean count of 100 under cProfile, through
Django's test client (no HTTP server). The cache is emptied first, so that the scenarios
meant to miss it do. A benchmark, not a test: it reports and exits 0.
"""

import cProfile
import io
import pstats
import sys

from tests.bench import run
from tests.bench.settings_env import HOST_SUFFIX, configure

WARM_UP, MEASURED = 30, 100


def main():
    configure()
    from django.core.cache import cache
    from django.test import Client

    from listings.models import Listing
    from regions.models import Region

    cache.clear()
    region = Region.objects.get(slug=run.REGION)
    published = Listing.objects.in_region(region).published()
    pages = run.scenarios(list(published.values_list("pk", flat=True)[:5000]))
    client = Client(HTTP_HOST=f"{run.REGION}.{HOST_SUFFIX}")
    print(f"{'scenario':38} {'calls per request':>18}")
    for name, next_path in pages.items():
        for _ in range(WARM_UP):
            client.get(next_path())
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(MEASURED):
            client.get(next_path())
        profile.disable()
        calls = pstats.Stats(profile, stream=io.StringIO()).total_calls / MEASURED
        print(f"{name:38} {calls:18,.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

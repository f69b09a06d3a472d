"""Measures the search and listing pages, the API's listing list and the embedded
listings on the seeded benchmark database (issues #4 and #14).

    .venv/bin/python -m tests.bench.run      (after tests.bench.seed; `make bench` runs both)

Starts a real gunicorn on 127.0.0.1:8199 with the project's gunicorn config, then for
each scenario measures single-user latency (p50/p95 over BENCH_REQUESTS sequential
requests after a warm-up) and throughput (requests per second with workers × 2
keep-alive clients for BENCH_SECONDS), compared with /healthz, the trivial page served
by the same processes. It prints PASS/MISS for the targets and EXPLAIN (ANALYZE,
BUFFERS) summaries of the pages' SQL, flagging sequential scans of the listings table.

A benchmark, not a test: it reports and exits 0 unless something crashes.
"""

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tests.bench.settings_env import HOST_SUFFIX, configure

ROOT = Path(__file__).resolve().parents[2]
ADDRESS, PORT = "127.0.0.1", 8199
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARM_UP = 30
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
# BENCH_ONLY="api,embed" measures only the scenarios whose names start so (and the trivial page).
ONLY = tuple(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
REGION = "pm"
HOST = f"{REGION}.{HOST_SUFFIX}"

# Targets at 100,000 listings, by the start of a scenario's name: p95 in ms single-user
# (None: none set) and throughput as a share of the trivial page's.
TARGETS = {
    "search": (80, 0.5),  # issue #4
    "api": (30, 0.5),  # issue #14
    "embed": (None, 0.8),  # issue #14
}

# What people search for in Potsdam-Mittelmark: a word, its category, a place to start from.
TEXT_SEARCHES = [
    ("Gabelstapler", "fahrzeuge", "14806"),
    ("Kühllager", "lager", "14542"),
    ("Transporter", "fahrzeuge-transport", "14513"),
    ("Aushilfe", "personal-know-how", "14547"),
    ("Seminarraum", "veranstaltungsraeume", "14532"),
    ("Kompressor", "maschinen", "14822"),
    ("Büromonitore", "it-technik", "14554"),
    ("Werkstatt", "raeume-flaechen", "14797"),
]
FILTER_SEARCHES = [
    ("offer", "maschinen-ausstattung"),
    ("request", "personal-know-how"),
    ("offer", "spenden-verschenken"),
    ("offer", "moebel"),
    ("request", "fahrzeuge-transport"),
    ("offer", "it-technik"),
]


@dataclass
class Result:
    name: str
    p50: float
    p95: float
    rate: float
    errors: int


def scenarios(listing_ids):
    """Scenario name → a function giving the next path to request."""
    rng = random.Random(1)

    def text_search():
        word, category, postal_code = rng.choice(TEXT_SEARCHES)
        query = {"q": word, "category": category, "near": postal_code, "radius": 25}
        return "/listings/?" + urlencode(query)

    def varied_text_search():
        """Seldom the same query twice, so the counts cached per query rarely help."""
        word, _category, _postal_code = rng.choice(TEXT_SEARCHES)
        _word, category, postal_code = rng.choice(TEXT_SEARCHES)
        query = {
            "q": word,
            "category": category,
            "near": postal_code,
            "radius": rng.choice([5, 10, 25, 50, 100]),
            "price_max": rng.randint(1, 5000),
        }
        return "/listings/?" + urlencode(query)

    def filter_search():
        direction, category = rng.choice(FILTER_SEARCHES)
        return "/listings/?" + urlencode(
            {"direction": direction, "category": category, "free": "on"}
        )

    def api_list():
        """The API's listing list as a partner's script reads it: page after page, some
        narrowed to a direction or a category."""
        query = {"page": rng.randint(1, 20)}
        if rng.random() < 0.5:
            direction, category = rng.choice(FILTER_SEARCHES)
            query.update(direction=direction, category=category)
        return "/api/v1/listings/?" + urlencode(query)

    def embed():
        """The embedded listings as other websites show them: a few fixed sets of options."""
        direction, category = rng.choice(FILTER_SEARCHES[:3])
        return "/embed/listings/?" + urlencode(
            {"count": rng.choice([3, 5, 10]), "direction": direction, "category": category}
        )

    return {
        "search: text + category + radius": text_search,
        "search: text, uncached counts": varied_text_search,
        "search: filters only": filter_search,
        # Not in issue #4's list, but the page most visitors land on: counts over everything.
        "search: no filters (landing)": lambda: "/listings/",
        "listing page": lambda: f"/listings/{rng.choice(listing_ids)}/",
        "api: listing list": api_list,
        "embed: listings": embed,
        # For reference: answered by the first middleware, before sessions, host lookup and
        # templates – a floor no page can reach.
        "/healthz (no page)": lambda: "/healthz",
        # The trivial page of the issue: the region's imprint goes through the whole stack
        # (middleware, region lookup, base template) but runs one query.
        "imprint (trivial page)": lambda: "/imprint/",
    }


# HTTP -------------------------------------------------------------------------------------


def get(connection, path):
    """One GET on a keep-alive connection; returns the status (0 when it broke)."""
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        connection.close()
        return 0


def latency(next_path):
    """Milliseconds per request of one user asking one page after another."""
    connection = http.client.HTTPConnection(ADDRESS, PORT, timeout=30)
    for _ in range(WARM_UP):
        get(connection, next_path())
    times, errors = [], 0
    for _ in range(REQUESTS):
        path = next_path()
        started = time.perf_counter()
        status = get(connection, path)
        times.append((time.perf_counter() - started) * 1000)
        errors += status != 200
    connection.close()
    percentiles = statistics.quantiles(times, n=100)
    return percentiles[49], percentiles[94], errors


def throughput(next_path, clients):
    """Requests per second that `clients` concurrent users get through."""
    lock = threading.Lock()
    counts = {"done": 0, "errors": 0}
    deadline = time.perf_counter() + SECONDS
    paths = [next_path() for _ in range(5000)]  # drawn up front: the generator is not shared

    def user(offset):
        connection = http.client.HTTPConnection(ADDRESS, PORT, timeout=30)
        done = errors = 0
        index = offset
        while time.perf_counter() < deadline:
            status = get(connection, paths[index % len(paths)])
            index += clients
            done += 1
            errors += status != 200
        connection.close()
        with lock:
            counts["done"] += done
            counts["errors"] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["done"] / (time.perf_counter() - started), counts["errors"]


# gunicorn ---------------------------------------------------------------------------------


def start_gunicorn(environment):
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "starkeregion.wsgi",
        "-c",
        "python:starkeregion.gunicorn_config",
        "--bind",
        f"{ADDRESS}:{PORT}",
        "--workers",
        str(WORKERS),
        "--access-logfile",
        "/dev/null",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    for _ in range(100):
        time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log.name}")
        connection = http.client.HTTPConnection(ADDRESS, PORT, timeout=2)
        if get(connection, "/healthz") == 200:
            connection.close()
            return server, log.name
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {log.name}")


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# EXPLAIN ----------------------------------------------------------------------------------


def explain_page(path):
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT on listings a page runs, summarised."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    print(f"\n{path}  → HTTP {status}, {len(captured.captured_queries)} queries")
    slowest = (0.0, "")
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or "listings_listing" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        nodes = list(walk(plan["Plan"]))
        scans = sorted(
            {
                f"{node['Node Type']} on {node.get('Relation Name')}"
                + (f" using {node['Index Name']}" if node.get("Index Name") else "")
                for node in nodes
                if "Relation Name" in node
            }
        )
        hits = plan["Plan"].get("Shared Hit Blocks", 0) + plan["Plan"].get("Shared Read Blocks", 0)
        flag = any(
            node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "listings_listing"
            for node in nodes
        )
        print(
            f"  {plan['Execution Time']:7.1f} ms  {plan['Plan']['Node Type']:<16} "
            f"rows={plan['Plan'].get('Actual Rows')} buffers={hits}"
            + ("   <-- Seq Scan on listings_listing" if flag else "")
        )
        print(f"      {shorten(sql)}")
        for scan in scans:
            print(f"      · {scan}")
        slowest = max(slowest, (plan["Execution Time"], sql))
    if slowest[1]:
        print(f"  Plan of the slowest ({slowest[0]:.1f} ms):")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1])
            for (line,) in cursor.fetchall()[:30]:
                print(f"    {line}")


def walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def shorten(sql, length=150):
    text = " ".join(sql.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# Main -------------------------------------------------------------------------------------


def main():
    environment = configure()
    from listings.models import Listing
    from regions.models import Region

    region = Region.objects.get(slug=REGION)
    total = Listing.objects.count()
    listing_ids = list(
        Listing.objects.in_region(region)
        .published()
        .order_by("?")
        .values_list("pk", flat=True)[:2000]
    )
    if not listing_ids:
        raise SystemExit("The bench database has no listings: run tests.bench.seed first.")
    pages = scenarios(listing_ids)
    if ONLY:  # the trivial page stays: the figures are relative to it
        pages = {
            name: path
            for name, path in pages.items()
            if name.startswith(ONLY) or name.startswith(("/healthz", "imprint"))
        }
    # What an earlier run left in the cache would answer this run's searches: the varied
    # ones draw the same sequence each time. A new generation starts every region afresh.
    from listings.signals import listings_changed

    listings_changed(Region.objects.values_list("pk", flat=True))
    results, log = measure(pages, environment)
    report(results, total)
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the SQL on listings, one request each:")
    for name, next_path in list(pages.items())[:-2]:
        if not name.startswith("embed"):  # cached whole: one request shows no query
            explain_page(next_path())
    print(f"\ngunicorn log: {log}")
    return 0


def measure(pages, environment):
    """Each page's latency and throughput under a fresh gunicorn; the results and the
    server's log file."""
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"Warning: load average {load:.1f} before the run; other work skews the figures.")
    server, log = start_gunicorn(environment)
    clients = WORKERS * 2
    print(
        f"gunicorn {WORKERS} workers on {ADDRESS}:{PORT} (Host {HOST}); "
        f"{REQUESTS} sequential requests after {WARM_UP} warm-up, then {clients} clients "
        f"for {SECONDS:.0f} s. CPUs: {len(os.sched_getaffinity(0))} (shared with the "
        "load generator and PostgreSQL)."
    )
    results = []
    try:
        for name, next_path in pages.items():
            p50, p95, errors = latency(next_path)
            rate, more_errors = throughput(next_path, clients)
            results.append(Result(name, p50, p95, rate, errors + more_errors))
            print(f"  measured {name}", flush=True)
    finally:
        stop(server)
    return results, log


def report(results, total):
    report_table(results)
    print(f"\nTargets (set for 100,000 listings; this run has {total:,}):")
    check_targets(results, TARGETS)


def report_table(results):
    """Each scenario's figures, and relative to the last one (the trivial page)."""
    trivial = results[-1]
    print(
        f"\n{'scenario':<36}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}"
        f"{'p50 ×':>8}{'req/s ×':>9}{'errors':>8}"
    )
    for result in results:
        print(
            f"{result.name:<36}{result.p50:>9.1f}{result.p95:>9.1f}{result.rate:>9.0f}"
            f"{result.p50 / trivial.p50:>8.1f}{result.rate / trivial.rate:>9.2f}"
            f"{result.errors:>8}"
        )
    print(f"(× = relative to {trivial.name})")


def check_targets(results, targets):
    """PASS or MISS for each scenario whose name starts with a key of `targets`."""
    trivial = results[-1]
    for result in results:
        kind = result.name.split(":")[0]
        if kind not in targets:
            continue
        p95_target, share_target = targets[kind]
        if p95_target is not None:
            fast = result.p95 <= p95_target
            print(
                f"  {'PASS' if fast else 'MISS'}  {result.name}: p95 {result.p95:.1f} ms "
                f"≤ {p95_target} ms single-user"
            )
        share = result.rate / trivial.rate
        print(
            f"  {'PASS' if share >= share_target else 'MISS'}  {result.name}: "
            f"throughput {share:.2f} × the trivial page's (≥ {share_target})"
        )


if __name__ == "__main__":
    sys.exit(main())

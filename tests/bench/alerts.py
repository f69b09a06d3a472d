"""Publishing one listing against 10,000 saved searches of its region (issue #15).

    .venv/bin/python -m tests.bench.alerts     # also part of `make bench`

Seeds 10,000 saved searches in Potsdam-Mittelmark and 5,000 in Oberhavel (and removes
them at the end: the bench database keeps nothing of it), made from a few hundred
realistic searches of the search page (words, categories and groups, offers or requests,
places with a distance, terms) for 2,000 people, a fifth of them members of an
organisation of the region. Then it publishes one offer and times the matching step
(alerts.matching.matching_searches: the candidates' one query and the test in Python)
warm, and the whole job once (recording, and mailing the "immediately" searches).
Target: the matching step within 50 ms on PostgreSQL.

Each scenario is a function in SCENARIOS, so scenarios of other apps' matching can stand
beside it. A measurement, not a test: it never fails the build.
"""

import random
import statistics
import sys
import time

from tests.bench.settings_env import ENVIRONMENT

SAVED_SEARCHES = 10_000
IN_ANOTHER_REGION = 5_000
PEOPLE = 2_000
DISTINCT_SEARCHES = 400
REPEAT = 30
TARGET_MS = 50
SEED = 15


def _queries(rng, region, categories, places):
    """Query strings as people type them on the search page."""
    from tests.bench.seed import NOUNS

    nouns = [noun for words in NOUNS.values() for noun in words]
    groups = sorted({category.parent.slug for category in categories})
    leaves = [category.slug for category in categories]
    queries = []
    for _ in range(DISTINCT_SEARCHES):
        parts = []
        if rng.random() < 0.7:
            parts.append(("q", " ".join(rng.sample(nouns, rng.choice([1, 1, 1, 2])))))
        if rng.random() < 0.45:
            parts.append(("category", rng.choice(groups if rng.random() < 0.4 else leaves)))
        if rng.random() < 0.5:
            parts.append(("direction", rng.choice(["offer", "request"])))
        if rng.random() < 0.25:
            parts.append(("near", rng.choice(places).postal_code))
            parts.append(("radius", str(rng.choice([10, 25, 50]))))
        if rng.random() < 0.15:
            parts.append(("terms", rng.choice(["rent", "loan", "give-away", "donation"])))
        queries.append("&".join(f"{name}={value}" for name, value in parts))
    return queries


def _seed(rng, regions):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alerts import criteria
    from alerts.models import Frequency, SavedSearch
    from listings.models import Category
    from organisations.models import Membership, Role
    from regions.models import Place
    from tests.bench.seed import create_organisations

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(email=f"alerts-bench-{number}@example.org", password="!")
            for number in range(PEOPLE)
        ],
        batch_size=1000,
    )
    categories = list(Category.objects.leaves().select_related("parent"))
    saved_at = timezone.now() - timezone.timedelta(days=1)
    for region, count in zip(regions, (SAVED_SEARCHES, IN_ANOTHER_REGION), strict=False):
        places = list(Place.objects.in_region(region))
        organisations = create_organisations(rng, region, places)
        Membership.objects.bulk_create(
            [
                Membership(organisation=rng.choice(organisations), user=user, role=Role.MEMBER)
                for user in rng.sample(users, PEOPLE // 5)
            ],
            ignore_conflicts=True,
        )
        searches = []
        for query in _queries(rng, region, categories, places):
            form = criteria.search_form(region, query)
            searches.append(
                {
                    "query": criteria.accepted_query(form),
                    "criteria": criteria.criteria_of(form),
                    **criteria.columns_of(form),
                }
            )
        SavedSearch.objects.bulk_create(
            [
                SavedSearch(
                    region=region,
                    user=rng.choice(users),
                    name=f"Suche {number}",
                    frequency=rng.choice(Frequency.values),
                    created_at=saved_at,
                    **rng.choice(searches),
                )
                for number in range(count)
            ],
            batch_size=2000,
        )
    return organisations


def publish_against_saved_searches():
    """One offer published in a region with 10,000 saved searches: the matching step."""
    from django.db import connection, transaction
    from django.utils import timezone

    from alerts import services
    from alerts.criteria import ListingFacts
    from alerts.matching import candidates, matching_searches
    from listings.models import Category, Direction, Listing, Status, Terms
    from organisations.models import Organisation
    from tests.bench.seed import ensure_regions

    rng = random.Random(SEED)
    regions = ensure_regions()[:2]
    print(f"\nAlerts: one listing published against {SAVED_SEARCHES:,} saved searches")
    try:
        started = time.monotonic()
        with transaction.atomic():
            _seed(rng, regions)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE alerts_savedsearch")
            cursor.execute("ANALYZE organisations_membership")
        print(f"  seeded in {time.monotonic() - started:.1f} s (removed afterwards)")
        organisation = Organisation.objects.in_region(regions[0]).order_by("pk").first()
        listing = Listing.objects.create(
            region=regions[0],
            organisation=organisation,
            direction=Direction.OFFER,
            category=Category.objects.get(slug="fahrzeuge"),
            title="Gabelstapler 2,5 t zu vermieten",
            description="Elektro-Gabelstapler mit Einweisung, tageweise.",
            terms=Terms.RENT,
            price=80,
            place=organisation.place,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        listing = services.listing_for_matching(listing.pk)
        text = ListingFacts(listing).text
        candidate_count = candidates(listing, text).count()
        timings = []
        for _ in range(REPEAT):
            listing = services.listing_for_matching(listing.pk)
            began = time.perf_counter()
            found = matching_searches(listing)
            timings.append((time.perf_counter() - began) * 1000)
        median = statistics.median(timings)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(
            f"  candidates by region, category, direction, audience and key word: "
            f"{candidate_count:,}; matching: {len(found):,}"
        )
        verdict = "PASS" if p95 <= TARGET_MS else "MISS"
        print(
            f"  matching step: median {median:.1f} ms, p95 {p95:.1f} ms over {REPEAT} runs "
            f"(target ≤ {TARGET_MS} ms: {verdict})"
        )
        began = time.perf_counter()
        with transaction.atomic():
            recorded = services.find_searches_for(listing.pk)
            whole = (time.perf_counter() - began) * 1000
            transaction.set_rollback(True)
        print(
            f"  whole job once (matching, {recorded:,} records, mails of the "
            f"'immediately' searches queued): {whole:.0f} ms"
        )
        sql, params = candidates(listing, text).values_list("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        print("  candidates' plan (first lines):")
        for line in plan[:8]:
            print(f"    {line}")
    finally:
        _clean_up()


def _clean_up():
    """Removes what the scenario made (the organisations stay: the bench's seed has them)."""
    from django.contrib.auth import get_user_model

    from listings.models import Listing

    Listing.objects.filter(title="Gabelstapler 2,5 t zu vermieten", view_count=0).filter(
        description="Elektro-Gabelstapler mit Einweisung, tageweise."
    ).delete()
    # Their saved searches and memberships go with them.
    get_user_model().objects.filter(email__startswith="alerts-bench-").delete()


SCENARIOS = [publish_against_saved_searches]


def main():
    from tests.bench.seed import ensure_database
    from tests.bench.settings_env import configure

    ensure_database(ENVIRONMENT["DATABASE_URL"])
    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for scenario in SCENARIOS:
        scenario()


if __name__ == "__main__":
    sys.exit(main())

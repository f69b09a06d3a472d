"""Seeds the benchmark database: three regions, a few hundred organisations each and
BENCH_LISTINGS listings (default 100,000) spread over them.

    BENCH_LISTINGS=100000 .venv/bin/python -m tests.bench.seed

The database (BENCH_DATABASE_URL, default starkeregion_bench on 127.0.0.1) is created
if missing and migrated. Seeding is skipped when it already holds exactly that many
listings, so repeated runs of `make bench` start at once. Listings are written with
COPY in chunks, their search vectors filled by listings.indexing.reindex() in one
statement, and the tables analysed, as after a real import.
"""

import os
import random
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

from tests.bench.settings_env import ENVIRONMENT, HOST_SUFFIX

REGIONS = [
    ("pm", "Potsdam-Mittelmark", "12069"),
    ("ohv", "Oberhavel", "12065"),
    ("tf", "Teltow-Fläming", "12072"),
]
ORGANISATIONS_PER_REGION = 300
CHUNK = 10_000
SEED = 4

# Words for generated listings, so that search terms have a realistic spread of frequencies.
# fmt: off
NOUNS = {
    "maschinen-ausstattung": [
        "Bandsäge", "Drehbank", "Fräsmaschine", "Kompressor", "Hebebühne", "Schweißgerät",
        "Stromerzeuger", "Hochdruckreiniger", "Kehrmaschine", "Betonmischer", "Rüttelplatte",
        "Bohrhammer", "Laserdrucker", "Kühlschrank", "Spülmaschine", "Werkbank", "Regal",
        "Beamer", "Festzelt", "Gerüst", "Palettenregal", "Vakuumpumpe", "Presse", "Abkantbank",
    ],
    "fahrzeuge-transport": [
        "Gabelstapler", "Transporter", "Anhänger", "Kleinbus", "Minibagger", "Radlader",
        "Kühltransporter", "Pritschenwagen", "Traktor", "Hubsteiger", "Lastenrad", "Kipper",
        "Sattelzug", "Beiladung", "Palettentransport", "Rückfahrt",
    ],
    "raeume-flaechen": [
        "Kühllager", "Lagerhalle", "Büro", "Werkstatt", "Seminarraum", "Tagungsraum",
        "Produktionsküche", "Halle", "Freifläche", "Stellplatz", "Ladenlokal", "Saal",
        "Atelier", "Garage", "Palettenplätze",
    ],
    "personal-know-how": [
        "Elektriker", "Aushilfe", "Erntehelfer", "Lagerhelfer", "Fahrer", "Mechatroniker",
        "Tischler", "Buchhalterin", "Azubi", "Praktikum", "Schweißer", "Saisonkraft",
        "Programmierer", "Reinigungskraft",
    ],
    "kooperation-investition": [
        "Bürogemeinschaft", "Coworking", "Photovoltaik", "Ladepark", "Datenschutzbeauftragter",
        "Sicherheitsfachkraft", "IT-Administrator", "Laserscanner", "Einkaufsgemeinschaft",
        "Schreibtisch", "Messestand",
    ],
    "spenden-verschenken": [
        "Büromonitore", "Laptops", "Schreibtische", "Bürostühle", "Schulmöbel", "Europaletten",
        "Holzplatten", "Farbreste", "Stoffreste", "Tablets", "Bücher", "Werkzeugkiste",
        "Beratung", "Bewerbungstraining", "Bastelmaterial",
    ],
}
ADJECTIVES = [
    "gebraucht", "neuwertig", "kurzfristig", "tageweise", "wochenweise", "günstig",
    "gut erhalten", "sofort verfügbar", "zuverlässig", "regional", "flexibel", "beheizt",
    "gekühlt", "groß", "klein", "robust", "leise", "elektrisch",
]
SENTENCES = [
    "Abholung nach Absprache in {place}.", "Einweisung vor Ort ist selbstverständlich.",
    "Gern auch regelmäßig, sprechen Sie uns an.",
    "Schulen und Vereine erhalten einen Nachlass.", "Verfügbar ab sofort, auch am Wochenende.",
    "Lieferung im Umkreis von 30 km möglich.",
    "Wir suchen eine langfristige Zusammenarbeit in der Region.",
    "Fotos und Details schicken wir auf Anfrage.",
    "Nur an Betriebe mit entsprechender Erfahrung.",
    "Der Zustand ist dem Alter entsprechend gut.",
]
COMPANY_WORDS = [
    "Havel", "Fläming", "Nuthe", "Spree", "Linden", "Kiefern", "Märkische", "Nord", "Süd",
    "Stadt", "Land", "Seen", "Wald", "Heide", "Ufer", "Brücken",
]
COMPANY_KINDS = [
    "Metallbau", "Holzbau", "Logistik", "Gartenbau", "Elektrotechnik", "Landtechnik",
    "Kunststofftechnik", "Bäckerei", "Druckerei", "Haustechnik", "Bauunternehmen", "Obsthof",
    "Software", "Reinigung", "Kfz-Werkstatt", "Tischlerei",
]
# fmt: on


def ensure_database(url: str) -> None:
    """Creates the benchmark database when the server does not have it yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")


def ensure_regions(definitions=REGIONS):
    """The regions (slug, name, district key) with a host name each and their places."""
    from django.core.cache import cache

    from regions.models import Region, RegionDomain
    from regions.places import import_places

    regions = []
    for slug, name, key in definitions:
        region, _ = Region.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "district_key": key,
                "operator_name": f"Wirtschaftsförderung {name} (Benchmark)",
                "operator_address": "Am Markt 1\n14000 Irgendwo",
                "operator_email": f"kontakt@{slug}.example.org",
                "is_active": True,
            },
        )
        host = f"{slug}.{HOST_SUFFIX}"
        if not RegionDomain.objects.filter(host=host).exists():
            RegionDomain.objects.create(region=region, host=host, is_primary=True)
        import_places(key)
        regions.append(region)
    cache.clear()
    return regions


def create_organisations(rng, region, places, count=ORGANISATIONS_PER_REGION):
    from organisations.models import (
        Organisation,
        OrganisationType,
        Sector,
        SizeClass,
        Verification,
    )

    existing = list(Organisation.objects.in_region(region))
    if len(existing) >= count:
        return existing
    organisations = []
    for index in range(count - len(existing)):
        place = rng.choice(places)
        kind = rng.choice(COMPANY_KINDS)
        organisations.append(
            Organisation(
                region=region,
                name=f"{rng.choice(COMPANY_WORDS)}-{kind} {place.name} {index}",
                type=rng.choice(OrganisationType.values),
                sector=rng.choice(Sector.values),
                size=rng.choice(SizeClass.values),
                street=f"Hauptstraße {index % 120 + 1}",
                place=place,
                description=f"{kind} aus {place.name}. "
                + rng.choice(SENTENCES).format(place=place.name),
                verification=Verification.VERIFIED if rng.random() < 0.8 else Verification.NEW,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    return list(Organisation.objects.in_region(region))


def make_listing(rng, region, organisations, places, categories, definitions, now):
    """One Listing (unsaved): half from the demo's ideas, half from the word lists."""
    from demo import listings as demo_listings
    from listings.models import (
        PUBLICATION_PERIOD,
        Direction,
        Listing,
        PlaceOfUse,
        PriceUnit,
        Status,
        Terms,
    )
    from listings.services import apply_terms

    place = rng.choice(places)
    if rng.random() < 0.5:
        idea = rng.choice(demo_listings.IDEAS)
        category = categories[idea.category]
        fields = demo_listings.listing_fields(rng, idea, place.name, definitions[idea.category])
    else:
        category = rng.choice(list(categories.values()))
        nouns = NOUNS[category.parent.slug]
        noun = rng.choice(nouns)
        direction = Direction.REQUEST if rng.random() < 1 / 3 else Direction.OFFER
        title = f"{noun} {rng.choice(ADJECTIVES)} in {place.name}"
        if direction == Direction.REQUEST:
            title = f"Suchen {title}"
        words = [noun, rng.choice(nouns), rng.choice(ADJECTIVES), rng.choice(nouns)]
        description = " ".join(
            [f"{words[0]} und {words[1]}, {words[2]}, für {words[3]}."]
            + [rng.choice(SENTENCES).format(place=place.name) for _ in range(3)]
        )
        terms = rng.choice(Terms.values)
        fields = {
            "direction": direction,
            "terms": terms,
            "title": title[:120],
            "description": description,
            "attributes": demo_listings.fill_attributes(
                rng, {}, definitions[category.slug], direction
            ),
            "quantity": rng.randint(1, 20),
            "places_of_use": rng.randint(1, sum(PlaceOfUse.values)),
        }
        if terms == Terms.RENT and rng.random() < 0.8:
            fields.update(price=rng.randrange(10, 500, 5), price_unit=rng.choice(PriceUnit.values))
    roll = rng.random()
    status = (
        Status.PUBLISHED
        if roll < 0.85
        else rng.choice(
            [Status.DRAFT, Status.PENDING, Status.PAUSED, Status.EXPIRED, Status.CLOSED]
        )
    )
    listing = Listing(
        region=region,
        organisation=rng.choice(organisations),
        category=category,
        place=place,
        status=status,
        created_at=now,
        updated_at=now,
        **fields,
    )
    apply_terms(listing)
    if status not in (Status.DRAFT, Status.PENDING):
        days = rng.uniform(0, 88) if status != Status.EXPIRED else rng.uniform(91, 150)
        listing.published_at = now - timedelta(days=days)
        listing.expires_at = listing.published_at + PUBLICATION_PERIOD
        listing.view_count = int(rng.paretovariate(1.5) * 10)
    return listing


def copy_listings(listings, fields, connection):
    """Writes the listings with COPY, converting each value as Django would on save."""
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY listings_listing ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for listing in listings:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(listing, field.attname), connection)
                    for field in fields
                ]
            )


def seed(
    total: int,
    definitions=REGIONS,
    *,
    organisations_per_region=ORGANISATIONS_PER_REGION,
    by_size=True,
) -> None:
    """Writes `total` listings over the regions of `definitions`: bigger districts (more
    places) get more listings when `by_size`, else each about as many."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from listings import indexing
    from listings.catalogue import attribute_definitions
    from listings.models import Category, Listing
    from regions.models import Place

    call_command("migrate", verbosity=0)
    regions = ensure_regions(definitions)
    if Listing.objects.count() == total:
        print(f"The bench database already holds {total:,} listings; seeding skipped.")
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE listings_listing CASCADE")
    rng = random.Random(SEED)
    now = timezone.now()
    categories = {c.slug: c for c in Category.objects.leaves().select_related("parent")}
    definitions = {slug: list(attribute_definitions(c)) for slug, c in categories.items()}
    # Every column but the id; `created_at`/`updated_at` come from the objects as set.
    fields = [f for f in Listing._meta.concrete_fields if not f.primary_key]
    region_data = []
    for region in regions:
        places = list(Place.objects.in_region(region))
        organisations = create_organisations(rng, region, places, organisations_per_region)
        region_data.append((region, organisations, places))
    weights = [len(places) if by_size else 1 for _region, _organisations, places in region_data]
    written = 0
    while written < total:
        size = min(CHUNK, total - written)
        chunk = []
        for _ in range(size):
            region, organisations, places = rng.choices(region_data, weights)[0]
            chunk.append(
                make_listing(rng, region, organisations, places, categories, definitions, now)
            )
        with transaction.atomic():
            copy_listings(chunk, fields, connection)
        written += size
        print(f"\r  {written:,} listings written", end="", flush=True)
    print(f"\n  written in {time.monotonic() - started:.0f} s; indexing …")
    indexed = time.monotonic()
    indexing.reindex()
    print(f"  search vectors in {time.monotonic() - indexed:.0f} s; analysing …")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE listings_listing")
        cursor.execute("ANALYZE")
    print(f"Seeded {total:,} listings in {time.monotonic() - started:.0f} s.")


def main():
    total = int(os.environ.get("BENCH_LISTINGS", "100000"))
    ensure_database(ENVIRONMENT["DATABASE_URL"])
    from tests.bench.settings_env import configure

    configure()
    seed(total)


if __name__ == "__main__":
    sys.exit(main())

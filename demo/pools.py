"""Demo co-investment pools for `manage.py load_demo`: one of each kind in
Potsdam-Mittelmark, each at another stage, played through the listings' and the pools'
services as members would (the terms through the listing form's pool form):

- an office share of the Werderaner Obstkontor (the demo member's company), open with one
  commitment: the demo member sees who committed;
- a specialist shared by the Tischlerei Holzwurm, at its threshold, the group thread open;
  the Obstkontor is one of the partners;
- a CNC machine of the Teltower Feinmechanik, formed, with its thread.

No mail goes out for any of it (`notifications.suppressed`). Loading adds nothing where
the region has pools already."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from listings import services as listing_services
from listings.models import Category, Direction, Listing, Status, Terms
from organisations.models import Membership, Organisation, Role
from pools import notifications, services
from pools.forms import PoolTermsForm
from pools.models import Pool

logger = logging.getLogger(__name__)

DEMO_MEMBER = "mitglied@example.org"
OBSTKONTOR = "Werderaner Obstkontor GmbH"
HOLZWURM = "Tischlerei Holzwurm Brück"
TELTOW = "Teltower Feinmechanik Lindqvist GmbH"
HAVELSTROM = "Havelstrom Energie UG"

# (category, initiator, title, description, terms, commitments, messages, stage)
DEMO_POOLS = {
    "pm": [
        (
            "buerogemeinschaft",
            OBSTKONTOR,
            "Bürogemeinschaft im Obstkontor Werder: drei Arbeitsplätze",
            "Unser Büro am Hafen hat drei feste Arbeitsplätze frei, mit Besprechungsraum, "
            "Küche und Glasfaser. Wir suchen Betriebe, die sich die Miete mit uns teilen.",
            {
                "shared": "office",
                "total_cost": "1800",
                "cost_basis": "monthly",
                "partners_sought": "3",
                "initiator_share": "25",
                "use_split": "Je ein fester Schreibtisch, Besprechungsraum nach Absprache",
                "join_until": 30,
            },
            [(TELTOW, 25, "Ein Schreibtisch, montags bis mittwochs")],
            [],
            "open",
        ),
        (
            "fachkraft-teilen",
            HOLZWURM,
            "Fachkraft für Arbeitssicherheit gemeinsam anstellen",
            "Eine Sicherheitsfachkraft in Teilzeit für drei Betriebe: Gefährdungsbeurteilungen, "
            "Unterweisungen und Begehungen, fest angestellt bei uns, die Kosten geteilt.",
            {
                "shared": "specialist",
                "total_cost": "2400",
                "cost_basis": "monthly",
                "partners_sought": "2",
                "initiator_share": "34",
                "use_split": "Je ein Tag pro Woche in jedem Betrieb",
                "join_until": 21,
            },
            [
                (OBSTKONTOR, 33, "Dienstags, in der Saison auch samstags"),
                (TELTOW, 33, "Donnerstags"),
            ],
            [
                (
                    HOLZWURM,
                    "Danke für die schnellen Zusagen! Ich schicke nächste Woche den "
                    "Entwurf der Stellenanzeige.",
                ),
                (
                    OBSTKONTOR,
                    "Prima. Bitte im Vertrag die Saisonzeiten von Mai bis Oktober berücksichtigen.",
                ),
            ],
            "reached",
        ),
        (
            "gemeinsame-investition",
            TELTOW,
            "Gemeinsame 5-Achs-CNC-Fräse für Teltow und Umgebung",
            "Wir schaffen eine 5-Achs-Fräse an und stellen sie in unserer Halle auf. Partner "
            "tragen einen Anteil und buchen Maschinenzeit über einen gemeinsamen Kalender.",
            {
                "shared": "machine",
                "total_cost": "180000",
                "cost_basis": "one_off",
                "partners_sought": "2",
                "initiator_share": "40",
                "use_split": "Nach Buchungskalender, je Partner etwa zwei Tage pro Woche",
                "join_until": 14,
            },
            [(HOLZWURM, 30, "Zwei Tage pro Woche"), (HAVELSTROM, 30, "Für Prototypen, tageweise")],
            [
                (
                    TELTOW,
                    "Die Fräse ist bestellt, Lieferung in acht Wochen. Einweisung für "
                    "alle am ersten Montag danach.",
                ),
                (HAVELSTROM, "Wir sind dabei. Wer übernimmt die Wartungsverträge?"),
            ],
            "formed",
        ),
    ]
}


def load(region) -> int:
    """Adds the demo pools to `region` unless it has pools; returns how many."""
    specs = DEMO_POOLS.get(region.slug, [])
    if not specs or Pool.objects.in_region(region).exists():
        return 0
    organisations = {o.name: o for o in Organisation.objects.in_region(region)}
    added = 0
    with notifications.suppressed():
        for spec in specs:
            try:
                with transaction.atomic():
                    if _play(region, organisations, *spec):
                        added += 1
            except (services.PoolError, KeyError, ValueError) as error:
                logger.warning("Demo pool left out (%s): %s", spec[2], error)
    return added


def _person(organisation):
    """Who acts for the organisation: the demo member where they belong, else its owner."""
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    member = memberships.filter(user__email=DEMO_MEMBER).first()
    acting = member or memberships.filter(role=Role.OWNER).first()
    return acting.user if acting else None


def _play(
    region,
    organisations,
    slug,
    initiator_name,
    title,
    description,
    terms,
    commitments,
    messages,
    stage,
) -> bool:
    initiator = organisations[initiator_name]
    author = _person(initiator)
    category = Category.objects.select_related("parent").get(slug=slug)
    listing = Listing(
        organisation=initiator,
        direction=Direction.OFFER,
        category=category,
        title=title,
        description=description,
        terms=Terms.RENT,
        place=initiator.place,
    )
    listing = listing_services.create_listing(listing, author)
    data = {f"pool-{key}": value for key, value in terms.items()}
    data["pool-join_until"] = (
        timezone.localdate() + timedelta(days=terms["join_until"])
    ).isoformat()
    form = PoolTermsForm(data, category=category)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    pool = form.save_for(listing)
    listing_services.submit(listing, author)
    if listing.status != Status.PUBLISHED:
        raise ValueError("the listing awaits approval")
    for name, share, use in commitments:
        partner = organisations[name]
        services.commit(pool, partner, _person(partner), share=share, use=use)
    for name, body in messages:
        writer = organisations[name]
        services.post_message(Pool.objects.get(pk=pool.pk), writer, _person(writer), body)
    if stage == "formed":
        services.form(pool, author)
    return True

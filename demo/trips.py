"""The demo's trips with room to spare and goods to carry, along real roads of
Potsdam-Mittelmark (Werder → Wusterwitz on the B1 towards Brandenburg an der Havel, Bad
Belzig → Teltow on the B246/A9 towards Potsdam, and back): each a transport listing made
through the listings' services with its route through the route form, then published, as
a member would."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from listings import services
from listings.models import Category, Direction, Listing, PriceUnit, Terms
from organisations.models import Organisation, Role
from regions.models import Place
from trips.forms import RouteForm
from trips.models import TRANSPORT_CATEGORY, Route

OFFER, REQUEST = Direction.OFFER, Direction.REQUEST

# (organisation, direction, title, description, route form data, "Freie Ladefläche" m²)
TRIPS = [
    (
        "Werderaner Obstkontor GmbH",
        OFFER,
        "Beiladung frei: Werder → Wusterwitz, jeden Dienstag",
        "Unser Kühltransporter (7,5 t) beliefert dienstags Märkte Richtung Brandenburg an der "
        "Havel und hat meist vier Palettenplätze frei. Abholung entlang der B1 nach Absprache.",
        {
            "origin": "Werder (Havel)",
            "destination": "Wusterwitz",
            "schedule": "weekly",
            "weekday": "1",
            "weight_kg": "1200",
            "pallet_spaces": "4",
            "is_cooled": "on",
        },
        8,
    ),
    (
        "Tischlerei Holzwurm Brück",
        OFFER,
        "Transporter fährt Bad Belzig → Teltow, Platz für Möbel",
        "Wir liefern eine Einbauküche nach Teltow und fahren über Brück, Beelitz und "
        "Michendorf. Im Sprinter mit Ladebordwand ist noch Platz für zwei Paletten.",
        {
            "origin": "Belzig",
            "destination": "Teltow",
            "schedule": "once",
            "days": 5,
            "weight_kg": "600",
            "pallet_spaces": "2",
            "has_tail_lift": "on",
        },
        4,
    ),
    (
        "Teltower Feinmechanik Lindqvist GmbH",
        OFFER,
        "Leerfahrt freitags Teltow → Bad Belzig",
        "Freitags holen wir Teile in Bad Belzig ab; auf dem Hinweg ist der Transporter leer. "
        "Gern nehmen wir Pakete und Paletten entlang der Strecke mit.",
        {
            "origin": "Teltow",
            "destination": "Belzig",
            "schedule": "weekly",
            "weekday": "4",
            "weight_kg": "900",
            "pallet_spaces": "3",
        },
        6,
    ),
    (
        "Kreismedienzentrum Hoher Fläming",
        REQUEST,
        "Zwei Paletten Medienwagen von Groß Kreutz nach Wusterwitz",
        "Zwei Paletten mit fahrbaren Medienwagen sollen aus unserem Lager in Groß Kreutz an "
        "die Grundschule Wusterwitz (je etwa 200 kg).",
        {
            "origin": "Groß Kreutz",
            "destination": "Wusterwitz",
            "days": 12,
            "weight_kg": "400",
            "pallet_spaces": "2",
        },
        None,
    ),
    (
        "SV Blau-Weiß Beelitz e. V.",
        REQUEST,
        "Sportgeräte von Brück nach Michendorf",
        "Zwei Tischtennisplatten und Turnmatten gehen als Leihgabe an den Partnerverein in "
        "Michendorf; eine Ladebordwand wäre hilfreich.",
        {
            "origin": "Brück",
            "destination": "Michendorf",
            "days": 9,
            "weight_kg": "300",
            "has_tail_lift": "on",
        },
        None,
    ),
    (
        "Oberschule am Seddiner See",
        REQUEST,
        "Gespendete Bücherregale von Stahnsdorf nach Borkwalde",
        "Wir geben Bücherregale an die Bibliothek in Borkwalde weiter und suchen jemanden, "
        "der sie mitnimmt (etwa eine Palette).",
        {"origin": "Stahnsdorf", "destination": "Borkwalde", "days": 20, "pallet_spaces": "1"},
        None,
    ),
]


@transaction.atomic
def load(region) -> int:
    """Adds the demo's trips and transport requests to Potsdam-Mittelmark unless it has
    routes; returns how many."""
    if region.slug != "pm" or Route.objects.in_region(region).exists():
        return 0
    category = Category.objects.get(slug=TRANSPORT_CATEGORY)
    today = timezone.localdate()
    added = 0
    for name, direction, title, description, route, area in TRIPS:
        organisation = Organisation.objects.in_region(region).filter(name=name).first()
        owner = _owner(organisation)
        if owner is None:
            continue
        fields = {key: value for key, value in route.items() if key != "days"}
        if "days" in route:
            fields["date"] = (today + timedelta(days=route["days"])).isoformat()
        data = {f"route-{key}": value for key, value in fields.items()}
        form = RouteForm(data, region=region, is_offer=direction == OFFER)
        if not form.is_valid():
            raise ValueError(f"The demo route of “{title}” is wrong: {form.errors.as_text()}")
        listing = Listing(
            organisation=organisation,
            direction=direction,
            category=category,
            title=title,
            description=description,
            terms=Terms.RENT,
            price=Decimal(40) if direction == OFFER else None,
            price_unit=PriceUnit.TOTAL,
            place=Place.objects.get(pk=_place_pk(region, form.cleaned_data["origin"])),
            attributes={"load-space": area} if area else {},
        )
        services.create_listing(listing, owner)
        form.save_for(listing)
        services.submit(listing, owner)
        added += 1
    return added


def _owner(organisation):
    if organisation is None:
        return None
    membership = organisation.memberships.filter(role=Role.OWNER).first()
    return get_user_model().objects.get(pk=membership.user_id) if membership else None


def _place_pk(region, entry):
    return (
        Place.objects.in_region(region)
        .filter(postal_code=entry.postal_code, name=entry.name)
        .values_list("pk", flat=True)
        .first()
    )

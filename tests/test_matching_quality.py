"""The quality of matching, judged by hand: pairs of an offer and a request that must fit,
and pairs that must not (another audience, too far, another group of categories, nothing in
common but boilerplate). Each pair is matched on its own, from both sides."""

from dataclasses import dataclass, field

import pytest

from listings.models import Audience, Direction, Terms
from matching import rules
from organisations.models import OrganisationType, Verification

from .factories import category, make_listing, make_organisation, make_user
from .matching_helpers import place

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Side:
    title: str
    description: str = ""
    category: str = "maschinen"
    terms: str = Terms.RENT
    audience: int = sum(Audience.values)
    kind: str = OrganisationType.COMPANY
    place: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pair:
    why: str
    offer: Side
    request: Side
    fits: bool


# fmt: off
JUDGED = [
    # They must fit.
    Pair("the same thing, a compound on one side",
         Side("Gabelstapler 2,5 t tageweise", "Linde H25, mit Einweisung.", "fahrzeuge"),
         Side("Stapler für Lagerumzug gesucht", "Zwei Tage im März.", "fahrzeuge"), True),
    Pair("the last part of a compound on either side",
         Side("Kühllager mit 40 Palettenplätzen", "Plus 2 °C, Rampe vorhanden.", "lager"),
         Side("Lagerfläche für Obstkisten gesucht", "Gern gekühlt.", "lager"), True),
    Pair("singular and plural, umlaut spelled out",
         Side("Bürostühle zu verschenken", "Zehn Stück, ergonomisch.", "moebel", Terms.GIVE_AWAY),
         Side("Suchen Buerostuhl für neue Mitarbeiterin", "", "moebel", Terms.GIVE_AWAY), True),
    Pair("the request's word in the offer's description",
         Side("Transporter mit Fahrer", "Sprinter, 3,5 t, auch für Umzüge.", "transport"),
         Side("Umzug der Vereinsräume", "Wer hilft mit einem Fahrzeug?", "transport",
              kind=OrganisationType.ASSOCIATION), True),
    Pair("another category of the same group",
         Side("Hubarbeitsbühne 12 m", "Scherenbühne, elektrisch.", "maschinen"),
         Side("Arbeitsbühne für Hallendecke gesucht", "", "werkzeug"), True),
    Pair("a school's request and an offer meant for schools",
         Side("Laptops für Schulen", "Gebraucht, aufbereitet.", "it-technik", Terms.GIVE_AWAY,
              Audience.EDUCATION),
         Side("Laptops für den Informatikunterricht", "", "it-technik", Terms.GIVE_AWAY,
              kind=OrganisationType.SCHOOL), True),
    Pair("a verified non-profit and a donation meant for non-profits",
         Side("Stoffreste als Spende", "Für Bastelgruppen.", "material", Terms.DONATION,
              Audience.ASSOCIATIONS | Audience.NONPROFITS),
         Side("Stoffreste für Nähwerkstatt", "", "material", Terms.DONATION,
              kind=OrganisationType.NONPROFIT), True),
    Pair("know-how, shared between companies",
         Side("Elektriker tageweise verfügbar", "Meisterbetrieb.", "fachkraft"),
         Side("Elektrofachkraft für Prüfung gesucht", "Suchen einen Elektriker für DGUV V3.",
              "fachkraft"), True),
    Pair("a room for a meeting",
         Side("Seminarraum für 20 Personen", "Beamer vorhanden.", "veranstaltungsraeume"),
         Side("Raum für Seminar gesucht", "Zwei Tage, 15 Personen.", "veranstaltungsraeume"),
         True),
    # They must not fit.
    Pair("an offer meant for schools, a company's request",
         Side("Laptops für Schulen", "Gebraucht, aufbereitet.", "it-technik", Terms.GIVE_AWAY,
              Audience.EDUCATION),
         Side("Laptops für Außendienst gesucht", "", "it-technik", Terms.GIVE_AWAY), False),
    Pair("a request meant for companies, an association's offer",
         Side("Transporter am Wochenende", "", "transport", kind=OrganisationType.ASSOCIATION),
         Side("Transporter für Messe gesucht", "", "transport", audience=Audience.COMPANIES),
         False),
    Pair("a donation for non-profits, an unverified association",
         Side("Stoffreste als Spende", "", "material", Terms.DONATION,
              Audience.ASSOCIATIONS | Audience.NONPROFITS),
         Side("Stoffreste für Nähkurs", "", "material", Terms.DONATION,
              kind=OrganisationType.ASSOCIATION, extra={"verified": False}), False),
    Pair("too far: Ziesar and Teltow, about 64 km",
         Side("Gabelstapler 2,5 t", "", "fahrzeuge", place="Ziesar"),
         Side("Gabelstapler gesucht", "", "fahrzeuge", place="Teltow"), False),
    Pair("the same word in another group of categories",
         Side("Regal für Werkstatt", "Schwerlastregal.", "ausstattung"),
         Side("Werkstatt gesucht", "Für Holzarbeiten, 50 m².", "gewerberaeume"), False),
    Pair("nothing in common but boilerplate and the place",
         Side("Kompressor in Teltow kurzfristig verfügbar", "Abholung nach Absprache.",
              "maschinen"),
         Side("Suchen Betonmischer in Teltow", "Kurzfristig, Abholung nach Absprache.",
              "maschinen"), False),
    Pair("different things in the same category",
         Side("Drehbank zu vermieten", "Konventionell, mit Zubehör.", "maschinen"),
         Side("Hochdruckreiniger gesucht", "Für die Hofreinigung.", "maschinen"), False),
    Pair("a generic last part: places at desks, places for pallets",
         Side("Büro mit zwei Arbeitsplätzen", "Möbliert, mit Internet.", "gewerberaeume"),
         Side("Suchen 20 Palettenplätze gekühlt", "Im Herbst.", "lager"), False),
    Pair("a word of boilerplate as the last part of a compound",
         Side("Tagungsraum mit Technik", "Beamer und Leinwand.", "veranstaltungsraeume"),
         Side("Halle für Tests mit Erntetechnik", "Ebener Boden.", "produktionsraeume"), False),
    Pair("an offer of the requesting organisation itself",
         Side("Gabelstapler 2,5 t", "", "fahrzeuge", extra={"same_organisation": True}),
         Side("Gabelstapler gesucht", "", "fahrzeuge"), False),
]
# fmt: on


def organisation_for(region, side, name, default_place):
    verified = side.extra.get("verified", True)
    return make_organisation(
        region,
        name,
        owner=make_user(f"{name.lower().replace(' ', '.')}@example.org"),
        place=place(side.place or default_place),
        type=side.kind,
        verification=Verification.VERIFIED if verified else Verification.NEW,
    )


def listing_for(organisation, side, direction):
    return make_listing(
        organisation,
        side.title,
        direction=direction,
        description=side.description or side.title,
        category=category(side.category),
        terms=side.terms,
        audience=side.audience,
    )


@pytest.mark.parametrize("pair", JUDGED, ids=[pair.why for pair in JUDGED])
def test_judged_pairs(pm, places, pair):
    offering = organisation_for(pm, pair.offer, "Anbieter", "Werder (Havel)")
    requesting = (
        offering
        if pair.offer.extra.get("same_organisation")
        else organisation_for(pm, pair.request, "Suchender", "Teltow")
    )
    offer = listing_for(offering, pair.offer, Direction.OFFER)
    request = listing_for(requesting, pair.request, Direction.REQUEST)
    offer.refresh_from_db()
    request.refresh_from_db()
    from_offer = [fit.listing.pk for fit in rules.counterparts(offer)]
    from_request = [fit.listing.pk for fit in rules.counterparts(request)]
    assert from_offer == ([request.pk] if pair.fits else []), pair.why
    assert from_request == ([offer.pk] if pair.fits else []), pair.why

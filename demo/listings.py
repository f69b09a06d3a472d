"""Demo listings for `manage.py load_demo`: about 150 per demo region.

Invented offers and requests of the demo organisations, written for the economy of
Potsdam-Mittelmark and Oberhavel, in every category of the seeded tree, under every
terms, in every status (most published, spread over the publication period so that
some are about to expire). About half of the offers have generated photos.

Loading is deterministic (a fixed random seed) and adds nothing to a region that
already has listings. The ideas below are reused by the benchmark (tests/bench/seed.py)
to make realistic text in bulk.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from listings import indexing, photos
from listings.catalogue import attribute_definitions
from listings.models import (
    EVERYONE,
    AttributeKind,
    Audience,
    Category,
    Direction,
    EventAction,
    Listing,
    ListingEvent,
    ListingPhoto,
    PlaceOfUse,
    PriceUnit,
    QuantityUnit,
    Status,
    Terms,
)
from listings.services import apply_terms
from organisations.models import Membership, Organisation, OrganisationType, Role, Verification
from regions.models import Place

from .variation import make_distinct

SEED = 20250601
LISTINGS_PER_REGION = 150
REQUEST_SHARE = 1 / 3
# Published listings were published within this many days; with 90 days of publication
# those older than 83 days are in the week before expiry, when reminders go out.
PUBLISHED_WITHIN_DAYS = 88
# How many listings of each region are not (or no longer) published.
OTHER_STATUSES = {
    Status.DRAFT: 5,
    Status.PENDING: 6,
    Status.PAUSED: 4,
    Status.EXPIRED: 5,
    Status.CLOSED: 5,
}

COMPANIES = "companies"  # company, craft business, start-up
EDUCATION = "education"  # school, daycare
CIVIL = "civil"  # association, public institution, non-profit
ANYONE = "anyone"
PROVIDERS = {
    COMPANIES: {OrganisationType.COMPANY, OrganisationType.CRAFT, OrganisationType.STARTUP},
    EDUCATION: {OrganisationType.SCHOOL, OrganisationType.DAYCARE, OrganisationType.RESEARCH},
    CIVIL: {OrganisationType.ASSOCIATION, OrganisationType.PUBLIC, OrganisationType.NONPROFIT},
}
NONPROFITS_ONLY = Audience.EDUCATION | Audience.ASSOCIATIONS | Audience.NONPROFITS | Audience.PUBLIC

OFFER, REQUEST = Direction.OFFER, Direction.REQUEST


@dataclass(frozen=True)
class Idea:
    """One kind of listing. `{place}` in the texts is the listing's place; `{name}` is a
    number drawn from `numbers[name]` (low, high, step), also usable in `attributes`."""

    category: str
    direction: str
    terms: str
    title: str
    text: str
    by: str = COMPANIES
    attributes: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)
    quantity: tuple = (1, 1, QuantityUnit.PIECE)  # (low, high, unit); "{area}": that number
    price: tuple | None = None  # (low, high, PriceUnit); None: on request
    audience: int = EVERYONE
    places_of_use: int = PlaceOfUse.PROVIDER


DAY, HOUR, WEEK, MONTH, TOTAL = (
    PriceUnit.DAY,
    PriceUnit.HOUR,
    PriceUnit.WEEK,
    PriceUnit.MONTH,
    PriceUnit.TOTAL,
)
M2_MONTH, PALLET_MONTH = PriceUnit.SQUARE_METRE_MONTH, PriceUnit.PALLET_MONTH
M2, PALLET, PERSON = QuantityUnit.SQUARE_METRE, QuantityUnit.PALLET, QuantityUnit.PERSON
HOURS, DAYS = QuantityUnit.HOUR, QuantityUnit.DAY

# fmt: off
IDEAS = [
    # Maschinen & Ausstattung ---------------------------------------------------------------
    Idea("maschinen", OFFER, Terms.RENT, "Hubarbeitsbühne {height} m Arbeitshöhe tageweise",
         "Selbstfahrende Scherenbühne, elektrisch, für Hallen und ebene Flächen. Einweisung "
         "vor Ort in {place}, Abholung mit eigenem Anhänger oder Lieferung gegen Aufpreis.",
         attributes={"kind": ["Arbeitsbühnen"], "weight": 2400, "dimensions": "250 × 120 × 230 cm"},
         numbers={"height": (8, 16, 2)},
         price=(90, 160, DAY)),
    Idea("maschinen", OFFER, Terms.RENT, "Baukompressor 7 bar mobil, wochenweise",
         "Fahrbarer Schraubenkompressor mit zwei Abgängen, frisch gewartet. Ideal für "
         "Druckluftwerkzeuge auf Baustellen rund um {place}.",
         attributes={"kind": ["Bau"], "weight": 750}, price=(150, 240, WEEK)),
    Idea("maschinen", OFFER, Terms.RENT, "CNC-Fräse – freie Maschinenstunden freitags",
         "Unsere 3-Achs-Fräse (Verfahrweg 760 × 400 mm) ist freitags selten ausgelastet. "
         "Wir fräsen nach Ihrer Zeichnung oder Sie arbeiten nach Einweisung selbst.",
         attributes={"kind": ["Produktionsmaschinen"]}, quantity=(4, 16, HOURS),
         price=(55, 85, HOUR)),
    Idea("maschinen", OFFER, Terms.LOAN, "Stromerzeuger 8 kVA für Vereinsfeste",
         "Leiser Benzin-Stromerzeuger mit zwei Schuko- und einer CEE-Steckdose. Für Feste "
         "gemeinnütziger Vereine verleihen wir ihn kostenlos, Abholung in {place}.",
         attributes={"kind": ["Energieerzeugung"], "weight": 110, "power": 8},
         audience=NONPROFITS_ONLY),
    Idea("maschinen", OFFER, Terms.RENT, "Holzspalter 12 t am Wochenende frei",
         "Liegender Holzspalter mit Zapfwellenantrieb, passt an jeden Traktor ab 30 PS. "
         "Übergabe freitags ab 16 Uhr, Rückgabe montags.",
         attributes={"kind": ["Haus und Garten"], "weight": 380}, price=(40, 70, DAY)),
    Idea("maschinen", OFFER, Terms.RENT, "Scheuersaugmaschine für Hallenböden",
         "Aufsitz-Scheuersaugmaschine, 85 cm Arbeitsbreite, Akku für drei Stunden. "
         "Bürsten und Pads bringen wir mit.",
         attributes={"kind": ["Reinigungsmaschinen", "Reinigung"], "weight": 900},
         price=(80, 130, DAY)),
    Idea("maschinen", REQUEST, Terms.RENT, "Suchen Scheuersaugmaschine für Hallenreinigung",
         "Für die Grundreinigung unserer Produktionshalle ({area} m²) brauchen wir an einem "
         "Wochenende im nächsten Monat eine Scheuersaugmaschine.",
         attributes={"kind": ["Reinigungsmaschinen"]}, numbers={"area": (300, 1500, 100)},
         price=(60, 120, DAY)),
    Idea("maschinen", REQUEST, Terms.LOAN, "Suchen Hebebühne für Testfahrten unseres Roboters",
         "Unser Ernteroboter muss von unten gewartet werden. Wer lässt uns zwei Tage auf "
         "eine Hebebühne? Gern im Raum {place}.",
         by=COMPANIES, attributes={"kind": ["Hebebühnen"]}),
    # Produktionsanlagen
    Idea("produktionsanlagen", OFFER, Terms.RENT,
         "Abfüllanlage für Säfte: freie Kapazität im Frühjahr",
         "Zwischen Februar und Mai steht unsere Abfüllanlage (0,2–1 l Glasflaschen) meist "
         "still. Lohnabfüllung für Mostereien und Hofläden aus der Region.",
         attributes={"kind": ["Produktionsmaschinen", "Verpackungsmaschinen"]},
         quantity=(500, 5000, QuantityUnit.PIECE),
         price=(0.15, 0.35, PriceUnit.PIECE)),
    Idea("produktionsanlagen", OFFER, Terms.RENT, "Pulverbeschichtung: Lohnbeschichtung bis 2 m",
         "Kabine und Ofen für Teile bis 2 × 1 × 1 m, RAL-Farben nach Wunsch. Kleinserien "
         "und Einzelteile willkommen, Abholung in {place}.",
         attributes={"kind": ["Produktionsmaschinen"]}, price=None),
    Idea("produktionsanlagen", OFFER, Terms.RENT, "3D-Drucker (SLS) – Druckzeit stundenweise",
         "Lasersinter-Drucker für Prototypen aus PA12. Wir drucken Ihre STL-Dateien und "
         "beraten zu Konstruktion und Nachbearbeitung.",
         attributes={"kind": ["Produktionsmaschinen"]},
         quantity=(2, 24, HOURS), price=(25, 45, HOUR)),
    Idea("produktionsanlagen", OFFER, Terms.GIVE_AWAY, "Palettenwickler gebraucht abzugeben",
         "Halbautomatischer Palettenwickler, läuft, aber ersetzt durch eine neue Anlage. "
         "Selbstabholung in {place}, Stapler zum Verladen ist vor Ort.",
         attributes={"kind": ["Verpackungsmaschinen"], "condition": "Gebraucht – gut erhalten"}),
    Idea("produktionsanlagen", REQUEST, Terms.RENT, "Suchen Lohnfertiger mit Laserschneidanlage",
         "Für eine Kleinserie von {count} Blechteilen (Edelstahl 2 mm) suchen wir einen "
         "Betrieb mit Faserlaser in der Region.",
         attributes={"kind": ["Produktionsmaschinen"]}, numbers={"count": (50, 400, 50)},
         price=None),
    # Werkzeug
    Idea("werkzeug", OFFER, Terms.RENT, "Schweißgerät MIG/MAG 250 A tageweise",
         "Schutzgasschweißgerät mit Drahtvorschub, Flasche Mischgas inklusive. "
         "Nur an Betriebe mit Schweißerfahrung.",
         attributes={"kind": ["Werkstatteinrichtung"], "weight": 95,
             "dimensions": "90 × 45 × 80 cm"},
         price=(25, 45, DAY)),
    Idea("werkzeug", OFFER, Terms.LOAN, "Prüfkoffer für Elektroprüfung (DGUV V3) leihweise",
         "Gerätetester mit Prüfadaptern und Software. Wir leihen ihn Vereinen und Schulen "
         "für ihre jährliche Prüfung und zeigen gern, wie es geht.",
         attributes={"kind": ["Messen und Qualitätssicherung"]}, audience=NONPROFITS_ONLY),
    Idea("werkzeug", OFFER, Terms.RENT, "Kernbohrgerät mit Bohrkronen bis 200 mm",
         "Diamant-Kernbohrgerät mit Ständer und Wasserabsaugung, Bohrkronen 52 bis 200 mm.",
         attributes={"kind": ["Bau", "Werkstatteinrichtung"], "weight": 45}, price=(35, 60, DAY)),
    Idea("werkzeug", OFFER, Terms.LOAN, "Werkzeugkiste Holzbearbeitung für Schulprojekte",
         "Zehn Sätze Sägen, Raspeln, Hämmer und Schraubzwingen in kindgerechter Größe. "
         "Für Projektwochen an Grundschulen, Abholung in {place}.",
         attributes={"kind": ["Werkstatteinrichtung"]}, audience=Audience.EDUCATION,
         quantity=(10, 10, QuantityUnit.PIECE)),
    Idea("werkzeug", REQUEST, Terms.LOAN, "Suchen Fliesenschneider für zwei Wochen",
         "Wir fliesen den Sanitärbereich unseres Vereinsheims selbst und suchen einen "
         "Fliesenschneider (mind. 90 cm Schnittlänge).",
         by=CIVIL, attributes={"kind": ["Bau"]}),
    # Ausstattung
    Idea("ausstattung", OFFER, Terms.RENT, "Festzelt 6 × 12 m mit Bierzeltgarnituren",
         "Stabiles Zelt mit Seitenwänden, dazu 12 Garnituren. Aufbau mit vier Personen in "
         "etwa zwei Stunden; wir helfen gern.",
         attributes={"kind": ["Gastronomiebedarf"]}, price=(120, 250, DAY)),
    Idea("ausstattung", OFFER, Terms.LOAN, "Beamer und Leinwand für Veranstaltungen",
         "Full-HD-Beamer mit 3 m Stativleinwand und Lautsprecher. Für Schulen und Vereine "
         "kostenlos, Betriebe fragen bitte nach.",
         attributes={"kind": ["Büroausstattung"]}),
    Idea("ausstattung", OFFER, Terms.GIVE_AWAY, "Schwerlastregale {count} Felder abzugeben",
         "Fachbodenregale, 2,5 m hoch, Tragkraft 200 kg je Boden. Wir räumen unser Lager "
         "in {place} um; selbst abbauen und abholen.",
         attributes={"kind": ["Lagern und Heben", "Regale"],
             "condition": "Gebraucht – gut erhalten"},
         numbers={"count": (6, 24, 2)}),
    Idea("ausstattung", OFFER, Terms.RENT, "Fassadengerüst {area} m² mit Aufbau",
         "Rahmengerüst mit Belägen und Geländern, Aufbau durch unsere Kolonne. Ideal für "
         "Dach- und Fassadenarbeiten.",
         attributes={"kind": ["Bau", "Gerüste und Leitern"]}, numbers={"area": (60, 300, 20)},
         price=(300, 900, WEEK),
         places_of_use=PlaceOfUse.CUSTOMER),
    Idea("ausstattung", REQUEST, Terms.LOAN, "Suchen Gastro-Spülmaschine für Sommerfest",
         "Für unser Sommerfest mit rund 400 Gästen suchen wir eine Haubenspülmaschine, "
         "damit wir ohne Einweggeschirr auskommen.",
         by=CIVIL, attributes={"kind": ["Gastronomiebedarf"]}),
    # Fahrzeuge & Transport ------------------------------------------------------------------
    Idea("fahrzeuge", OFFER, Terms.RENT, "Gabelstapler Linde H25 tageweise",
         "Diesel-Stapler mit 2,5 t Tragkraft und 4,5 m Hubhöhe, Seitenschieber. Nur mit "
         "Staplerschein; Transport nach {place} und Umgebung möglich.",
         attributes={"vehicle-type": ["Gabelstapler"], "weight": 3800,
             "condition": "Gebraucht – gut erhalten"},
         price=(65, 110, DAY),
         places_of_use=PlaceOfUse.PROVIDER | PlaceOfUse.CUSTOMER),
    Idea("fahrzeuge", OFFER, Terms.RENT, "Kleinbus mit 9 Sitzen für Vereinsfahrten",
         "Neunsitzer mit Anhängerkupplung und großem Kofferraum. Vereine zahlen nur die "
         "Hälfte; Tankregelung voll/voll.",
         attributes={"vehicle-type": ["PKW"], "weight": 3100,
             "condition": "Gebraucht – gut erhalten"},
         price=(60, 90, DAY)),
    Idea("fahrzeuge", OFFER, Terms.RENT, "Minibagger 1,8 t mit drei Löffeln",
         "Kompakter Bagger mit Gummiketten, Tieflöffel 30 und 60 cm sowie Grabenräumlöffel. "
         "Passt auf einen 2,7-t-Anhänger.",
         attributes={"vehicle-type": ["Bagger", "Baufahrzeuge"], "weight": 1800,
             "condition": "Gebraucht – gut erhalten"},
         price=(110, 170, DAY)),
    Idea("fahrzeuge", OFFER, Terms.RENT, "Kühltransporter 3,5 t für die Erntezeit",
         "Transporter mit Kühlkoffer (0–8 °C), Ladevolumen 12 m³. Außerhalb der Obsternte "
         "steht er oft auf dem Hof in {place}.",
         attributes={"vehicle-type": ["Transporter"], "weight": 3500,
             "condition": "Gebraucht – gut erhalten"},
         price=(90, 140, DAY)),
    Idea("fahrzeuge", OFFER, Terms.LOAN, "Pkw-Anhänger 750 kg für Nachbarbetriebe",
         "Ungebremster Kastenanhänger mit Plane, 2,5 × 1,3 m. Einfach anrufen und abholen.",
         attributes={"vehicle-type": ["Anhänger"], "weight": 750,
             "condition": "Gebraucht – gut erhalten"}),
    Idea("fahrzeuge", OFFER, Terms.RENT, "Radlader zwischen den Ernten",
         "Radlader mit Schaufel und Palettengabel, 55 PS. Zwischen den Ernten frei, mit "
         "oder ohne Fahrer.",
         attributes={"vehicle-type": ["Baufahrzeuge"], "weight": 4500,
             "condition": "Gebraucht – gut erhalten"},
         price=(150, 220, DAY)),
    Idea("fahrzeuge", REQUEST, Terms.LOAN, "Suchen Bootsanhänger für Regatta im Juni",
         "Für die Regatta unserer Jugend brauchen wir für ein Wochenende einen Anhänger "
         "für zwei Vierer-Ruderboote.",
         by=CIVIL, attributes={"vehicle-type": ["Anhänger"]}),
    Idea("fahrzeuge", REQUEST, Terms.RENT, "Suchen Kleinbus für Auswärtsspiele am Wochenende",
         "Unsere C-Jugend spielt samstags auswärts. Wir suchen einen Neunsitzer, gern "
         "regelmäßig, zu einem vereinsfreundlichen Preis.",
         by=CIVIL, attributes={"vehicle-type": ["PKW"]}, price=(30, 60, DAY)),
    Idea("fahrzeuge", REQUEST, Terms.RENT, "Suchen Autokran für Hallendach-Montage",
         "Für die Montage von Lichtkuppeln brauchen wir einen Autokran (30 m Ausleger) "
         "mit Fahrer für einen Tag.",
         attributes={"vehicle-type": ["Kran"]}, price=None, places_of_use=PlaceOfUse.CUSTOMER),
    # Transport
    Idea("transport", OFFER, Terms.RENT, "Mitfahrgelegenheit für Paletten Potsdam–Berlin dienstags",
         "Unser 7,5-Tonner fährt jeden Dienstag früh nach Berlin-Marienfelde und hat meist "
         "{free} Palettenplätze frei. Zuladung in {place} bis 6 Uhr.",
         attributes={"vehicle-type": ["LKW"], "load-space": "{free}",
             "condition": "Gebraucht – gut erhalten"},
         numbers={"free": (2, 8, 1)},
         quantity=(2, 8, PALLET), price=(15, 30, PriceUnit.PIECE)),
    Idea("transport", OFFER, Terms.RENT, "Beiladung frei: LKW nach Hamburg donnerstags",
         "Sattelzug mit Plane, donnerstags Richtung Hamburger Hafen, rückwärts oft leer. "
         "Teilladungen ab einer Palette.",
         attributes={"vehicle-type": ["LKW"], "load-space": 12,
             "condition": "Gebraucht – gut erhalten"},
         quantity=(1, 12, PALLET),
         price=(25, 45, PriceUnit.PIECE)),
    Idea("transport", OFFER, Terms.LOAN, "Rückfahrt leer: Transporter ab Berlin freitags",
         "Wir liefern freitags nach Berlin und fahren leer zurück nach {place}. Wer etwas "
         "mitzugeben hat, fährt bei uns kostenlos mit.",
         attributes={"vehicle-type": ["Transporter"], "load-space": 6,
             "condition": "Gebraucht – gut erhalten"},
         quantity=(1, 4, PALLET)),
    Idea("transport", REQUEST, Terms.RENT, "Suchen Transport für {count} Paletten nach Leipzig",
         "Einmalige Lieferung, nicht stapelbar, je Palette bis 600 kg. Termin flexibel in "
         "den nächsten zwei Wochen.",
         attributes={"vehicle-type": ["LKW"]}, numbers={"count": (2, 10, 1)},
         quantity=(2, 10, PALLET), price=None),
    Idea("transport", REQUEST, Terms.RENT, "Suchen Kühltransport für Spargel zum Großmarkt",
         "Während der Spargelsaison täglich zwei Paletten von {place} zum Großmarkt Berlin, "
         "Abfahrt 4 Uhr.",
         attributes={"vehicle-type": ["Transporter"]}, quantity=(2, 2, PALLET),
         price=(60, 100, DAY)),
    # Räume & Flächen ------------------------------------------------------------------------
    Idea("lager", OFFER, Terms.RENT, "Kühllager {area} m² in {place}",
         "Kühlraum mit 2–6 °C, ebenerdig mit Rampe und Hubwagen. Wochen- oder monatsweise.",
         attributes={"area": "{area}", "storage": ["innen", "gekühlt"]},
         numbers={"area": (40, 200, 20)}, quantity=("{area}", "{area}", M2),
         price=(6, 12, M2_MONTH)),
    Idea("lager", OFFER, Terms.RENT, "Überdachte Lagerfläche {area} m² in {place}",
         "Offene, überdachte Fläche auf befestigtem Gelände, mit Stapler befahrbar, "
         "videoüberwacht.",
         attributes={"area": "{area}", "storage": ["außen"]},
         numbers={"area": (100, 600, 50)}, quantity=("{area}", "{area}", M2),
         price=(2, 4, M2_MONTH)),
    Idea("lager", OFFER, Terms.RENT, "Palettenstellplätze im beheizten Lager",
         "Einzelne Palettenstellplätze in unserem Hochregallager, Ein- und Auslagerung "
         "werktags 7–16 Uhr durch unser Team.",
         attributes={"storage": ["innen", "beheizt"]},
         quantity=(5, 40, PALLET), price=(8, 15, PALLET_MONTH)),
    Idea("lager", OFFER, Terms.LOAN, "Trockenlager für Vereinsmaterial frei",
         "Ein abschließbarer Raum mit {area} m² in unserer alten Scheune. Vereine dürfen "
         "ihn kostenlos nutzen.",
         attributes={"area": "{area}", "storage": ["innen"]},
         numbers={"area": (15, 60, 5)}, audience=NONPROFITS_ONLY),
    Idea("lager", REQUEST, Terms.RENT, "Suchen 20 Palettenplätze gekühlt im Herbst",
         "Für die Apfelernte von September bis November suchen wir gekühlte Stellplätze "
         "im Umkreis von {place}.",
         attributes={"storage": ["innen", "gekühlt"]}, quantity=(20, 20, PALLET),
         price=(6, 10, PALLET_MONTH)),
    Idea("lager", REQUEST, Terms.LOAN, "Suchen Lagerraum für Bühnenbau und Kostüme",
         "Unsere Theater-AG sucht einen trockenen Raum mit etwa 20 m².",
         by=EDUCATION, attributes={"area": 20, "storage": ["innen"]}),
    # Gewerberäume
    Idea("gewerberaeume", OFFER, Terms.RENT, "Büro {area} m² mit zwei Arbeitsplätzen in {place}",
         "Helles Büro mit Möbeln, Glasfaser und Mitbenutzung von Küche und Besprechungsraum.",
         attributes={"area": "{area}", "storage": ["innen", "beheizt"]},
         numbers={"area": (14, 40, 2)}, price=(250, 550, MONTH)),
    Idea("gewerberaeume", OFFER, Terms.RENT, "Ladenlokal {area} m² – Zwischennutzung möglich",
         "Ehemaliges Ladengeschäft in der Innenstadt von {place}, Schaufensterfront, "
         "ab sofort für Pop-up-Läden und Ausstellungen.",
         attributes={"area": "{area}", "storage": ["innen", "beheizt"]},
         numbers={"area": (40, 120, 10)},
         price=(300, 900, MONTH)),
    Idea("gewerberaeume", OFFER, Terms.RENT, "Werkstattbüro mit Teeküche tageweise",
         "Ruhiger Arbeitsplatz neben unserer Werkstatt, ideal für Handwerker, die Angebote "
         "schreiben oder Kunden empfangen.",
         attributes={"area": 18, "storage": ["innen", "beheizt"]},
         quantity=(1, 5, DAYS), price=(20, 35, DAY)),
    Idea("gewerberaeume", REQUEST, Terms.RENT, "Suchen Büroraum für Start-up ab sofort",
         "Drei Gründerinnen suchen einen Raum mit {area} m² in oder bei {place}, gern in "
         "Nachbarschaft anderer Betriebe.",
         by=COMPANIES, attributes={"area": "{area}"}, numbers={"area": (15, 40, 5)},
         price=(200, 450, MONTH)),
    # Produktionsräume
    Idea("produktionsraeume", OFFER, Terms.RENT, "Werkhalle {area} m² mit Kran in {place}",
         "Halle mit 5-t-Brückenkran, Starkstrom, Rolltor 4 × 4 m. Monatsweise oder für "
         "einzelne Projekte.",
         attributes={"area": "{area}", "storage": ["innen"]},
         numbers={"area": (200, 800, 50)}, price=None),
    Idea("produktionsraeume", OFFER, Terms.RENT, "Produktionsküche stundenweise zu vermieten",
         "Zertifizierte Küche mit Kombidämpfer, Kühlzelle und Spülstraße. Für Caterer, "
         "Hofläden und Start-ups aus dem Lebensmittelbereich.",
         attributes={"area": 60, "storage": ["innen", "beheizt", "gekühlt"]},
         quantity=(4, 12, HOURS), price=(25, 40, HOUR)),
    Idea("produktionsraeume", OFFER, Terms.RENT, "Tischlerwerkstatt mit Formatkreissäge",
         "Werkstatt mit Formatkreissäge, Abricht- und Dickenhobel und Absaugung. Nach "
         "Einweisung dürfen Kollegen selbst arbeiten.",
         attributes={"area": 120, "storage": ["innen", "beheizt"]},
         quantity=(4, 8, HOURS), price=(20, 35, HOUR)),
    Idea("produktionsraeume", REQUEST, Terms.RENT, "Suchen Halle für Tests mit Erntetechnik",
         "Für Tests im Winter suchen wir eine Halle mit mindestens {area} m² und "
         "Starkstromanschluss.",
         attributes={"area": "{area}"}, numbers={"area": (150, 400, 50)},
         price=(500, 1200, MONTH)),
    # Veranstaltungsräume
    Idea("veranstaltungsraeume", OFFER, Terms.RENT, "Seminarraum für {seats} Personen abends frei",
         "Seminarraum mit Beamer, Flipchart und WLAN. Werktags ab 17 Uhr und am Wochenende.",
         attributes={"seats": "{seats}", "area": 55, "storage": ["innen", "beheizt"]},
         numbers={"seats": (16, 30, 2)},
         quantity=(2, 6, HOURS), price=(25, 45, HOUR)),
    Idea("veranstaltungsraeume", OFFER, Terms.LOAN, "Saal für 60 Personen für Vereine kostenlos",
         "Unser Saal mit Küche steht gemeinnützigen Vereinen für Versammlungen und Feiern "
         "kostenlos zur Verfügung.",
         by=CIVIL, attributes={"seats": 60, "area": 110, "storage": ["innen", "beheizt"]},
         audience=NONPROFITS_ONLY),
    Idea("veranstaltungsraeume", OFFER, Terms.RENT, "Tagungsraum am See mit Technik",
         "Tagungsraum mit Blick aufs Wasser für Klausurtage, Verpflegung auf Wunsch. "
         "Außerhalb der Saison zum Sonderpreis.",
         attributes={"seats": "{seats}", "area": 80, "storage": ["innen", "außen", "beheizt"]},
         numbers={"seats": (20, 40, 5)},
         price=(250, 450, DAY)),
    Idea("veranstaltungsraeume", REQUEST, Terms.LOAN,
         "Suchen Raum für Selbsthilfegruppe, monatlich",
         "Eine Selbsthilfegruppe mit zwölf Menschen sucht einmal im Monat abends einen Raum "
         "in {place}.",
         by=CIVIL, attributes={"seats": 12}),
    # Personal & Know-how --------------------------------------------------------------------
    Idea("fachkraft", OFFER, Terms.RENT, "Elektrofachkraft für Prüfungen nach DGUV V3",
         "Unser Elektromeister prüft ortsveränderliche Geräte und Anlagen, auch bei "
         "Nachbarbetrieben. Protokolle inklusive.",
         attributes={"qualification": "Elektrotechnikermeister"}, quantity=(4, 16, HOURS),
         price=(55, 75, HOUR), places_of_use=PlaceOfUse.CUSTOMER),
    Idea("fachkraft", OFFER, Terms.RENT, "CNC-Programmierer stundenweise verfügbar",
         "Erfahrener Programmierer (Heidenhain, Siemens) übernimmt Programme und "
         "Einrichtung an Ihrer Maschine.",
         attributes={"qualification": "Industriemechaniker, CNC-Fachkraft"},
         quantity=(4, 20, HOURS), price=(60, 80, HOUR),
         places_of_use=PlaceOfUse.CUSTOMER | PlaceOfUse.PROVIDER),
    Idea("fachkraft", REQUEST, Terms.RENT, "Suchen Elektriker für Hallenumbau (2 Wochen)",
         "Für die Umrüstung unserer Hallenbeleuchtung auf LED suchen wir eine "
         "Elektrofachkraft für zwei Wochen.",
         attributes={"qualification": "Elektroniker/in"}, quantity=(10, 10, DAYS),
         price=None, places_of_use=PlaceOfUse.CUSTOMER),
    Idea("fachkraft", REQUEST, Terms.RENT, "Suchen Kfz-Mechatroniker auf Zeit",
         "Vertretung für unsere Werkstatt in {place} während der Elternzeit eines Kollegen.",
         attributes={"qualification": "Kfz-Mechatroniker/in"}, quantity=(3, 6, QuantityUnit.DAY),
         price=None),
    # Aushilfe
    Idea("aushilfe", REQUEST, Terms.RENT, "Suchen Aushilfe für Inventur im Januar",
         "Zwei Tage Zählen und Erfassen in unserem Lager in {place}, Einweisung am Morgen.",
         quantity=(2, 4, PERSON), price=(14, 16, HOUR)),
    Idea("aushilfe", OFFER, Terms.RENT, "Zwei Lagerhelfer für Umzüge und Inventuren",
         "Unsere Lagerhelfer haben zwischen den Saisons Zeit und helfen Nachbarbetrieben.",
         quantity=(2, 2, PERSON), price=(22, 30, HOUR), places_of_use=PlaceOfUse.CUSTOMER),
    Idea("aushilfe", REQUEST, Terms.RENT, "Aushilfe für Fahrdienst am Wochenende gesucht",
         "Für Fahrten zu Turnieren suchen wir Fahrerinnen oder Fahrer mit Führerschein B.",
         by=CIVIL, quantity=(1, 2, PERSON), price=(12, 15, HOUR)),
    Idea("aushilfe", OFFER, Terms.TIME_DONATION, "Unsere Azubis helfen beim Vereinsfest",
         "Einmal im Jahr packen unsere Auszubildenden einen Tag lang bei einem Verein in "
         "{place} mit an: Aufbau, Grill, Abbau.",
         quantity=(4, 8, PERSON), audience=NONPROFITS_ONLY, places_of_use=PlaceOfUse.CUSTOMER),
    # Azubi
    Idea("azubi", OFFER, Terms.LOAN,
         "Verbundausbildung: Wir übernehmen Ausbildungsabschnitte Metall",
         "Ihre Azubis lernen bei uns Drehen und Fräsen, wenn Ihr Betrieb das nicht abdeckt.",
         attributes={"qualification": "Ausbildungsberechtigung Metall"}, quantity=(4, 12, DAYS)),
    Idea("azubi", REQUEST, Terms.LOAN, "Suchen Partnerbetrieb für Verbundausbildung Elektronik",
         "Unser Azubi braucht drei Monate Praxis in der Gebäudetechnik.",
         attributes={"qualification": "Elektroniker/in für Energie- und Gebäudetechnik"}),
    Idea("azubi", OFFER, Terms.TIME_DONATION, "Praktikumsplätze für Schülerinnen und Schüler",
         "Zwei Wochen Schülerpraktikum im Handwerk: mitarbeiten, ausprobieren, Fragen stellen.",
         by=COMPANIES, quantity=(1, 3, PERSON), audience=Audience.EDUCATION),
    Idea("azubi", REQUEST, Terms.TIME_DONATION, "Suchen Betriebe für Berufsorientierungstag",
         "Am Berufsorientierungstag stellen Betriebe ihre Ausbildungen vor. Wer kommt zu "
         "uns nach {place}?",
         by=EDUCATION, quantity=(5, 15, PERSON), places_of_use=PlaceOfUse.CUSTOMER),
    # Saisonarbeit
    Idea("saisonarbeit", REQUEST, Terms.RENT, "Suchen Aushilfe für Spargelernte",
         "Von April bis Juni suchen wir Helferinnen und Helfer für Ernte und Sortierung auf "
         "unseren Feldern bei {place}.",
         quantity=(3, 10, PERSON), price=(14, 16, HOUR)),
    Idea("saisonarbeit", REQUEST, Terms.RENT, "Erntehelfer für Apfelernte im September gesucht",
         "Für vier Wochen Apfelernte suchen wir zuverlässige Pflückerinnen und Pflücker.",
         quantity=(4, 12, PERSON), price=(14, 16, HOUR)),
    Idea("saisonarbeit", OFFER, Terms.RENT, "Saisonkräfte nach der Ernte frei für andere Betriebe",
         "Unser eingespieltes Team hat ab Juli Zeit und kann in Gärtnereien, Lagern oder "
         "bei Veranstaltungen mitarbeiten.",
         quantity=(2, 6, PERSON), price=(22, 28, HOUR), places_of_use=PlaceOfUse.CUSTOMER),
    # Kooperation & Investition --------------------------------------------------------------
    Idea("buerogemeinschaft", OFFER, Terms.RENT, "Schreibtisch in Bürogemeinschaft frei",
         "Ein fester Arbeitsplatz in unserem Büro in {place}: Drucker, Kaffee und nette "
         "Kolleginnen inklusive.",
         price=(150, 300, MONTH)),
    Idea("buerogemeinschaft", REQUEST, Terms.RENT, "Suchen Bürogemeinschaft in {place}",
         "Wir suchen zwei Arbeitsplätze bei einem Betrieb, gern im Tausch gegen Beratung.",
         price=(100, 250, MONTH)),
    Idea("buerogemeinschaft", OFFER, Terms.RENT, "Coworking-Platz tageweise im Gründerzentrum",
         "Flexible Arbeitsplätze mit Besprechungsraum und Postservice.",
         quantity=(1, 10, DAYS), price=(12, 20, DAY)),
    # Fachkraft teilen
    Idea("fachkraft-teilen", OFFER, Terms.RENT, "Fachkraft für Arbeitssicherheit teilen",
         "Unsere Sicherheitsfachkraft hat vier Stunden im Monat frei und betreut kleine "
         "Betriebe in der Nachbarschaft.",
         quantity=(4, 4, HOURS), price=(60, 80, HOUR), places_of_use=PlaceOfUse.CUSTOMER),
    Idea("fachkraft-teilen", REQUEST, Terms.RENT, "Datenschutzbeauftragten gemeinsam beschäftigen",
         "Drei Betriebe suchen weitere Partner, um gemeinsam einen externen "
         "Datenschutzbeauftragten zu bezahlen.",
         price=None),
    Idea("fachkraft-teilen", REQUEST, Terms.RENT, "IT-Administratorin mit anderen Betrieben teilen",
         "Wir suchen Partner, mit denen wir eine Stelle für IT-Betreuung teilen, je einen "
         "Tag in der Woche.",
         price=None),
    # Gemeinsame Investition
    Idea("gemeinsame-investition", REQUEST, Terms.RENT,
         "Partner für Photovoltaik auf dem Hallendach",
         "Unser Hallendach in {place} hat {area} m² frei. Wer investiert mit uns in eine "
         "Anlage und nutzt den Strom?",
         numbers={"area": (300, 1200, 100)}, price=None),
    Idea("gemeinsame-investition", OFFER, Terms.RENT, "Beteiligung an Ladepark für E-Transporter",
         "Wir bauen Schnellladesäulen auf unserem Hof und suchen Betriebe, die sich "
         "beteiligen und Ladezeiten reservieren.",
         price=None),
    Idea("gemeinsame-investition", REQUEST, Terms.RENT, "Gemeinsamer Kauf eines 3D-Laserscanners",
         "Für Aufmaß und Dokumentation suchen wir zwei bis drei Betriebe, die sich die "
         "Anschaffung teilen.",
         price=None),
    # Spenden & Verschenken ------------------------------------------------------------------
    Idea("moebel", OFFER, Terms.GIVE_AWAY, "{count} Schreibtische und Bürostühle zu verschenken",
         "Nach unserem Umzug geben wir höhenverstellbare Tische und Stühle ab. Abholung in "
         "{place}, gern an Schulen und Vereine.",
         attributes={"condition": "Gebraucht – gut erhalten", "age": 8},
         numbers={"count": (6, 20, 2)},
         quantity=(6, 20, QuantityUnit.PIECE), audience=NONPROFITS_ONLY),
    Idea("moebel", OFFER, Terms.DONATION, "Schulmöbel: {count} Tische an Schulen abzugeben",
         "Robuste Schülertische mit Stühlen aus einem Umbau, gereinigt und stapelbar.",
         attributes={"condition": "Gebraucht – gut erhalten", "age": 12},
         numbers={"count": (10, 30, 5)},
         quantity=(10, 30, QuantityUnit.PIECE), audience=Audience.EDUCATION),
    Idea("moebel", REQUEST, Terms.DONATION, "Suchen Werkbänke für Werkstatt-AG",
         "Für unsere Werkstatt-AG suchen wir vier stabile Werkbänke, gern auch gebraucht.",
         by=EDUCATION, attributes={"condition": "Gebraucht – mit Mängeln"},
         quantity=(4, 4, QuantityUnit.PIECE)),
    Idea("moebel", REQUEST, Terms.GIVE_AWAY, "Kita sucht Regale und Garderoben",
         "Für unseren neuen Gruppenraum suchen wir niedrige Regale und eine Garderobe.",
         by=EDUCATION, attributes={"condition": "Gebraucht – gut erhalten"}),
    # IT und Technik
    Idea("it-technik", OFFER, Terms.DONATION, "{count} Büromonitore zu verschenken an Schulen",
         "24-Zoll-Monitore mit HDMI, drei Jahre alt, voll funktionsfähig, Kabel dabei.",
         attributes={"condition": "Neuwertig", "age": 3},
         numbers={"count": (10, 30, 5)},
         quantity=(10, 30, QuantityUnit.PIECE), audience=Audience.EDUCATION),
    Idea("it-technik", OFFER, Terms.GIVE_AWAY, "Laptops für Vereine, Festplatten gelöscht",
         "Fünf Jahre alte Business-Laptops mit neuem Linux, Netzteil und Tasche.",
         attributes={"condition": "Gebraucht – gut erhalten", "age": 5},
         quantity=(3, 12, QuantityUnit.PIECE),
         audience=NONPROFITS_ONLY),
    Idea("it-technik", REQUEST, Terms.DONATION, "Suchen Tablets für den Unterricht",
         "Für eine Lerngruppe in {place} suchen wir gebrauchte Tablets mit Ladegerät.",
         by=EDUCATION, attributes={"condition": "Gebraucht – gut erhalten"},
         quantity=(5, 15, QuantityUnit.PIECE)),
    Idea("it-technik", OFFER, Terms.GIVE_AWAY, "Netzwerkdrucker gebraucht abzugeben",
         "Farblaser mit Duplex, Toner für etwa 2000 Seiten liegt bei.",
         attributes={"condition": "Gebraucht – mit Mängeln", "age": 7, "weight": 28}),
    # Material und Restposten
    Idea("material", OFFER, Terms.GIVE_AWAY, "Restposten Holzplatten für Bastelprojekte",
         "Zuschnitte aus Multiplex und MDF, ideal für Werk- und Kunstunterricht.",
         attributes={"condition": "Neu"}, quantity=(20, 80, QuantityUnit.KILOGRAM),
         audience=NONPROFITS_ONLY),
    Idea("material", OFFER, Terms.GIVE_AWAY, "Europaletten gebraucht abzugeben",
         "Rund {count} gebrauchte Europaletten, teils mit Mängeln, für Hochbeete oder "
         "Möbelbau. Selbstabholung in {place}.",
         attributes={"condition": "Gebraucht – mit Mängeln"}, numbers={"count": (20, 80, 10)},
         quantity=(20, 80, QuantityUnit.PIECE)),
    Idea("material", OFFER, Terms.DONATION, "Farbreste und Pinsel für Kitas",
         "Ungiftige Wandfarben in vielen Tönen, angebrochen, dazu neue Pinsel und Rollen.",
         attributes={"condition": "Neuwertig"}, audience=Audience.EDUCATION),
    Idea("material", REQUEST, Terms.GIVE_AWAY, "Suchen Stoffreste und Wolle",
         "Unsere Näh-AG freut sich über Stoffreste, Wolle und Knöpfe.",
         by=EDUCATION, attributes={"condition": "Gebraucht – gut erhalten"}),
    # Zeit und Know-how
    Idea("zeitspende", OFFER, Terms.TIME_DONATION,
         "Buchhaltung erklärt: Beratungsstunden für Vereine",
         "Unsere Buchhalterin beantwortet Kassenwartinnen und Kassenwarten Fragen zu "
         "Belegen, Spenden und Steuern.",
         quantity=(2, 6, HOURS), audience=NONPROFITS_ONLY, places_of_use=PlaceOfUse.ON_REQUEST),
    Idea("zeitspende", OFFER, Terms.TIME_DONATION, "Bewerbungstraining für Schulklassen",
         "Unsere Personalabteilung übt mit Klassen Vorstellungsgespräche, in der Schule "
         "oder bei uns in {place}.",
         quantity=(2, 4, HOURS), audience=Audience.EDUCATION,
         places_of_use=PlaceOfUse.CUSTOMER | PlaceOfUse.PROVIDER),
    Idea("zeitspende", REQUEST, Terms.TIME_DONATION, "Suchen Helfer für Bootshaus-Ausbau",
         "An drei Samstagen bauen wir unser Bootshaus aus. Wer kann mit Trockenbau oder "
         "Elektrik helfen?",
         by=CIVIL, quantity=(3, 6, PERSON), places_of_use=PlaceOfUse.CUSTOMER),
    Idea("zeitspende", OFFER, Terms.TIME_DONATION, "Solarberatung für Vereinsheime",
         "Wir prüfen kostenlos, ob sich eine Solaranlage auf Ihrem Vereinsheim lohnt.",
         quantity=(1, 3, HOURS), audience=NONPROFITS_ONLY, places_of_use=PlaceOfUse.CUSTOMER),
]
# fmt: on


def fill_attributes(rng, attributes, definitions, direction=OFFER):
    """The idea's attributes, plus for offers a value for each choice (one or two where
    several may be chosen) and yes/no attribute and the age; measures (weight, area,
    seats …) only where the idea names them, as random ones would make a welding set weigh
    a tonne."""
    values = dict(attributes)
    if direction != OFFER:
        return values
    for definition in definitions:
        if definition.key in values:
            continue
        if definition.kind == AttributeKind.CHOICE:
            values[definition.key] = rng.choice(definition.choice_list)
        elif definition.kind == AttributeKind.MULTIPLE:
            picked = set(rng.sample(definition.choice_list, rng.choice((1, 1, 2))))
            values[definition.key] = [c for c in definition.choice_list if c in picked]
        elif definition.kind == AttributeKind.BOOLEAN:
            values[definition.key] = rng.random() < 0.4
        elif definition.key == "age":
            values["age"] = rng.randint(1, 15)
    return values


def _number(rng, low, high, step):
    return rng.randrange(low, high + 1, step)


def _fill(value, numbers):
    if isinstance(value, str) and value.startswith("{"):
        return numbers[value.strip("{}")]
    return value


def _price(rng, low, high) -> Decimal:
    """Prices as people write them: whole fives from 20 euros up, else steps of 5 cents."""
    if low >= 20:
        return Decimal(rng.randrange(int(low), int(high) + 1, 5))
    return (Decimal(round(rng.uniform(low, high) * 20)) / 20).quantize(Decimal("0.01"))


def listing_fields(rng, idea, place_name, definitions) -> dict:
    """Title, text, attributes, quantity and price of one listing made from `idea`."""
    numbers = {name: _number(rng, *spec) for name, spec in idea.numbers.items()}
    words = {"place": place_name, **numbers}
    attributes = {key: _fill(value, numbers) for key, value in idea.attributes.items()}
    low, high, unit = (_fill(value, numbers) for value in idea.quantity)
    fields = {
        "direction": idea.direction,
        "terms": idea.terms,
        "title": idea.title.format(**words)[:120],
        "description": idea.text.format(**words),
        "attributes": fill_attributes(rng, attributes, definitions, idea.direction),
        "quantity": rng.randint(low, high),
        "quantity_unit": unit,
        "audience": idea.audience,
        "places_of_use": idea.places_of_use,
    }
    if idea.price:
        low, high, unit = idea.price
        price = _price(rng, low, high)
        fields.update(price=price, price_unit=unit)
        if rng.random() < 0.3:
            fields["reduced_price"] = (price * Decimal("0.6")).quantize(Decimal("0.01"))
    return fields


# Photos -----------------------------------------------------------------------------------

# Group slug → (colour, colour's German name), dark enough to carry white text.
PHOTO_COLOURS = {
    "maschinen-ausstattung": ("#1f5f8b", "Blau"),
    "fahrzeuge-transport": ("#8a3b12", "Rostrot"),
    "raeume-flaechen": ("#3b6b2d", "Grün"),
    "personal-know-how": ("#6b2d77", "Violett"),
    "kooperation-investition": ("#0b5e7e", "Petrol"),
    "spenden-verschenken": ("#7a1f5c", "Beere"),
}
PHOTO_SIZE = (1200, 900)


# A font with umlauts where the system has one (Debian's DejaVu); Pillow's own font has none.
SYSTEM_FONT = "DejaVuSans.ttf"
UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def label_font(size: int):
    try:
        return ImageFont.truetype(SYSTEM_FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def printable(text: str, font) -> str:
    """The label as the font can draw it: umlauts spelt out where it lacks them."""
    name = font.getname()[0] if hasattr(font, "getname") else ""
    return text if name == "DejaVu Sans" else text.translate(UMLAUTS)


def draw_photo(label: str, colour: str, variant: int) -> bytes:
    """A 1200×900 JPEG: a colour field with simple shapes and a label."""
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, colour)
    draw = ImageDraw.Draw(image, "RGBA")  # blends the translucent shapes
    shade = ["#ffffff", "#f2d16b", "#9fd3c7"][variant % 3]
    draw.rectangle((0, height * 2 // 3, width, height), fill="#00000033")
    draw.rounded_rectangle(
        (120 + 80 * variant, 420, 620 + 60 * variant, 760), radius=30, fill=shade
    )
    draw.ellipse((760 - 90 * variant, 140, 1060 - 90 * variant, 440), outline=shade, width=18)
    draw.polygon([(150, 400), (330 + 50 * variant, 170), (520, 400)], fill="#ffffff55")
    font = label_font(84)
    draw.text((width / 2, 90), printable(label, font), fill="white", font=font, anchor="mm")
    small = ImageFont.load_default(size=40)
    draw.text((width - 40, height - 40), "Beispielbild", fill="white", font=small, anchor="rs")
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


# Each picture is drawn and sized once per process and its bytes reused: Pillow takes about
# 0.15 s per photo, which would make the demo slow to load for no gain.
_rendered: dict[tuple[str, int], dict[str, bytes]] = {}


def add_photo(listing, category, position: int) -> ListingPhoto:
    """The first photo shows the category's name, further ones its group's."""
    shown = category if position == 0 else category.parent
    colour, colour_name = PHOTO_COLOURS.get(category.parent.slug, ("#444444", "Grau"))
    key = (shown.slug, position)
    name = f"{shown.slug}-{position + 1}"
    photo = ListingPhoto(
        listing=listing,
        alt_text=f"Beispielbild: Formen auf {colour_name} mit der Aufschrift „{shown.name}“",
        position=position,
    )
    rendered = _rendered.get(key)
    if rendered is None:
        picture = draw_photo(shown.name, colour, position)
        photo.image.save(f"{name}.jpg", ContentFile(picture), save=False)
        _save_with_size(photo)
        photos.make_sizes(photo)
        _rendered[key] = {}
        for part in ("image", "card", "large"):
            with getattr(photo, part).open("rb") as file:
                _rendered[key][part] = file.read()
        return photo
    photo.image.save(f"{name}.jpg", ContentFile(rendered["image"]), save=False)
    photo.card.save(f"{name}-card.webp", ContentFile(rendered["card"]), save=False)
    photo.large.save(f"{name}-large.webp", ContentFile(rendered["large"]), save=False)
    _save_with_size(photo)
    return photo


def _save_with_size(photo):
    # Django reads the size from a just-saved ContentFile as None; we know it anyway.
    photo.width, photo.height = PHOTO_SIZE
    photo.save()


# Loading ----------------------------------------------------------------------------------


def _organisations_by_kind(region):
    """The region's organisations that may post (not the rejected ones), by kind."""
    organisations = list(
        Organisation.objects.in_region(region)
        .exclude(verification=Verification.REJECTED)
        .order_by("pk")
    )
    owners = dict(
        Membership.objects.filter(organisation__in=organisations, role=Role.OWNER).values_list(
            "organisation_id", "user_id"
        )
    )
    by_kind = {
        kind: [o for o in organisations if o.type in types] or organisations
        for kind, types in PROVIDERS.items()
    }
    by_kind[ANYONE] = organisations
    return by_kind, owners


def _statuses(rng, count):
    statuses = [status for status, n in OTHER_STATUSES.items() for _ in range(n)]
    statuses += [Status.PUBLISHED] * (count - len(statuses))
    rng.shuffle(statuses)
    return statuses


def _dates(rng, listing, status, now):
    """Publication dates that fit the status: published ones spread over the period."""
    if status in (Status.DRAFT, Status.PENDING):
        return
    if status == Status.EXPIRED:
        days_ago = rng.uniform(91, 130)
    elif status == Status.PUBLISHED:
        days_ago = rng.uniform(0, PUBLISHED_WITHIN_DAYS)
    else:
        days_ago = rng.uniform(10, 70)
    listing.published_at = now - timedelta(days=days_ago)
    listing.expires_at = listing.published_at + timedelta(days=90)
    listing.view_count = int(rng.paretovariate(1.5) * 10) if status != Status.DRAFT else 0


def _pick_ideas(rng, count):
    """`count` ideas, about a third of them requests, going round each direction's ideas
    (shuffled) so that every idea, and so every category, is used."""
    pools = {
        direction: [idea for idea in IDEAS if idea.direction == direction]
        for direction in (OFFER, REQUEST)
    }
    for pool in pools.values():
        rng.shuffle(pool)
    taken = {OFFER: 0, REQUEST: 0}
    ideas = []
    for _ in range(count):
        direction = REQUEST if rng.random() < REQUEST_SHARE else OFFER
        pool = pools[direction]
        ideas.append(pool[taken[direction] % len(pool)])
        taken[direction] += 1
    return ideas


@transaction.atomic
def load(region, count=LISTINGS_PER_REGION, seed=SEED) -> int:
    """Adds `count` demo listings to `region` unless it has listings; returns how many."""
    if Listing.objects.in_region(region).exists():
        return 0
    rng = random.Random(f"{seed}-{region.slug}")  # noqa: S311  (demo data, not secrets)
    now = timezone.now()
    categories = {c.slug: c for c in Category.objects.leaves().select_related("parent")}
    definitions = {slug: list(attribute_definitions(c)) for slug, c in categories.items()}
    places = list(Place.objects.in_region(region).order_by("postal_code", "name"))
    organisations, owners = _organisations_by_kind(region)
    if not organisations[ANYONE]:
        return 0

    listings = []
    titles, texts = set(), set()
    for idea, status in zip(_pick_ideas(rng, count), _statuses(rng, count), strict=True):
        organisation = rng.choice(organisations[idea.by])
        at_home = idea.direction == REQUEST or rng.random() < 0.3
        place = organisation.place if at_home else rng.choice(places)
        fields = listing_fields(rng, idea, place.name, definitions[idea.category])
        listing = Listing(
            region=region,
            organisation=organisation,
            author_id=owners.get(organisation.pk),
            category=categories[idea.category],
            place=place,
            status=status,
            **make_distinct(fields, idea, place.name, titles, texts),
        )
        if idea.direction == OFFER and rng.random() < 0.25:
            listing.available_from = now.date() + timedelta(days=rng.randint(0, 20))
            listing.available_until = listing.available_from + timedelta(days=rng.randint(14, 120))
        apply_terms(listing)
        _dates(rng, listing, status, now)
        listings.append(listing)
    Listing.objects.bulk_create(listings)
    _backdate(listings)
    _log_events(listings)

    for listing in listings:
        if listing.direction == OFFER and rng.random() < 0.5:
            for position in range(rng.choice([1, 1, 2, 3])):
                add_photo(listing, listing.category, position)
    indexing.reindex([listing.pk for listing in listings])
    return len(listings)


def _backdate(listings):
    """Created and changed when they were published, not when the demo was loaded."""
    Listing.objects.filter(pk__in=[listing.pk for listing in listings]).exclude(
        published_at=None
    ).update(created_at=F("published_at"), updated_at=F("published_at"))


STATUS_EVENTS = {
    Status.PENDING: [EventAction.SUBMITTED],
    Status.PUBLISHED: [EventAction.PUBLISHED],
    Status.PAUSED: [EventAction.PUBLISHED, EventAction.PAUSED],
    Status.EXPIRED: [EventAction.PUBLISHED, EventAction.EXPIRED],
    Status.CLOSED: [EventAction.PUBLISHED, EventAction.CLOSED],
}


def _log_events(listings):
    """Each listing's history as the services would have written it."""
    events = []
    for listing in listings:
        actor = listing.author_id
        events.append(ListingEvent(listing=listing, action=EventAction.CREATED, actor_id=actor))
        for action in STATUS_EVENTS.get(listing.status, []):
            actor = None if action == EventAction.EXPIRED else listing.author_id
            events.append(ListingEvent(listing=listing, action=action, actor_id=actor))
    ListingEvent.objects.bulk_create(events)
    published = Listing.objects.filter(pk=OuterRef("listing_id")).values("published_at")
    ListingEvent.objects.filter(
        listing__in=[listing for listing in listings if listing.published_at]
    ).update(created_at=Subquery(published))

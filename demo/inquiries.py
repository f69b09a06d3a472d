"""Demo conversations for `manage.py load_demo`: about a dozen inquiries per demo region.

Written between the demo organisations on their published listings, in every status
(open; accepted with and without a handover date; declined with a reason; withdrawn;
released after a no-show; completed with both answers and a public thank-you note, and
completed awaiting answers), in both directions: offers claimed by quantity (give-aways,
donations), offers booked for a period (rent, loans, time donations) and requests
answered with "Ich kann helfen". The demo member (mitglied@example.org) has received and
sent conversations in both of their organisations in Potsdam-Mittelmark.

Every step goes through inquiries.services, so reservations, unread counters and thread
entries are what the site would have written. Afterwards the conversation is moved back
in time: entries, inquiries and outcomes get dates of the last weeks (by queryset
update), and handover dates and periods that lie in the past, which the services refuse
to set, are set to an allowed day first and then moved back (see `_backdated`). Unread
counters are kept as each side would have them: a side reads the thread before it acts,
and reads the last entries too unless a conversation lists it in `unread`.

No mail goes out for any of it (`notifications.suppressed`): it is history, and the
people on the other side are the demo's invented owners.

Loading adds nothing to a region that already has inquiries. Listings are found by the
owner's name and the start of the title; should the demo listings change, another
published listing of the owner that fits (same kind, open to the inquirer) is taken, and
a conversation with no fitting listing at all is left out (and logged).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from inquiries import notifications, rules, services
from inquiries.models import Inquiry, Message, MessageKind, Outcome, Side
from listings.models import Direction, Listing
from listings.models import Status as ListingStatus
from organisations.models import Membership, Organisation, Role

logger = logging.getLogger(__name__)

OWNER, INQUIRER = Side.OWNER, Side.INQUIRER
DEMO_MEMBER = "mitglied@example.org"

# What a conversation asks for, as the listing decides it.
QUANTITY, PERIOD, HELP = "quantity", "period", "help"


@dataclass(frozen=True)
class Step:
    """One step of a conversation, `ago` days before loading. Texts may name {place}
    (the listing's), {quantity}, {start} and {end} (the period) and {handover}."""

    ago: float
    action: str
    side: str
    text: str = ""
    day: int | None = None  # handover: days from today, negative in the past
    public: bool = False


def ask(ago, text):
    return Step(ago, "ask", INQUIRER, text)


def say(ago, side, text):
    return Step(ago, "say", side, text)


def accept(ago, handover=None):
    return Step(ago, "accept", OWNER, day=handover)


def decline(ago, reason):
    return Step(ago, "decline", OWNER, reason)


def withdraw(ago, reason):
    return Step(ago, "withdraw", INQUIRER, reason)


def handover(ago, day):
    return Step(ago, "handover", OWNER, day=day)


def release(ago):
    return Step(ago, "release", OWNER)


def complete(ago):
    return Step(ago, "complete", OWNER)


def answer(ago, side, *, thank_you="", public=False):
    """ "Did it work out?" – yes; the receiving side may thank, the giving side may allow
    the note to be shown publicly."""
    return Step(ago, "answer", side, thank_you, public=public)


@dataclass(frozen=True)
class Conversation:
    owner: str  # the listing's organisation
    title: str  # how the listing's title starts
    inquirer: str
    steps: tuple
    quantity: int | None = None  # a claim of this much
    period: tuple[int, int] | None = None  # a booking: (first day from today, days)
    unread: tuple = ()  # the sides that have not read the last entries

    @property
    def kind(self):
        return PERIOD if self.period else QUANTITY if self.quantity else HELP


LINDQVIST = "Teltower Feinmechanik Lindqvist GmbH"
OBSTKONTOR = "Werderaner Obstkontor GmbH"  # owned by the demo member
HOLZWURM = "Tischlerei Holzwurm Brück"
FLAEMING_SCHOOL = "Fläming-Grundschule Belzig"
BLAU_WEISS = "SV Blau-Weiß Beelitz e. V."  # the demo member is a member
PRAXISKLINIK = "Praxisklinik Lehniner Land GmbH"
MEDIENZENTRUM = "Kreismedienzentrum Hoher Fläming"
VOSS = "Büroservice Voß Kleinmachnow"

BEHRENDT = "Oranienburger Kunststofftechnik Behrendt GmbH"
STAHLSERVICE = "Hennigsdorfer Stahlservice GmbH"
KRAUSE = "Dachdeckerei Krause & Söhne"
KIEFERNHAIN = "Grundschule am Kiefernhain"
NORDBAHN = "Berufsschulzentrum Nordbahn"
HAVELWELLE = "Ruderclub Havelwelle Zehdenick e. V."
GRANSEE = "Gesundheitshaus Gransee MVZ GmbH"
STECHLIN = "Stechlin Robotics GmbH"
STADTTEILZENTRUM = "Stadtteilzentrum Hohen Neuendorf Nord"
KREMMEN = "Kremmener Landtechnik Service GmbH"
FUERSTENBERG = "Ferienhöfe Fürstenberg GmbH"

DEMO_CONVERSATIONS = {
    "pm": [
        # Open: a club asks for three laptops; not answered yet.
        Conversation(
            PRAXISKLINIK,
            "Laptops für Vereine",
            BLAU_WEISS,
            quantity=3,
            unread=(OWNER,),
            steps=(
                ask(
                    2.3,
                    "Guten Tag,\n\nder SV Blau-Weiß Beelitz würde gern drei der Laptops "
                    "übernehmen. Wir würden sie in der Geschäftsstelle für die "
                    "Mitgliederverwaltung und im Jugendbereich für die Trainingsplanung "
                    "einsetzen.\n\nAbholen können wir sie jederzeit in {place}, gern auch "
                    "abends. Vielen Dank für das Angebot!\n\nMit freundlichen Grüßen\n"
                    "Jana Krüger, Geschäftsstelle",
                ),
            ),
        ),
        # Open: help offered on the demo member's request; new for them.
        Conversation(
            OBSTKONTOR,
            "Suchen Kühltransport",
            LINDQVIST,
            unread=(OWNER,),
            steps=(
                ask(
                    1.2,
                    "Guten Tag,\n\nunser Kühltransporter (3,5 t, Kühlaufbau bis 2 °C) ist oft nur "
                    "halb ausgelastet. Ihre zwei Paletten könnten wir auf unserer Dienstagstour "
                    "zum Großmarkt mitnehmen.\n\nWann und wo sollen die Paletten abgeholt werden?"
                    "\n\nFreundliche Grüße\nMarkus Lindqvist",
                ),
                say(
                    0.4,
                    INQUIRER,
                    "Nachtrag: Die Kühlkette dokumentieren wir mit einem Datenlogger, das "
                    "Protokoll bekommen Sie nach der Fahrt.",
                ),
            ),
        ),
        # Accepted with a handover date given when accepting.
        Conversation(
            LINDQVIST,
            "14 Schreibtische und Bürostühle",
            FLAEMING_SCHOOL,
            quantity=6,
            unread=(INQUIRER,),
            steps=(
                ask(
                    9.5,
                    "Sehr geehrte Damen und Herren,\n\nunsere Grundschule richtet gerade "
                    "ein Lehrerarbeitszimmer neu ein. Wir würden gern {quantity} "
                    "Schreibtische mit Stühlen übernehmen.\n\nKönnten Sie uns sagen, wie "
                    "groß die Tische sind? Dann planen wir den Transport mit unserem "
                    "Hausmeister.\n\nMit freundlichen Grüßen\nSabine Hoffmann, Schulleitung",
                ),
                say(
                    8.8,
                    OWNER,
                    "Guten Tag Frau Hoffmann,\n\ndie Tische sind 160 × 80 cm, die Platten "
                    "lassen sich abschrauben. Sechs Stück mit Stühlen passen gut in einen "
                    "Transporter.\n\nViele Grüße\nMarkus Lindqvist",
                ),
                say(
                    8.1,
                    INQUIRER,
                    "Vielen Dank! Der Förderverein leiht uns einen Transporter. Passt "
                    "Ihnen ein Vormittag Mitte Dezember?",
                ),
                accept(7.9, handover=15),
                say(
                    7.8,
                    OWNER,
                    "Gern, wir haben den {handover} eingetragen: ab 9 Uhr an unserer Rampe "
                    "in {place}. Bitte melden Sie sich kurz am Empfang.",
                ),
            ),
        ),
        # Accepted without a handover date: a booking of the demo member's projector.
        Conversation(
            OBSTKONTOR,
            "Beamer und Leinwand",
            MEDIENZENTRUM,
            period=(14, 2),
            unread=(OWNER,),
            steps=(
                ask(
                    6.2,
                    "Guten Tag,\n\nfür unsere Fortbildung „Medienbildung in der "
                    "Grundschule“ brauchen wir vom {start} bis {end} einen zweiten Beamer "
                    "mit Leinwand für einen Parallelraum. Wäre das möglich?\n\nMit "
                    "freundlichen Grüßen\nThomas Berger\nKreismedienzentrum Hoher Fläming",
                ),
                say(
                    5.9,
                    OWNER,
                    "Guten Tag Herr Berger,\n\ndas passt. Der Beamer hat 4.000 Lumen und "
                    "HDMI, ein Adapter für USB-C liegt in der Tasche. Die Leinwand ist 2 m "
                    "breit, ein Stativ ist dabei.\n\nFreundliche Grüße\nIhr Werderaner "
                    "Obstkontor",
                ),
                accept(5.8),
                say(
                    5.8,
                    OWNER,
                    "Ich habe Ihre Anfrage angenommen. Die Übergabe stimmen wir kurz vorher "
                    "ab – wir sind werktags von 7 bis 16 Uhr im Kontor.",
                ),
                say(
                    5.1,
                    INQUIRER,
                    "Herzlichen Dank! Ich melde mich Anfang der Woche wegen der Abholzeit.",
                ),
            ),
        ),
        # Accepted, handover date set afterwards: help on the club's request.
        Conversation(
            BLAU_WEISS,
            "Suchen Fliesenschneider",
            HOLZWURM,
            steps=(
                ask(
                    12,
                    "Guten Tag,\n\nwir haben einen Fliesenschneider (Schnittlänge 90 cm) "
                    "und einen Nassschneider in der Werkstatt, die wir in den nächsten "
                    "Wochen nicht brauchen. Für Ihren Verein leihen wir beide gern "
                    "kostenlos aus.\n\nMit freundlichen Grüßen\nJörg Wendt\nTischlerei "
                    "Holzwurm Brück",
                ),
                say(
                    11.5,
                    OWNER,
                    "Das ist großartig, vielen Dank! Wir fliesen den Duschraum im "
                    "Vereinsheim neu, voraussichtlich ab Mitte Dezember. Könnten wir die "
                    "Geräte für zwei Wochen bekommen?",
                ),
                say(
                    10.8,
                    INQUIRER,
                    "Zwei Wochen sind kein Problem. Bitte bringen Sie einen Kombi oder "
                    "Anhänger mit, der Nassschneider wiegt gut 40 kg.",
                ),
                accept(10.5),
                handover(10.4, day=3),
                say(
                    10.3,
                    OWNER,
                    "Wir holen die Geräte am {handover} gegen 17 Uhr bei Ihnen ab, ein "
                    "Anhänger ist organisiert.",
                ),
            ),
        ),
        # Declined with a reason: the demo member's company asked for pallet spaces.
        Conversation(
            LINDQVIST,
            "Palettenstellplätze im beheizten Lager",
            OBSTKONTOR,
            period=(20, 30),
            steps=(
                ask(
                    15,
                    "Guten Tag,\n\nfür unseren Apfelsaft in Flaschen suchen wir frostfreie "
                    "Stellplätze für acht Paletten, vom {start} bis {end}. Unsere eigenen "
                    "Kühlräume sind mit Lagerware ausgelastet.\n\nWie läuft bei Ihnen die "
                    "Ein- und Auslagerung? Haben Sie einen Stapler vor Ort?\n\nMit "
                    "freundlichen Grüßen\nIhr Werderaner Obstkontor",
                ),
                decline(
                    13.7,
                    "Leider belegt ein Großauftrag ab Mitte Dezember unser ganzes Lager bis "
                    "Ende Januar. Ab Februar hätten wir wieder Platz – fragen Sie dann gern "
                    "noch einmal an.",
                ),
                say(
                    13.2,
                    INQUIRER,
                    "Schade, aber danke für die schnelle Antwort. Wir kommen im Februar auf "
                    "Sie zu.",
                ),
            ),
        ),
        # Withdrawn by the club, which found another hall.
        Conversation(
            MEDIENZENTRUM,
            "Saal für 60 Personen",
            BLAU_WEISS,
            period=(24, 1),
            unread=(INQUIRER,),
            steps=(
                ask(
                    8,
                    "Guten Tag,\n\nder SV Blau-Weiß Beelitz möchte am {start} seine "
                    "Jahreshauptversammlung abhalten; wir erwarten etwa 50 Mitglieder. "
                    "Wäre Ihr Saal an diesem Abend von 18 bis 22 Uhr frei? Einen Beamer "
                    "bringen wir mit.\n\nMit sportlichen Grüßen\nJana Krüger, "
                    "Geschäftsstelle",
                ),
                say(
                    7.2,
                    OWNER,
                    "Guten Tag Frau Krüger,\n\nan dem Abend ist der Saal noch frei. Bitte "
                    "beachten Sie, dass wir um 22 Uhr abschließen und nur kalte Speisen "
                    "möglich sind.\n\nMit freundlichen Grüßen\nThomas Berger",
                ),
                withdraw(
                    6.0,
                    "Vielen Dank für Ihre Mühe! Die Stadt hat uns kurzfristig einen Saal "
                    "direkt am Sportplatz angeboten. Wir ziehen unsere Anfrage deshalb "
                    "zurück.",
                ),
                say(5.6, OWNER, "Kein Problem – viel Erfolg bei der Versammlung!"),
            ),
        ),
        # Released: nobody came to collect the pallets on the handover date.
        Conversation(
            LINDQVIST,
            "Europaletten gebraucht",
            VOSS,
            quantity=10,
            unread=(INQUIRER,),
            steps=(
                ask(
                    19,
                    "Guten Tag,\n\nwir würden gern zehn Europaletten abholen, für die "
                    "Einlagerung von Archivkartons bei einem Kunden. Wir kommen mit einem "
                    "Transporter mit Plane.\n\nMit freundlichen Grüßen\nBüroservice Voß",
                ),
                accept(18.5),
                handover(18.5, day=-10),
                say(
                    18.4,
                    OWNER,
                    "Gern. Sie können die Paletten am {handover} zwischen 8 und 14 Uhr in "
                    "{place} abholen, sie stehen gestapelt neben dem Container an Tor 2.",
                ),
                say(18.0, INQUIRER, "Vielen Dank, wir kommen am Vormittag."),
                say(
                    9.2,
                    OWNER,
                    "Guten Tag, wir hatten Sie am {handover} erwartet, die Paletten stehen "
                    "noch bei uns. Möchten Sie sie noch abholen? Bitte geben Sie uns kurz "
                    "Bescheid.",
                ),
                say(
                    7.5,
                    OWNER,
                    "Da wir nichts von Ihnen gehört haben, geben wir die Paletten wieder "
                    "frei. Wenn Sie noch Bedarf haben, fragen Sie gern erneut an.",
                ),
                release(7.5),
            ),
        ),
        # Completed, both answered; the school's thank-you may be shown publicly.
        Conversation(
            PRAXISKLINIK,
            "Schulmöbel",
            FLAEMING_SCHOOL,
            quantity=12,
            steps=(
                ask(
                    16,
                    "Sehr geehrte Damen und Herren,\n\nin unserer Klasse 3b sind viele "
                    "Tische wackelig und zu niedrig. Über zwölf Tische würden wir uns sehr "
                    "freuen, Stühle haben wir.\n\nMit freundlichen Grüßen\nSabine Hoffmann, "
                    "Schulleitung",
                ),
                say(
                    15.2,
                    OWNER,
                    "Sehr geehrte Frau Hoffmann,\n\ngern! Die Tische sind höhenverstellbar "
                    "(Größen 5 bis 7) und gereinigt. Können Sie sie in {place} abholen?\n\n"
                    "Mit freundlichen Grüßen\nPraxisklinik Lehniner Land",
                ),
                accept(15.0),
                handover(14.9, day=-11),
                say(
                    14.8,
                    INQUIRER,
                    "Wunderbar, wir kommen am {handover} um 14 Uhr mit unserem Hausmeister "
                    "und zwei Vätern.",
                ),
                complete(10.8),
                answer(
                    9.0,
                    INQUIRER,
                    thank_you="Ganz herzlichen Dank an die Praxisklinik Lehniner Land! Die "
                    "zwölf Tische stehen schon in der 3b, und die Kinder sitzen endlich in "
                    "der richtigen Höhe.",
                ),
                answer(8.2, OWNER, public=True),
            ),
        ),
        # Completed, both answered: a week's rent of the demo member's compressor.
        Conversation(
            OBSTKONTOR,
            "Baukompressor",
            HOLZWURM,
            period=(-21, 7),
            steps=(
                ask(
                    27,
                    "Guten Tag,\n\nwir bauen vom {start} bis {end} eine Holzterrasse und "
                    "bräuchten dafür Ihren Kompressor für die Druckluftnagler. Passt das?"
                    "\n\nFreundliche Grüße\nJörg Wendt\nTischlerei Holzwurm Brück",
                ),
                accept(26.5),
                handover(26.5, day=-21),
                say(
                    26.4,
                    OWNER,
                    "Das passt. Bitte denken Sie an einen Anhänger mit Kugelkopfkupplung, "
                    "der Kompressor wiegt 750 kg. Zwei Schläuche à 20 m geben wir mit.",
                ),
                complete(21.3),
                answer(
                    13.5,
                    INQUIRER,
                    thank_you="Der Kompressor lief die ganze Woche ohne Murren – danke für "
                    "die unkomplizierte Ausleihe und die gute Einweisung!",
                ),
                answer(12.0, OWNER, public=True),
            ),
        ),
        # Completed, the helper answered; the club (the demo member) has yet to.
        Conversation(
            BLAU_WEISS,
            "Suchen Helfer für Bootshaus",
            HOLZWURM,
            unread=(OWNER,),
            steps=(
                ask(
                    4.5,
                    "Guten Tag,\n\nzwei unserer Gesellen könnten einen Tag lang beim Ausbau "
                    "Ihres Bootshauses helfen – Trockenbau und Innentüren sind unser "
                    "täglich Brot. Werkzeug bringen wir mit.\n\nFreundliche Grüße\nJörg "
                    "Wendt",
                ),
                say(
                    4.2,
                    OWNER,
                    "Das ist ein tolles Angebot, vielen Dank! Wir sind ab 8 Uhr vor Ort, "
                    "fünf Mitglieder packen mit an. Mittags wird gegrillt.",
                ),
                accept(4.1),
                handover(4.1, day=-3),
                say(
                    2.9,
                    OWNER,
                    "Was für ein Tag! Die Wände stehen und die Türen sind drin. Vielen Dank "
                    "an Ihre beiden Gesellen.",
                ),
                complete(2.8),
                answer(1.5, INQUIRER),
            ),
        ),
        # Completed, nobody answered yet: the demo member's company took a printer.
        Conversation(
            HOLZWURM,
            "Netzwerkdrucker",
            OBSTKONTOR,
            quantity=1,
            unread=(INQUIRER,),
            steps=(
                ask(
                    6.5,
                    "Guten Tag,\n\nwir würden den Netzwerkdrucker gern für unser "
                    "Versandbüro übernehmen. Druckt er auch Etiketten oder nur A4?\n\n"
                    "Freundliche Grüße\nIhr Werderaner Obstkontor",
                ),
                say(
                    6.1,
                    OWNER,
                    "Guten Tag, er druckt A4 und A5 in Schwarzweiß, Etiketten über den "
                    "Einzelblatteinzug. Der Toner ist noch zu etwa zwei Dritteln voll.",
                ),
                accept(6.0, handover=-2),
                say(5.9, OWNER, "Sie können ihn am {handover} ab 10 Uhr in {place} abholen."),
                complete(1.9),
            ),
        ),
    ],
    "ohv": [
        # Open: the rowing club asks for two laptops.
        Conversation(
            STAHLSERVICE,
            "Laptops für Vereine",
            HAVELWELLE,
            quantity=2,
            unread=(OWNER,),
            steps=(
                ask(
                    1.8,
                    "Guten Tag,\n\nder Ruderclub Havelwelle würde sich über zwei Laptops "
                    "freuen: einen für die Trainingsauswertung unserer Jugend und einen für "
                    "die Kasse. Wir können sie an jedem Werktag ab 16 Uhr in {place} "
                    "abholen.\n\nMit freundlichen Grüßen\nKarin Schulze, Vorstand",
                ),
            ),
        ),
        # Open: help offered on the club's request, with a question back.
        Conversation(
            HAVELWELLE,
            "Suchen Kleinbus",
            BEHRENDT,
            unread=(INQUIRER,),
            steps=(
                ask(
                    3.5,
                    "Guten Tag,\n\nunser Kleinbus (9 Sitze, Anhängerkupplung) steht am "
                    "Wochenende meist auf dem Hof. Für Ihre Fahrten zu Wettkämpfen "
                    "überlassen wir ihn Vereinen gegen Kraftstoff und eine "
                    "Reinigungspauschale von 20 €.\n\nMit freundlichen Grüßen\n"
                    "Oranienburger Kunststofftechnik Behrendt",
                ),
                say(
                    2.7,
                    OWNER,
                    "Guten Tag, das klingt sehr gut! Dürfen wir den Bus auch mit unserem "
                    "Bootsanhänger fahren (zulässige Gesamtmasse 1.300 kg)? Und welche "
                    "Führerscheinklasse braucht man dafür?",
                ),
            ),
        ),
        # Accepted with a handover date set afterwards.
        Conversation(
            STECHLIN,
            "Europaletten gebraucht",
            KREMMEN,
            quantity=20,
            steps=(
                ask(
                    5,
                    "Guten Tag,\n\nwir bräuchten 20 Europaletten für die Einlagerung von "
                    "Ersatzteilen. Sind die Paletten tauschfähig?\n\nMit freundlichen "
                    "Grüßen\nKremmener Landtechnik Service",
                ),
                say(
                    4.6,
                    OWNER,
                    "Guten Tag, etwa die Hälfte ist tauschfähig, der Rest hat kleine "
                    "Schäden, hält aber gut. 20 Stück reservieren wir gern für Sie.",
                ),
                accept(4.5),
                handover(4.5, day=2),
                say(4.4, OWNER, "Passt Ihnen die Abholung am {handover} zwischen 7 und 15 Uhr?"),
                say(3.9, INQUIRER, "Das passt, wir kommen mit dem Pritschenwagen."),
            ),
        ),
        # Accepted without a handover date: a forklift booked for two days.
        Conversation(
            STAHLSERVICE,
            "Gabelstapler",
            KRAUSE,
            period=(9, 2),
            unread=(INQUIRER,),
            steps=(
                ask(
                    6.5,
                    "Guten Tag,\n\nvom {start} bis {end} bekommen wir Dachziegel auf "
                    "Paletten geliefert und brauchen dafür einen Stapler. Können wir Ihren "
                    "Linde tageweise mieten? Einer unserer Mitarbeiter hat einen "
                    "Staplerschein.\n\nMit freundlichen Grüßen\nDachdeckerei Krause & Söhne",
                ),
                accept(5.8),
                say(
                    5.7,
                    OWNER,
                    "Die Buchung steht. Den Übergabetermin legen wir fest, sobald Ihre "
                    "Lieferzeit bekannt ist. Bitte bringen Sie den Staplerschein mit.",
                ),
            ),
        ),
        # Declined with a reason: the store room is needed itself.
        Conversation(
            KRAUSE,
            "Trockenlager",
            STADTTEILZENTRUM,
            period=(30, 60),
            steps=(
                ask(
                    8,
                    "Guten Tag,\n\nunser Stadtteilzentrum sucht vom {start} bis {end} einen "
                    "trockenen Raum für Bühnenpodeste und Festzeltgarnituren, während unser "
                    "Keller saniert wird. Etwa 15 m² würden reichen.\n\nMit freundlichen "
                    "Grüßen\nStadtteilzentrum Hohen Neuendorf Nord",
                ),
                decline(
                    7.0,
                    "Vielen Dank für Ihre Anfrage. Leider brauchen wir das Lager ab Januar "
                    "selbst für Dachmaterial, das wir vor der Saison einlagern. Für kürzere "
                    "Zeiten im Dezember könnten wir aushelfen.",
                ),
            ),
        ),
        # Declined with a reason: help on a request that is no longer needed.
        Conversation(
            FUERSTENBERG,
            "Suchen Aushilfe für Inventur",
            GRANSEE,
            steps=(
                ask(
                    9,
                    "Guten Tag,\n\nzwei Mitarbeiterinnen unserer Verwaltung hätten im "
                    "Januar an zwei Tagen Zeit und bringen Erfahrung mit Inventuren mit. "
                    "Wir stellen sie Ihnen gern zur Verfügung.\n\nMit freundlichen Grüßen\n"
                    "Gesundheitshaus Gransee",
                ),
                decline(
                    8.0,
                    "Herzlichen Dank für Ihr freundliches Angebot! Inzwischen haben wir mit "
                    "unseren Saisonkräften genug Hände für die Inventur. Gern kommen wir "
                    "im nächsten Jahr darauf zurück.",
                ),
            ),
        ),
        # Withdrawn after it was accepted: the reservation is given back.
        Conversation(
            FUERSTENBERG,
            "Restposten Holzplatten",
            KIEFERNHAIN,
            quantity=10,
            steps=(
                ask(
                    12,
                    "Guten Tag,\n\nfür unsere Werk-AG würden wir gern {quantity} kg "
                    "Holzplatten abholen, am liebsten Sperrholz bis 10 mm, das die Kinder "
                    "mit der Laubsäge bearbeiten können.\n\nViele Grüße\nAndrea Neumann\n"
                    "Grundschule am Kiefernhain",
                ),
                accept(11.2),
                handover(11.2, day=4),
                withdraw(
                    5.0,
                    "Es tut uns leid: Unser Werkraum ist nach einem Wasserschaden bis "
                    "Februar gesperrt, und wir haben keinen Platz für das Material. Geben "
                    "Sie die Platten gern anderen Interessierten.",
                ),
                say(
                    4.5,
                    OWNER,
                    "Schade, aber verständlich. Melden Sie sich gern wieder, wenn der "
                    "Werkraum fertig ist – Reste fallen bei uns laufend an.",
                ),
            ),
        ),
        # Released: the furniture was not collected.
        Conversation(
            KREMMEN,
            "20 Schreibtische und Bürostühle",
            STADTTEILZENTRUM,
            quantity=4,
            unread=(INQUIRER,),
            steps=(
                ask(
                    20,
                    "Guten Tag,\n\nfür unser neues Beratungsbüro würden wir gern vier "
                    "Schreibtische und vier Stühle übernehmen. Zwei Ehrenamtliche mit "
                    "Transporter könnten sie abholen.\n\nMit freundlichen Grüßen\n"
                    "Stadtteilzentrum Hohen Neuendorf Nord",
                ),
                accept(19.5),
                handover(19.5, day=-12),
                say(
                    19.4,
                    OWNER,
                    "Gern. Die Möbel stehen am {handover} ab 9 Uhr in {place} für Sie "
                    "bereit, Halle 3.",
                ),
                say(18.9, INQUIRER, "Vielen Dank, wir kommen am Vormittag."),
                say(
                    11.2,
                    OWNER,
                    "Guten Tag, wir haben am {handover} vergeblich auf Sie gewartet. Ist "
                    "etwas dazwischengekommen?",
                ),
                say(
                    9.0,
                    OWNER,
                    "Da wir keine Rückmeldung bekommen haben, heben wir die Reservierung "
                    "auf. Die Möbel stehen wieder anderen offen.",
                ),
                release(9.0),
            ),
        ),
        # Completed, both answered; the note may be shown (the giver allowed it first).
        Conversation(
            STAHLSERVICE,
            "Schulmöbel",
            KIEFERNHAIN,
            quantity=10,
            steps=(
                ask(
                    25,
                    "Sehr geehrte Damen und Herren,\n\nwir würden uns über zehn Tische für "
                    "unseren neuen Hortraum sehr freuen. Abholen können wir sie mit dem "
                    "Bus des Fördervereins.\n\nMit freundlichen Grüßen\nAndrea Neumann\n"
                    "Grundschule am Kiefernhain",
                ),
                accept(24.0),
                handover(24.0, day=-18),
                say(
                    23.8,
                    OWNER,
                    "Sehr gern! Die zehn Tische stehen am {handover} ab 13 Uhr in {place} "
                    "für Sie bereit.",
                ),
                complete(17.8),
                answer(
                    17.0,
                    INQUIRER,
                    thank_you="Danke an den Hennigsdorfer Stahlservice: Im Hort wird jetzt "
                    "an zehn stabilen Tischen gebastelt, gespielt und Hausaufgaben gemacht!",
                ),
                answer(15.0, OWNER, public=True),
            ),
        ),
        # Completed, both answered: help at a careers day.
        Conversation(
            NORDBAHN,
            "Suchen Betriebe für Berufsorientierungstag",
            STECHLIN,
            steps=(
                ask(
                    30,
                    "Guten Tag,\n\nStechlin Robotics würde sich gern mit einem Stand an "
                    "Ihrem Berufsorientierungstag beteiligen. Wir bringen einen kleinen "
                    "Roboterarm mit, den die Schülerinnen und Schüler selbst programmieren "
                    "können, und stellen unsere Ausbildung in der Mechatronik vor.\n\nMit "
                    "freundlichen Grüßen\nStechlin Robotics",
                ),
                say(
                    29.0,
                    OWNER,
                    "Sehr gern! Sie bekommen einen Platz in der Werkhalle mit "
                    "Stromanschluss. Aufbau ab 7:30 Uhr, Beginn um 9 Uhr.",
                ),
                accept(29.0),
                handover(29.0, day=-22),
                complete(21.5),
                answer(
                    20.0,
                    OWNER,
                    thank_you="Der Roboterstand war der Renner des Tages – danke an das "
                    "Team von Stechlin Robotics für so viel Geduld mit unseren Schülerinnen "
                    "und Schülern!",
                ),
                answer(19.0, INQUIRER, public=True),
            ),
        ),
        # Completed, the owner answered; the inquirer has yet to.
        Conversation(
            KRAUSE,
            "Rückfahrt leer",
            BEHRENDT,
            period=(-8, 1),
            unread=(INQUIRER,),
            steps=(
                ask(
                    14,
                    "Guten Tag,\n\nwir müssten am {start} vier Paletten Granulat bei "
                    "unserem Lieferanten in Berlin-Spandau abholen lassen. Passt das zu "
                    "Ihrer Rückfahrt?\n\nMit freundlichen Grüßen\nOranienburger "
                    "Kunststofftechnik Behrendt",
                ),
                say(
                    13.4,
                    OWNER,
                    "Ja, das passt: Wir sind am {start} gegen 14 Uhr in Spandau. Bitte "
                    "schicken Sie uns die Abholadresse und einen Ansprechpartner.",
                ),
                say(
                    13.0,
                    INQUIRER,
                    "Danke! Die Adresse und die Lieferscheinnummer schicke ich Ihnen per E-Mail.",
                ),
                accept(12.9),
                complete(7.8),
                answer(7.0, OWNER),
            ),
        ),
    ],
}

# Loading ----------------------------------------------------------------------------------


@transaction.atomic
def load(region) -> int:
    """Adds the demo conversations to `region` unless it has inquiries; returns how many."""
    if Inquiry.objects.in_region(region).exists():
        return 0
    conversations = DEMO_CONVERSATIONS.get(region.slug, [])
    organisations = {o.name: o for o in Organisation.objects.in_region(region)}
    if not conversations or not Listing.objects.in_region(region).exists():
        return 0
    # With no inquiries in the region, nothing of its listings can be reserved: a count
    # left over from inquiries deleted by hand (which does not give it back) is cleared.
    Listing.objects.in_region(region).filter(quantity_reserved__gt=0).update(quantity_reserved=0)
    now, today = timezone.now(), timezone.localdate()
    used = set()
    added = 0
    with notifications.suppressed():
        for conversation in conversations:
            try:
                with transaction.atomic():
                    if _play(conversation, organisations, used, now, today):
                        added += 1
            except services.InquiryError as error:
                logger.warning("Demo conversation left out (%s): %s", conversation.title, error)
    return added


def _kind(listing) -> str:
    if listing.direction == Direction.REQUEST:
        return HELP
    return PERIOD if listing.books_periods else QUANTITY


def _pick_listing(conversation, owner, inquirer, used):
    """The owner's published listing whose title starts as given, else another of the
    same kind that the inquirer may respond to."""
    candidates = [
        listing
        for listing in Listing.objects.filter(organisation=owner, status=ListingStatus.PUBLISHED)
        .select_related("region", "organisation", "place")
        .order_by("pk")
        if listing.pk not in used
        and _kind(listing) == conversation.kind
        and rules.refusal(listing, inquirer) is None
    ]
    for listing in candidates:
        if listing.title.startswith(conversation.title):
            return listing
    return candidates[0] if candidates else None


def _person(organisation):
    """Who acts for the organisation: the demo member where they belong, else its owner."""
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    member = memberships.filter(user__email=DEMO_MEMBER).first()
    acting = member or memberships.filter(role=Role.OWNER).first()
    return acting.user if acting else None


def _period(listing, conversation, today) -> tuple[tuple[date, date], tuple[date, date]]:
    """The period to book as the services allow it, and the one the demo shows (the same,
    unless it lies in the past, as it does for bookings already handed over)."""
    first, days = conversation.period
    start = today + timedelta(days=first)
    if first >= 0 and listing.available_from and start < listing.available_from:
        start = listing.available_from
    end = start + timedelta(days=days - 1)
    if first >= 0 and listing.available_until and end > listing.available_until:
        end = max(listing.available_until, start)
    shown = (start, end)
    if first >= 0:
        return shown, shown
    allowed = max(today, listing.available_from or today)
    return (allowed, allowed + timedelta(days=days - 1)), shown


def _handover_day(listing, offset, today) -> date:
    day = today + timedelta(days=offset)
    if offset >= 0 and listing.available_from and day < listing.available_from:
        day = listing.available_from
    return day


def _timeline(steps, listing, now) -> list[datetime]:
    """When each step was taken: in the order of the steps, in office hours (the day's
    24 hours squeezed into 7 to 19 o'clock), not after loading, and squeezed in after the
    listing's publication should a conversation seem to start before it."""
    times = [_office_hours(now - timedelta(days=step.ago)) for step in steps]
    latest = now - timedelta(minutes=5)
    for index in reversed(range(len(times))):
        times[index] = latest = min(times[index], latest)
    if not listing.published_at:
        return times
    start, end = times[0], times[-1]
    earliest = listing.published_at + timedelta(hours=2)
    if start >= earliest:
        return times
    end = max(end, min(earliest + timedelta(hours=1), now))
    earliest = min(earliest, end)
    factor = (end - earliest) / (times[-1] - start) if times[-1] > start else 0
    return [earliest + (time - start) * factor for time in times]


def _office_hours(time) -> datetime:
    local = timezone.localtime(time)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(hours=7) + (local - midnight) / 2


def _fill(text, listing, *, quantity=None, period=None, handover=None) -> str:
    def day(value):
        return value.strftime("%d.%m.%Y") if value else ""

    start, end = period or (None, None)
    return text.format(
        place=listing.place.name,
        quantity=quantity or "",
        start=day(start),
        end=day(end),
        handover=day(handover),
    )


def _filled(text, inquiry) -> str:
    period = (inquiry.period_start, inquiry.period_end) if inquiry.period_start else None
    return _fill(
        text,
        inquiry.listing,
        quantity=inquiry.quantity,
        period=period,
        handover=inquiry.handover_on,
    )


def _read(inquiry, side):
    # The services count unread entries in the database only; mark_read looks at the
    # instance, so it needs the counters fresh.
    inquiry.refresh_from_db(fields=["owner_unread", "inquirer_unread"])
    services.mark_read(inquiry, side)


def _backdated(inquiry, day, allowed):
    """Sets a handover date the services would refuse (one in the past), in the inquiry
    and in the thread entry that set it."""
    if day == allowed:
        return
    Inquiry.objects.filter(pk=inquiry.pk).update(handover_on=day)
    inquiry.handover_on = day
    inquiry.messages.filter(kind=MessageKind.HANDOVER, body=allowed.isoformat()).update(
        body=day.isoformat()
    )


def _play(conversation, organisations, used, now, today) -> Inquiry | None:
    """Plays one conversation through the services, then dates it back."""
    owner = organisations.get(conversation.owner)
    inquirer = organisations.get(conversation.inquirer)
    if owner is None or inquirer is None or not conversation.steps:
        return None
    listing = _pick_listing(conversation, owner, inquirer, used)
    if listing is None:
        logger.warning("No listing for the demo conversation %r", conversation.title)
        return None
    used.add(listing.pk)
    people = {OWNER: _person(owner), INQUIRER: _person(inquirer)}
    times = _timeline(conversation.steps, listing, now)

    first, *rest = conversation.steps
    assert first.action == "ask", conversation  # noqa: S101  (the data above, not input)
    period = shown = None
    if conversation.kind == PERIOD:
        period, shown = _period(listing, conversation, today)
    quantity = min(conversation.quantity, listing.quantity_left) if conversation.quantity else None
    body = _fill(first.text, listing, quantity=quantity, period=shown)
    inquiry = services.create_inquiry(
        listing, inquirer, people[INQUIRER], body=body, quantity=quantity, period=period
    )
    seen = _date_entries(inquiry, times[0], since=0)

    for step, when in zip(rest, times[1:], strict=True):
        _read(inquiry, step.side)
        _take(inquiry, step, people[step.side], listing, today, when)
        seen = _date_entries(inquiry, when, since=seen)
    if shown != period:
        # Moved back only now: the services accept no period that has passed.
        Inquiry.objects.filter(pk=inquiry.pk).update(period_start=shown[0], period_end=shown[1])
        inquiry.period_start, inquiry.period_end = shown

    for side in (OWNER, INQUIRER):
        if side not in conversation.unread:
            _read(inquiry, side)
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=times[0], updated_at=times[-1])
    return inquiry


def _take(inquiry, step, actor, listing, today, when):
    """One step through the services."""
    action = step.action
    if action == "say":
        services.post_message(inquiry, step.side, actor, _filled(step.text, inquiry))
    elif action in ("accept", "handover"):
        day = None if step.day is None else _handover_day(listing, step.day, today)
        allowed = None if day is None else max(day, today)
        if action == "accept":
            services.accept(inquiry, actor, handover_on=allowed)
        else:
            services.set_handover(inquiry, actor, allowed)
        if day is not None:
            _backdated(inquiry, day, allowed)
    elif action == "decline":
        services.decline(inquiry, actor, step.text)
    elif action == "withdraw":
        services.withdraw(inquiry, actor, step.text)
    elif action == "release":
        services.release(inquiry, actor)
    elif action == "complete":
        services.complete(inquiry, actor)
        Outcome.objects.filter(inquiry=inquiry).update(completed_at=when)
    elif action == "answer":
        services.answer_outcome(inquiry, step.side, actor, succeeded=True, thank_you=step.text)
        if step.public:
            services.allow_thank_you(inquiry, step.side, actor, public=True)
        answered = "owner_answered_at" if step.side == OWNER else "inquirer_answered_at"
        Outcome.objects.filter(inquiry=inquiry).update(**{answered: when})
    else:
        raise ValueError(action)


def _date_entries(inquiry, when, *, since) -> int:
    """Dates the entries written since the entry `since`; returns the newest entry's pk."""
    entries = Message.objects.filter(inquiry=inquiry, pk__gt=since)
    newest = max(entries.values_list("pk", flat=True), default=since)
    entries.update(created_at=when)
    return newest

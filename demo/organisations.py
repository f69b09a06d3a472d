"""Invented organisations for the demo regions (`manage.py load_demo`).

Names, people and addresses are made up; places are real postal codes of the district;
web and email domains end in .example, which never resolves. Days are counted from
the day the demo is loaded.
"""

from organisations.models import OrganisationType, Sector, SizeClass, Verification

VERIFIED = Verification.VERIFIED
REJECTED = Verification.REJECTED
NEW = Verification.NEW

DEMO_ORGANISATIONS = {
    "pm": [
        {
            "name": "Teltower Feinmechanik Lindqvist GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.PRODUCTION,
            "size": SizeClass.MEDIUM,
            "street": "Industriestraße 12",
            "place": ("14513", "Teltow"),
            "domain": "lindqvist-feinmechanik.example",
            "description": (
                "Wir fertigen Präzisionsteile für Medizin- und Messtechnik in kleinen Serien. "
                "Unsere CNC-Fräsen haben freitags oft freie Kapazität."
            ),
            "verification": VERIFIED,
        },
        {
            "name": "Werderaner Obstkontor GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.TRADE,
            "size": SizeClass.SMALL,
            "street": "Obstweg 5",
            "place": ("14542", "Werder (Havel)"),
            "domain": "obstkontor-werder.example",
            "description": (
                "Großhandel für Obst und Säfte aus dem Havelland. Im Herbst teilen wir gern "
                "unsere Kühlräume und einen Transporter mit Kühlaufbau."
            ),
            "verification": VERIFIED,
            "demo_member": "owner",
        },
        {
            "name": "Tischlerei Holzwurm Brück",
            "type": OrganisationType.CRAFT,
            "legal_form": "e. K.",
            "sector": Sector.CRAFTS,
            "size": SizeClass.MICRO,
            "street": "Lindenallee 3",
            "place": ("14822", "Brück"),
            "domain": "holzwurm-brueck.example",
            "description": (
                "Möbel nach Maß, Innenausbau und Reparaturen. Unsere Werkstatt mit "
                "Formatkreissäge steht Kolleginnen und Kollegen nach Absprache offen."
            ),
            "verification": VERIFIED,
        },
        {
            "name": "Fläming-Grundschule Belzig",
            "type": OrganisationType.SCHOOL,
            "sector": Sector.OTHER,
            "size": SizeClass.SMALL,
            "street": "Schulstraße 8",
            "place": ("14806", "Belzig"),
            "domain": "flaeming-grundschule.example",
            "description": (
                "Grundschule mit 240 Kindern und einem großen Schulgarten. Wir freuen uns über "
                "Werkzeug, Bücher und Menschen, die den Kindern ihr Handwerk zeigen."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 400,
        },
        {
            "name": "Oberschule am Seddiner See",
            "type": OrganisationType.SCHOOL,
            "sector": Sector.OTHER,
            "size": SizeClass.MEDIUM,
            "street": "Kiefernweg 2",
            "place": ("14554", "Seddiner See"),
            "domain": "oberschule-seddinersee.example",
            "description": (
                "Oberschule mit Schwerpunkt Berufsorientierung. Für Praktika und unseren "
                "Technikraum suchen wir Partner aus der Region."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 30,  # lapses soon: shows up in the back office's filter
        },
        {
            "name": "SV Blau-Weiß Beelitz e. V.",
            "type": OrganisationType.ASSOCIATION,
            "legal_form": "e. V.",
            "sector": Sector.ASSOCIATIONS,
            "size": SizeClass.SMALL,
            "street": "Am Sportplatz 1",
            "place": ("14547", "Beelitz"),
            "domain": "blau-weiss-beelitz.example",
            "description": (
                "Fußball, Turnen und Leichtathletik für 400 Mitglieder. Für Auswärtsspiele "
                "brauchen wir immer wieder einen Kleinbus."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 700,
            "demo_member": "member",
        },
        {
            "name": "Praxisklinik Lehniner Land GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.HEALTH,
            "size": SizeClass.MEDIUM,
            "street": "Am Klostersee 9",
            "place": ("14797", "Kloster Lehnin"),
            "domain": "praxisklinik-lehnin.example",
            "description": (
                "Ambulante Operationen und Physiotherapie unter einem Dach. Unser Seminarraum "
                "für 30 Personen ist abends meist frei."
            ),
            "verification": NEW,
        },
        {
            "name": "Havelstrom Energie UG",
            "type": OrganisationType.STARTUP,
            "legal_form": "UG (haftungsbeschränkt)",
            "sector": Sector.ENERGY,
            "size": SizeClass.MICRO,
            "street": "Seestraße 14",
            "place": ("14548", "Schwielowsee"),
            "domain": "havelstrom.example",
            "description": (
                "Wir planen Solaranlagen mit Speicher für Höfe und Handwerksbetriebe. "
                "Gegründet 2024, suchen wir einen Schreibtisch im Tausch gegen Beratung."
            ),
            "verification": NEW,
        },
        {
            "name": "Kreismedienzentrum Hoher Fläming",
            "type": OrganisationType.PUBLIC,
            "sector": Sector.MEDIA,
            "size": SizeClass.MICRO,
            "street": "Schlossstraße 2",
            "place": ("14827", "Wiesenburg"),
            "domain": "medienzentrum-flaeming.example",
            "description": (
                "Wir verleihen Medientechnik an Schulen und Vereine und bilden Lehrkräfte fort. "
                "Beamer und Kameras leihen wir auch Betrieben für Veranstaltungen."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 900,
        },
        {
            "name": "Bestpreis Handelskontor 24 GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.TRADE,
            "size": SizeClass.MICRO,
            "street": "Potsdamer Straße 100",
            "place": ("14552", "Michendorf"),
            "domain": "bestpreis-handelskontor.example",
            "description": "Restposten und Lagerverkauf.",
            "verification": REJECTED,
            "rejection_reason": (
                "Die angegebene Anschrift gehört laut Handelsregister zu einem anderen "
                "Unternehmen. Bitte prüfen Sie Ihre Angaben und laden Sie einen aktuellen "
                "Registerauszug hoch."
            ),
        },
        {
            "name": "Büroservice Voß Kleinmachnow",
            "type": OrganisationType.COMPANY,
            "legal_form": "e. K.",
            "sector": Sector.OFFICE,
            "size": SizeClass.MICRO,
            "street": "Am Weinberg 21",
            "place": ("14532", "Kleinmachnow"),
            "domain": "buero-voss.example",
            "description": (
                "Buchhaltung, Lohnabrechnung und Schreibarbeiten für kleine Betriebe. "
                "Zwei Arbeitsplätze in unserem Büro vermieten wir tageweise."
            ),
            "verification": NEW,
        },
        {
            "name": "Kita Sonnenblume Stahnsdorf",
            "type": OrganisationType.DAYCARE,
            "legal_form": "gGmbH",
            "sector": Sector.OTHER,
            "size": SizeClass.SMALL,
            "street": "Am Dorfanger 6",
            "place": ("14532", "Stahnsdorf"),
            "domain": "kita-sonnenblume.example",
            "description": (
                "Kita für 80 Kinder von einem bis sechs Jahren. Wir suchen Bastelmaterial und "
                "Betriebe, die Kinder einmal hinter die Kulissen schauen lassen."
            ),
            "verification": NEW,
        },
    ],
    "ohv": [
        {
            "name": "Oranienburger Kunststofftechnik Behrendt GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.CHEMICALS,
            "size": SizeClass.MEDIUM,
            "street": "Gewerbepark Süd 4",
            "place": ("16515", "Oranienburg"),
            "domain": "behrendt-kunststoff.example",
            "description": (
                "Spritzguss und Prototypen aus Kunststoff für Maschinenbau und Medizintechnik. "
                "Unser 3D-Drucker und die Prüfräume sind selten ausgelastet."
            ),
            "verification": VERIFIED,
        },
        {
            "name": "Hennigsdorfer Stahlservice GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.PRODUCTION,
            "size": SizeClass.LARGE,
            "street": "Hafenstraße 18",
            "place": ("16761", "Hennigsdorf"),
            "domain": "stahlservice-hennigsdorf.example",
            "description": (
                "Zuschnitt, Lagerung und Lieferung von Stahl und Blechen. Auf unserem Gelände "
                "stehen 500 m² überdachte Lagerfläche leer."
            ),
            "verification": VERIFIED,
        },
        {
            "name": "Dachdeckerei Krause & Söhne",
            "type": OrganisationType.CRAFT,
            "legal_form": "GmbH & Co. KG",
            "sector": Sector.CRAFTS,
            "size": SizeClass.SMALL,
            "street": "Ofenstraße 3",
            "place": ("16727", "Velten"),
            "domain": "krause-dach.example",
            "description": (
                "Steil- und Flachdächer, Dachfenster und Solardächer seit drei Generationen. "
                "Unseren Hubsteiger verleihen wir an Betriebe aus der Nachbarschaft."
            ),
            "verification": VERIFIED,
        },
        {
            "name": "Grundschule am Kiefernhain",
            "type": OrganisationType.SCHOOL,
            "sector": Sector.OTHER,
            "size": SizeClass.SMALL,
            "street": "Waldweg 10",
            "place": ("16547", "Birkenwerder"),
            "domain": "gs-kiefernhain.example",
            "description": (
                "Zweizügige Grundschule mit Ganztag. Für unsere Werkstatt-AG suchen wir "
                "Werkbänke, Holz und Menschen mit Geduld."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 500,
        },
        {
            "name": "Berufsschulzentrum Nordbahn",
            "type": OrganisationType.SCHOOL,
            "sector": Sector.OTHER,
            "size": SizeClass.MEDIUM,
            "street": "Hauptstraße 50",
            "place": ("16548", "Glienicke/Nordbahn"),
            "domain": "bsz-nordbahn.example",
            "description": (
                "Berufsschule für Metall-, Elektro- und Gesundheitsberufe. Ausbildungsbetriebe "
                "können bei uns Räume für Prüfungsvorbereitung nutzen."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": -10,  # lapsed: the back office's filter finds it
        },
        {
            "name": "Ruderclub Havelwelle Zehdenick e. V.",
            "type": OrganisationType.ASSOCIATION,
            "legal_form": "e. V.",
            "sector": Sector.ASSOCIATIONS,
            "size": SizeClass.SMALL,
            "street": "Am Bootshaus 2",
            "place": ("16792", "Zehdenick"),
            "domain": "havelwelle-zehdenick.example",
            "description": (
                "Rudern und Kanu für Kinder, Jugendliche und Erwachsene. Wir suchen einen "
                "Bootsanhänger und Hilfe beim Ausbau unseres Bootshauses."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 600,
        },
        {
            "name": "Gesundheitshaus Gransee MVZ GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.HEALTH,
            "size": SizeClass.MEDIUM,
            "street": "Rudolf-Breitscheid-Straße 7",
            "place": ("16775", "Gransee"),
            "domain": "gesundheitshaus-gransee.example",
            "description": (
                "Hausärzte, Kinderärztin und Physiotherapie in einem Haus. Unser "
                "Besprechungsraum steht Selbsthilfegruppen abends offen."
            ),
            "verification": NEW,
        },
        {
            "name": "Stechlin Robotics GmbH",
            "type": OrganisationType.STARTUP,
            "legal_form": "GmbH",
            "sector": Sector.PRODUCTION,
            "size": SizeClass.MICRO,
            "street": "Seeweg 1",
            "place": ("16775", "Stechlin"),
            "domain": "stechlin-robotics.example",
            "description": (
                "Wir bauen kleine Roboter, die bei der Obsternte helfen. Für Tests suchen wir "
                "Höfe und eine Werkstatt mit Hebebühne."
            ),
            "verification": NEW,
        },
        {
            "name": "Stadtteilzentrum Hohen Neuendorf Nord",
            "type": OrganisationType.PUBLIC,
            "sector": Sector.OTHER,
            "size": SizeClass.MICRO,
            "street": "Marktplatz 3",
            "place": ("16540", "Hohen Neuendorf"),
            "domain": "stz-hohen-neuendorf.example",
            "description": (
                "Treffpunkt für Nachbarschaft, Beratung und Kurse. Unser Saal für 60 Personen "
                "kann für Veranstaltungen gebucht werden."
            ),
            "verification": VERIFIED,
            "proof_valid_for_days": 800,
        },
        {
            "name": "Schnellkredit Nord Vermittlung GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.FINANCE,
            "size": SizeClass.MICRO,
            "street": "Bahnhofstraße 99",
            "place": ("16515", "Oranienburg"),
            "domain": "schnellkredit-nord.example",
            "description": "Kredite für jeden Zweck, schnell und unbürokratisch.",
            "verification": REJECTED,
            "rejection_reason": (
                "Die Plattform ist für das Teilen von Ressourcen gedacht, nicht für die "
                "Vermittlung von Krediten. Bei Fragen erreichen Sie uns unter der Adresse "
                "im Impressum."
            ),
        },
        {
            "name": "Kremmener Landtechnik Service GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.TRADE,
            "size": SizeClass.SMALL,
            "street": "Am Scheunenviertel 8",
            "place": ("16766", "Kremmen"),
            "domain": "landtechnik-kremmen.example",
            "description": (
                "Verkauf, Wartung und Vermietung von Landmaschinen. Zwischen den Ernten "
                "verleihen wir Radlader und Anhänger."
            ),
            "verification": NEW,
        },
        {
            "name": "Ferienhöfe Fürstenberg GmbH",
            "type": OrganisationType.COMPANY,
            "legal_form": "GmbH",
            "sector": Sector.TOURISM,
            "size": SizeClass.SMALL,
            "street": "Zum Röblinsee 4",
            "place": ("16798", "Fürstenberg/Havel"),
            "domain": "ferienhoefe-fuerstenberg.example",
            "description": (
                "Ferienwohnungen und Tagungsräume am Wasser. Außerhalb der Saison stellen wir "
                "Räume für Workshops und Klausurtage zur Verfügung."
            ),
            "verification": NEW,
        },
    ],
}

"""The old platform's categories, grouped, with the extra fields it asked for.

The operator maintains them in the admin afterwards; this only seeds an empty tree.
"""

from django.db import migrations

CONDITION = ["Neu", "Neuwertig", "Gebraucht – gut erhalten", "Gebraucht – mit Mängeln", "Defekt"]
MACHINE_KINDS = [
    "Arbeitsbühnen", "Baumaschinen", "Bohrmaschinen", "Büromöbel", "CNC-Maschinen", "Container",
    "Drehmaschinen", "Druckmaschinen", "Elektrowerkzeuge", "Fördertechnik", "Fräsmaschinen",
    "Gartengeräte", "Gerüste", "Handwerkzeuge", "Hebebühnen", "Holzbearbeitungsmaschinen",
    "IT-Ausstattung", "Kompressoren", "Kühlgeräte", "Küchengeräte", "Landmaschinen",
    "Messgeräte", "Metallbearbeitungsmaschinen", "Paletten", "Pumpen", "Regale",
    "Reinigungsmaschinen", "Schweißgeräte", "Stromerzeuger", "Veranstaltungstechnik",
    "Verpackungsmaschinen", "Werkstatteinrichtung", "Sonstiges",
]
VEHICLE_TYPES = [
    "Anhänger", "Gabelstapler", "PKW", "Bagger", "Kran", "Transporter", "Baufahrzeuge", "LKW",
    "Sonstiges",
]

# (key, label, kind, unit, choices, filterable)
MACHINE_ATTRIBUTES = [
    ("kind", "Art", "choice", "", MACHINE_KINDS, True),
    ("condition", "Zustand", "choice", "", CONDITION, True),
    ("weight", "Gewicht", "number", "kg", [], True),
    ("dimensions", "Abmessungen (L × B × H)", "text", "", [], False),
    ("age", "Alter", "number", "Jahre", [], False),
    ("power", "Leistung", "number", "kWh", [], False),
]
VEHICLE_ATTRIBUTES = [
    ("vehicle-type", "Fahrzeugart", "choice", "", VEHICLE_TYPES, True),
    ("weight", "Zulässiges Gesamtgewicht", "number", "kg", [], True),
    ("age", "Alter", "number", "Jahre", [], False),
]
ROOM_ATTRIBUTES = [("area", "Fläche", "number", "m²", [], True)]
STORAGE_ATTRIBUTES = [
    ("storage", "Lagerart", "choice", "", ["innen", "außen"], True),
    ("heated", "beheizt", "boolean", "", [], True),
    ("cooled", "gekühlt", "boolean", "", [], True),
]
DONATION_ATTRIBUTES = [("condition", "Zustand", "choice", "", CONDITION, True)]

# (slug, name, description, group attributes, [(slug, name, own attributes)])
TREE = [
    ("maschinen-ausstattung", "Maschinen & Ausstattung", "Geräte, Anlagen und Einrichtung",
     MACHINE_ATTRIBUTES, [
         ("maschinen", "Maschinen", []),
         ("produktionsanlagen", "Produktionsanlagen", []),
         ("werkzeug", "Werkzeug", []),
         ("ausstattung", "Ausstattung", []),
     ]),
    ("fahrzeuge-transport", "Fahrzeuge & Transport", "Fahrzeuge und freie Ladekapazität",
     VEHICLE_ATTRIBUTES, [
         ("fahrzeuge", "Fahrzeuge", []),
         ("transport", "Transport und Zulademöglichkeit", [
             ("load-space", "Freie Ladefläche", "number", "m²", [], False),
         ]),
     ]),
    ("raeume-flaechen", "Räume & Flächen", "Lager, Büros, Hallen und Säle", ROOM_ATTRIBUTES, [
        ("lager", "Lager", STORAGE_ATTRIBUTES),
        ("gewerberaeume", "Gewerberäume", []),
        ("produktionsraeume", "Produktionsräume", []),
        ("veranstaltungsraeume", "Sitzungs- und Veranstaltungsräume", [
            ("seats", "Plätze", "number", "Personen", [], True),
        ]),
    ]),
    ("personal-know-how", "Personal & Know-how", "Fachkräfte, Aushilfen und Nachwuchs", [
        ("qualification", "Qualifikation", "text", "", [], False),
    ], [
        ("fachkraft", "Fachkraft", []),
        ("aushilfe", "Aushilfe", []),
        ("azubi", "Azubi", []),
        ("saisonarbeit", "Saisonarbeiter", []),
    ]),
    ("kooperation-investition", "Kooperation & Investition",
     "Partner für ein gemeinsames Büro, eine Fachkraft oder eine Investition", [], [
         ("buerogemeinschaft", "Büro teilen", []),
         ("fachkraft-teilen", "Fachkraft teilen", []),
         ("gemeinsame-investition", "Gemeinsame Investition", []),
     ]),
    ("spenden-verschenken", "Spenden & Verschenken",
     "Was Schulen, Vereinen und Einrichtungen hilft", DONATION_ATTRIBUTES, [
         ("moebel", "Möbel und Einrichtung", []),
         ("it-technik", "IT und Technik", []),
         ("material", "Material und Restposten", []),
         ("zeitspende", "Zeit und Know-how", []),
     ]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("listings", "Category")
    CategoryAttribute = apps.get_model("listings", "CategoryAttribute")
    if Category.objects.exists():
        return

    def add_attributes(category, attributes):
        for position, (key, label, kind, unit, choices, filterable) in enumerate(attributes):
            CategoryAttribute.objects.create(
                category=category, key=key, label=label, kind=kind, unit=unit,
                choices="\n".join(choices), is_filterable=filterable, position=position,
            )

    for group_position, (slug, name, description, attributes, children) in enumerate(TREE):
        group = Category.objects.create(
            slug=slug, name=name, description=description, position=group_position
        )
        add_attributes(group, attributes)
        for position, (child_slug, child_name, child_attributes) in enumerate(children):
            child = Category.objects.create(
                parent=group, slug=child_slug, name=child_name, position=position
            )
            add_attributes(child, child_attributes)


class Migration(migrations.Migration):
    dependencies = [("listings", "0002_german_search")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

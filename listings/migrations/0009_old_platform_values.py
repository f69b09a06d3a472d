"""The old platform's listing values, all of them (issue #13).

- Machine and equipment kinds: exactly the old platform's 33, several per listing. The
  kinds seeded by 0003 are mapped to them (KIND_MAP); "Sonstiges" has no counterpart
  among the 33 and is dropped.
- Vehicle types: the same nine, several per listing.
- Storage features (innen, außen, beheizt, gekühlt): one attribute with several values
  on every room category (it moves from "Lager" to the group "Räume & Flächen"), in
  place of the choice "Lagerart" and the yes/no attributes "beheizt" and "gekühlt".
- Weight, dimensions, age, power and condition on vehicles and the donations of
  things as well, not only on machines.

Listings' stored values are converted to match: several values are JSON lists.
Attributes the operator has changed or removed since are left as they are where the
migration cannot tell what was meant; missing ones are added.
"""

from django.db import migrations, models, transaction

MULTIPLE, CHOICE, NUMBER, TEXT = "multiple", "choice", "number", "text"

MACHINE_KINDS = [
    "Ameisen", "Arbeitsbühnen", "Aufzug- und Hebetechnik", "Bau", "Bauaufzüge",
    "Büroausstattung", "Energieerzeugung", "EUR", "Gastronomiebedarf", "Gerüste und Leitern",
    "Haus und Garten", "Hebebühnen", "Heizung und Sanitärtechnik", "IBC", "Installation",
    "Labortechnik", "Lagern und Heben", "Messen und Qualitätssicherung", "Paletten",
    "Produktionsmaschinen", "Rampen", "Recycling & Entsorgung", "Regale", "Reinigung",
    "Reinigungsmaschinen", "Schreibtisch", "Schränke", "Stühle", "Transport Handling",
    "Trennwände", "Verkehrstechnik", "Verpackungsmaschinen", "Werkstatteinrichtung",
]  # fmt: skip

# The kinds seeded by 0003 → the old platform's kind that stands for them.
KIND_MAP = {
    "Arbeitsbühnen": "Arbeitsbühnen",
    "Baumaschinen": "Bau",
    "Bohrmaschinen": "Werkstatteinrichtung",
    "Büromöbel": "Büroausstattung",
    "CNC-Maschinen": "Produktionsmaschinen",
    "Container": "Lagern und Heben",
    "Drehmaschinen": "Produktionsmaschinen",
    "Druckmaschinen": "Produktionsmaschinen",
    "Elektrowerkzeuge": "Werkstatteinrichtung",
    "Fördertechnik": "Transport Handling",
    "Fräsmaschinen": "Produktionsmaschinen",
    "Gartengeräte": "Haus und Garten",
    "Gerüste": "Gerüste und Leitern",
    "Handwerkzeuge": "Werkstatteinrichtung",
    "Hebebühnen": "Hebebühnen",
    "Holzbearbeitungsmaschinen": "Produktionsmaschinen",
    "IT-Ausstattung": "Büroausstattung",
    "Kompressoren": "Bau",
    "Kühlgeräte": "Gastronomiebedarf",
    "Küchengeräte": "Gastronomiebedarf",
    "Landmaschinen": "Haus und Garten",
    "Messgeräte": "Messen und Qualitätssicherung",
    "Metallbearbeitungsmaschinen": "Produktionsmaschinen",
    "Paletten": "Paletten",
    "Pumpen": "Heizung und Sanitärtechnik",
    "Regale": "Regale",
    "Reinigungsmaschinen": "Reinigungsmaschinen",
    "Schweißgeräte": "Werkstatteinrichtung",
    "Stromerzeuger": "Energieerzeugung",
    "Veranstaltungstechnik": "Büroausstattung",
    "Verpackungsmaschinen": "Verpackungsmaschinen",
    "Werkstatteinrichtung": "Werkstatteinrichtung",
    "Sonstiges": None,  # none of the 33
}

STORAGE_FEATURES = ["innen", "außen", "beheizt", "gekühlt"]
STORAGE_LABEL = "Raummerkmale"
CONDITION = ["Neu", "Neuwertig", "Gebraucht – gut erhalten", "Gebraucht – mit Mängeln", "Defekt"]

# (key, label, kind, unit, choices, filterable)
CONDITION_ATTRIBUTE = ("condition", "Zustand", CHOICE, "", CONDITION, True)
WEIGHT = ("weight", "Gewicht", NUMBER, "kg", [], False)
DIMENSIONS = ("dimensions", "Abmessungen (L × B × H)", TEXT, "", [], False)
AGE = ("age", "Alter", NUMBER, "Jahre", [], False)
POWER = ("power", "Leistung", NUMBER, "kWh", [], False)

# Category slug → the attributes it must have, in their order. Existing ones keep their
# label, unit and filterability; only their position is set.
MEASURES = {
    "fahrzeuge-transport": [CONDITION_ATTRIBUTE, "weight", DIMENSIONS, "age", POWER],
    "moebel": [WEIGHT, DIMENSIONS, AGE],
    "it-technik": [WEIGHT, DIMENSIONS, AGE, POWER],
    "material": [WEIGHT, DIMENSIONS],
}

BATCH = 1000


def _order(values, choices):
    """Each value once, in the order the options are offered (unknown ones last)."""
    unknown = sorted({value for value in values if value not in choices})
    return [choice for choice in choices if choice in values] + unknown


def _as_list(value):
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def converted(attributes: dict) -> dict:
    """A listing's attributes with the old platform's values."""
    values = dict(attributes)
    if "kind" in values:
        kinds = [KIND_MAP.get(kind, kind) for kind in _as_list(values.pop("kind"))]
        kinds = _order([kind for kind in kinds if kind], MACHINE_KINDS)
        if kinds:
            values["kind"] = kinds
    if "vehicle-type" in values:
        types = _as_list(values.pop("vehicle-type"))
        if types:
            values["vehicle-type"] = list(dict.fromkeys(types))
    if {"storage", "heated", "cooled"} & values.keys():
        features = _as_list(values.pop("storage", None))
        if values.pop("heated", False) is True:
            features.append("beheizt")
        if values.pop("cooled", False) is True:
            features.append("gekühlt")
        features = _order(features, STORAGE_FEATURES)
        if features:
            values["storage"] = features
    return values


def reverted(attributes: dict) -> dict:
    """Back to one value each (the first), and the storage features split again."""
    values = dict(attributes)
    for key in ("kind", "vehicle-type"):
        if isinstance(values.get(key), list):
            values[key] = values[key][0]
    if isinstance(values.get("storage"), list):
        features = values.pop("storage")
        place = [feature for feature in features if feature in ("innen", "außen")]
        if place:
            values["storage"] = place[0]
        values["heated"] = "beheizt" in features
        values["cooled"] = "gekühlt" in features
    return values


def _convert_listings(apps, convert):
    Listing = apps.get_model("listings", "Listing")
    changed = []
    candidates = Listing.objects.filter(
        attributes__has_any_keys=["kind", "vehicle-type", "storage", "heated", "cooled"]
    ).only("pk", "attributes")
    for listing in candidates.iterator(chunk_size=BATCH):
        new = convert(listing.attributes)
        if new != listing.attributes:
            listing.attributes = new
            changed.append(listing)
        if len(changed) >= BATCH:
            Listing.objects.bulk_update(changed, ["attributes"])
            changed = []
    Listing.objects.bulk_update(changed, ["attributes"])


def _forget_catalogue():
    """The category tree cached by listings.catalogue is out of date now. The cache may not
    be set up yet (a fresh database gets its cache table after migrating)."""

    def forget():
        from django.core.cache import cache

        try:
            cache.delete("listings:catalogue")
        except Exception:  # noqa: BLE001 – nothing cached where there is no cache
            pass

    transaction.on_commit(forget)


def forwards(apps, schema_editor):
    Category = apps.get_model("listings", "Category")
    CategoryAttribute = apps.get_model("listings", "CategoryAttribute")
    categories = {category.slug: category for category in Category.objects.all()}

    kinds = CategoryAttribute.objects.filter(key="kind", kind__in=[CHOICE, MULTIPLE])
    kinds.update(kind=MULTIPLE, choices="\n".join(MACHINE_KINDS))
    CategoryAttribute.objects.filter(key="vehicle-type", kind=CHOICE).update(kind=MULTIPLE)

    rooms, storage = categories.get("raeume-flaechen"), categories.get("lager")
    if rooms is not None:
        feature = CategoryAttribute.objects.filter(category=storage, key="storage").first()
        if feature is None and not CategoryAttribute.objects.filter(
            category=rooms, key="storage"
        ).exists():
            feature = CategoryAttribute(category=rooms, key="storage")
        if feature is not None:
            feature.category = rooms
            feature.label = STORAGE_LABEL
            feature.kind = MULTIPLE
            feature.unit = ""
            feature.choices = "\n".join(STORAGE_FEATURES)
            feature.is_filterable = True
            feature.position = 1
            feature.save()
        # The room categories' own "storage" (none seeded) would now say it twice.
        CategoryAttribute.objects.filter(category__parent=rooms, key="storage").delete()
    CategoryAttribute.objects.filter(key__in=["heated", "cooled"], kind="boolean").delete()

    for slug, wanted in MEASURES.items():
        category = categories.get(slug)
        if category is None:
            continue
        for position, attribute in enumerate(wanted, start=1):
            key = attribute if isinstance(attribute, str) else attribute[0]
            existing = CategoryAttribute.objects.filter(category=category, key=key).first()
            if existing is not None:
                existing.position = position
                existing.save(update_fields=["position"])
            elif not isinstance(attribute, str):
                key, label, kind, unit, choices, filterable = attribute
                CategoryAttribute.objects.create(
                    category=category, key=key, label=label, kind=kind, unit=unit,
                    choices="\n".join(choices), is_filterable=filterable, position=position,
                )

    _convert_listings(apps, converted)
    _forget_catalogue()


def backwards(apps, schema_editor):
    Category = apps.get_model("listings", "Category")
    CategoryAttribute = apps.get_model("listings", "CategoryAttribute")
    _convert_listings(apps, reverted)
    CategoryAttribute.objects.filter(kind=MULTIPLE).update(kind=CHOICE)
    storage = Category.objects.filter(slug="lager").first()
    feature = CategoryAttribute.objects.filter(category__slug="raeume-flaechen", key="storage")
    if storage is not None and feature.exists():
        feature.update(category=storage, label="Lagerart", choices="innen\naußen", position=0)
        for position, (key, label) in enumerate([("heated", "beheizt"), ("cooled", "gekühlt")]):
            CategoryAttribute.objects.get_or_create(
                category=storage, key=key,
                defaults={"label": label, "kind": "boolean", "is_filterable": True,
                          "position": position + 1},
            )
    _forget_catalogue()


class Migration(migrations.Migration):
    dependencies = [("listings", "0008_remove_listing_place_of_use")]

    operations = [
        migrations.AlterField(
            model_name="categoryattribute",
            name="kind",
            field=models.CharField(
                choices=[
                    ("number", "Number"),
                    ("text", "Text"),
                    ("choice", "Choice"),
                    ("multiple", "Several choices"),
                    ("boolean", "Yes/no"),
                ],
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

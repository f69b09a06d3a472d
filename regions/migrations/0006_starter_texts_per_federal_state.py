"""Pages nobody changed since the region was created get the new starter texts: worded for
the region's federal state, with the operator's details filled in when shown. A page whose
text differs in any way from the old starter text (rendered with the region's current
details) was edited by its staff and stays as it is."""

from django.db import migrations
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation

from regions.states import state_for

# The starter texts as regions were given them until now (templates/regions/default_pages/).
OLD_STARTER_TEXTS = {
    'imprint': '{% autoescape off %}## Angaben gemäß § 5 DDG\n\n{{ region.operator_name }}<br>\n{{ region.operator_address|linebreaksbr }}\n\n## Kontakt\n\nE-Mail: {{ region.operator_email }}{% if region.operator_phone %}<br>\nTelefon: {{ region.operator_phone }}{% endif %}\n\n## Verantwortlich für den Inhalt\n\n{{ region.operator_name }}, Anschrift wie oben.\n\n## Haftung für Inhalte\n\nDie Anzeigen auf dieser Plattform werden von den registrierten Organisationen selbst eingestellt. Wir prüfen sie nach unseren Moderationsregeln und entfernen rechtswidrige Inhalte, sobald wir davon erfahren.\n{% endautoescape %}\n',
    'privacy': '{% autoescape off %}## Verantwortliche Stelle\n\n{{ region.operator_name }}, {{ region.operator_address|linebreaksbr }}, E-Mail: {{ region.operator_email }}\n\n## Welche Daten wir verarbeiten\n\n- **Konto:** Ihre E-Mail-Adresse und ein verschlüsseltes Passwort, damit Sie sich anmelden können (Art. 6 Abs. 1 lit. b DSGVO).\n- **Organisation und Anzeigen:** was Sie selbst eingeben, um es mit anderen Betrieben zu teilen.\n- **Technisch notwendige Cookies:** ein Sitzungs-Cookie für die Anmeldung, ein Cookie zum Schutz vor gefälschten Formularen und – falls Sie eine Sprache wählen – ein Cookie für diese Sprache.\n\nWir setzen keine Tracking- oder Werbe-Cookies ein und binden keine Inhalte fremder Server ein: Schriften, Bilder und Skripte kommen ausschließlich von dieser Plattform.\n\n## Ihre Rechte\n\nSie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerspruch. Wenden Sie sich dazu an {{ region.operator_email }}. Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren.\n{% endautoescape %}\n',
    'accessibility': '{% autoescape off %}{{ region.operator_name }} ist bemüht, starkeRegion {{ region.name }} im Einklang mit dem Brandenburgischen Behindertengleichstellungsgesetz und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich zu machen.\n\n## Stand der Vereinbarkeit\n\nDiese Website ist mit den Anforderungen der WCAG 2.1 auf Stufe AA weitgehend vereinbar. Alle Funktionen sind mit der Tastatur bedienbar, Formulare haben sichtbare Beschriftungen und Fehlermeldungen stehen direkt am Feld.\n\n## Barrieren melden\n\nWenn Ihnen Barrieren auffallen, schreiben Sie uns an {{ region.operator_email }}. Wir antworten Ihnen innerhalb von zwei Wochen.\n\n## Schlichtungsverfahren\n\nWenn Sie mit unserer Antwort nicht zufrieden sind, können Sie sich an die Schlichtungsstelle nach dem Behindertengleichstellungsgesetz Ihres Landes wenden.\n{% endautoescape %}\n',
    'how-it-works': "{% autoescape off %}starkeRegion {{ region.name }} ist die Kooperationsplattform für die Unternehmen und Einrichtungen im Landkreis {{ region.name }}. Hier teilen Betriebe, was gerade ungenutzt ist, und finden, was ihnen fehlt – schnell, kostenlos und in der Nachbarschaft.\n\n## Was Sie hier tun können\n\n- **Anbieten:** Maschinen, Fahrzeuge, Lager- und Büroflächen, freie Ladung im Transporter, Fachkräfte auf Zeit oder Wissen.\n- **Suchen:** Beschreiben Sie in einem Gesuch, was Sie brauchen; andere Betriebe melden sich bei Ihnen.\n- **Partner finden:** Teilen Sie sich ein Büro, eine Fachkraft oder eine Investition mit anderen.\n- **Spenden:** Geben Sie, was Sie nicht mehr brauchen, an Schulen, Vereine und gemeinnützige Einrichtungen.\n\n## So geht's\n\n1. Registrieren Sie sich mit Ihrer E-Mail-Adresse und bestätigen Sie sie.\n2. Legen Sie Ihre Organisation an oder treten Sie der Ihres Betriebs bei.\n3. Stellen Sie Angebote und Gesuche ein oder antworten Sie auf die anderer.\n\nDie Plattform wird von {{ region.operator_name }} betrieben und betreut. Geld steht nicht im Vordergrund: Es geht um Zusammenarbeit in der Region.\n\n## Ortsdaten\n\nPostleitzahlen und Ortskoordinaten stammen von GeoNames (geonames.org) und stehen unter der Lizenz CC BY 4.0.\n{% endautoescape %}\n",
}


def old_starter_text(kind, region):
    engine = Engine(builtins=["django.template.defaultfilters"], autoescape=True)
    return engine.from_string(OLD_STARTER_TEXTS[kind]).render(Context({"region": region}))


def renew_unchanged_pages(apps, schema_editor):
    RegionPage = apps.get_model("regions", "RegionPage")
    with translation.override("de"):
        for page in RegionPage.objects.select_related("region").filter(
            kind__in=OLD_STARTER_TEXTS
        ):
            region = page.region
            if page.body.strip() != old_starter_text(page.kind, region).strip():
                continue
            page.body = render_to_string(
                f"regions/default_pages/{page.kind}.md",
                {"region": region, "state": state_for(region.district_key)},
            ).strip()
            page.save(update_fields=["body", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0005_operator_details_and_portal_pages"),
    ]

    operations = [
        migrations.RunPython(renew_unchanged_pages, migrations.RunPython.noop),
    ]

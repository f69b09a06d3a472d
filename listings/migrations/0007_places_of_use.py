"""Several places of use per listing, as the old platform allowed ("Beim Kunden",
"Am Standort", "Auf Anfrage"): the one stored choice becomes a sum of bits. The old
column goes in 0008, in a transaction of its own (PostgreSQL refuses to alter a table
with updates pending in the same transaction)."""

from django.db import migrations, models
from django.db.models import F

# The old single choice → its bit (listings.choices.PlaceOfUse).
BITS = {"customer": 1, "provider": 2, "on-request": 4}


def to_bits(apps, schema_editor):
    Listing = apps.get_model("listings", "Listing")
    for value, bit in BITS.items():
        Listing.objects.filter(place_of_use=value).update(places_of_use=bit)


def to_single_choice(apps, schema_editor):
    """Back to one choice: the first of the old platform's order that the listing has."""
    Listing = apps.get_model("listings", "Listing")
    for value, bit in reversed(BITS.items()):
        has_bit = Listing.objects.annotate(bit=F("places_of_use").bitand(bit)).filter(bit__gt=0)
        Listing.objects.filter(pk__in=has_bit.values("pk")).update(place_of_use=value)


class Migration(migrations.Migration):
    dependencies = [("listings", "0006_quantity_reserved")]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="places_of_use",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="place of use"),
        ),
        migrations.RunPython(to_bits, to_single_choice),
    ]

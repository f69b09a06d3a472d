from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("listings", "0007_places_of_use")]

    operations = [
        migrations.RemoveField(model_name="listing", name="place_of_use"),
        migrations.AddConstraint(
            model_name="listing",
            constraint=models.CheckConstraint(
                condition=models.Q(("places_of_use__gte", 1), ("places_of_use__lte", 7)),
                name="listing_places_of_use_are_valid",
            ),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="named_as_giver",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text=(
                    "Lists your organisation among those who gave, with how often. "
                    "What you received is never named."
                ),
                verbose_name="name us on the region's impact page",
            ),
        ),
    ]

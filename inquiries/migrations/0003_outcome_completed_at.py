"""When an exchange was handed over, on its outcome: the day the impact figures count it
on. Outcomes from before the field get the time of their thread's "marked as handed
over" entry (else the inquiry's last activity)."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def completed_from_thread(apps, schema_editor):
    Outcome = apps.get_model("inquiries", "Outcome")
    Message = apps.get_model("inquiries", "Message")
    completed = Message.objects.filter(inquiry=OuterRef("inquiry"), kind="completed").order_by(
        "created_at"
    )
    Outcome.objects.update(
        completed_at=Coalesce(
            Subquery(completed.values("created_at")[:1]),
            Subquery(
                apps.get_model("inquiries", "Inquiry")
                .objects.filter(pk=OuterRef("inquiry"))
                .values("updated_at")[:1]
            ),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0002_no_overlapping_bookings"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="completed_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="completed"
            ),
        ),
        migrations.RunPython(completed_from_thread, migrations.RunPython.noop, elidable=True),
    ]

"""On PostgreSQL, two accepted bookings of one listing can never overlap: an exclusion
constraint over the listing and the booked date range (inclusive of both days), for
inquiries that hold a reservation (inquiries.models.RESERVING: accepted, completed).
It needs btree_gist for the listing's equality.

It is a backstop: inquiries.services.accept checks under the listing's row lock first
and answers with a message. SQLite has no exclusion constraints; there the same check
runs under SQLite's database-wide write lock (transaction_mode IMMEDIATE). The
constraint is not declared in Inquiry.Meta because SQLite could not create it.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

FORWARD = """
ALTER TABLE inquiries_inquiry ADD CONSTRAINT inquiry_bookings_never_overlap
    EXCLUDE USING gist (
        listing_id WITH =,
        daterange(period_start, period_end, '[]') WITH &&
    )
    WHERE (status IN ('accepted', 'completed') AND period_start IS NOT NULL);
"""

BACKWARD = """
ALTER TABLE inquiries_inquiry DROP CONSTRAINT IF EXISTS inquiry_bookings_never_overlap;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]

    # BtreeGistExtension does nothing on other databases.
    operations = [BtreeGistExtension(), migrations.RunPython(forward, backward)]

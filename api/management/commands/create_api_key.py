"""Prints a new API key for an organisation, for operators and scripts:

manage.py create_api_key --organisation 7 --scope write --name "Portal des Landkreises"
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organisations.models import Organisation

from ... import keys
from ...models import Scope


class Command(BaseCommand):
    help = "Creates an API key for an organisation and prints it (shown this once)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, required=True, help="Organisation id")
        parser.add_argument("--name", required=True, help="What the key is for")
        parser.add_argument("--scope", choices=Scope.values, default=Scope.READ)
        parser.add_argument("--days", type=int, help="Valid for this many days (default: no end)")

    def handle(self, *args, organisation, name, scope, days, **options):
        found = Organisation.objects.filter(pk=organisation).select_related("region").first()
        if found is None:
            raise CommandError(f"There is no organisation with id {organisation}.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        key, text = keys.issue(found, name, scope, expires_at=expires_at)
        self.stderr.write(
            f"Key “{key.name}” ({key.scope}) of {found.name}, {found.region.name}"
            + (f", valid until {expires_at:%Y-%m-%d %H:%M}" if expires_at else "")
            + ". Store it now: it is not shown again."
        )
        self.stdout.write(text)

from django.core.management.base import BaseCommand, CommandError

from regions.places import UnknownDistrict, import_places


class Command(BaseCommand):
    help = "Load a district's postal codes, place names and coordinates (GeoNames, CC BY 4.0)."

    def add_arguments(self, parser):
        parser.add_argument("district_key", help="official district key, e.g. 12069")

    def handle(self, district_key, **options):
        try:
            count = import_places(district_key.strip())
        except UnknownDistrict as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} places for {district_key}."))

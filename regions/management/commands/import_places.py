from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from regions.places import UnknownDistrict, import_places


class Command(BaseCommand):
    help = "Load a district's postal codes, place names and coordinates (GeoNames, CC BY 4.0)."

    def add_arguments(self, parser):
        parser.add_argument("district_key", help="official district key, e.g. 12069")

    def handle(self, district_key, **options):
        # The import forgets the district's cached places. Without Redis the cache is a table
        # of the database that `createcachetable` makes, which a new installation may not have
        # yet (`make run` makes it, hence this worked with DEBUG=1 only); it is made here,
        # or left alone where it exists.
        call_command("createcachetable", verbosity=0)
        try:
            count = import_places(district_key.strip())
        except UnknownDistrict as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} places for {district_key}."))

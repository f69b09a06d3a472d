from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from regions import onboarding
from regions.places import UnknownDistrict

# The operator's details the legal pages show (regions.operators.OperatorDetails).
OPERATOR_OPTIONS = [
    "operator_name",
    "operator_address",
    "operator_email",
    "operator_phone",
    "operator_website",
    "operator_representative",
    "operator_register",
    "operator_responsible_person",
    "operator_privacy_officer",
]


class Command(BaseCommand):
    help = (
        "Set up a district's region, switched off: its name and preposition from the district "
        "key, its host name, its postal codes and the starter pages. Then complete the "
        "checklist on the region's page in the back office and go live there."
    )

    def add_arguments(self, parser):
        parser.add_argument("district_key", help="official district key, e.g. 12063")
        parser.add_argument(
            "--host", required=True, help="host name, e.g. hvl.starkeregion.digital"
        )
        parser.add_argument(
            "--slug", default="", help="short name (default: the host's first part)"
        )
        parser.add_argument("--name", default="", help="name (default: from the district key)")
        parser.add_argument(
            "--preposition", default="", choices=["", "in", "im", "in der"], help="im Havelland"
        )
        for field in OPERATOR_OPTIONS:
            parser.add_argument(
                "--" + field.replace("_", "-"), default="", help="lines separated by \\n"
            )

    def handle(self, district_key, host, **options):
        # The import of the places forgets the district's cached places; without Redis the
        # cache is a table a new installation may not have yet (see import_places).
        call_command("createcachetable", verbosity=0)
        operator = {
            field: options[field].replace("\\n", "\n").strip() for field in OPERATOR_OPTIONS
        }
        try:
            region = onboarding.set_up_region(
                district_key,
                host.strip().lower(),
                slug=options["slug"],
                name=options["name"],
                preposition=options["preposition"],
                **operator,
            )
        except (UnknownDistrict, onboarding.OnboardingError) as error:
            raise CommandError(str(error)) from error
        places = onboarding.Place.objects.in_region(region).count()
        admin_path = reverse("admin:regions_region_change", args=[region.pk])
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the region {region.name} ({region.name_with_preposition}), switched "
                f"off, at {host} with {places} places and its starter pages."
            )
        )
        self.stdout.write("Still to do before it can go live:")
        for missing in onboarding.what_is_missing(region):
            self.stdout.write(f"  - {missing}")
        portal_hosts = ", ".join(sorted(settings.PORTAL_HOSTS))
        self.stdout.write(
            f"Open {admin_path} on a portal host ({portal_hosts}) to work through the "
            "checklist and go live."
        )

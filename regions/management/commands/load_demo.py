"""Demo data for `make run`: two regions with their own look, places and demo accounts."""

import io

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from regions.models import Region, RegionDomain, StaffMembership, StaffRole
from regions.places import import_places

DEMO_PASSWORD = "demo-starkeregion"  # noqa: S105  (printed for the demo; never used in production)

DEMO_REGIONS = [
    {
        "slug": "pm",
        "name": "Potsdam-Mittelmark",
        "district_key": "12069",
        "claim": "Teilen, was da ist – gemeinsam stark in Potsdam-Mittelmark",
        "primary_color": "#1f6b3a",
        "operator_name": "Wirtschaftsförderung Potsdam-Mittelmark (Demo)",
        "operator_address": "Niemöllerstraße 1\n14806 Bad Belzig",
        "operator_email": "kontakt@pm.example.org",
        "operator_phone": "033841 00000",
        "hosts": ["pm.localhost"],
        "moderation": Region.Moderation.POST,
    },
    {
        "slug": "ohv",
        "name": "Oberhavel",
        "district_key": "12065",
        "claim": "Oberhavel hilft sich selbst: Maschinen, Räume und Wissen teilen",
        "primary_color": "#1d4f91",
        "operator_name": "Wirtschaftsförderung Oberhavel (Demo)",
        "operator_address": "Adolf-Dechert-Straße 1\n16515 Oranienburg",
        "operator_email": "kontakt@ohv.example.org",
        "operator_phone": "03301 00000",
        "hosts": ["ohv.localhost"],
        "moderation": Region.Moderation.PRE,
    },
]


def make_logo(text: str, colour: str) -> ContentFile:
    """A simple square logo: the region's short name, white on its colour."""
    size = 256
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=220 // max(len(text), 2))
    draw.rounded_rectangle((12, 12, size - 12, size - 12), radius=36, outline="white", width=8)
    draw.text((size / 2, size / 2), text.upper(), fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())


class Command(BaseCommand):
    help = "Load the demo regions and accounts, unless demo data is there already."

    def handle(self, **options):
        if Region.objects.filter(slug="pm").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        with transaction.atomic():
            regions = {spec["slug"]: self.create_region(spec) for spec in DEMO_REGIONS}
            self.create_people(regions)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded. Regions: http://pm.localhost:8000 and http://ohv.localhost:8000\n"
                f"Accounts (password „{DEMO_PASSWORD}“): betreiber@example.org (operator), "
                "moderation@pm.example.org (staff of Potsdam-Mittelmark), "
                "mitglied@example.org (member). The back office asks staff to set up "
                "two-factor authentication first."
            )
        )

    def create_region(self, spec):
        spec = dict(spec)
        hosts = spec.pop("hosts")
        region = Region(**spec)
        region.logo.save(
            f"{region.slug}.png", make_logo(region.slug, region.primary_color), save=False
        )
        region.save()
        for index, host in enumerate(hosts):
            RegionDomain.objects.create(region=region, host=host, is_primary=index == 0)
        import_places(region.district_key)
        return region

    def create_people(self, regions):
        User = get_user_model()

        def person(email, **flags):
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **flags)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            return user

        person("betreiber@example.org", is_superuser=True, is_staff=True)
        moderator = person("moderation@pm.example.org")
        StaffMembership.objects.create(user=moderator, region=regions["pm"], role=StaffRole.ADMIN)
        person("mitglied@example.org")

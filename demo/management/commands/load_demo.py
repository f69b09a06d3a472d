"""Demo data for `make run`: two regions with their own look, places, demo accounts, a
dozen organisations, about 150 listings and a dozen conversations each. Loading it again
adds only what is missing."""

import io
import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from demo import alerts as demo_alerts
from demo import inquiries as demo_inquiries
from demo import listings as demo_listings
from demo import matching as demo_matching
from demo import outcomes as demo_outcomes
from demo import people as demo_people
from demo import pools as demo_pools
from demo import trips as demo_trips
from demo.organisations import DEMO_ORGANISATIONS
from organisations.models import Membership, Organisation, Role, Verification
from regions.models import (
    InstallationOperator,
    Place,
    Region,
    RegionDomain,
    StaffMembership,
    StaffRole,
)
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
        "operator_representative": "Erika Beispiel (Geschäftsführerin)",
        "operator_register": "Amtsgericht Potsdam, HRB 00000 (Demo)",
        "operator_responsible_person": "Erika Beispiel, Niemöllerstraße 1, 14806 Bad Belzig",
        "operator_privacy_officer": "Datenschutzbeauftragte der Wirtschaftsförderung, "
        "datenschutz@pm.example.org",
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
        "operator_representative": "Max Beispiel (Geschäftsführer)",
        "operator_responsible_person": "Max Beispiel, Adolf-Dechert-Straße 1, 16515 Oranienburg",
        "hosts": ["ohv.localhost"],
        "moderation": Region.Moderation.PRE,
    },
]

# Who runs the demo installation: the portal's imprint and the technical operator named in
# every region's privacy policy.
DEMO_INSTALLATION_OPERATOR = {
    "operator_name": "starkeRegion Demo-Betrieb (Demo)",
    "operator_address": "Beispielweg 1\n14467 Potsdam",
    "operator_email": "betrieb@example.org",
    "operator_phone": "0331 00000",
    "operator_representative": "Maria Beispiel (Vorstand)",
    "operator_responsible_person": "Maria Beispiel, Beispielweg 1, 14467 Potsdam",
    "operator_privacy_officer": "datenschutz@example.org",
    "state": "12",
    "hosting_provider": "Beispiel-Rechenzentrum GmbH, Berlin (Server in Deutschland)",
    "email_provider": "Beispiel-Mailversand GmbH, Berlin",
    "log_retention": "7 Tagen",
}

# Dark enough for white initials (contrast 4.5:1 or more).
LOGO_COLOURS = ["#1f6b3a", "#1d4f91", "#8a3b12", "#6b2d77", "#0b5e7e", "#7a1f5c", "#4a5a12"]
# Words that make no initials: legal forms and joining words.
NOT_INITIALS = re.compile(r"^(GmbH|UG|KG|MVZ|e\.|V\.|K\.|gGmbH|Co\.|&|am|an|der|die|und|\d+)$")


def make_logo(text: str, colour: str) -> ContentFile:
    """A simple square logo: a short name or initials, white on a colour."""
    size = 256
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=220 // max(len(text), 2))
    draw.rounded_rectangle((12, 12, size - 12, size - 12), radius=36, outline="white", width=8)
    draw.text((size / 2, size / 2), text.upper(), fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())


def initials(name: str) -> str:
    """Two letters for a logo: "SV Blau-Weiß Beelitz e. V." gives "SB"."""
    words = [word for word in re.split(r"[\s-]+", name) if not NOT_INITIALS.match(word)]
    return "".join(word[0] for word in words[:2]).upper()


def make_proof(organisation: Organisation, valid_until) -> ContentFile:
    """A one-page PDF standing in for a tax office's exemption notice."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    lines = [
        ("Freistellungsbescheid – DEMO, kein echtes Dokument", 22),
        (organisation.name, 18),
        (f"{organisation.street}, {organisation.place}", 14),
        (f"gültig bis {valid_until:%d.%m.%Y}", 14),
    ]
    top = 80
    for text, size in lines:
        draw.text((60, top), text, fill="black", font=ImageFont.load_default(size=size))
        top += size * 2
    buffer = io.BytesIO()
    page.save(buffer, format="PDF")
    return ContentFile(buffer.getvalue())


class Command(BaseCommand):
    help = (
        "Load the demo regions, accounts, organisations, listings and conversations; "
        "only what is missing."
    )

    def handle(self, **options):
        with transaction.atomic():
            fresh = not Region.objects.filter(slug="pm").exists()
            if fresh:
                if not InstallationOperator.objects.exists():
                    InstallationOperator.objects.create(**DEMO_INSTALLATION_OPERATOR)
                regions = {spec["slug"]: self.create_region(spec) for spec in DEMO_REGIONS}
                self.create_people(regions)
            else:
                slugs = [spec["slug"] for spec in DEMO_REGIONS]
                regions = {region.slug: region for region in Region.objects.filter(slug__in=slugs)}
            added = self.create_organisations(regions)
            # Names for the people, also those of a demo loaded before they had any.
            added += demo_people.load()
            # Listings only for a region that has none yet (see demo.listings).
            added += sum(demo_listings.load(region) for region in regions.values())
            # Conversations only for a region that has no inquiries yet (demo.inquiries).
            added += sum(demo_inquiries.load(region) for region in regions.values())
            # A year of exchanges handed over before them, for the impact figures.
            added += sum(demo_outcomes.load(region) for region in regions.values())
            # Co-investment pools, one of each kind at another stage (demo.pools).
            added += sum(demo_pools.load(region) for region in regions.values())
            # Trips with room to spare and goods to carry, with their routes (demo.trips).
            added += sum(demo_trips.load(region) for region in regions.values())
            # Offers and requests that fit, and the demo member's watch list (demo.matching).
            added += sum(demo_matching.load(region) for region in regions.values())
            added += sum(demo_matching.load_watch_list(region) for region in regions.values())
            # The demo member's saved searches, unless they have some (demo.alerts).
            added += sum(demo_alerts.load(region) for region in regions.values())
        if not fresh and not added:
            self.stdout.write("Demo data is already loaded.")
            return
        pm, ohv = regions["pm"], regions["ohv"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded. Regions: {pm.build_absolute_uri()} and "
                f"{ohv.build_absolute_uri()}\n"
                f"Accounts (password „{DEMO_PASSWORD}“): betreiber@example.org (operator), "
                "moderation@pm.example.org (staff of Potsdam-Mittelmark), "
                "mitglied@example.org (member of two organisations in Potsdam-Mittelmark). "
                "The back office asks staff to set up two-factor authentication first."
            )
        )

    def create_region(self, spec):
        spec = dict(spec)
        hosts = spec.pop("hosts")
        # The demo's regions are live at once; a real one goes live through its checklist.
        region = Region(is_active=True, **spec)
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

    def create_organisations(self, regions) -> int:
        """Adds the demo organisations missing from `regions`; returns how many."""
        User = get_user_model()
        people = {
            "member": User.objects.filter(email="mitglied@example.org").first(),
            "pm": User.objects.filter(email="moderation@pm.example.org").first(),
            "ohv": User.objects.filter(email="betreiber@example.org").first(),
        }
        added = 0
        for slug, specs in DEMO_ORGANISATIONS.items():
            region = regions.get(slug)
            for index, spec in enumerate(specs if region else []):
                if not Organisation.objects.in_region(region).filter(name=spec["name"]).exists():
                    self.create_organisation(region, dict(spec), index, people)
                    added += 1
        return added

    def create_organisation(self, region, spec, index, people):
        """One organisation with a generated logo, an owner (an account that cannot log in,
        or the demo member), and for verified non-profits a proof of status."""
        User = get_user_model()
        postal_code, place_name = spec.pop("place")
        domain = spec.pop("domain")
        short_name = domain.split(".")[0]
        demo_member_role = spec.pop("demo_member", None)
        proof_valid_for_days = spec.pop("proof_valid_for_days", None)
        organisation = Organisation(
            region=region,
            place=Place.objects.in_region(region).get(postal_code=postal_code, name=place_name),
            website=f"https://www.{domain}",
            public_email=f"kontakt@{domain}",
            **spec,
        )
        if organisation.verification != Verification.NEW:
            organisation.verified_by = people[region.slug]
        if organisation.verification == Verification.VERIFIED:
            organisation.verified_at = timezone.now() - timedelta(days=20 + index)
        colour = LOGO_COLOURS[index % len(LOGO_COLOURS)]
        logo = make_logo(initials(organisation.name), colour)
        organisation.logo.save(f"{short_name}.png", logo, save=False)
        if proof_valid_for_days is not None:
            valid_until = timezone.localdate() + timedelta(days=proof_valid_for_days)
            organisation.proof_valid_until = valid_until
            proof = make_proof(organisation, valid_until)
            organisation.proof.save(f"{short_name}-freistellungsbescheid.pdf", proof, save=False)
        organisation.save()

        member = people["member"]
        if demo_member_role == "owner" and member:
            owner = member
        else:
            email = f"inhaber@{domain}"
            owner = User.objects.filter(email=email).first() or User.objects.create_user(
                email=email, password=None
            )
        Membership.objects.create(organisation=organisation, user=owner, role=Role.OWNER)
        if demo_member_role == "member" and member:
            Membership.objects.create(organisation=organisation, user=member, role=Role.MEMBER)

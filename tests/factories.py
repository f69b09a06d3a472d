"""Small builders for test data; each returns a saved object with sensible defaults."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from regions.models import Region, RegionDomain, RegionPage, StaffMembership

PASSWORD = "correct horse battery staple"


def make_region(slug, *, district_key, host=None, name=None, **fields):
    region = Region.objects.create(
        slug=slug,
        name=name or slug.upper(),
        district_key=district_key,
        operator_name=fields.pop("operator_name", f"Wirtschaftsförderung {slug.upper()}"),
        operator_address=fields.pop("operator_address", "Hauptstraße 1\n14806 Bad Belzig"),
        operator_email=fields.pop("operator_email", f"kontakt@{slug}.example.org"),
        **fields,
    )
    RegionDomain.objects.create(region=region, host=host or f"{slug}.localhost", is_primary=True)
    return region


def make_user(email, *, password=PASSWORD, verified=True, **fields):
    user = get_user_model().objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def enable_totp(user):
    """Gives the user an authenticator app, as if they had set it up; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_staff(email, region, role, *, totp=True):
    user = make_user(email)
    StaffMembership.objects.create(user=user, region=region, role=role)
    if totp:
        enable_totp(user)
    return user


def page_of(region, kind=RegionPage.Kind.IMPRINT):
    return RegionPage.objects.get(region=region, kind=kind)

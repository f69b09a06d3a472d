"""Small builders for test data; each returns a saved object with sensible defaults."""

import datetime
import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model
from django.utils import timezone

from listings import indexing, services
from listings.models import Category, Direction, Listing, Status, Terms
from organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    Sector,
    SizeClass,
)
from regions.models import Place, Region, RegionDomain, RegionPage, StaffMembership
from regions.places import import_places

PASSWORD = "correct horse battery staple"


def make_region(slug, *, district_key, host=None, name=None, **fields):
    region = Region.objects.create(
        slug=slug,
        name=name or slug.upper(),
        district_key=district_key,
        operator_name=fields.pop("operator_name", f"Wirtschaftsförderung {slug.upper()}"),
        operator_address=fields.pop("operator_address", "Hauptstraße 1\n14806 Bad Belzig"),
        operator_email=fields.pop("operator_email", f"kontakt@{slug}.example.org"),
        is_active=fields.pop("is_active", True),
        **fields,
    )
    RegionDomain.objects.create(region=region, host=host or f"{slug}.localhost", is_primary=True)
    return region


def make_user(email, *, password=PASSWORD, verified=True, **fields):
    user = get_user_model().objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def totp_code(secret):
    """The code the authenticator app shows now. Near the end of its 30 seconds it waits
    for the next one, so that the code is still valid when the server checks it."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


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


def place(postal_code, name):
    """The place of that postal code and name, of a region whose places are imported."""
    return Place.objects.get(postal_code=postal_code, name=name)


def make_organisation(region, name="Muster GmbH", *, owner=None, place=None, **fields):
    """An organisation of `region` at one of its places (imported on first use);
    `owner` becomes its owner."""
    if place is None:
        place = Place.objects.in_region(region).order_by("postal_code", "name").first()
        if place is None:
            import_places(region.district_key)
            place = Place.objects.in_region(region).order_by("postal_code", "name").first()
    fields.setdefault("type", OrganisationType.COMPANY)
    fields.setdefault("sector", Sector.OTHER_SERVICES)
    fields.setdefault("size", SizeClass.SMALL)
    fields.setdefault("street", "Hauptstraße 1")
    organisation = Organisation.objects.create(region=region, name=name, place=place, **fields)
    if owner is not None:
        make_membership(organisation, owner, Role.OWNER)
    return organisation


def make_membership(organisation, user, role=Role.MEMBER):
    return Membership.objects.create(organisation=organisation, user=user, role=role)


def make_invitation(organisation, email, *, role=Role.MEMBER, invited_by=None):
    return Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )


def sign_in_with_two_factor(client, user):
    """Logs `user` in on `client` as after password and authenticator code.

    allauth records the steps of a sign-in in the session; the back office asks
    for the second one (see regions.backoffice.passed_two_factor).
    """
    import time

    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def profile_data(organisation, **changes):
    """The organisation's profile form as posted, with `changes` applied."""
    data = {
        "name": organisation.name,
        "type": organisation.type,
        "legal_form": "",
        "sector": organisation.sector,
        "size": organisation.size,
        "street": organisation.street,
        "postal_code": organisation.place.postal_code,
        "place_name": organisation.place.name,
    }
    return {**data, **changes}


def category(slug):
    """One of the seeded categories (migration listings 0003), e.g. "maschinen"."""
    return Category.objects.select_related("parent").get(slug=slug)


def make_listing(organisation, title="Gabelstapler zu vermieten", *, status=None, **fields):
    """A listing of `organisation`, published unless `status` says otherwise, with its
    search columns indexed as the services would."""
    fields.setdefault("direction", Direction.OFFER)
    fields.setdefault("category", category("maschinen"))
    fields.setdefault("description", f"{title}. Gut erhalten, kurzfristig verfügbar.")
    fields.setdefault("terms", Terms.RENT)
    fields.setdefault("place", organisation.place)
    author = fields.pop("author", None)
    listing = Listing(region=organisation.region, organisation=organisation, title=title, **fields)
    listing.author = author
    services.apply_terms(listing)
    listing.save()
    if (status or Status.PUBLISHED) == Status.PUBLISHED:
        services._publish(listing, author, "published")
    elif status:
        listing.status = status
        listing.save(update_fields=["status"])
    indexing.reindex([listing.pk])
    return listing


def in_days(days):
    """The local date `days` from today (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=days)


def fresh(obj):
    """The object as the database has it now."""
    return type(obj).objects.get(pk=obj.pk)


def claim(listing, organisation, author, quantity):
    """An inquiry claiming `quantity` of what `listing` gives away, through the service."""
    from inquiries import services as inquiry_services

    return inquiry_services.create_inquiry(
        listing, organisation, author, body="Wir würden gern abholen.", quantity=quantity
    )

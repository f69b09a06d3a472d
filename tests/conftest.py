"""Shared fixtures: two regions (pm, ohv), clients bound to their hosts, and people in
every role: a member, staff of pm (moderator, region admin), staff of ohv, the operator."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.functional import empty

from listings.models import Category, Terms
from organisations.models import OrganisationType, Role, Verification, private_storage
from regions.models import StaffRole
from regions.places import import_places

from .factories import (
    category,
    enable_totp,
    make_listing,
    make_membership,
    make_organisation,
    make_region,
    make_staff,
    make_user,
)
from .trips_helpers import place

seed_categories = importlib.import_module("listings.migrations.0003_seed_categories")
old_platform_values = importlib.import_module("listings.migrations.0009_old_platform_values")


@pytest.fixture(autouse=True)
def _seeded_categories(request):
    """The category tree of migrations listings/0003 and 0009, for every test that uses the
    database.

    Browser tests are transactional and end by flushing every table, the seeded
    categories too; the tests after them (in random order) need them back.
    """
    wants_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if wants_database:
        request.getfixturevalue("_django_db_helper")
        if not Category.objects.exists():
            seed_categories.seed(django_apps, schema_editor=None)
            old_platform_values.forwards(django_apps, schema_editor=None)


@pytest.fixture(autouse=True)
def _no_cache_left_by_committing_tests(request):
    """Empties the (database) cache after a test whose writes are committed.

    Such a test (transactional_db, live_server) commits what it caches – a district's
    places, a region's size, rate limits – and the flush after it leaves the cache table
    alone, so the tests after it, in random order, would find it there.
    """
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pm(db):
    return make_region(
        "pm", district_key="12069", name="Potsdam-Mittelmark", primary_color="#1f6b3a"
    )


@pytest.fixture
def ohv(db):
    return make_region("ohv", district_key="12065", name="Oberhavel", primary_color="#1d4f91")


@pytest.fixture
def pm_client(pm):
    return Client(HTTP_HOST="pm.localhost")


@pytest.fixture
def ohv_client(ohv):
    return Client(HTTP_HOST="ohv.localhost")


@pytest.fixture
def portal_client(db):
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def member(db):
    return make_user("mitglied@example.org")


@pytest.fixture
def pm_moderator(pm):
    return make_staff("moderation@pm.example.org", pm, StaffRole.MODERATOR)


@pytest.fixture
def pm_admin(pm):
    return make_staff("admin@pm.example.org", pm, StaffRole.ADMIN)


@pytest.fixture
def ohv_admin(ohv):
    return make_staff("admin@ohv.example.org", ohv, StaffRole.ADMIN)


@pytest.fixture
def operator(db):
    user = make_user("betreiber@example.org", is_superuser=True, is_staff=True)
    enable_totp(user)
    return user


# Organisations: the roles of one pm organisation, and where uploads go in tests. ----------


@pytest.fixture
def places(pm):
    """The real places (postal codes with coordinates) of Potsdam-Mittelmark."""
    import_places(pm.district_key)


@pytest.fixture
def spedition(pm, places):
    """A haulier in Werder (Havel), whose trips the route tests follow."""
    return make_organisation(
        pm,
        "Spedition Werder",
        owner=make_user("fahrt@werder.example"),
        place=place("Werder (Havel)"),
    )


@pytest.fixture
def hofladen(pm, places):
    """A farm shop in Götz, with goods to send."""
    return make_organisation(
        pm, "Hofladen Götz", owner=make_user("hof@goetz.example"), place=place("Götz")
    )


@pytest.fixture
def upload_dirs(settings, tmp_path):
    """Public and private uploads go to temporary folders, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "location": private},
        },
    }
    private_storage._wrapped = empty  # the lazy storage resolves the new settings
    yield SimpleNamespace(media=settings.MEDIA_ROOT, private=private)
    private_storage._wrapped = empty


@pytest.fixture
def owner(db):
    return make_user("inhaberin@tischlerei.example")


@pytest.fixture
def organisation(pm, owner):
    return make_organisation(pm, "Tischlerei Holzwurm", owner=owner)


@pytest.fixture
def organisation_admin(organisation):
    user = make_user("verwaltung@tischlerei.example")
    make_membership(organisation, user, Role.ADMIN)
    return user


@pytest.fixture
def organisation_member(organisation):
    user = make_user("geselle@tischlerei.example")
    make_membership(organisation, user, Role.MEMBER)
    return user


@pytest.fixture
def outsider(db):
    return make_user("fremd@anderswo.example")


@pytest.fixture
def client_for(pm, ohv):
    """A client on a region's host (pm by default), logged in as the given user if any."""

    def make(user=None, host="pm.localhost"):
        client = Client(HTTP_HOST=host)
        if user is not None:
            client.force_login(user)
        return client

    return make


# Listings -----------------------------------------------------------------------------------


@pytest.fixture
def listing(organisation, owner):
    """A published offer of the pm organisation, by its owner."""
    return make_listing(organisation, author=owner)


# Inquiries ----------------------------------------------------------------------------------


@pytest.fixture
def inquirer(db):
    """The owner of a pm youth club, which asks for listings of others."""
    return make_user("leitung@jugendclub.example")


@pytest.fixture
def inquirer_organisation(pm, inquirer):
    return make_organisation(
        pm, "Jugendclub Werder", owner=inquirer, type=OrganisationType.ASSOCIATION
    )


@pytest.fixture
def school_user(db):
    return make_user("sekretariat@schule.example")


@pytest.fixture
def school(pm, school_user):
    """A pm school verified by staff, so eligible for donations to non-profits."""
    return make_organisation(
        pm,
        "Grundschule am See",
        owner=school_user,
        type=OrganisationType.SCHOOL,
        verification=Verification.VERIFIED,
    )


@pytest.fixture
def desks(organisation, owner):
    """Five desks the pm organisation gives away, claimed by quantity."""
    return make_listing(
        organisation,
        "Schreibtische zu verschenken",
        author=owner,
        terms=Terms.GIVE_AWAY,
        quantity=5,
        category=category("it-technik"),
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Posts as a browser would, and runs what waits for the commit (the mails)."""

    def send(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return send


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (German): a request in English
    leaves English active in the thread, and services called directly speak it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()

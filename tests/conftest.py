"""Shared fixtures: two regions (pm, ohv), clients bound to their hosts, and people in
every role: a member, staff of pm (moderator, region admin), staff of ohv, the operator."""

import pytest
from django.test import Client

from regions.models import StaffRole

from .factories import enable_totp, make_region, make_staff, make_user


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

"""`make run` loads this demo: two regions with their own look, places and accounts."""

import pytest
from django.core.management import call_command
from django.test import Client

from regions.models import Place, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")


def test_demo_has_two_branded_regions_on_their_hosts(demo):
    pm = Region.objects.get(slug="pm")
    ohv = Region.objects.get(slug="ohv")
    assert pm.primary_color != ohv.primary_color
    assert pm.logo and ohv.logo
    assert pm.primary_host == "pm.localhost"
    assert ohv.primary_host == "ohv.localhost"
    assert Place.objects.in_region(pm).exists() and Place.objects.in_region(ohv).exists()
    pm_home = Client(HTTP_HOST="pm.localhost").get("/").content.decode()
    assert pm.logo.url in pm_home
    assert "Potsdam-Mittelmark" in pm_home
    portal = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert "Potsdam-Mittelmark" in portal and "Oberhavel" in portal


def test_demo_accounts_can_log_in(demo):
    from regions.management.commands.load_demo import DEMO_PASSWORD

    client = Client(HTTP_HOST="pm.localhost")
    response = client.post(
        "/accounts/login/", {"login": "mitglied@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (Region.objects.count(), Place.objects.count())
    call_command("load_demo")
    assert (Region.objects.count(), Place.objects.count()) == counts

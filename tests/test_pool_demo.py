"""The demo (`manage.py load_demo`) has a pool of each kind in Potsdam-Mittelmark, each at
another stage, played through the services: the demo member initiates one, is a partner
in another and reads its group thread; loading again adds nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from pools.models import Pool, PoolStatus
from regions.models import Region

from .test_pool_pages import NO_MONEY

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pool_of_each_kind_at_another_stage(upload_dirs):
    call_command("load_demo")
    pools = {pool.shared: pool for pool in Pool.objects.in_region(Region.objects.get(slug="pm"))}

    office, specialist, machine = pools["office"], pools["specialist"], pools["machine"]
    assert office.is_open and office.progress().partners == 1 and not office.thread_is_open
    assert specialist.is_open and specialist.progress().threshold_reached
    assert specialist.messages.exists()
    assert machine.status == PoolStatus.FORMED and machine.messages.exists()
    assert all(pool.listing.is_published for pool in pools.values())

    member = get_user_model().objects.get(email="mitglied@example.org")
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(member)
    html = client.get(office.listing.get_absolute_url()).content.decode()
    assert "Wer zugesagt hat" in html and NO_MONEY in html
    assert client.get(f"/pools/{specialist.pk}/thread/").status_code == 200

    call_command("load_demo")
    assert Pool.objects.count() == 3

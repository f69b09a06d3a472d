"""Formed partnerships count: on the page "Erfolge" (in all and in the last 12 months) and
in the back office's district figures for a period. Open and lapsed pools never count, nor
another region's."""

import datetime

import pytest
from django.utils import timezone

from impact.figures import region_impact
from impact.report import Period, build_report
from pools import services

from .factories import make_region
from .pool_helpers import make_partner, make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def pools(pm, organisation, owner):
    """In pm: one partnership formed with two partners, one open, one lapsed; in another
    region one formed."""
    formed = make_pool(organisation, owner, title="Gemeinsame Fräse", partners_sought=2)
    for number in range(2):
        services.commit(
            formed,
            *make_partner(pm, f"Partner {number}", f"chef{number}@p.example"),
            share=30,
            use="x",
        )
    services.form(formed, owner)

    still_open = make_pool(organisation, owner, title="Büro gesucht")
    services.commit(
        still_open, *make_partner(pm, "Offen GmbH", "chef@offen.example"), share=10, use="x"
    )
    lapsed = make_pool(organisation, owner, title="Fachkraft Buchhaltung")
    services.lapse(lapsed, owner, "Niemand gefunden")

    elsewhere = make_region("hvl", district_key="12063", name="Havelland")
    other, other_owner = make_partner(elsewhere, "Havel GmbH", "chef@havel.example")
    far = make_pool(other, other_owner, title="Havelbüro", partners_sought=1)
    services.commit(
        far, *make_partner(elsewhere, "Havel Partner", "p@havel.example"), share=50, use="x"
    )
    services.form(far, other_owner)
    return formed


def test_the_impact_page_counts_formed_partnerships(pm, pm_client, pools):
    impact = region_impact(pm)
    assert (impact.partnerships.total, impact.partnerships.recent) == (1, 1)

    html = pm_client.get("/impact/").content.decode()
    assert "Partnerschaften für geteilte Maschinen, Büros oder Fachkräfte" in html


def test_forming_a_partnership_renews_the_cached_figures(pm, organisation, owner):
    assert region_impact(pm).partnerships.total == 0
    pool = make_pool(organisation, owner, partners_sought=1)
    services.commit(pool, *make_partner(pm, "Neu GmbH", "chef@neu.example"), share=10, use="x")
    services.form(pool, owner)
    assert region_impact(pm).partnerships.total == 1


def test_the_district_figures_count_partnerships_of_the_period(pm, pools):
    today = timezone.localdate()
    report = build_report([pm], Period(today - datetime.timedelta(days=30), today))
    table = next(table for table in report.tables if table.key == "partnerships")
    values = {row.label: row.values for row in table.rows}

    assert values["Gebildete Partnerschaften"] == [1]
    assert values["Partnerorganisationen darin"] == [2]
    assert values["Begonnene Pools"] == [3]
    assert values["Abgesagte Pools"] == [1]

    earlier = Period(today - datetime.timedelta(days=400), today - datetime.timedelta(days=200))
    report = build_report([pm], earlier)
    table = next(table for table in report.tables if table.key == "partnerships")
    assert all(row.values == [0] for row in table.rows)

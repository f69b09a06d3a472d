"""The host decides the region: every region sees only itself, unknown hosts see none."""

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from regions.models import RegionDomain, RegionPage
from regions.places import place_in_region
from regions.tenancy import region_for_host

from .factories import make_region

pytestmark = pytest.mark.django_db


def test_region_host_shows_its_own_name_colour_and_operator(pm_client, pm, ohv):
    response = pm_client.get("/")
    assert response.status_code == 200
    assert response.context["region"] == pm
    html = response.content.decode()
    assert "Potsdam-Mittelmark" in html
    assert "--brand: #1f6b3a" in html
    assert "Oberhavel" not in html
    assert "#1d4f91" not in html


def test_the_same_path_on_another_host_shows_the_other_region(ohv_client, pm, ohv):
    html = ohv_client.get("/").content.decode()
    assert "Oberhavel" in html
    assert "Potsdam-Mittelmark" not in html


def test_region_pages_come_from_the_host_region_only(pm_client, ohv_client, pm, ohv):
    assert "Wirtschaftsförderung PM" in pm_client.get("/imprint/").content.decode()
    ohv_imprint = ohv_client.get("/imprint/").content.decode()
    assert "Wirtschaftsförderung OHV" in ohv_imprint
    assert "Wirtschaftsförderung PM" not in ohv_imprint


def test_a_region_pages_change_date_is_a_valid_machine_readable_time(pm_client, pm):
    moment = datetime(2026, 1, 15, 9, 30, 5, 654321, tzinfo=UTC)
    RegionPage.objects.in_region(pm).update(updated_at=moment)
    html = pm_client.get("/imprint/").content.decode()
    assert re.findall(r'<time datetime="([^"]*)"', html) == ["2026-01-15T10:30:05+01:00"]


def test_a_region_is_named_with_its_own_preposition(db):
    """German says "im Havelland", "in der Uckermark"; English "in" before every name."""
    make_region("hvl", district_key="12063", name="Havelland", preposition="im")
    client = Client(HTTP_HOST="hvl.localhost")
    pages = {
        "/": "Unternehmen und Einrichtungen im Havelland:",
        "/listings/": "Anzeigen im Havelland",
        "/organisations/": "Unternehmen und Einrichtungen im Havelland, die",
        "/listings/feed/": "<title>Anzeigen im Havelland</title>",
    }
    for path, text in pages.items():
        html = client.get(path).content.decode()
        assert text in html, path
        assert "in Havelland" not in html, path
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Listings in Havelland" in client.get("/listings/").content.decode()


def test_a_postal_code_outside_the_region_is_refused_with_its_preposition(db):
    region = make_region("um", district_key="12073", name="Uckermark", preposition="in der")
    with pytest.raises(ValidationError) as refusal:
        place_in_region(region, "14806", "Bad Belzig")
    assert refusal.value.message_dict["postal_code"] == [
        "Die Postleitzahl 14806 liegt nicht in der Uckermark."
    ]


@pytest.mark.parametrize(
    ("name", "preposition"),
    [
        ("Potsdam-Mittelmark", "in"),
        ("Oberhavel", "in"),
        ("Havelland", "im"),
        ("Rhein-Sieg-Kreis", "im"),
        ("Landkreis Rostock", "im"),
        ("Märkischer Kreis", "im"),
        ("Uckermark", "in der"),
        ("Region Hannover", "in der"),
    ],
)
def test_existing_regions_get_the_preposition_their_name_takes(db, name, preposition):
    migration = importlib.import_module("regions.migrations.0003_region_preposition")
    region = make_region("r", district_key="12000", name=name)
    assert region.preposition == "in"  # the default, which every region said so far
    migration.set_prepositions(django_apps, schema_editor=None)
    region.refresh_from_db()
    assert region.preposition == preposition


def test_host_matching_ignores_case_and_port(pm):
    response = Client(HTTP_HOST="PM.Localhost:8000").get("/")
    assert response.status_code == 200
    assert response.context["region"] == pm


def test_unknown_host_gets_a_friendly_404_without_any_region(pm):
    response = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "nowhere.localhost" in html
    assert "Potsdam-Mittelmark" not in html
    assert "Unter dieser Adresse gibt es keine Region" in html
    assert "/accounts/login/" not in html, "no links that answer 404 on this host"


def test_unknown_host_stays_404_on_every_path(pm):
    client = Client(HTTP_HOST="nowhere.localhost")
    for path in ["/imprint/", "/accounts/login/", "/admin/", "/does-not-exist/"]:
        assert client.get(path).status_code == 404, path


def test_inactive_region_answers_404_everywhere(pm_client, pm):
    pm.is_active = False
    pm.save()
    for path in ["/", "/imprint/", "/accounts/login/"]:
        response = pm_client.get(path)
        assert response.status_code == 404, path
        assert "Potsdam-Mittelmark" not in response.content.decode()


def test_host_outside_allowed_hosts_is_a_400_not_a_500(pm):
    response = Client(HTTP_HOST="evil.example.com").get("/")
    assert response.status_code == 400


def test_portal_lists_active_regions_with_links_to_their_hosts(portal_client, pm, ohv):
    ohv.is_active = False
    ohv.save()
    response = portal_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="http://pm.localhost/"' in html
    assert "Potsdam-Mittelmark" in html
    assert "Oberhavel" not in html


def test_portal_query_count_does_not_grow_with_regions(
    portal_client, pm, django_assert_max_num_queries
):
    from .factories import make_region

    for number in range(5):
        make_region(f"r{number}", district_key=f"1100{number}")
    with django_assert_max_num_queries(4):
        assert portal_client.get("/").status_code == 200


def test_region_lookup_is_cached_and_forgotten_when_a_host_changes(pm):
    assert region_for_host("pm.localhost") == pm
    with CaptureQueriesContext(connection) as queries:
        assert region_for_host("pm.localhost") == pm
    assert not any("regions_regiondomain" in q["sql"] for q in queries.captured_queries)

    domain = RegionDomain.objects.get(host="pm.localhost")
    domain.host = "mittelmark.localhost"
    domain.save()

    assert region_for_host("pm.localhost") is None
    assert region_for_host("mittelmark.localhost") == pm
    assert Client(HTTP_HOST="pm.localhost").get("/").status_code == 404
    assert Client(HTTP_HOST="mittelmark.localhost").get("/").status_code == 200


def test_switching_a_region_off_takes_effect_at_once(pm_client, pm):
    assert pm_client.get("/").status_code == 200  # now cached
    pm.is_active = False
    pm.save()
    assert pm_client.get("/").status_code == 404


def test_deleting_a_host_name_takes_effect_at_once(pm_client, pm):
    assert pm_client.get("/").status_code == 200
    RegionDomain.objects.filter(host="pm.localhost").delete()
    assert pm_client.get("/").status_code == 404


def test_a_new_host_name_works_at_once_even_after_a_miss(pm):
    assert Client(HTTP_HOST="neu.localhost").get("/").status_code == 404
    RegionDomain.objects.create(region=pm, host="neu.localhost")
    assert Client(HTTP_HOST="neu.localhost").get("/").status_code == 200


def test_absolute_urls_for_emails_use_the_regions_primary_host(pm, ohv, settings):
    settings.SITE_SCHEME = "https"
    settings.SITE_PORT = ""
    assert pm.reverse("page_imprint") == "https://pm.localhost/imprint/"
    assert ohv.build_absolute_uri("/") == "https://ohv.localhost/"
    RegionDomain.objects.create(region=pm, host="aaa.localhost")  # not primary
    pm.refresh_from_db()
    assert pm.build_absolute_uri("/") == "https://pm.localhost/"


def test_the_cached_region_links_to_its_primary_host_without_a_query(pm):
    region_for_host("pm.localhost")
    cached = region_for_host("pm.localhost")
    with CaptureQueriesContext(connection) as queries:
        assert cached.build_absolute_uri("/x/").endswith("://pm.localhost/x/")
    assert not any("regions_regiondomain" in q["sql"] for q in queries.captured_queries)

    # A new primary host name changes the links of requests on the old one at once.
    RegionDomain.objects.filter(region=pm).update(is_primary=False)
    RegionDomain.objects.create(region=pm, host="mittelmark.localhost", is_primary=True)
    assert region_for_host("pm.localhost").primary_host == "mittelmark.localhost"
    RegionDomain.objects.get(host="mittelmark.localhost").delete()
    assert region_for_host("pm.localhost").primary_host == "pm.localhost"


def test_region_pages_are_created_with_every_new_region(db):
    from django.utils import translation

    from .factories import make_region

    with translation.override("en"):
        pm = make_region("pm", district_key="12069", name="Potsdam-Mittelmark")
    kinds = set(pm.pages.values_list("kind", flat=True))
    assert kinds == {"how-it-works", "imprint", "privacy", "accessibility"}
    assert "Potsdam-Mittelmark" in pm.pages.get(kind="how-it-works").body
    # The region's own content is German, even if whoever created it browses in English.
    assert pm.pages.get(kind="imprint").title == "Impressum"


def test_home_and_page_use_a_constant_number_of_queries(
    pm_client, pm, member, django_assert_max_num_queries
):
    pm_client.force_login(member)
    # The home adds the newest listings, their photos and the category counts.
    for path, queries in [("/", 8), ("/imprint/", 6), ("/privacy/", 6)]:
        pm_client.get(path)  # warm the region cache
        with django_assert_max_num_queries(queries):
            assert pm_client.get(path).status_code == 200


def test_unknown_hosts_do_not_fill_the_shared_cache(pm):
    from django.core.cache import cache

    from regions.tenancy import _cache_key

    for number in range(20):
        Client(HTTP_HOST=f"scan{number}.localhost").get("/")
    assert not any(cache.get(_cache_key(f"scan{n}.localhost")) for n in range(20))


def test_a_host_moved_to_another_region_serves_the_new_region_at_once(pm, ohv):
    assert region_for_host("pm.localhost") == pm
    RegionDomain.objects.filter(host="pm.localhost").update(is_primary=False)
    domain = RegionDomain.objects.get(host="pm.localhost")
    domain.region = ohv
    domain.save()
    assert region_for_host("pm.localhost") == ohv


def test_the_cache_is_forgotten_again_after_the_commit(pm, django_capture_on_commit_callbacks):
    """A request between the save and the commit may cache the old answer; the
    second forgetting after the commit removes it."""
    from django.core.cache import cache

    from regions.tenancy import _cache_key

    with django_capture_on_commit_callbacks(execute=True):
        pm.is_active = False
        pm.save()
        cache.set(_cache_key("pm.localhost"), "stale", 60)  # what a racing request cached
    assert cache.get(_cache_key("pm.localhost")) is None


def test_very_long_host_names_are_no_problem_for_the_cache(pm):
    long_host = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + ".localhost"
    assert Client(HTTP_HOST=long_host).get("/").status_code == 404
    domain = RegionDomain.objects.create(region=pm, host=long_host)
    assert region_for_host(domain.host) == pm


def test_the_portal_leaves_out_regions_without_a_host_name(portal_client, pm, ohv):
    RegionDomain.objects.filter(region=ohv).delete()
    html = portal_client.get("/").content.decode()
    assert "Potsdam-Mittelmark" in html
    assert "Oberhavel" not in html
    assert "None" not in html


def cached_hosts(*hosts):
    from django.core.cache import cache

    from regions.tenancy import _cache_key

    return {host for host in hosts if cache.get(_cache_key(host)) is not None}


def test_changing_a_region_forgets_its_own_hosts_only(pm, ohv):
    RegionDomain.objects.create(region=pm, host="mittelmark.localhost")
    hosts = ("pm.localhost", "mittelmark.localhost", "ohv.localhost")
    for host in hosts:
        region_for_host(host)
    assert cached_hosts(*hosts) == set(hosts)

    pm.claim = "Neu"
    pm.save()

    assert cached_hosts(*hosts) == {"ohv.localhost"}


def test_changing_a_host_name_forgets_its_regions_hosts_only(pm, ohv):
    RegionDomain.objects.create(region=pm, host="mittelmark.localhost")
    hosts = ("pm.localhost", "mittelmark.localhost", "ohv.localhost")
    for host in hosts:
        region_for_host(host)

    domain = RegionDomain.objects.get(host="mittelmark.localhost")
    domain.is_primary = False
    domain.save()

    assert cached_hosts(*hosts) == {"ohv.localhost"}


def test_renaming_a_host_forgets_the_old_name_and_only_its_regions(pm, ohv):
    hosts = ("pm.localhost", "ohv.localhost")
    for host in hosts:
        region_for_host(host)
    domain = RegionDomain.objects.get(host="pm.localhost")
    domain.host = "mittelmark.localhost"
    domain.save()
    assert cached_hosts(*hosts) == {"ohv.localhost"}


def test_a_host_not_yet_cached_costs_two_queries_and_then_none(pm):
    """The host with its region in one query, the region's host names in a second."""
    from django.core.cache import cache

    def region_queries(queries):
        # The test settings cache in the database: count only the region's own tables.
        return [query for query in queries if '"regions_' in query["sql"]]

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert region_for_host("pm.localhost") == pm
    assert len(region_queries(queries)) == 2
    with CaptureQueriesContext(connection) as queries:
        assert region_for_host("pm.localhost").primary_host == "pm.localhost"
    assert region_queries(queries) == []


def test_the_unknown_host_page_says_which_language_it_speaks(pm):
    response = Client(HTTP_HOST="unbekannt.localhost").get("/")
    assert response.status_code == 404
    assert '<html lang="de">' in response.content.decode()

"""Places come offline from the shipped GeoNames copy, per district key."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from regions.models import Place
from regions.places import import_places, places_of

from .factories import sign_in_with_two_factor

pytestmark = pytest.mark.django_db


def test_import_places_loads_a_districts_postal_codes_with_coordinates(pm):
    call_command("import_places", "12069")
    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    assert teltow.district_key == "12069"
    assert teltow.latitude == pytest.approx(52.40, abs=0.05)
    assert teltow.longitude == pytest.approx(13.26, abs=0.05)
    assert Place.objects.in_region(pm).count() == Place.objects.count() > 50
    assert not Place.objects.filter(name__icontains="GmbH").exists()


def test_import_places_runs_again_without_duplicates(pm):
    call_command("import_places", "12069")
    count = Place.objects.count()
    call_command("import_places", "12069")
    assert Place.objects.count() == count


def test_import_places_works_before_the_database_cache_has_its_table(pm, settings):
    """Production without Redis keeps the cache in a table of the database, which
    `createcachetable` makes; the import forgets the district's cached places there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_not_created_yet",
        }
    }
    assert "cache_not_created_yet" not in connection.introspection.table_names()
    call_command("import_places", "12069", stdout=io.StringIO())
    assert Place.objects.in_region(pm).exists()
    assert places_of(pm)  # and the cache works


def system_check_output():
    """What `manage.py check --database default` (and `migrate`) print."""
    output = io.StringIO()
    call_command("check", "--database", "default", stdout=output, stderr=output)
    return output.getvalue()


def test_a_system_check_names_regions_without_postal_codes(pm, ohv):
    import_places(pm.district_key)
    output = system_check_output()
    assert "regions.W001" in output
    assert "Oberhavel" in output and "import_places 12065" in output
    assert "Potsdam-Mittelmark" not in output
    import_places(ohv.district_key)
    assert "regions.W001" not in system_check_output()


def test_the_regions_change_page_warns_without_postal_codes(pm, operator, pm_admin):
    for user in [operator, pm_admin]:
        client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), user)
        page = client.get(f"/admin/regions/region/{pm.pk}/change/").content.decode()
        assert "import_places 12069" in page
        assert "Postleitzahlen" in page
    import_places(pm.district_key)
    page = client.get(f"/admin/regions/region/{pm.pk}/change/").content.decode()
    assert "import_places" not in page


def test_places_of_two_districts_stay_apart(pm, ohv):
    call_command("import_places", "12069")
    call_command("import_places", "12065")
    assert Place.objects.in_region(ohv).filter(name="Oranienburg").exists()
    assert not Place.objects.in_region(pm).filter(name="Oranienburg").exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [("123", "fünf Ziffern"), ("abcde", "fünf Ziffern"), ("99999", "keine Orte")],
)
def test_bad_district_keys_get_a_clear_error(db, key, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_places", key)
    assert not Place.objects.exists()


def place_queries(region):
    with CaptureQueriesContext(connection) as queries:
        names = {place.name for place in places_of(region)}
    return names, [q for q in queries.captured_queries if "regions_place" in q["sql"]]


def test_the_search_reads_a_districts_places_from_the_cache_until_they_change(pm, ohv):
    """Every search around a place needs the district's places; they are read once and
    forgotten by an import and by any change to a place."""
    assert places_of(pm) == ()  # nothing imported yet; the import below forgets that
    call_command("import_places", "12069")
    names, queries = place_queries(pm)
    assert "Teltow" in names and queries
    names, queries = place_queries(pm)
    assert "Teltow" in names and not queries
    assert "Oranienburg" not in names

    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    teltow.name = "Teltow (Stadt)"
    teltow.save()
    assert "Teltow (Stadt)" in place_queries(pm)[0]
    Place.objects.filter(pk=teltow.pk).delete()  # a bulk delete still sends post_delete
    assert "Teltow (Stadt)" not in place_queries(pm)[0]

    call_command("import_places", "12065")
    assert "Oranienburg" in {place.name for place in places_of(ohv)}
    oranienburg = Place.objects.get(name="Oranienburg")
    oranienburg.district_key = pm.district_key  # moved to another district in the admin
    oranienburg.save()
    assert "Oranienburg" in place_queries(pm)[0]
    assert "Oranienburg" not in {place.name for place in places_of(ohv)}

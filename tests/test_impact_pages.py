"""The public side of the impact figures (issue #16): the page "Erfolge" on every region
host, its links from the home page and the footer, the figures on organisation profiles,
the embeddable counter and the Einbinden page that offers it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import Role

from .factories import make_listing, make_membership, make_user, profile_data
from .impact_data import build_scene, hand_over
from .test_embeds import directives

pytestmark = pytest.mark.django_db

PAGE = "/impact/"
EMBED = "/embed/impact/"


@pytest.fixture
def scene(pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer):
    return build_scene(
        pm, ohv, organisation, owner, school, school_user, inquirer_organisation, inquirer
    )


@pytest.fixture
def memory_cache(settings):
    """A cache in memory, so that the queries counted are the page's own."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "i"}
    }
    cache.clear()
    yield
    cache.clear()


def text(response) -> str:
    assert response.status_code == 200, response.content.decode()[:300]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_impact_page_shows_the_regions_figures_in_german(pm_client, scene):
    page = text(pm_client.get(PAGE))
    assert "Was wir in Potsdam-Mittelmark gemeinsam erreicht haben" in page
    assert re.search(r"\b6 erfolgreiche Übergaben\b", page), page[:2000]
    assert "Danke!" in page and "Nicht öffentlich" not in page
    assert "Muster GmbH" in page and "Tischlerei Holzwurm" in page


def test_the_page_never_shows_another_regions_figures(pm_client, ohv_client, scene):
    assert "Toll" not in text(pm_client.get(PAGE))
    assert "Oberhavel GmbH" not in text(pm_client.get(PAGE))
    ohv_page = text(ohv_client.get(PAGE))
    assert "Toll" in ohv_page and "Muster GmbH" not in ohv_page


def test_the_chart_has_its_numbers_in_a_table_and_patterns_not_colour_alone(pm_client, scene):
    html = pm_client.get(PAGE).content.decode()
    assert '<ol class="impact-bars" aria-hidden="true">' in html
    assert html.count('fill="url(#impact-pattern-') >= 5  # the legend's swatches at least
    table = html[html.index('id="impact-chart-table-title"') :]
    assert table.count('<tr><th scope="row">') == 12  # one row per month


def test_the_page_is_in_english_when_chosen(pm_client, scene):
    pm_client.cookies["django_language"] = "en"
    page = text(pm_client.get(PAGE))
    assert "What we achieved together in Potsdam-Mittelmark" in page


def test_the_page_works_for_a_region_without_any_exchange(pm_client, pm):
    page = text(pm_client.get(PAGE))
    assert "Was wir in Potsdam-Mittelmark gemeinsam erreicht haben" in page


def test_home_page_and_footer_link_to_the_impact_page(pm_client, scene):
    html = pm_client.get("/").content.decode()
    assert html.count(f'href="{PAGE}"') == 2  # the teaser and the footer
    assert "Gemeinsam erreicht" in text(pm_client.get("/"))
    imprint = pm_client.get("/imprint/").content.decode()
    assert f'href="{PAGE}"' in imprint


def test_the_portal_has_no_impact_page(portal_client):
    assert portal_client.get(PAGE).status_code == 404


def test_the_page_runs_the_same_queries_for_more_data(
    pm_client, scene, organisation, owner, school, school_user, memory_cache
):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert pm_client.get(PAGE).status_code == 200
        return len(queries)

    few = count()
    for number in range(6):
        listing = make_listing(organisation, f"Kiste {number}", author=owner, terms="give-away")
        hand_over(
            listing,
            school,
            school_user,
            owner,
            quantity=1,
            note="Danke",
            public=True,
            completed_days_ago=number * 40,
        )
    assert count() == few


def test_a_cached_page_counts_nothing_again(pm_client, scene, memory_cache):
    pm_client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        pm_client.get(PAGE)
    assert len(queries) == 0  # the host's region is cached too


# Profiles --------------------------------------------------------------------------------------


def test_profiles_say_how_often_an_organisation_helped_and_received(
    pm_client, scene, organisation, school
):
    assert "Hat in Potsdam-Mittelmark 5-mal geholfen" in text(
        pm_client.get(organisation.get_absolute_url())
    )
    assert "Hat in Potsdam-Mittelmark 3-mal etwas erhalten" in text(
        pm_client.get(school.get_absolute_url())
    )
    both = text(pm_client.get(scene["muster"].get_absolute_url()))
    assert "Hat in Potsdam-Mittelmark einmal geholfen · hat einmal etwas erhalten" in both


def test_a_profile_without_exchanges_says_nothing_about_them(pm_client, pm, inquirer_organisation):
    assert "geholfen" not in text(pm_client.get(inquirer_organisation.get_absolute_url()))


def test_an_organisation_chooses_to_be_named_on_its_profile_form(
    client_for, organisation, owner, pm_client, scene, school, school_user
):
    assert "Tischlerei Holzwurm" not in text(pm_client.get(PAGE)).split("Organisationen, die")[-1]
    data = profile_data(organisation, named_as_giver="on")
    response = client_for(owner).post(f"/organisations/{organisation.pk}/manage/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.named_as_giver
    named = text(pm_client.get(PAGE)).split("Organisationen, die gegeben haben")[-1]
    assert "Tischlerei Holzwurm" in named


# The embeddable counter --------------------------------------------------------------------


def test_the_counter_shows_the_regions_figures_and_links_to_its_page(pm_client, scene):
    response = pm_client.get(EMBED)
    page = text(response)
    assert "Gemeinsam erreicht in Potsdam-Mittelmark" in page
    assert re.search(r"\b6 erfolgreiche Übergaben\b", page)
    assert 'href="/impact/" target="_blank"' in response.content.decode()


def test_the_counter_follows_the_listings_framing_rules(pm_client, ohv_client, pm, scene):
    response = pm_client.get(EMBED)
    assert "X-Frame-Options" not in response
    assert directives(response)["frame-ancestors"] == "'self' https: http:"
    assert not response.cookies
    pm.embed_allowed_origins = "https://www.landkreis.example"
    pm.save()
    assert directives(pm_client.get(EMBED))["frame-ancestors"] == (
        "'self' https://www.landkreis.example"
    )
    assert directives(ohv_client.get(EMBED))["frame-ancestors"] == "'self' https: http:"


def test_the_counter_speaks_the_language_asked_for(pm_client, scene):
    assert "Achieved together in Potsdam-Mittelmark" in text(pm_client.get(EMBED, {"lang": "en"}))
    assert "Gemeinsam erreicht" in text(pm_client.get(EMBED, {"lang": "xx"}))


def test_a_cached_counter_costs_no_database_query(pm_client, scene, memory_cache):
    pm_client.get(EMBED)
    with CaptureQueriesContext(connection) as queries:
        pm_client.get(EMBED)
    assert len(queries) == 0


def test_the_counter_changes_when_an_exchange_is_handed_over(
    pm_client, scene, organisation, owner, school, school_user
):
    assert re.search(r"\b6 erfolgreiche Übergaben\b", text(pm_client.get(EMBED)))
    listing = make_listing(organisation, "Noch eine Kiste", author=owner, terms="give-away")
    hand_over(listing, school, school_user, owner, quantity=1)
    assert re.search(r"\b7 erfolgreiche Übergaben\b", text(pm_client.get(EMBED)))


def test_the_einbinden_page_offers_the_counter(client_for, pm_admin, organisation, owner):
    for user in (pm_admin, owner):
        html = client_for(user).get("/embed/").content.decode()
        assert "Erfolgszähler" in html
        assert "http://pm.localhost/embed/impact/" in html
        assert 'src="/embed/impact/"' in html


def test_plain_members_still_get_no_einbinden_page(client_for, organisation):
    user = make_user("geselle@holzwurm.example")
    make_membership(organisation, user, Role.MEMBER)
    assert client_for(user).get("/embed/").status_code == 404

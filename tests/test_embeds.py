"""Embeddable listings (issue #14): the page other websites frame, who may frame it, and
the "Einbinden" page that writes the snippet."""

import base64
import hashlib
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from embeds import options as embed_options
from listings import services
from listings.models import Audience, Direction, Listing, Status, Terms
from organisations.models import OrganisationType, Role
from regions.models import Region
from regions.origins import validate_origins

from .factories import (
    category,
    make_listing,
    make_membership,
    make_organisation,
    make_user,
    sign_in_with_two_factor,
)

pytestmark = pytest.mark.django_db

EMBED = "/embed/listings/"
BUILDER = "/embed/"


@pytest.fixture
def memory_cache(settings):
    """A cache in this process's memory, so that the database queries counted are the
    page's own (the test suite's default cache lives in the database)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "embeds-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:500]
    return re.findall(r'class="embed-item__title"><a [^>]*>([^<]+)<', response.content.decode())


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def published_ago(listing, **delta):
    Listing.objects.filter(pk=listing.pk).update(published_at=timezone.now() - timedelta(**delta))


# What an embed shows ------------------------------------------------------------------------


def test_embed_shows_the_regions_current_listings_newest_first(pm_client, organisation):
    older = make_listing(organisation, "Lagerfläche 200 m²")
    published_ago(older, days=2)
    make_listing(organisation, "Gabelstapler zu vermieten")
    response = pm_client.get(EMBED)
    assert titles(response) == ["Gabelstapler zu vermieten", "Lagerfläche 200 m²"]
    html = response.content.decode()
    assert "Aktuelle Anzeigen" in html
    assert "starkeRegion Potsdam-Mittelmark" in html


def test_each_item_links_to_the_listing_in_a_new_tab_with_price_and_place(
    pm_client, organisation, listing
):
    html = pm_client.get(EMBED).content.decode()
    link = re.search(rf'<a href="/listings/{listing.pk}/"[^>]*>', html).group(0)
    assert 'target="_blank"' in link
    assert 'rel="noopener"' in link
    assert "Vermietung" in html  # the terms
    assert listing.place.name in html
    assert "embed-item__photo--none" in html  # no photo: the cards' placeholder


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PUBLISHED])
def test_a_listing_that_is_not_published_is_never_shown(pm_client, organisation, status):
    make_listing(organisation, "Sichtbar")
    make_listing(organisation, "Unsichtbar", status=status)
    assert titles(pm_client.get(EMBED)) == ["Sichtbar"]
    assert titles(pm_client.get(EMBED, {"organisation": organisation.pk})) == ["Sichtbar"]


def test_a_listing_past_its_end_date_is_not_shown_before_the_expiry_job_ran(
    pm_client, organisation
):
    ended = make_listing(organisation, "Abgelaufen")
    Listing.objects.filter(pk=ended.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert titles(pm_client.get(EMBED)) == []


def test_an_offer_whose_quantity_is_all_reserved_is_not_shown(pm_client, organisation, desks):
    services.reserve(desks, desks.quantity)
    assert titles(pm_client.get(EMBED)) == []


def test_another_regions_listings_are_never_shown(pm_client, ohv_client, organisation, ohv):
    make_listing(organisation, "Aus Potsdam-Mittelmark")
    oberhavel = make_organisation(ohv, "Oranienburger Werkstatt")
    make_listing(oberhavel, "Aus Oberhavel")
    assert titles(pm_client.get(EMBED)) == ["Aus Potsdam-Mittelmark"]
    assert titles(ohv_client.get(EMBED)) == ["Aus Oberhavel"]
    # Naming the other region's organisation shows nothing of it either.
    response = pm_client.get(EMBED, {"organisation": oberhavel.pk})
    assert response.status_code == 400
    assert "Aus Oberhavel" not in response.content.decode()


def test_the_portal_has_no_embed(portal_client):
    assert portal_client.get(EMBED).status_code == 404


# Options -------------------------------------------------------------------------------------


def test_count_shows_that_many_and_is_brought_within_one_to_ten(pm_client, organisation):
    for number in range(12):
        make_listing(organisation, f"Anzeige {number:02d}")
    assert len(titles(pm_client.get(EMBED))) == embed_options.DEFAULT_COUNT
    assert len(titles(pm_client.get(EMBED, {"count": "3"}))) == 3
    assert len(titles(pm_client.get(EMBED, {"count": "50"}))) == 10
    assert len(titles(pm_client.get(EMBED, {"count": "0"}))) == 1
    assert len(titles(pm_client.get(EMBED, {"count": "-7"}))) == 1
    assert len(titles(pm_client.get(EMBED, {"count": "9" * 40}))) == 10


@pytest.mark.parametrize("layout", ["portrait", "landscape"])
def test_layout_is_portrait_or_landscape(pm_client, listing, layout):
    html = pm_client.get(EMBED, {"layout": layout}).content.decode()
    assert f"embed--{layout}" in html


def test_direction_category_and_terms_choose_the_listings(pm_client, organisation):
    make_listing(organisation, "Stapler", category=category("maschinen"))
    make_listing(organisation, "Gesuch Stapler", direction=Direction.REQUEST)
    make_listing(organisation, "Laptops", category=category("it-technik"), terms=Terms.GIVE_AWAY)
    assert titles(pm_client.get(EMBED, {"direction": "request"})) == ["Gesuch Stapler"]
    assert set(titles(pm_client.get(EMBED, {"direction": "offer"}))) == {"Stapler", "Laptops"}
    assert titles(pm_client.get(EMBED, {"category": "it-technik"})) == ["Laptops"]
    group = category("it-technik").parent.slug  # a group stands for all its categories
    assert titles(pm_client.get(EMBED, {"category": group})) == ["Laptops"]
    assert titles(pm_client.get(EMBED, {"terms": "give-away"})) == ["Laptops"]
    both = pm_client.get(EMBED, {"terms": ["give-away", "rent"], "direction": "offer"})
    assert set(titles(both)) == {"Stapler", "Laptops"}


def test_donations_for_schools(pm_client, organisation):
    make_listing(
        organisation,
        "Tische für Schulen",
        terms=Terms.DONATION,
        audience=Audience.EDUCATION | Audience.NONPROFITS,
    )
    make_listing(
        organisation, "Tische für Firmen", terms=Terms.DONATION, audience=Audience.COMPANIES
    )
    make_listing(organisation, "Stapler für alle")
    query = {"terms": "donation", "audience": str(Audience.EDUCATION.value)}
    assert titles(pm_client.get(EMBED, query)) == ["Tische für Schulen"]


def test_one_organisations_own_listings(pm_client, organisation, school):
    make_listing(organisation, "Von der Tischlerei")
    make_listing(school, "Von der Schule", terms=Terms.GIVE_AWAY)
    response = pm_client.get(EMBED, {"organisation": organisation.pk})
    assert titles(response) == ["Von der Tischlerei"]
    html = response.content.decode()
    assert "Anzeigen von Tischlerei Holzwurm" in html
    assert f'href="/organisations/{organisation.pk}/"' in html


def test_language_comes_from_the_option_else_german(pm_client, listing):
    assert "Aktuelle Anzeigen" in pm_client.get(EMBED).content.decode()
    english = pm_client.get(EMBED, {"lang": "en"})
    assert "Current listings" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "count=abc",
        "count=1.5",
        "count=%00",
        "layout=diagonal",
        "direction=sideways",
        "category=gibt-es-nicht",
        "terms=stehlen",
        "audience=99",
        "audience=abc",
        "organisation=abc",
        "organisation=-3",
        "organisation=99999999",
        "organisation=99999999999999999999999999",
        "lang=fr",
        "category=%ff%fe",
    ],
)
def test_wrong_options_answer_400_with_what_is_wrong(pm_client, listing, query):
    response = pm_client.get(f"{EMBED}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Diese Einbindung hat eine falsche Einstellung" in html
    assert 'class="embed__errors"' in html
    assert listing.title not in html
    assert "X-Frame-Options" not in response  # the webmaster sees it in the frame
    assert not response.cookies


def test_unknown_parameters_are_ignored(pm_client, listing):
    assert titles(pm_client.get(EMBED, {"utm_source": "x", "q": "nichts"})) == [listing.title]


def test_the_embed_is_read_only(pm_client, listing):
    assert pm_client.post(EMBED).status_code == 405
    assert pm_client.head(EMBED).status_code == 200


# Framing, cookies, security headers -----------------------------------------------------------


def test_any_site_may_frame_the_embed_when_the_region_lists_none(pm_client, listing, settings):
    response = pm_client.get(EMBED)
    assert "X-Frame-Options" not in response
    assert directives(response)["frame-ancestors"] == "'self' https: http:"
    settings.HTTPS = True  # production: any https site
    response = pm_client.get(EMBED, secure=True)
    assert directives(response)["frame-ancestors"] == "'self' https:"


def test_only_the_regions_listed_sites_may_frame_its_embed(pm_client, ohv_client, pm, listing):
    pm.embed_allowed_origins = "https://www.landkreis.example\n\nHTTPS://IHK.example/\n"
    pm.save()  # forgets the cached region of its hosts
    response = pm_client.get(EMBED)
    assert directives(response)["frame-ancestors"] == (
        "'self' https://www.landkreis.example https://ihk.example"
    )
    assert "X-Frame-Options" not in response
    # Another region's list is its own.
    assert directives(ohv_client.get(EMBED))["frame-ancestors"] == "'self' https: http:"
    # And a wrong option's answer is framed by the same sites.
    wrong = pm_client.get(EMBED, {"count": "x"})
    assert directives(wrong)["frame-ancestors"] == (
        "'self' https://www.landkreis.example https://ihk.example"
    )


@pytest.mark.parametrize(
    "path", ["/", "/listings/", "/organisations/", "/imprint/", BUILDER, "/embed/nothing/"]
)
def test_every_other_page_still_refuses_to_be_framed(client_for, pm_admin, listing, path):
    response = client_for(pm_admin).get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == "'none'"


def test_the_listing_page_still_refuses_to_be_framed(pm_client, listing):
    response = pm_client.get(listing.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == "'none'"


def test_the_embed_allows_its_one_inline_style_by_hash_and_no_inline_script(pm_client, listing):
    response = pm_client.get(EMBED)
    html = response.content.decode()
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "--brand:#1f6b3a" in style
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = directives(response)
    assert policy["style-src"] == f"'self' 'sha256-{digest}'"
    assert "nonce" not in policy.get("script-src", "")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # scripts only from files
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from other servers


def test_the_embed_sets_no_cookie_for_anyone(client_for, pm_client, owner, listing):
    assert not pm_client.get(EMBED).cookies
    signed_in = client_for(owner)
    signed_in.cookies["django_language"] = "en"
    response = signed_in.get(EMBED)
    assert response.status_code == 200
    assert not response.cookies
    assert "csrftoken" not in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()


# Cache and queries -----------------------------------------------------------------------------


def test_a_cached_embed_costs_no_database_query(
    pm_client, organisation, memory_cache, django_assert_num_queries
):
    make_listing(organisation, "Gabelstapler")
    pm_client.get(EMBED)  # fills the cache
    with django_assert_num_queries(0):
        assert titles(pm_client.get(EMBED)) == ["Gabelstapler"]


def test_an_uncached_embed_runs_the_same_few_queries_for_one_listing_or_ten(
    pm_client, organisation, memory_cache, django_assert_num_queries
):
    make_listing(organisation, "Erste")
    pm_client.get(EMBED, {"count": "2"})  # the region and the catalogue are cached now
    with django_assert_num_queries(2):  # the listings and their photos
        assert len(titles(pm_client.get(EMBED, {"count": "1"}))) == 1
    for number in range(9):
        make_listing(organisation, f"Weitere {number}")
    with django_assert_num_queries(2):
        assert len(titles(pm_client.get(EMBED, {"count": "10"}))) == 10
    with django_assert_num_queries(3):  # and the organisation
        titles(pm_client.get(EMBED, {"count": "10", "organisation": organisation.pk}))


def test_the_cached_embed_changes_when_a_listing_does(pm_client, organisation, owner, pm_admin):
    listing = make_listing(organisation, "Gabelstapler", author=owner)
    assert titles(pm_client.get(EMBED)) == ["Gabelstapler"]
    services.pause(listing, owner)
    assert titles(pm_client.get(EMBED)) == []
    services.resume(listing, owner)
    assert titles(pm_client.get(EMBED)) == ["Gabelstapler"]
    services.remove(listing, pm_admin, "Verstößt gegen die Regeln")
    assert titles(pm_client.get(EMBED)) == []
    make_listing(organisation, "Neu dazu")
    assert titles(pm_client.get(EMBED)) == ["Neu dazu"]


def test_the_cache_is_kept_per_region_options_and_language(pm_client, ohv_client, ohv, listing):
    make_listing(make_organisation(ohv, "Werkstatt"), "Aus Oberhavel")
    assert "Aktuelle Anzeigen" in pm_client.get(EMBED).content.decode()
    assert "Current listings" in pm_client.get(EMBED, {"lang": "en"}).content.decode()
    assert titles(ohv_client.get(EMBED)) == ["Aus Oberhavel"]
    assert titles(pm_client.get(EMBED, {"direction": "request"})) == []
    assert titles(pm_client.get(EMBED)) == [listing.title]


def test_options_in_another_order_share_one_cached_page():
    first = embed_options.EmbedOptions(terms=("rent", "donation"))
    assert first.query() == "terms=rent&terms=donation"
    form = embed_options.EmbedOptionsForm(
        {"terms": ["rent", "donation"], "count": "5"}, catalogue=_catalogue()
    )
    assert form.is_valid()
    other = embed_options.EmbedOptionsForm({"terms": ["donation", "rent"]}, catalogue=_catalogue())
    assert other.is_valid()
    assert form.options() == other.options()


def _catalogue():
    from listings.catalogue import catalogue

    return catalogue()


# The region's list of sites ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "https://www.landkreis.example",
        "https://www.landkreis.example/\nhttp://localhost:8080",
        "https://*.potsdam-mittelmark.example",
        "  https://ihk.example  \n\n",
    ],
)
def test_valid_lists_of_sites(text):
    validate_origins(text)


@pytest.mark.parametrize(
    "text",
    [
        "www.landkreis.example",
        "https://www.landkreis.example/seite",
        "ftp://files.example",
        "https://bad host.example",
        "*",
        "https:",
        "'self'",
        "https://example.org; script-src *",
        "https://example.org?x=1",
        "\n".join(f"https://site{number}.example" for number in range(51)),
    ],
)
def test_wrong_lists_of_sites_are_refused(text):
    with pytest.raises(Exception) as error:
        validate_origins(text)
    assert error.type.__name__ == "ValidationError"


def test_region_admins_set_the_sites_in_the_back_office(pm_admin, pm, pm_client, listing):
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_admin)
    url = f"/admin/regions/region/{pm.pk}/change/"
    data = {
        "claim": pm.claim,
        "primary_color": pm.primary_color,
        "operator_name": pm.operator_name,
        "operator_address": pm.operator_address,
        "operator_email": pm.operator_email,
        "moderation": pm.moderation,
        "embed_allowed_origins": "https://www.landkreis.example",
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Region.objects.get(pk=pm.pk).embed_allowed_origins == "https://www.landkreis.example"
    embed = pm_client.get(EMBED)
    assert directives(embed)["frame-ancestors"] == "'self' https://www.landkreis.example"

    response = client.post(url, {**data, "embed_allowed_origins": "landkreis.example/x"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["embed_allowed_origins"]
    assert "Website pro Zeile" in errors[0]


def test_the_back_office_links_staff_to_the_einbinden_page(pm_moderator):
    client = sign_in_with_two_factor(Client(HTTP_HOST="pm.localhost"), pm_moderator)
    assert f'href="{BUILDER}"' in client.get("/admin/").content.decode()


def test_the_portals_back_office_has_no_such_link(operator):
    client = sign_in_with_two_factor(Client(HTTP_HOST="localhost"), operator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert f'href="{BUILDER}"' not in response.content.decode()


# The "Einbinden" page -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pm_moderator", "pm_admin", "owner", "organisation_admin"])
def test_region_staff_and_organisation_admins_open_the_einbinden_page(
    request, client_for, organisation, who
):
    response = client_for(request.getfixturevalue(who)).get(BUILDER)
    assert response.status_code == 200
    assert 'id="embed-snippet"' in response.content.decode()


@pytest.mark.parametrize("who", ["organisation_member", "outsider", "ohv_admin"])
def test_members_outsiders_and_other_regions_staff_get_404(request, client_for, organisation, who):
    assert client_for(request.getfixturevalue(who)).get(BUILDER).status_code == 404


def test_visitors_are_asked_to_log_in(pm_client):
    response = pm_client.get(BUILDER)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_writes_the_snippet_from_the_options(client_for, pm_moderator, pm, settings):
    settings.SITE_PORT = "8000"
    response = client_for(pm_moderator).get(
        BUILDER, {"count": "3", "layout": "landscape", "terms": "donation", "audience": "2"}
    )
    context = response.context
    expected = (
        "http://pm.localhost:8000/embed/listings/"
        "?count=3&amp;layout=landscape&amp;terms=donation&amp;audience=2"
    )
    assert f'<iframe src="{expected}"' in context["snippet"]
    assert 'title="Aktuelle Anzeigen – starkeRegion Potsdam-Mittelmark"' in context["snippet"]
    assert "data-starkeregion-embed" in context["snippet"]
    assert (
        '<script src="http://pm.localhost:8000/static/embeds/embed.js" async></script>'
        in context["snippet"]
    )
    html = response.content.decode()
    # The preview is the embed itself, on this host.
    assert (
        'src="/embed/listings/?count=3&amp;layout=landscape&amp;terms=donation&amp;audience=2"'
        in html
    )
    assert "&lt;iframe" in html  # the snippet, shown as text to copy


def test_the_page_starts_with_a_snippet_of_the_defaults(client_for, pm_moderator):
    snippet = client_for(pm_moderator).get(BUILDER).context["snippet"]
    assert 'src="http://pm.localhost/embed/listings/"' in snippet


def test_organisation_admins_build_for_their_own_organisation_only(
    client_for, organisation_admin, organisation, school
):
    client = client_for(organisation_admin)
    response = client.get(BUILDER)
    assert f"organisation={organisation.pk}" in response.context["snippet"]
    choices = dict(response.context["form"].fields["organisation"].choices)
    assert choices == {organisation.pk: organisation.name}
    # Another organisation of the region, or none at all, is not theirs to choose.
    for other in [school.pk, ""]:
        response = client.get(BUILDER, {"organisation": other})
        assert response.status_code == 200
        assert response.context["options"] is None
        assert "snippet" not in response.context
    # Their manage navigation comes along, with this page marked.
    assert 'aria-current="page">Einbinden' in client.get(BUILDER).content.decode()


def test_staff_build_for_the_whole_region_or_any_of_its_organisations(
    client_for, pm_moderator, organisation, school
):
    client = client_for(pm_moderator)
    choices = dict(client.get(BUILDER).context["form"].fields["organisation"].choices)
    assert {organisation.pk, school.pk, ""} <= set(choices)
    snippet = client.get(BUILDER, {"organisation": school.pk}).context["snippet"]
    assert f"organisation={school.pk}" in snippet
    assert "Anzeigen von Grundschule am See" in snippet


def test_someone_in_two_organisations_chooses_among_those_they_manage(
    client_for, organisation, owner, pm
):
    club = make_organisation(pm, "Sportverein", type=OrganisationType.ASSOCIATION)
    make_membership(club, owner, Role.ADMIN)
    third = make_organisation(pm, "Bäckerei")
    make_membership(third, owner, Role.MEMBER)
    choices = dict(client_for(owner).get(BUILDER).context["form"].fields["organisation"].choices)
    assert set(choices) == {organisation.pk, club.pk}


def test_the_page_has_wrong_options_marked_not_a_crash(client_for, pm_moderator):
    response = client_for(pm_moderator).get(BUILDER, {"count": "viele", "layout": "x"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert "snippet" not in response.context


def test_organisation_pages_link_to_the_einbinden_page(client_for, owner, organisation):
    client = client_for(owner)
    link = f'href="{BUILDER}?organisation={organisation.pk}"'
    for page in ["manage", "members"]:
        html = client.get(f"/organisations/{organisation.pk}/{page}/").content.decode()
        assert link in html, page


def test_a_new_user_without_organisation_gets_404(client_for, pm):
    assert client_for(make_user("neu@example.org")).get(BUILDER).status_code == 404


def test_the_page_hands_its_script_the_snippet_and_preview_alone(client_for, pm_moderator):
    response = client_for(pm_moderator).get(
        BUILDER, {"count": "2"}, headers={"X-Embed-Builder": "result"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="embed-builder__result"')
    assert "count=2" in html
    assert "<style" not in html
    assert "X-Embed-Builder" in response["Vary"]


def test_the_page_starts_with_the_organisation_they_act_for(client_for, organisation, owner, pm):
    club = make_organisation(pm, "Sportverein", type=OrganisationType.ASSOCIATION)
    make_membership(club, owner, Role.ADMIN)
    client = client_for(owner)
    for acting_for in [organisation, club]:
        session = client.session
        session["acting_organisations"] = {str(pm.pk): acting_for.pk}
        session.save()
        assert f"organisation={acting_for.pk}" in client.get(BUILDER).context["snippet"]

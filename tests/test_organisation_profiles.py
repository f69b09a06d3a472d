"""Organisation profiles: founding one in the host's region, editing it, the public profile
page and the region's directory – with the address checked against the region's places."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.acting import SESSION_KEY
from organisations.models import (
    Membership,
    Organisation,
    OrganisationType,
    Role,
    Sector,
    Verification,
)
from regions.models import Place

from .factories import make_membership, make_organisation, make_user, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_dirs")]

DIRECTORY = "/organisations/"
CREATE = "/organisations/new/"


def profile_data(**changes):
    data = {
        "name": "Bäckerei Korn",
        "type": OrganisationType.COMPANY,
        "legal_form": "GmbH",
        "sector": Sector.TRADE,
        "size": "small",
        "street": "Potsdamer Straße 12",
        "postal_code": "14513",
        "place_name": "",
        "website": "https://baeckerei-korn.example",
        "public_email": "hallo@baeckerei-korn.example",
        "public_phone": "03328 12345",
        "description": "Brot und Brötchen aus Teltow.",
    }
    return {**data, **changes}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Founding -----------------------------------------------------------------------------------


def test_member_founds_an_organisation_in_the_hosts_region_and_owns_it(
    client_for, member, pm, places
):
    client = client_for(member)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, profile_data())

    organisation = Organisation.objects.get(name="Bäckerei Korn")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/manage/"
    assert organisation.region == pm
    assert organisation.place == place("14513", "Teltow")
    # Coordinates come from the shipped place data, offline.
    assert organisation.place.latitude == pytest.approx(52.40, abs=0.05)
    assert organisation.place.longitude == pytest.approx(13.26, abs=0.05)
    assert organisation.verification == Verification.NEW
    assert Membership.objects.get(organisation=organisation).user == member
    assert Membership.objects.get(organisation=organisation).role == Role.OWNER
    assert client.session[SESSION_KEY] == {str(pm.pk): organisation.pk}


def test_anonymous_visitors_must_log_in_to_found_an_organisation(pm_client, places):
    response = pm_client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    pm_client.post(CREATE, profile_data())
    assert not Organisation.objects.exists()


def test_a_postal_code_outside_the_region_is_refused_at_the_field(client_for, member, places):
    response = client_for(member).post(CREATE, profile_data(postal_code="16515"))  # Oranienburg
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["postal_code"]
    assert "16515" in form.errors["postal_code"][0]
    assert "Potsdam-Mittelmark" in form.errors["postal_code"][0]
    assert not Organisation.objects.exists()


def test_a_postal_code_of_this_region_is_refused_on_another_regions_host(
    client_for, member, places
):
    response = client_for(member, host="ohv.localhost").post(CREATE, profile_data())
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["postal_code"]
    assert not Organisation.objects.exists()


def test_a_postal_code_shared_by_several_places_needs_the_place_name(client_for, member, places):
    shared = set(Place.objects.filter(postal_code="14532").values_list("name", flat=True))
    assert {"Kleinmachnow", "Stahnsdorf"} <= shared, "14532 is shared in the real data"
    client = client_for(member)

    response = client.post(CREATE, profile_data(postal_code="14532"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["place_name"]
    assert "Kleinmachnow" in errors["place_name"][0]
    assert "Stahnsdorf" in errors["place_name"][0]

    response = client.post(CREATE, profile_data(postal_code="14532", place_name="Potsdam"))
    assert list(response.context["form"].errors) == ["place_name"]
    assert not Organisation.objects.exists()

    response = client.post(CREATE, profile_data(postal_code="14532", place_name=" stahnsdorf "))
    assert response.status_code == 302
    assert Organisation.objects.get().place == place("14532", "Stahnsdorf")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"name": "", "street": "", "postal_code": ""}, {"name", "street", "postal_code"}),
        ({"type": "bank", "sector": "weapons", "size": "huge"}, {"type", "sector", "size"}),
        ({"postal_code": "1451"}, {"postal_code"}),
        ({"postal_code": "145130"}, {"postal_code"}),
        ({"postal_code": "abcde"}, {"postal_code"}),
        ({"postal_code": "14513\x00"}, {"postal_code"}),
        ({"website": "javascript:alert(1)"}, {"website"}),
        ({"public_email": "keine-adresse"}, {"public_email"}),
        ({"description": "x" * 4001}, {"description"}),
    ],
)
def test_bad_input_is_shown_at_the_field_and_founds_nothing(
    client_for, member, places, changes, fields
):
    response = client_for(member).post(CREATE, profile_data(**changes))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == fields
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_a_website_without_scheme_gets_https(client_for, member, places):
    client_for(member).post(CREATE, profile_data(website="baeckerei-korn.example"))
    assert Organisation.objects.get().website == "https://baeckerei-korn.example"


def test_a_user_can_found_several_organisations(client_for, member, places):
    client = client_for(member)
    client.post(CREATE, profile_data())
    client.post(CREATE, profile_data(name="Korn Catering"))
    assert set(member.memberships.values_list("organisation__name", "role")) == {
        ("Bäckerei Korn", Role.OWNER),
        ("Korn Catering", Role.OWNER),
    }


# Editing ------------------------------------------------------------------------------------


def test_owner_edits_the_profile_and_moves_it_to_another_place(
    client_for, owner, organisation, places
):
    client = client_for(owner)
    url = f"/organisations/{organisation.pk}/manage/"
    form = client.get(url).context["form"]
    assert form["postal_code"].value() == organisation.place.postal_code
    assert form["place_name"].value() == organisation.place.name

    response = client.post(
        url,
        profile_data(
            name="Tischlerei Holzwurm & Söhne",
            type=OrganisationType.CRAFT,
            sector=Sector.CRAFTS,
            postal_code="14532",
            place_name="Kleinmachnow",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url
    organisation.refresh_from_db()
    assert organisation.name == "Tischlerei Holzwurm & Söhne"
    assert organisation.type == OrganisationType.CRAFT
    assert organisation.place == place("14532", "Kleinmachnow")
    assert organisation.public_email == "hallo@baeckerei-korn.example"


def test_admin_edits_the_profile_but_a_bad_address_changes_nothing(
    client_for, organisation_admin, organisation, places
):
    before = organisation.place
    response = client_for(organisation_admin).post(
        f"/organisations/{organisation.pk}/manage/",
        profile_data(name="Umbenannt", postal_code="16515"),
    )
    assert response.status_code == 200
    assert "postal_code" in response.context["form"].errors
    # The page still names the organisation as saved, not the rejected entry.
    assert response.context["organisation"].name == "Tischlerei Holzwurm"
    assert 'value="Umbenannt"' in response.content.decode()  # the entry stays in the field
    organisation.refresh_from_db()
    assert organisation.name == "Tischlerei Holzwurm"
    assert organisation.place == before


def test_editing_through_another_regions_host_is_404(client_for, owner, organisation, places):
    client = client_for(owner, host="ohv.localhost")
    url = f"/organisations/{organisation.pk}/manage/"
    assert client.get(url).status_code == 404
    assert client.post(url, profile_data(name="Gekapert")).status_code == 404
    organisation.refresh_from_db()
    assert organisation.name == "Tischlerei Holzwurm"
    assert organisation.region.slug == "pm"


# Public profile -----------------------------------------------------------------------------


@pytest.fixture
def bakery(pm, places):
    return make_organisation(
        pm,
        "Bäckerei Korn",
        place=place("14532", "Stahnsdorf"),
        type=OrganisationType.COMPANY,
        sector=Sector.TRADE,
        street="Geheime Gasse 7",
        website="https://baeckerei-korn.example",
        public_email="hallo@baeckerei-korn.example",
        public_phone="03329 987654",
        description="Brot und Brötchen aus dem Steinofen.",
    )


def test_public_profile_shows_the_organisation_but_contact_only_to_logged_in_users(
    client_for, bakery, outsider
):
    response = client_for().get(f"/organisations/{bakery.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ["Bäckerei Korn", "Stahnsdorf", "14532", "Steinofen"]:
        assert shown in html, shown
    assert response.context["organisation"].get_type_display() in html
    assert response.context["organisation"].get_sector_display() in html
    for contact in ["Geheime Gasse", "hallo@baeckerei-korn.example", "987654", "https://baeckerei"]:
        assert contact not in html, contact
    assert f"/accounts/login/?next=/organisations/{bakery.pk}/" in html

    html = client_for(outsider).get(f"/organisations/{bakery.pk}/").content.decode()
    for contact in ["Geheime Gasse 7", "mailto:hallo@baeckerei-korn.example", "03329 987654"]:
        assert contact in html, contact
    assert 'href="https://baeckerei-korn.example" rel="noopener nofollow"' in html


def test_profile_shows_the_logo(client_for, bakery, upload_dirs):
    bakery.logo = "organisations/logos/korn.png"
    bakery.save()
    html = client_for().get(f"/organisations/{bakery.pk}/").content.decode()
    assert 'src="/media/organisations/logos/korn.png"' in html


def test_a_shared_profile_link_previews_name_description_and_logo(client_for, bakery, upload_dirs):
    bakery.logo = "organisations/logos/korn.png"
    bakery.description = "Backwaren aus der Region.\n\nSeit 1920 in Bad Belzig."
    bakery.save()
    html = client_for().get(f"/organisations/{bakery.pk}/").content.decode()
    absolute = f"http://pm.localhost/organisations/{bakery.pk}/"
    assert f'<link rel="canonical" href="{absolute}">' in html
    assert f'<meta property="og:url" content="{absolute}">' in html
    assert f'<meta property="og:title" content="{bakery.name}">' in html
    summary = "Backwaren aus der Region. Seit 1920 in Bad Belzig."
    assert f'<meta property="og:description" content="{summary}">' in html
    assert f'<meta name="description" content="{summary}">' in html
    logo = "http://pm.localhost/media/organisations/logos/korn.png"
    assert f'<meta property="og:image" content="{logo}">' in html
    assert f'<meta property="og:image:alt" content="Logo von {bakery.name}">' in html


def test_a_profile_without_description_or_logo_previews_what_it_is(client_for, bakery):
    bakery.description = ""
    bakery.save()
    html = client_for().get(f"/organisations/{bakery.pk}/").content.decode()
    summary = f"{bakery.get_type_display()} · {bakery.get_sector_display()} · {bakery.place}"
    assert f'<meta property="og:description" content="{summary}">' in html
    assert 'property="og:image"' not in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_description_is_escaped(client_for, bakery):
    bakery.description = '<script>alert("x")</script>'
    bakery.save()
    html = client_for().get(f"/organisations/{bakery.pk}/").content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html


def test_members_see_their_role_managers_see_the_links_to_manage(
    client_for, organisation, organisation_admin, organisation_member
):
    url = f"/organisations/{organisation.pk}/"
    manage = f"/organisations/{organisation.pk}/manage/"
    member_page = client_for(organisation_member).get(url)
    assert member_page.context["membership"].role == Role.MEMBER
    assert manage not in member_page.content.decode()
    assert f"/organisations/{organisation.pk}/leave/" in member_page.content.decode()

    admin_page = client_for(organisation_admin).get(url)
    assert admin_page.context["membership"].role == Role.ADMIN
    assert admin_page.context["member_count"] == 3
    assert manage in admin_page.content.decode()


def test_profiles_of_another_region_are_404(client_for, organisation, ohv, owner):
    elsewhere = make_organisation(ohv, "Havelwerft")
    url = f"/organisations/{elsewhere.pk}/"
    assert client_for().get(url).status_code == 404
    assert client_for(host="ohv.localhost").get(url).status_code == 200
    # Not even the owner sees their organisation through the other region's host.
    ohv = client_for(owner, host="ohv.localhost")
    assert ohv.get(f"/organisations/{organisation.pk}/").status_code == 404


@pytest.mark.parametrize("pk", ["0", "999999", "99999999999999999999999999"])
def test_unknown_profiles_are_404(client_for, organisation, pk):
    assert client_for().get(f"/organisations/{pk}/").status_code == 404


def test_verified_schools_and_associations_may_receive_donations(client_for, pm):
    school = make_organisation(
        pm, "Grundschule", type=OrganisationType.SCHOOL, verification=Verification.VERIFIED
    )
    unverified = make_organisation(pm, "Sportverein", type=OrganisationType.ASSOCIATION)
    company = make_organisation(pm, "Firma", verification=Verification.VERIFIED)
    assert school.is_eligible_for_donations
    assert not unverified.is_eligible_for_donations
    assert not company.is_eligible_for_donations
    assert list(Organisation.objects.in_region(pm).eligible_for_donations()) == [school]

    school_page = client_for().get(f"/organisations/{school.pk}/").content.decode()
    assert "badge--verified" in school_page
    assert (
        "badge--verified"
        not in client_for().get(f"/organisations/{unverified.pk}/").content.decode()
    )


# Directory ----------------------------------------------------------------------------------


@pytest.fixture
def directory_data(pm, ohv, places):
    """Four organisations in pm and one in ohv, with names, types, sectors and places."""
    return {
        "bakery": make_organisation(
            pm,
            "Bäckerei Korn",
            place=place("14532", "Stahnsdorf"),
            sector=Sector.TRADE,
        ),
        "school": make_organisation(
            pm,
            "Grundschule am Teltowkanal",
            place=place("14513", "Teltow"),
            type=OrganisationType.SCHOOL,
            sector=Sector.OTHER,
        ),
        "club": make_organisation(
            pm,
            "Kanuverein Teltow",
            place=place("14513", "Teltow"),
            type=OrganisationType.ASSOCIATION,
            sector=Sector.ASSOCIATIONS,
        ),
        "carpenter": make_organisation(
            pm,
            "Tischlerei Holzwurm",
            place=place("14532", "Kleinmachnow"),
            type=OrganisationType.CRAFT,
            sector=Sector.CRAFTS,
        ),
        "elsewhere": make_organisation(ohv, "Bäckerei Oberhavel", type=OrganisationType.COMPANY),
    }


def shown(response):
    return {organisation.name for organisation in response.context["page"].object_list}


def test_directory_lists_the_regions_organisations_only(client_for, directory_data):
    response = client_for().get(DIRECTORY)
    assert response.status_code == 200
    assert shown(response) == {
        "Bäckerei Korn",
        "Grundschule am Teltowkanal",
        "Kanuverein Teltow",
        "Tischlerei Holzwurm",
    }
    assert "Bäckerei Oberhavel" not in response.content.decode()
    ohv = client_for(host="ohv.localhost").get(DIRECTORY)
    assert shown(ohv) == {"Bäckerei Oberhavel"}


def test_directory_leaves_out_rejected_organisations(client_for, directory_data):
    carpenter = directory_data["carpenter"]
    Organisation.objects.filter(pk=carpenter.pk).update(verification=Verification.REJECTED)
    assert "Tischlerei Holzwurm" not in shown(client_for().get(DIRECTORY))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "bäckerei"}, {"Bäckerei Korn"}),
        ({"q": "TELTOW"}, {"Grundschule am Teltowkanal", "Kanuverein Teltow"}),
        ({"type": "school"}, {"Grundschule am Teltowkanal"}),
        ({"sector": "crafts"}, {"Tischlerei Holzwurm"}),
        ({"type": "association", "sector": "associations"}, {"Kanuverein Teltow"}),
        ({"type": "association", "sector": "crafts"}, set()),
        ({"q": "teltow", "type": "school"}, {"Grundschule am Teltowkanal"}),
        ({"q": "Oberhavel"}, set()),
    ],
)
def test_directory_filters_by_type_sector_and_searches_names(
    client_for, directory_data, query, expected
):
    response = client_for().get(DIRECTORY, query)
    assert response.status_code == 200
    assert shown(response) == expected


def test_directory_filters_by_place_of_the_region_only(client_for, directory_data, ohv):
    teltow = place("14513", "Teltow")
    response = client_for().get(DIRECTORY, {"place": teltow.pk})
    assert shown(response) == {"Grundschule am Teltowkanal", "Kanuverein Teltow"}
    # Another region's place is no choice here: the filter is ignored, nothing leaks.
    oranienburg = directory_data["elsewhere"].place
    response = client_for().get(DIRECTORY, {"place": oranienburg.pk})
    assert response.status_code == 200
    assert "place" in response.context["filter"].form.errors
    assert "Bäckerei Oberhavel" not in shown(response)


@pytest.mark.parametrize(
    "query",
    [
        {"type": "bank"},
        {"sector": "<script>"},
        {"place": "abc"},
        {"place": "99999999999999999999999"},
        {"place": "-1"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999"},
        {"page": "1e9"},
        {"q": "x" * 5000},
        {"q": "a\x00b"},
        {"q": "%' OR 1=1 --"},
        {"type": ["school", "company"], "page": ["1", "2"]},
    ],
)
def test_bad_directory_parameters_never_answer_500(client_for, directory_data, query):
    response = client_for().get(DIRECTORY, query)
    assert response.status_code == 200
    assert "Bäckerei Oberhavel" not in shown(response)


def test_directory_pages_through_many_organisations(client_for, pm):
    for number in range(30):
        make_organisation(pm, f"Firma {number:02d}")
    client = client_for()
    first = client.get(DIRECTORY, {"q": "firma"})
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 24
    assert "page=2" in first.content.decode()
    assert "q=firma" in first.content.decode()
    second = client.get(DIRECTORY, {"q": "firma", "page": 2})
    assert shown(second) == {f"Firma {number:02d}" for number in range(24, 30)}
    assert not shown(first) & shown(second)


# Query counts -------------------------------------------------------------------------------


def add_organisations(region, count, *, start=0):
    owner = make_user(f"viele-{region.slug}-{start}@example.org")
    for number in range(start, start + count):
        organisation = make_organisation(
            region,
            f"Organisation {number}",
            owner=owner if number % 2 else None,
            type=OrganisationType.ASSOCIATION if number % 3 else OrganisationType.COMPANY,
            verification=Verification.VERIFIED if number % 2 else Verification.NEW,
            logo=f"organisations/logos/{number}.png",
        )
        make_membership(organisation, make_user(f"mitglied-{region.slug}-{number}@example.org"))


@pytest.mark.parametrize("logged_in", [False, True])
@pytest.mark.parametrize("query", ["", "?type=association", "?q=organisation&page=2"])
def test_directory_query_count_does_not_grow_with_the_data(
    client_for, pm, member, places, logged_in, query
):
    client = client_for(member if logged_in else None)
    add_organisations(pm, 2)
    if logged_in:
        make_membership(Organisation.objects.first(), member, Role.ADMIN)
    url = DIRECTORY + query
    client.get(url)  # warm the region cache
    before = count_queries(client, url)
    add_organisations(pm, 30, start=100)
    assert count_queries(client, url) == before


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "member"])
def test_profile_query_count_does_not_grow_with_members(
    client_for, organisation, organisation_member, outsider, viewer
):
    user = {"anonymous": None, "outsider": outsider, "member": organisation_member}[viewer]
    client = client_for(user)
    if viewer == "outsider":
        # A member of another organisation: its header shows the inquiries (one query).
        make_membership(make_organisation(organisation.region, "Eigene GmbH"), outsider)
    url = f"/organisations/{organisation.pk}/"
    client.get(url)
    before = count_queries(client, url)
    for number in range(10):
        make_membership(organisation, make_user(f"kollege{number}@tischlerei.example"))
    add_organisations(organisation.region, 5)
    if user is not None:
        for other in Organisation.objects.exclude(pk=organisation.pk).exclude(
            memberships__user=user
        )[:3]:
            make_membership(other, user)
    assert count_queries(client, url) == before


def test_a_verified_company_that_calls_itself_a_non_profit_must_be_checked_again(
    client_for, owner, organisation
):
    Organisation.objects.filter(pk=organisation.pk).update(verification=Verification.VERIFIED)
    client = client_for(owner)
    url = f"/organisations/{organisation.pk}/manage/"
    data = profile_data(
        name=organisation.name,
        postal_code=organisation.place.postal_code,
        place_name=organisation.place.name,
        type=OrganisationType.COMPANY,
    )
    assert client.post(url, {**data, "description": "Neu"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_verified, "editing the profile keeps the verification"

    assert client.post(url, {**data, "type": OrganisationType.NONPROFIT}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.type == OrganisationType.NONPROFIT
    assert organisation.verification == Verification.NEW
    assert organisation.verified_at is None
    assert not organisation.is_eligible_for_donations
    assert not Organisation.objects.eligible_for_donations().exists()

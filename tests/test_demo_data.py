"""`make run` loads this demo: two regions with their own look, places, accounts and a
dozen organisations each."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from PIL import Image

from organisations.models import Membership, Organisation, OrganisationType, Role, Verification
from regions.models import Place, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(upload_dirs):
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


def counts():
    return [
        model.objects.count()
        for model in [Region, Place, Organisation, Membership, get_user_model()]
    ]


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()
    call_command("load_demo")
    assert counts() == before


def test_loading_the_demo_again_adds_organisations_missing_from_an_older_demo(demo):
    before = counts()
    Organisation.objects.filter(region__slug="ohv").delete()
    call_command("load_demo")
    assert counts() == before


@pytest.mark.parametrize("slug", ["pm", "ohv"])
def test_demo_regions_have_a_dozen_varied_organisations(demo, slug):
    region = Region.objects.get(slug=slug)
    organisations = list(Organisation.objects.in_region(region).select_related("place"))
    assert len(organisations) >= 12
    types = [organisation.type for organisation in organisations]
    assert types.count(OrganisationType.SCHOOL) == 2
    for kind in [
        OrganisationType.COMPANY,
        OrganisationType.CRAFT,
        OrganisationType.STARTUP,
        OrganisationType.ASSOCIATION,
        OrganisationType.PUBLIC,
    ]:
        assert kind in types, kind
    for organisation in organisations:
        assert organisation.place.district_key == region.district_key
        assert 20 < len(organisation.description) < 400
        assert organisation.memberships.filter(role=Role.OWNER).exists()

    rejected = [o for o in organisations if o.verification == Verification.REJECTED]
    assert len(rejected) == 1 and rejected[0].rejection_reason
    eligible = set(Organisation.objects.in_region(region).eligible_for_donations())
    for organisation in organisations:
        if organisation.type in (OrganisationType.SCHOOL, OrganisationType.ASSOCIATION):
            assert organisation in eligible, organisation
            assert organisation.proof and organisation.proof_valid_until
    assert Organisation.objects.in_region(region).verified().count() >= 5
    assert Organisation.objects.in_region(region).filter(verification="new").exists()
    assert Organisation.objects.in_region(region).with_proof_lapsing().exists()


def test_demo_organisations_have_generated_logos(demo, upload_dirs):
    for organisation in Organisation.objects.all():
        assert organisation.logo.name.startswith("organisations/logos/"), organisation
        with Image.open(organisation.logo.path) as logo:
            assert logo.format == "PNG" and logo.size == (256, 256)
        assert organisation.logo.path.startswith(str(upload_dirs.media))


def test_demo_member_owns_one_pm_company_and_belongs_to_another_pm_organisation(demo):
    memberships = Membership.objects.filter(user__email="mitglied@example.org").select_related(
        "organisation__region"
    )
    assert {m.organisation.region.slug for m in memberships} == {"pm"}
    roles = {m.role: m.organisation for m in memberships}
    assert set(roles) == {Role.OWNER, Role.MEMBER}
    assert roles[Role.OWNER].type == OrganisationType.COMPANY
    assert roles[Role.MEMBER] != roles[Role.OWNER]


def test_only_the_documented_demo_accounts_can_log_in(demo):
    User = get_user_model()
    can_log_in = {user.email for user in User.objects.all() if user.has_usable_password()}
    assert can_log_in == {
        "betreiber@example.org",
        "moderation@pm.example.org",
        "mitglied@example.org",
    }


def test_demo_directory_shows_the_regions_organisations(demo):
    pm_directory = Client(HTTP_HOST="pm.localhost").get("/organisations/").content.decode()
    assert "Tischlerei Holzwurm Brück" in pm_directory
    assert "Ruderclub Havelwelle" not in pm_directory


def test_demo_member_can_switch_between_their_organisations(demo):
    client = Client(HTTP_HOST="pm.localhost")
    client.force_login(get_user_model().objects.get(email="mitglied@example.org"))
    response = client.get("/")
    switch = response.context["my_memberships"]
    assert len(switch) == 2
    assert 'id="acting-for"' in response.content.decode()

"""Members and roles: owners and admins manage an organisation, members act for it, everyone
else gets 404 – and the organisation always keeps an owner."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.acting import SESSION_KEY
from organisations.models import Invitation, Membership, Organisation, OrganisationType, Role
from organisations.services import invitation_token

from .factories import (
    make_invitation,
    make_membership,
    make_organisation,
    make_user,
    profile_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(organisation):
    """The shared organisation as an association, so its proof page exists too."""
    organisation.type = OrganisationType.ASSOCIATION
    organisation.save()
    return organisation


@pytest.fixture
def invitation(association, owner):
    return make_invitation(association, "eingeladen@example.org", invited_by=owner)


def membership(organisation, user):
    return Membership.objects.get(organisation=organisation, user=user)


def role_of(organisation, user):
    found = Membership.objects.filter(organisation=organisation, user=user).first()
    return found.role if found else None


def base(organisation):
    return f"/organisations/{organisation.pk}"


def messages_of(response):
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def management_pages(organisation):
    return [f"{base(organisation)}/manage/", f"{base(organisation)}/members/"] + (
        [f"{base(organisation)}/proof/"] if organisation.may_prove_status else []
    )


def management_posts(organisation, target, invitation):
    """Every change a manager may make, aimed at `target` (a membership) and `invitation`."""
    at = f"{base(organisation)}/members/{target.pk}"
    return [
        (f"{base(organisation)}/manage/", profile_data(organisation, name="Gekapert")),
        (f"{base(organisation)}/members/", {"email": "eindringling@example.org", "role": "admin"}),
        (f"{at}/role/", {"role": Role.OWNER}),
        (f"{at}/role/", {"role": Role.ADMIN}),
        (f"{at}/remove/", {}),
        (f"{at}/hand-over/", {}),
        (f"{base(organisation)}/invitations/{invitation.pk}/withdraw/", {}),
        (f"{base(organisation)}/proof/", {"proof_valid_until": "2030-01-01"}),
    ]


def assert_nothing_changed(organisation, owner, target_user, invitation):
    organisation.refresh_from_db()
    assert organisation.name == "Tischlerei Holzwurm"
    assert organisation.proof_valid_until is None
    assert role_of(organisation, owner) == Role.OWNER
    assert role_of(organisation, target_user) == Role.MEMBER
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not Invitation.objects.filter(email="eindringling@example.org").exists()
    assert not mail.outbox


# Who reaches the management URLs --------------------------------------------------------------


@pytest.mark.parametrize("manager", ["owner", "organisation_admin"])
def test_owners_and_admins_reach_every_management_page(request, client_for, association, manager):
    client = client_for(request.getfixturevalue(manager))
    for url in management_pages(association):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "person", ["organisation_member", "outsider", "pm_moderator", "pm_admin", "ohv_admin"]
)
def test_everyone_else_gets_404_on_every_management_url_and_changes_nothing(
    request, client_for, association, owner, organisation_member, invitation, person
):
    client = client_for(request.getfixturevalue(person))
    target = membership(association, organisation_member)
    for url in management_pages(association):
        assert client.get(url).status_code == 404, url
    for url, data in management_posts(association, target, invitation):
        assert client.post(url, data).status_code == 404, url
    assert_nothing_changed(association, owner, organisation_member, invitation)


def test_anonymous_visitors_are_sent_to_log_in_whether_the_organisation_exists_or_not(
    client_for, association, owner, organisation_member, invitation
):
    client = client_for()
    target = membership(association, organisation_member)
    for url in management_pages(association):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"
    for url, data in management_posts(association, target, invitation):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    missing = client.get("/organisations/999999/manage/")
    assert missing.status_code == 302
    assert_nothing_changed(association, owner, organisation_member, invitation)


@pytest.mark.parametrize("manager", ["owner", "organisation_admin"])
def test_managers_get_404_through_another_regions_host(
    request, client_for, association, owner, organisation_member, invitation, manager
):
    client = client_for(request.getfixturevalue(manager), host="ohv.localhost")
    target = membership(association, organisation_member)
    for url in management_pages(association):
        assert client.get(url).status_code == 404, url
    for url, data in management_posts(association, target, invitation):
        assert client.post(url, data).status_code == 404, url
    assert client.post(f"{base(association)}/leave/").status_code == 404
    assert_nothing_changed(association, owner, organisation_member, invitation)


def test_managers_of_one_organisation_cannot_manage_another(
    client_for, association, owner, organisation_member, invitation, pm
):
    other_owner = make_user("chefin@nachbar.example")
    neighbour = make_organisation(pm, "Nachbar GmbH", owner=other_owner)
    client = client_for(owner)
    for url in management_pages(neighbour):
        assert client.get(url).status_code == 404, url
    # Their own organisation in the URL, but the neighbour's membership: still 404.
    foreign = membership(neighbour, other_owner)
    at = f"{base(association)}/members/{foreign.pk}"
    for action in ["role", "remove", "hand-over"]:
        assert client.post(f"{at}/{action}/", {"role": Role.MEMBER}).status_code == 404
    neighbours_invitation = make_invitation(neighbour, "x@example.org")
    url = f"{base(association)}/invitations/{neighbours_invitation.pk}/withdraw/"
    assert client.post(url).status_code == 404
    assert role_of(neighbour, other_owner) == Role.OWNER
    assert Invitation.objects.filter(pk=neighbours_invitation.pk).exists()


def test_actions_that_change_something_answer_get_with_405(
    client_for, association, owner, organisation_member
):
    client = client_for(owner)
    at = f"{base(association)}/members/{membership(association, organisation_member).pk}"
    for url in [f"{at}/role/", f"{at}/remove/", f"{at}/hand-over/", f"{base(association)}/leave/"]:
        assert client.get(url).status_code == 405, url
    assert role_of(association, organisation_member) == Role.MEMBER


# Members page ---------------------------------------------------------------------------------


def test_members_page_lists_members_roles_and_open_invitations(
    client_for, association, owner, organisation_admin, organisation_member, invitation
):
    expired = make_invitation(association, "zu-spaet@example.org")
    Invitation.objects.filter(pk=expired.pk).update(created_at="2020-01-01T00:00:00Z")
    response = client_for(organisation_admin).get(f"{base(association)}/members/")
    assert {(m.user.email, m.role) for m in response.context["memberships"]} == {
        (owner.email, Role.OWNER),
        (organisation_admin.email, Role.ADMIN),
        (organisation_member.email, Role.MEMBER),
    }
    assert list(response.context["invitations"]) == [invitation]
    html = response.content.decode()
    assert "eingeladen@example.org" in html
    assert "zu-spaet@example.org" not in html


def test_members_page_query_count_does_not_grow_with_members(
    client_for, association, owner, invitation
):
    client = client_for(owner)
    url = f"{base(association)}/members/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(8):
        make_membership(
            association,
            make_user(f"kollege{number}@example.org"),
            [Role.ADMIN, Role.MEMBER][number % 2],
        )
        make_invitation(association, f"neu{number}@example.org")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


# Changing roles -------------------------------------------------------------------------------


def change_role(client, organisation, user, role):
    url = f"{base(organisation)}/members/{membership(organisation, user).pk}/role/"
    return client.post(url, {"role": role}, follow=True)


def test_owner_makes_a_member_admin_and_back(client_for, association, owner, organisation_member):
    client = client_for(owner)
    response = change_role(client, association, organisation_member, Role.ADMIN)
    assert response.redirect_chain == [(f"{base(association)}/members/", 302)]
    assert messages_of(response)[0][0] == "success"
    assert role_of(association, organisation_member) == Role.ADMIN
    change_role(client, association, organisation_member, Role.MEMBER)
    assert role_of(association, organisation_member) == Role.MEMBER


def test_owner_makes_a_member_a_second_owner(client_for, association, owner, organisation_member):
    change_role(client_for(owner), association, organisation_member, Role.OWNER)
    assert role_of(association, organisation_member) == Role.OWNER
    assert role_of(association, owner) == Role.OWNER


def test_admin_manages_members_and_admins(
    client_for, association, organisation_admin, organisation_member
):
    other_admin = make_user("zweite-verwaltung@example.org")
    make_membership(association, other_admin, Role.ADMIN)
    client = client_for(organisation_admin)
    change_role(client, association, organisation_member, Role.ADMIN)
    assert role_of(association, organisation_member) == Role.ADMIN
    change_role(client, association, other_admin, Role.MEMBER)
    assert role_of(association, other_admin) == Role.MEMBER


def test_admins_cannot_make_owners(
    client_for, association, organisation_admin, organisation_member
):
    client = client_for(organisation_admin)
    response = change_role(client, association, organisation_member, Role.OWNER)
    assert messages_of(response)[0][0] == "error"
    assert role_of(association, organisation_member) == Role.MEMBER
    change_role(client, association, organisation_admin, Role.OWNER)
    assert role_of(association, organisation_admin) == Role.ADMIN


def test_admins_cannot_touch_owners(client_for, association, owner, organisation_admin):
    client = client_for(organisation_admin)
    target = membership(association, owner)
    at = f"{base(association)}/members/{target.pk}"
    for role in [Role.ADMIN, Role.MEMBER]:
        response = client.post(f"{at}/role/", {"role": role}, follow=True)
        assert messages_of(response)[0][0] == "error"
    response = client.post(f"{at}/remove/", follow=True)
    assert messages_of(response)[0][0] == "error"
    assert role_of(association, owner) == Role.OWNER


def test_the_last_owner_cannot_step_down(client_for, association, owner, organisation_admin):
    client = client_for(owner)
    for role in [Role.ADMIN, Role.MEMBER]:
        response = change_role(client, association, owner, role)
        assert messages_of(response)[0][0] == "error"
        assert role_of(association, owner) == Role.OWNER


def test_an_owner_steps_down_when_another_owner_remains(
    client_for, association, owner, organisation_admin
):
    client = client_for(owner)
    change_role(client, association, organisation_admin, Role.OWNER)
    response = change_role(client, association, owner, Role.MEMBER)
    assert messages_of(response)[0][0] == "success"
    assert role_of(association, owner) == Role.MEMBER
    assert role_of(association, organisation_admin) == Role.OWNER
    # Now a member, the former owner manages nothing any more.
    assert client.get(f"{base(association)}/members/").status_code == 404


@pytest.mark.parametrize("role", ["superuser", "", "OWNER"])
def test_unknown_roles_change_nothing(client_for, association, owner, organisation_member, role):
    response = change_role(client_for(owner), association, organisation_member, role)
    assert response.status_code == 200
    assert role_of(association, organisation_member) == Role.MEMBER


# Removing and leaving -------------------------------------------------------------------------


def remove(client, organisation, user):
    url = f"{base(organisation)}/members/{membership(organisation, user).pk}/remove/"
    return client.post(url, follow=True)


@pytest.mark.parametrize("manager", ["owner", "organisation_admin"])
def test_managers_remove_members(request, client_for, association, organisation_member, manager):
    response = remove(
        client_for(request.getfixturevalue(manager)), association, organisation_member
    )
    assert messages_of(response)[0][0] == "success"
    assert role_of(association, organisation_member) is None
    assert organisation_member.is_active, "only the membership goes, not the account"


def test_admin_removes_another_admin(client_for, association, organisation_admin):
    other_admin = make_user("zweite-verwaltung@example.org")
    make_membership(association, other_admin, Role.ADMIN)
    remove(client_for(organisation_admin), association, other_admin)
    assert role_of(association, other_admin) is None


def test_owner_removes_another_owner_but_not_the_last_one(
    client_for, association, owner, organisation_admin
):
    client = client_for(owner)
    change_role(client, association, organisation_admin, Role.OWNER)
    remove(client, association, organisation_admin)
    assert role_of(association, organisation_admin) is None
    response = remove(client, association, owner)
    assert messages_of(response)[0][0] == "error"
    assert role_of(association, owner) == Role.OWNER


@pytest.mark.parametrize("person", ["organisation_member", "organisation_admin"])
def test_members_and_admins_leave(request, client_for, association, person):
    user = request.getfixturevalue(person)
    client = client_for(user)
    response = client.post(f"{base(association)}/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert role_of(association, user) is None
    assert client.get(f"{base(association)}/").context["membership"] is None


def test_the_last_owner_cannot_leave_without_handing_over(client_for, association, owner):
    client = client_for(owner)
    response = client.post(f"{base(association)}/leave/", follow=True)
    assert response.redirect_chain == [(f"{base(association)}/", 302)]
    assert messages_of(response)[0][0] == "error"
    assert role_of(association, owner) == Role.OWNER
    assert Organisation.objects.filter(pk=association.pk).exists()


def test_one_of_two_owners_may_leave(client_for, association, owner, organisation_admin):
    change_role(client_for(owner), association, organisation_admin, Role.OWNER)
    client_for(owner).post(f"{base(association)}/leave/")
    assert role_of(association, owner) is None
    assert role_of(association, organisation_admin) == Role.OWNER


@pytest.mark.parametrize("person", ["outsider", "pm_moderator", "ohv_admin"])
def test_people_who_are_no_members_cannot_leave(request, client_for, association, person):
    client = client_for(request.getfixturevalue(person))
    assert client.post(f"{base(association)}/leave/").status_code == 404


def test_anonymous_visitors_cannot_leave(client_for, association):
    response = client_for().post(f"{base(association)}/leave/")
    assert response["Location"].startswith("/accounts/login/")


# Handing over ownership -----------------------------------------------------------------------


def hand_over(client, organisation, user):
    url = f"{base(organisation)}/members/{membership(organisation, user).pk}/hand-over/"
    return client.post(url, follow=True)


def test_owner_hands_over_and_may_then_leave(client_for, association, owner, organisation_member):
    client = client_for(owner)
    response = hand_over(client, association, organisation_member)
    assert messages_of(response)[0][0] == "success"
    assert role_of(association, organisation_member) == Role.OWNER
    assert role_of(association, owner) == Role.ADMIN

    response = client.post(f"{base(association)}/leave/")
    assert response["Location"] == "/accounts/"
    assert list(association.memberships.values_list("user__email", "role")) == [
        (organisation_member.email, Role.OWNER)
    ]


def test_admins_cannot_hand_over_ownership(
    client_for, association, owner, organisation_admin, organisation_member
):
    client = client_for(organisation_admin)
    for target in [organisation_member, organisation_admin]:
        response = hand_over(client, association, target)
        assert messages_of(response)[0][0] == "error"
    assert role_of(association, owner) == Role.OWNER
    assert role_of(association, organisation_member) == Role.MEMBER
    assert role_of(association, organisation_admin) == Role.ADMIN


def test_owner_cannot_hand_over_to_themselves(client_for, association, owner):
    response = hand_over(client_for(owner), association, owner)
    assert messages_of(response)[0][0] == "error"
    assert role_of(association, owner) == Role.OWNER


def test_members_page_offers_hand_over_to_owners_only(
    client_for, association, owner, organisation_admin, organisation_member
):
    url = f"{base(association)}/members/"
    target = membership(association, organisation_member)
    hand_over_url = f"{url}{target.pk}/hand-over/"
    assert hand_over_url in client_for(owner).get(url).content.decode()
    assert hand_over_url not in client_for(organisation_admin).get(url).content.decode()


# Acting for one of several organisations ------------------------------------------------------


@pytest.fixture
def busy_person(pm, ohv, organisation):
    """A member of two pm organisations and one ohv organisation."""
    person = make_user("viel-beschaeftigt@example.org")
    make_membership(organisation, person, Role.MEMBER)
    make_membership(make_organisation(pm, "Anglerverein Beelitz"), person, Role.ADMIN)
    make_membership(make_organisation(ohv, "Havelwerft"), person, Role.OWNER)
    return person


def acting(client, url="/organisations/"):
    found = client.get(url).context["acting_membership"]
    return found.organisation.name if found else None


def act_for(client, organisation, next_url="/organisations/"):
    return client.post("/organisations/act-for/", {"organisation": organisation, "next": next_url})


def test_a_person_switches_the_organisation_they_act_for(client_for, busy_person, organisation):
    client = client_for(busy_person)
    response = client.get("/organisations/")
    assert [m.organisation.name for m in response.context["my_memberships"]] == [
        "Anglerverein Beelitz",
        "Tischlerei Holzwurm",
    ]
    assert "Havelwerft" not in response.content.decode()
    assert 'name="organisation"' in response.content.decode()  # the switch in the header
    assert acting(client) == "Anglerverein Beelitz"  # the first, by name

    response = act_for(client, organisation.pk, next_url=f"/organisations/{organisation.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert acting(client) == "Tischlerei Holzwurm"
    assert acting(client, "/") == "Tischlerei Holzwurm"


def test_the_choice_is_kept_per_region(client_for, busy_person, organisation, pm, ohv):
    pm_client = client_for(busy_person)
    act_for(pm_client, organisation.pk)
    ohv_client = client_for(host="ohv.localhost")
    ohv_client.cookies = pm_client.cookies  # one session, two hosts
    assert acting(ohv_client) == "Havelwerft"
    havelwerft = Organisation.objects.get(name="Havelwerft")
    act_for(ohv_client, havelwerft.pk)
    assert pm_client.session[SESSION_KEY] == {
        str(pm.pk): organisation.pk,
        str(ohv.pk): havelwerft.pk,
    }
    assert acting(pm_client) == "Tischlerei Holzwurm"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http://ohv.localhost/",
        "",
    ],
)
def test_next_cannot_lead_off_site(client_for, busy_person, organisation, next_url):
    response = act_for(client_for(busy_person), organisation.pk, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_may_lead_within_the_site(client_for, busy_person, organisation):
    response = act_for(client_for(busy_person), organisation.pk, next_url="/?page=2")
    assert response["Location"] == "/?page=2"


def test_nobody_acts_for_an_organisation_they_do_not_belong_to(client_for, busy_person, pm):
    client = client_for(busy_person)
    stranger = make_organisation(pm, "Fremde AG")
    havelwerft = Organisation.objects.get(name="Havelwerft")  # theirs, but another region
    for value in [stranger.pk, havelwerft.pk, "", "abc", "99999999999999999999999", "1 OR 1=1"]:
        assert act_for(client, value).status_code == 404, value
    assert SESSION_KEY not in client.session
    assert acting(client) == "Anglerverein Beelitz"


def test_acting_for_needs_a_login_and_a_post(client_for, organisation, owner):
    response = client_for().post("/organisations/act-for/", {"organisation": organisation.pk})
    assert response["Location"].startswith("/accounts/login/")
    assert client_for(owner).get("/organisations/act-for/").status_code == 405


def test_founding_or_joining_makes_the_new_organisation_the_acting_one(
    client_for, busy_person, organisation, pm
):
    client = client_for(busy_person)
    act_for(client, organisation.pk)
    invitation = make_invitation(make_organisation(pm, "Zimmerei Zapfen"), busy_person.email)
    client.post(f"/organisations/invitations/{invitation_token(invitation)}/")
    assert acting(client) == "Zimmerei Zapfen"

"""Posting and changing listings: who may (members of the owning organisation, whatever their
role) and who gets 404 (everyone else, staff included); every rule of the form answered at
its field; the category's details stored and shown again; "my listings"."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from listings.models import (
    EVERYONE,
    Audience,
    Direction,
    Listing,
    ListingEvent,
    ListingPhoto,
    PlaceOfUse,
    Status,
    Terms,
)
from organisations.acting import SESSION_KEY
from organisations.models import Role, Verification
from regions.models import Place, Region

from .factories import category, make_listing, make_membership, make_organisation, make_user

pytestmark = pytest.mark.django_db

CREATE = "/listings/new/"
MINE = "/listings/mine/"


def listing_data(**changes):
    """The listing form as posted; category and direction by default "maschinen", offer."""
    data = {
        "direction": Direction.OFFER,
        "category": category("maschinen").pk,
        "title": "Hubarbeitsbühne 12 m",
        "description": "Selbstfahrend, Akku frisch gewartet.",
        "terms": Terms.RENT,
        "price": "120,50",
        "price_unit": "day",
        "reduced_price": "60",
        "audience": [Audience.COMPANIES, Audience.ASSOCIATIONS],
        "quantity": "1",
        "quantity_unit": "piece",
        "available_from": "",
        "available_until": "",
        "places_of_use": ["2"],
        "postal_code": "14513",
        "place_name": "",
        "street": "",
    }
    data["shown_category"] = changes.get("category", data["category"])
    return {**data, **changes}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def edit_url(listing):
    return f"/listings/{listing.pk}/edit/"


def photos_url(listing):
    return f"/listings/{listing.pk}/photos/"


def status_url(listing, action):
    return f"/listings/{listing.pk}/{action}/"


@pytest.fixture
def other_member(pm):
    """A member of another organisation of the same region."""
    user = make_user("kollegin@nachbar.example")
    make_organisation(pm, "Nachbar GmbH", owner=user)
    return user


@pytest.fixture
def people(
    owner, organisation_admin, organisation_member, other_member, outsider, pm_moderator, ohv_admin
):
    return {
        "owner": owner,
        "admin": organisation_admin,
        "member": organisation_member,
        "other organisation": other_member,
        "outsider": outsider,
        "moderator": pm_moderator,
        "other region's staff": ohv_admin,
    }


MEMBERS = ["owner", "admin", "member"]
STRANGERS = ["other organisation", "outsider", "moderator", "other region's staff"]


# Creating -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_posts_a_draft_for_their_organisation(
    client_for, people, organisation, role, pm
):
    client = client_for(people[role])
    step_one = client.get(CREATE)
    assert step_one.status_code == 200
    assert "listings/choose_category.html" in [t.name for t in step_one.templates]
    assert organisation.name in step_one.content.decode()

    chosen = {"direction": Direction.OFFER, "category": category("maschinen").pk}
    step_two = client.get(CREATE, chosen)
    assert "listings/form.html" in [t.name for t in step_two.templates]
    assert step_two.context["form"]["postal_code"].value() == organisation.place.postal_code

    response = client.post(CREATE, listing_data())
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == photos_url(listing)
    assert listing.status == Status.DRAFT
    assert listing.organisation == organisation
    assert listing.region == pm
    assert listing.author == people[role]
    assert listing.place == Place.objects.get(postal_code="14513", name="Teltow")
    assert str(listing.price) == "120.50"
    assert listing.audience == Audience.COMPANIES + Audience.ASSOCIATIONS
    assert ListingEvent.objects.get(listing=listing).actor == people[role]


def test_anonymous_visitors_must_log_in_to_post(pm_client, organisation):
    response = pm_client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    pm_client.post(CREATE, listing_data())
    assert not Listing.objects.exists()


def test_people_without_an_organisation_are_shown_how_to_get_one(client_for, outsider, pm):
    response = client_for(outsider).get(CREATE)
    assert response.status_code == 200
    assert "listings/no_organisation.html" in [t.name for t in response.templates]
    assert 'href="/organisations/new/"' in response.content.decode()
    client_for(outsider).post(CREATE, listing_data())
    assert not Listing.objects.exists()


def test_an_organisation_of_another_region_does_not_count(client_for, owner, organisation):
    response = client_for(owner, host="ohv.localhost").get(CREATE)
    assert "listings/no_organisation.html" in [t.name for t in response.templates]
    client_for(owner, host="ohv.localhost").post(CREATE, listing_data())
    assert not Listing.objects.exists()


def test_the_listing_is_posted_for_the_organisation_chosen_to_act_for(
    client_for, owner, organisation, pm
):
    club = make_organisation(pm, "Sportverein Beelitz", owner=owner)
    client = client_for(owner)
    page = client.get(CREATE).content.decode()
    assert 'action="/organisations/act-for/"' in page  # the switch, for two organisations
    client.post("/organisations/act-for/", {"organisation": club.pk, "next": CREATE})
    assert client.session[SESSION_KEY] == {str(pm.pk): club.pk}
    client.post(CREATE, listing_data())
    assert Listing.objects.get().organisation == club


def test_step_one_asks_again_for_an_unknown_category(client_for, owner, organisation):
    response = client_for(owner).get(CREATE, {"direction": "offer", "category": "999999"})
    assert "listings/choose_category.html" in [t.name for t in response.templates]
    assert response.context["form"].has_error("category", "invalid_choice")
    response = client_for(owner).get(CREATE, {"direction": "sideways", "category": "x"})
    assert response.context["form"].has_error("direction", "invalid_choice")


def test_step_one_offers_only_active_categories_grouped(client_for, owner, organisation):
    retired = category("azubi")
    retired.is_active = False
    retired.save()
    page = client_for(owner).get(CREATE).content.decode()
    assert "<legend>Maschinen &amp; Ausstattung</legend>" in page
    assert f'value="{category("maschinen").pk}"' in page
    assert f'value="{retired.pk}"' not in page
    assert f'value="{category("maschinen-ausstattung").pk}"' not in page  # a group
    response = client_for(owner).get(CREATE, {"direction": "offer", "category": retired.pk})
    assert response.context["form"].has_error("category", "invalid_choice")


@pytest.mark.parametrize(
    "garbage",
    [
        {"category": "\x00", "direction": "offer"},
        {"category": "9" * 40, "direction": "offer"},
        {"category": "-1", "direction": "x" * 5000},
        {"change": "1", "category": "abc"},
    ],
)
def test_garbage_in_step_one_never_answers_500(client_for, owner, organisation, garbage):
    response = client_for(owner).get(CREATE, garbage)
    assert response.status_code == 200
    assert "listings/choose_category.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    "garbage",
    [
        {"shown_category": "abc"},
        {"shown_category": "9" * 40},
        {"shown_category": "²"},  # a digit to str.isdigit, not to int()
        {"category": "9" * 40},
        {"category": "\x00"},
        {"direction": "\x00", "terms": "\x00", "audience": ["x"]},
        {"title": "x" * 100_000, "description": "y" * 100_000},
        {"available_from": "9999-99-99", "quantity": "1e9"},
    ],
)
def test_garbage_in_the_form_never_answers_500(client_for, owner, listing, garbage):
    client = client_for(owner)
    for url in (CREATE, edit_url(listing)):
        response = client.post(url, listing_data(**garbage))
        assert response.status_code == 200, url
        assert response.context["form"].errors
    assert Listing.objects.count() == 1


def test_a_tampered_category_on_step_two_is_refused(client_for, owner, organisation):
    group = category("maschinen-ausstattung")
    response = client_for(owner).post(CREATE, listing_data(category=group.pk))
    assert response.status_code == 200
    assert response.context["form"].has_error("category", "invalid_choice")
    assert not Listing.objects.exists()


# Rules of the form, each at its field ------------------------------------------------------


def errors_after_posting(client, **changes):
    response = client.post(CREATE, listing_data(**changes))
    assert response.status_code == 200, "the form comes back with the errors"
    assert not Listing.objects.exists()
    return response


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 121}, "title", "max_length"),
        ({"description": ""}, "description", "required"),
        ({"terms": ""}, "terms", "required"),
        ({"terms": Terms.GIVE_AWAY, "reduced_price": ""}, "price", "price_for_free_terms"),
        ({"terms": Terms.LOAN, "price": ""}, "reduced_price", "price_for_free_terms"),
        ({"price": "", "reduced_price": "10"}, "price", "reduced_without_price"),
        ({"price": "50", "reduced_price": "60"}, "reduced_price", "reduced_above_price"),
        ({"price": "viel"}, "price", "invalid"),
        ({"price": "-5"}, "price", "min_value"),
        ({"price": "1" * 30}, "price", "max_digits"),
        ({"audience": []}, "audience", "required"),
        ({"audience": ["64"]}, "audience", "invalid_choice"),
        ({"quantity": "0"}, "quantity", "min_value"),
        ({"quantity": "99999999999999"}, "quantity", "max_value"),
        (
            {"available_from": "2031-05-02", "available_until": "2031-05-01"},
            "available_until",
            "until_before_from",
        ),
        ({"available_from": "32.13.2031"}, "available_from", "invalid"),
        ({"postal_code": ""}, "postal_code", "required"),
        ({"postal_code": "16515"}, "postal_code", "postal_code_outside_region"),
        ({"postal_code": "14532"}, "place_name", "place_ambiguous"),
        ({"postal_code": "14532", "place_name": "Potsdam"}, "place_name", "place_ambiguous"),
        ({"attribute_weight": "schwer"}, "attribute_weight", "invalid"),
        ({"attribute_kind": ["Bau", "Raumschiff"]}, "attribute_kind", "invalid_choice"),
        ({"places_of_use": []}, "places_of_use", "required"),
        ({"places_of_use": ["8"]}, "places_of_use", "invalid_choice"),
        ({"attribute_dimensions": "x" * 201}, "attribute_dimensions", "max_length"),
    ],
)
def test_each_rule_is_answered_at_its_field(client_for, owner, organisation, changes, field, code):
    response = errors_after_posting(client_for(owner), **changes)
    form = response.context["form"]
    assert form.has_error(field, code), form.errors.as_data()
    assert set(form.errors) == {field}
    page = response.content.decode()
    # The message stands at the field and in the summary, which links to the field.
    assert f'id="id_{field}_error"' in page
    assert 'class="error-summary"' in page
    assert form.errors[field][0] in page.replace("&#x27;", "'").replace("&quot;", '"')


def test_messages_name_what_is_wrong(client_for, owner, organisation):
    client = client_for(owner)
    outside = errors_after_posting(client, postal_code="16515").context["form"]
    assert "16515" in outside.errors["postal_code"][0]
    assert "Potsdam-Mittelmark" in outside.errors["postal_code"][0]
    shared = errors_after_posting(client, postal_code="14532").context["form"]
    assert "Kleinmachnow" in shared.errors["place_name"][0]
    assert "Stahnsdorf" in shared.errors["place_name"][0]
    free = errors_after_posting(client, terms=Terms.GIVE_AWAY, reduced_price="").context["form"]
    assert str(Terms.GIVE_AWAY.label) in free.errors["price"][0]


def test_the_form_speaks_german(client_for, owner, organisation):
    page = client_for(owner).post(CREATE, listing_data(quantity="0")).content.decode()
    assert '<html lang="de">' in page
    assert "größer oder gleich 1" in page


def test_a_shared_postal_code_with_the_place_named_is_accepted(client_for, owner, organisation):
    client_for(owner).post(CREATE, listing_data(postal_code="14532", place_name="stahnsdorf"))
    assert Listing.objects.get().place == Place.objects.get(postal_code="14532", name="Stahnsdorf")


def test_prices_are_dropped_for_free_terms_left_empty(client_for, owner, organisation):
    client_for(owner).post(CREATE, listing_data(terms=Terms.GIVE_AWAY, price="", reduced_price=""))
    listing = Listing.objects.get()
    assert listing.price is None and listing.reduced_price is None
    assert listing.is_free


def test_german_amounts_are_understood(client_for, owner, organisation):
    client_for(owner).post(CREATE, listing_data(price="1.250", reduced_price="1.000,50"))
    listing = Listing.objects.get()
    assert str(listing.price) == "1250.00"
    assert str(listing.reduced_price) == "1000.50"


def test_dates_in_order_are_kept(client_for, owner, organisation):
    client_for(owner).post(
        CREATE, listing_data(available_from="2031-05-01", available_until="2031-05-01")
    )
    listing = Listing.objects.get()
    assert str(listing.available_from) == str(listing.available_until) == "2031-05-01"


# Category details ---------------------------------------------------------------------------


def test_the_category_details_are_stored_and_shown_again(client_for, owner, organisation):
    client = client_for(owner)
    storage = category("lager")
    form = client.get(CREATE, {"direction": "offer", "category": storage.pk}).context["form"]
    # The group's attributes (area, storage features) come first, then the category's own.
    assert list(form.fields)[-2:] == ["attribute_area", "attribute_storage"]
    assert form.fields["attribute_area"].label == "Fläche (m²)"
    assert [value for value, label in form.fields["attribute_storage"].choices] == [
        "innen",
        "außen",
        "beheizt",
        "gekühlt",
    ]
    client.post(
        CREATE,
        listing_data(
            category=storage.pk,
            attribute_area="1.250,5",
            attribute_storage=["gekühlt", "innen"],
        ),
    )
    listing = Listing.objects.get()
    # Numbers as numbers, so searches can compare them; several values as a list in the
    # order they are offered; empty ones left out.
    assert listing.attributes == {"area": 1250.5, "storage": ["innen", "gekühlt"]}

    page = client.get(edit_url(listing))
    form = page.context["form"]
    assert form["attribute_area"].value() == 1250.5
    assert form["attribute_storage"].value() == ["innen", "gekühlt"]
    html = page.content.decode()
    assert 'value="1250,5"' in html
    assert 'type="checkbox" name="attribute_storage" value="innen"' in html
    assert html.count('name="attribute_storage"') == 4
    assert len(re.findall(r'name="attribute_storage" value="[^"]+"[^>]*checked', html)) == 2


def test_several_values_are_ticked_where_the_old_platform_allowed_several(
    client_for, owner, organisation
):
    client = client_for(owner)
    client.post(
        CREATE,
        listing_data(
            attribute_kind=["Verpackungsmaschinen", "Paletten"],
            places_of_use=[PlaceOfUse.CUSTOMER, PlaceOfUse.ON_REQUEST],
        ),
    )
    listing = Listing.objects.get()
    assert listing.attributes["kind"] == ["Paletten", "Verpackungsmaschinen"]
    assert listing.places_of_use == PlaceOfUse.CUSTOMER | PlaceOfUse.ON_REQUEST
    form = client.get(edit_url(listing)).context["form"]
    assert form["places_of_use"].value() == [PlaceOfUse.CUSTOMER, PlaceOfUse.ON_REQUEST]


def test_a_single_value_stored_before_several_were_allowed_is_ticked(
    client_for, owner, organisation
):
    listing = make_listing(organisation, attributes={"kind": "Paletten"})
    form = client_for(owner).get(edit_url(listing)).context["form"]
    assert form["attribute_kind"].value() == ["Paletten"]


def test_unticking_every_value_drops_the_detail(client_for, owner, organisation):
    listing = make_listing(organisation, attributes={"kind": ["Paletten"], "weight": 5})
    client_for(owner).post(edit_url(listing), listing_data(attribute_weight="5"))
    listing.refresh_from_db()
    assert listing.attributes == {"weight": 5}


def test_changing_the_category_shows_its_details_before_saving(client_for, owner, organisation):
    listing = make_listing(
        organisation,
        category=category("maschinen"),
        attributes={"weight": 800, "kind": ["Bau"]},
    )
    client = client_for(owner)
    vehicles = category("fahrzeuge")
    data = listing_data(
        category=vehicles.pk,
        shown_category=listing.category_id,
        attribute_weight="900",
        attribute_kind=["Bau"],
    )
    response = client.post(edit_url(listing), data)
    form = response.context["form"]
    assert form.has_error("category", "category_changed")
    assert "attribute_vehicle-type" in form.fields
    assert "attribute_kind" not in form.fields
    assert form["shown_category"].value() == vehicles.pk
    listing.refresh_from_db()
    assert listing.category == category("maschinen")

    data.update({"shown_category": vehicles.pk, "attribute_vehicle-type": ["Gabelstapler"]})
    response = client.post(edit_url(listing), data)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.category == vehicles
    # "weight" is an attribute of both groups; "kind" belonged to machines only.
    assert listing.attributes == {"vehicle-type": ["Gabelstapler"], "weight": 900}


def test_a_category_with_the_same_details_changes_at_once(client_for, owner, organisation):
    listing = make_listing(organisation, category=category("maschinen"))
    data = listing_data(category=category("werkzeug").pk, shown_category=listing.category_id)
    response = client_for(owner).post(edit_url(listing), data)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.category == category("werkzeug")


def test_a_listing_in_a_retired_category_moves_to_another_when_edited(
    client_for, owner, organisation
):
    listing = make_listing(organisation, category=category("maschinen"))
    retired = category("maschinen")
    retired.is_active = False
    retired.save()
    client = client_for(owner)
    response = client.post(edit_url(listing), listing_data(title="Neu betitelt"))
    assert response.context["form"].has_error("category", "invalid_choice")
    response = client.post(
        edit_url(listing), listing_data(title="Neu betitelt", category=category("werkzeug").pk)
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.category) == ("Neu betitelt", category("werkzeug"))


# Editing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_edits_their_organisations_listing(client_for, people, listing, role):
    client = client_for(people[role])
    page = client.get(edit_url(listing))
    assert page.status_code == 200
    assert page.context["form"]["title"].value() == listing.title
    response = client.post(edit_url(listing), listing_data(title="Gabelstapler, frisch geprüft"))
    assert response.status_code == 302
    assert response["Location"] == f"/listings/{listing.pk}/"
    listing.refresh_from_db()
    assert listing.title == "Gabelstapler, frisch geprüft"
    assert ListingEvent.objects.filter(listing=listing, action="edited").get().actor == people[role]


def test_a_rejected_edit_keeps_the_saved_title_in_the_heading(client_for, owner, listing):
    response = client_for(owner).post(edit_url(listing), listing_data(title="Neu", price="x"))
    heading = response.content.decode().split("<h1>")[1].split("</h1>")[0]
    assert listing.title in heading
    assert response.context["form"]["title"].value() == "Neu"


def test_editing_in_a_pre_moderated_region_sends_the_listing_back_for_approval(
    client_for, owner, listing, pm
):
    pm.moderation = Region.Moderation.PRE
    pm.save()
    client = client_for(owner)
    page = client.get(edit_url(listing)).content.decode()
    assert pm.operator_name in page  # the warning says who checks it again
    response = client.post(edit_url(listing), listing_data(), follow=True)
    listing.refresh_from_db()
    assert listing.status == Status.PENDING
    assert any(pm.operator_name in message for message in messages_of(response))


def test_editing_a_published_listing_of_a_verified_organisation_keeps_it_published(
    client_for, owner, listing, organisation
):
    organisation.verification = Verification.VERIFIED
    organisation.save()
    client_for(owner).post(edit_url(listing), listing_data())
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED


@pytest.mark.parametrize("status", [Status.CLOSED, Status.REMOVED])
def test_ended_listings_cannot_be_edited(client_for, owner, organisation, status):
    listing = make_listing(organisation, status=status)
    client = client_for(owner)
    for url in (edit_url(listing), photos_url(listing)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == MINE
    client.post(edit_url(listing), listing_data(title="Doch noch"))
    listing.refresh_from_db()
    assert listing.title != "Doch noch"


# Who gets 404 -------------------------------------------------------------------------------


def member_urls(listing):
    return [
        edit_url(listing),
        photos_url(listing),
        *(
            status_url(listing, action)
            for action in ("submit", "pause", "resume", "close", "renew")
        ),
    ]


@pytest.mark.parametrize("stranger", STRANGERS)
def test_strangers_get_404_for_everything_about_a_listing(client_for, people, listing, stranger):
    client = client_for(people[stranger])
    for url in member_urls(listing):
        assert client.get(url).status_code == 404, url
        assert client.post(url, listing_data(title="Gekapert")).status_code == 404, url
    listing.refresh_from_db()
    assert listing.title != "Gekapert"
    assert listing.status == Status.PUBLISHED


@pytest.mark.parametrize("role", MEMBERS)
def test_members_open_every_page_of_their_listing(client_for, people, listing, role):
    client = client_for(people[role])
    for url in member_urls(listing):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_asked_to_log_in_everywhere(pm_client, listing):
    for url in [*member_urls(listing), MINE]:
        response = pm_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        assert pm_client.post(url, listing_data(title="Gekapert")).status_code == 302
    listing.refresh_from_db()
    assert listing.title != "Gekapert"


def test_another_regions_host_answers_404_even_to_the_owner(client_for, owner, listing):
    client = client_for(owner, host="ohv.localhost")
    for url in member_urls(listing):
        assert client.get(url).status_code == 404, url
        assert client.post(url, listing_data(title="Gekapert")).status_code == 404, url


def test_a_former_member_gets_404(client_for, organisation_member, listing, organisation):
    organisation.memberships.filter(user=organisation_member).delete()
    assert client_for(organisation_member).get(edit_url(listing)).status_code == 404


def test_posts_need_a_csrf_token(owner, organisation, listing, pm):
    client = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    client.force_login(owner)
    for url, data in [
        (CREATE, listing_data()),
        (edit_url(listing), listing_data(title="Ohne Token")),
        (status_url(listing, "pause"), {}),
        (photos_url(listing), {"operation": "upload"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    listing.refresh_from_db()
    assert listing.title != "Ohne Token"
    assert listing.status == Status.PUBLISHED
    assert Listing.objects.count() == 1
    # With the token from the page, the same post goes through.
    page = client.get(status_url(listing, "pause"))
    token = page.context["csrf_token"]
    assert (
        client.post(status_url(listing, "pause"), {"csrfmiddlewaretoken": str(token)}).status_code
        == 302
    )


# Status changes through the pages -----------------------------------------------------------


def test_get_only_asks_and_post_changes(client_for, owner, listing):
    client = client_for(owner)
    page = client.get(status_url(listing, "pause"))
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    response = client.post(status_url(listing, "pause"))
    assert response.status_code == 302
    assert response["Location"] == MINE
    listing.refresh_from_db()
    assert listing.status == Status.PAUSED
    assert client.post(status_url(listing, "resume"), {"next": "/elsewhere/"})["Location"] == (
        "/elsewhere/"
    )
    assert (
        client.post(status_url(listing, "close"), {"next": "https://evil.example/"})["Location"]
        == MINE
    )


def test_an_action_not_allowed_now_is_a_message_not_an_error(client_for, owner, listing):
    client = client_for(owner)
    page = client.get(status_url(listing, "resume"))
    assert page.status_code == 200
    assert not page.context["allowed"]
    response = client.post(status_url(listing, "resume"), follow=True)
    assert response.status_code == 200
    assert messages_of(response)
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED


def test_unknown_actions_and_methods(client_for, owner, listing):
    client = client_for(owner)
    assert client.get(status_url(listing, "explode")).status_code == 404
    assert client.post(status_url(listing, "explode")).status_code == 404
    assert client.put(status_url(listing, "pause")).status_code == 405
    assert client.get("/listings/999999/pause/").status_code == 404


def test_publishing_a_draft_explains_the_check_first(client_for, owner, organisation, pm):
    draft = make_listing(organisation, status=Status.DRAFT)
    client = client_for(owner)
    page = client.get(status_url(draft, "submit")).content.decode()
    assert pm.operator_name in page  # unverified organisation: staff check first
    response = client.post(status_url(draft, "submit"), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.PENDING
    assert any(pm.operator_name in message for message in messages_of(response))


# My listings --------------------------------------------------------------------------------


@pytest.fixture
def many_states(organisation, owner):
    return {
        status: make_listing(organisation, f"Anzeige {status}", status=status, author=owner)
        for status in Status.values
    }


def shown_titles(response):
    return {listing.title for listing in response.context["page"]}


def test_my_listings_shows_every_state_of_the_acting_organisation(
    client_for, organisation_member, organisation, many_states, pm
):
    other = make_organisation(pm, "Andere GmbH")
    make_listing(other, "Fremde Anzeige")
    response = client_for(organisation_member).get(MINE)
    assert response.status_code == 200
    assert shown_titles(response) == {f"Anzeige {status}" for status in Status.values}
    page = response.content.decode()
    for status in Status:
        assert f'badge--status-{status.value}">{status.label}</span>' in page


def test_my_listings_filters_by_status(client_for, owner, many_states):
    client = client_for(owner)
    assert shown_titles(client.get(MINE, {"status": "paused"})) == {"Anzeige paused"}
    assert len(shown_titles(client.get(MINE, {"status": "nonsense"}))) == len(Status.values)
    assert client.get(MINE, {"page": "x" * 500, "status": "\x00"}).status_code == 200


def test_my_listings_offers_what_each_state_allows(client_for, owner, many_states):
    page = client_for(owner).get(MINE).content.decode()
    draft, paused, closed = (many_states[s] for s in ("draft", "paused", "closed"))
    assert f'action="/listings/{draft.pk}/submit/"' in page
    assert f'action="/listings/{paused.pk}/resume/"' in page
    assert f'action="/listings/{paused.pk}/pause/"' not in page
    assert f"/listings/{closed.pk}/edit/" not in page
    assert f"/listings/{closed.pk}/" in page


def test_my_listings_shows_the_reason_of_moderation(client_for, owner, organisation):
    make_listing(
        organisation, "Abgelehnt", status=Status.DRAFT, moderation_reason="Bitte Preis nennen."
    )
    make_listing(organisation, "Entfernt", status=Status.REMOVED, moderation_reason="Kein Angebot.")
    page = client_for(owner).get(MINE).content.decode()
    assert "Bitte Preis nennen." in page
    assert "Kein Angebot." in page


def test_my_listings_without_an_organisation(client_for, outsider, pm):
    response = client_for(outsider).get(MINE)
    assert "listings/no_organisation.html" in [t.name for t in response.templates]


def add_photo_records(listing):
    """A photo row without a file: enough for pages that count or list photos."""
    ListingPhoto.objects.create(listing=listing, image="x.jpg", width=4, height=3, alt_text="Foto")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_listings_query_count_does_not_grow_with_the_data(client_for, owner, organisation):
    client = client_for(owner)
    make_listing(organisation, "Erste")
    client.get(MINE)
    before = count_queries(client, MINE)
    for number in range(15):
        listing = make_listing(organisation, f"Anzeige {number}", status=Status.values[number % 7])
        add_photo_records(listing)
    assert count_queries(client, MINE) == before


def test_edit_and_photos_query_counts_do_not_grow(client_for, owner, listing, organisation):
    client = client_for(owner)
    for url in (edit_url(listing), photos_url(listing)):
        client.get(url)
        before = count_queries(client, url)
        for number in range(5):
            make_membership(
                organisation, make_user(f"m{number}-{url[-7:-1]}@example.org"), Role.MEMBER
            )
            add_photo_records(listing)
        assert count_queries(client, url) == before, url


def test_the_audience_defaults_to_everyone(client_for, owner, organisation):
    form = (
        client_for(owner)
        .get(CREATE, {"direction": "request", "category": category("maschinen").pk})
        .context["form"]
    )
    assert form["audience"].value() == [bit for bit in Audience.values if EVERYONE & bit]
    assert form["direction"].value() == "request"


def test_posting_many_listings_in_an_hour_is_stopped(client_for, owner, organisation, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "listing_create": "2/h/user"}
    client = client_for(owner)
    for _number in range(2):
        assert client.post(CREATE, listing_data()).status_code == 302
    assert client.post(CREATE, listing_data()).status_code == 429
    assert organisation.listings.count() == 2

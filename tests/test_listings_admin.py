"""Listings and categories in the back office: staff see only their region's listings,
read-only, pending ones first; they approve, reject and remove them through the actions,
which log the decision and tell the organisation why. Categories are the operator's."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from listings.models import (
    Category,
    CategoryAttribute,
    EventAction,
    Listing,
    ListingEvent,
    ListingPhoto,
    Status,
)
from regions.models import StaffMembership, StaffRole

from .factories import category, make_listing, make_organisation, make_user, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/listings/listing/"
EXPORT = "/admin/listings/listing/export/"
CATEGORIES = "/admin/listings/category/"


def login(user, host="pm.localhost"):
    """A client on `host`, signed in as `user` with password and authenticator code."""
    return sign_in_with_two_factor(Client(HTTP_HOST=host), user)


def change_url(listing, view="change"):
    return reverse(f"admin:listings_listing_{view}", args=[listing.pk])


def act(client, action, listings, **data):
    """Posts an action as the changelist (or, with confirm="yes", the decision page) does."""
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [item.pk for item in listings], **data}
    )


def shown(response):
    return list(response.context["cl"].result_list)


def notes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def csv_rows(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.fixture
def pending(organisation, owner):
    """A pm listing waiting for approval, by the organisation's owner."""
    return make_listing(organisation, "Hubsteiger 18 m", status=Status.PENDING, author=owner)


@pytest.fixture
def ohv_listing(ohv):
    owner = make_user("chef@havelwerft.example")
    organisation = make_organisation(ohv, "Havelwerft", owner=owner)
    return make_listing(organisation, "Bootskran", status=Status.PENDING, author=owner)


# Who sees what ------------------------------------------------------------------------------


def test_moderator_lists_and_searches_only_their_regions_listings(
    pm_moderator, listing, pending, ohv_listing
):
    client = login(pm_moderator)
    assert set(shown(client.get(CHANGELIST))) == {listing, pending}
    for query in ["Hubsteiger", "Holzwurm", "kurzfristig verfügbar"]:
        assert pending in shown(client.get(CHANGELIST, {"q": query})), query
    for query in ["Bootskran", "Havelwerft"]:
        assert shown(client.get(CHANGELIST, {"q": query})) == [], query


def test_staff_get_404_for_another_regions_listing(pm_moderator, ohv_admin, listing, ohv_listing):
    for user, other, host in [
        (pm_moderator, ohv_listing, "pm.localhost"),
        (ohv_admin, listing, "ohv.localhost"),
    ]:
        client = login(user, host)
        for view in ["change", "history"]:
            assert client.get(change_url(other, view)).status_code == 404, (user, view)
    # Nor through the other region's host, where they are nobody.
    response = login(pm_moderator, "ohv.localhost").get(change_url(listing))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_members_without_a_staff_role_get_no_access(owner, pending):
    client = login(owner)
    for path in [CHANGELIST, change_url(pending), EXPORT, CATEGORIES]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path
    act(client, "approve", [pending], confirm="yes")
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_the_listing_is_shown_read_only_with_photos_and_history(
    pm_moderator, pending, owner, organisation
):
    ListingPhoto.objects.create(
        listing=pending,
        image="listings/1/1/steiger.jpg",
        card="listings/1/1/steiger-card.webp",
        width=800,
        height=600,
        alt_text="Hubsteiger ausgefahren",
    )
    ListingEvent.objects.create(listing=pending, action=EventAction.CREATED, actor=owner)
    ListingEvent.objects.create(
        listing=pending, action=EventAction.SUBMITTED, actor=owner, reason="Bitte prüfen"
    )
    client = login(pm_moderator)
    response = client.get(change_url(pending))
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields, "nothing to edit"
    html = response.content.decode()
    assert 'src="/media/listings/1/1/steiger-card.webp" alt="Hubsteiger ausgefahren"' in html
    assert "Hubsteiger 18 m" in html
    assert owner.email in html
    assert "Bitte prüfen" in html
    assert "Maschinen &amp; Ausstattung › Maschinen" in html
    # No links to category or place pages that only the operator may open.
    assert "/admin/listings/category/" not in html
    assert "/admin/regions/place/" not in html
    assert f'href="http://pm.localhost/listings/{pending.pk}/"' in html, "on its own host"
    events = response.context["inline_admin_formsets"][1].formset.queryset
    assert [event.action for event in events] == [EventAction.SUBMITTED, EventAction.CREATED]

    response = client.post(change_url(pending), {"title": "Geändert", "status": "published"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert (pending.title, pending.status) == ("Hubsteiger 18 m", Status.PENDING)


def test_nobody_adds_or_edits_listings_here_and_only_the_operator_deletes(
    operator, pm_admin, pm_moderator, listing
):
    for user in [operator, pm_admin]:
        client = login(user)
        assert client.get("/admin/listings/listing/add/").status_code == 403
        assert client.post(change_url(listing), {"title": "Neu"}).status_code == 403
    for user in [pm_admin, pm_moderator]:
        choices = dict(login(user).get(CHANGELIST).context["action_form"].fields["action"].choices)
        assert "delete_selected" not in choices
        assert {"approve", "reject", "remove", "export_csv"} <= set(choices)
        assert login(user).get(change_url(listing, "delete")).status_code == 403
    assert login(operator).post(change_url(listing, "delete"), {"post": "yes"}).status_code == 302
    assert not Listing.objects.filter(pk=listing.pk).exists()


def test_pending_listings_come_first_then_the_newest(pm_moderator, organisation):
    first_published = make_listing(organisation, "Alt und veröffentlicht")
    first_pending = make_listing(organisation, "Wartet lange", status=Status.PENDING)
    draft = make_listing(organisation, "Entwurf", status=Status.DRAFT)
    later_published = make_listing(organisation, "Neu und veröffentlicht")
    later_pending = make_listing(organisation, "Wartet kurz", status=Status.PENDING)
    assert shown(login(pm_moderator).get(CHANGELIST)) == [
        later_pending,
        first_pending,
        later_published,
        draft,
        first_published,
    ]


def test_filters_offer_only_what_the_region_has(pm_moderator, listing, organisation, ohv_listing):
    make_listing(
        make_organisation(organisation.region, "Lager GmbH"),
        "Lagerhalle",
        category=category("lager"),
    )
    make_listing(
        make_organisation(ohv_listing.region, "Fremd"), "Kühlraum", category=category("it-technik")
    )
    response = login(pm_moderator).get(CHANGELIST)
    specs = {
        getattr(spec, "field_path", None) or spec.parameter_name: spec
        for spec in response.context["cl"].filter_specs
    }
    categories = [label for _pk, label in specs["category"].lookup_choices]
    assert categories == ["Maschinen & Ausstattung › Maschinen", "Räume & Flächen › Lager"]
    organisations = {label for _pk, label in specs["organisation"].lookup_choices}
    assert organisations == {"Tischlerei Holzwurm", "Lager GmbH"}

    client = login(pm_moderator)
    lager = category("lager")
    assert [item.title for item in shown(client.get(CHANGELIST, {"category": lager.pk}))] == [
        "Lagerhalle"
    ]
    assert shown(client.get(CHANGELIST, {"status__exact": "pending"})) == []
    for garbage in ["kaputt", "²", "-1", "99999999999999999999", "1 OR 1=1"]:
        assert client.get(CHANGELIST, {"category": garbage}).status_code in {200, 302}, garbage


# Approve, reject, remove ---------------------------------------------------------------------


def test_a_pending_listing_is_public_only_after_approval(
    pm_moderator, pending, owner, client_for, django_capture_on_commit_callbacks
):
    public = f"/listings/{pending.pk}/"
    assert client_for().get(public).status_code == 404

    client = login(pm_moderator)
    page = act(client, "approve", [pending])
    assert page.status_code == 200
    assert "admin/listings/decision.html" in [template.name for template in page.templates]
    assert "Hubsteiger 18 m" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING, "nothing happens before confirming"

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "approve", [pending], confirm="yes")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED
    assert pending.published_at is not None
    event = pending.events.first()
    assert (event.action, event.actor, event.by_staff) == (EventAction.APPROVED, pm_moderator, True)
    assert LogEntry.objects.get(object_id=str(pending.pk)).user == pm_moderator
    [email] = mail.outbox
    assert email.to == [owner.email]
    assert "Potsdam-Mittelmark" in email.subject
    assert f"http://pm.localhost/listings/{pending.pk}/" in email.body

    assert client_for().get(public).status_code == 200


def test_reject_needs_a_reason(pm_moderator, pending, django_capture_on_commit_callbacks):
    client = login(pm_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "reject", [pending], confirm="yes", reason="   ")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"]
    assert 'class="errornote"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not LogEntry.objects.exists()
    assert not pending.events.filter(by_staff=True).exists()
    assert mail.outbox == []


def test_reject_sends_the_listing_back_with_the_reason(
    pm_moderator, pending, owner, django_capture_on_commit_callbacks
):
    reason = "Bitte ein Foto des Geräts ergänzen und den Preis pro Tag angeben."
    with django_capture_on_commit_callbacks(execute=True):
        response = act(login(pm_moderator), "reject", [pending], confirm="yes", reason=reason)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.moderation_reason) == (Status.DRAFT, reason)
    event = pending.events.first()
    assert (event.action, event.actor, event.reason) == (EventAction.REJECTED, pm_moderator, reason)
    assert reason in LogEntry.objects.get(object_id=str(pending.pk)).change_message
    [email] = mail.outbox
    assert email.to == [owner.email]
    assert reason in email.body
    assert f"http://pm.localhost/listings/{pending.pk}/" in email.body
    # The owner reads it on the listing too.
    owner_page = Client(HTTP_HOST="pm.localhost")
    owner_page.force_login(owner)
    assert reason in owner_page.get(f"/listings/{pending.pk}/").content.decode()


def test_remove_takes_a_published_listing_down_with_the_reason(
    pm_moderator, listing, owner, client_for, django_capture_on_commit_callbacks
):
    reason = "Verstößt gegen die Nutzungsbedingungen: keine Waffen."
    page = act(login(pm_moderator), "remove", [listing])
    assert 'name="reason"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        act(login(pm_moderator), "remove", [listing], confirm="yes", reason=reason)
    listing.refresh_from_db()
    assert (listing.status, listing.moderation_reason) == (Status.REMOVED, reason)
    assert listing.events.first().action == EventAction.REMOVED
    [email] = mail.outbox
    assert email.to == [owner.email]
    assert reason in email.body
    assert client_for().get(f"/listings/{listing.pk}/").status_code == 404


def test_a_rule_that_stops_one_listing_stops_the_whole_decision(
    pm_moderator, pending, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(login(pm_moderator), "approve", [pending, listing], confirm="yes")
    assert response.status_code == 302
    [message] = notes(response)
    assert listing.title in message
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not ListingEvent.objects.filter(action=EventAction.APPROVED).exists()
    assert not LogEntry.objects.exists()
    assert mail.outbox == []


def test_actions_on_another_regions_listings_change_nothing(
    pm_moderator, ohv_listing, django_capture_on_commit_callbacks
):
    client = login(pm_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "approve", [ohv_listing], confirm="yes")
        act(client, "remove", [ohv_listing], confirm="yes", reason="Fremd")
    ohv_listing.refresh_from_db()
    assert ohv_listing.status == Status.PENDING
    assert mail.outbox == []
    export = act(client, "export_csv", [ohv_listing])
    assert len(csv_rows(export)) == 1  # the header only


def test_operator_decides_from_the_portal_and_the_mail_links_to_the_regions_host(
    operator, pending, ohv_listing, django_capture_on_commit_callbacks
):
    client = login(operator, "localhost")
    changelist = client.get(CHANGELIST)
    assert set(shown(changelist)) == {pending, ohv_listing}
    regions = {
        label
        for spec in changelist.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "region"
        for _pk, label in spec.lookup_choices
    }
    assert regions == {"Potsdam-Mittelmark", "Oberhavel"}
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "approve", [pending, ohv_listing], confirm="yes")
    assert {item.status for item in Listing.objects.all()} == {Status.PUBLISHED}
    bodies = "\n".join(email.body for email in mail.outbox)
    assert f"http://pm.localhost/listings/{pending.pk}/" in bodies
    assert f"http://ohv.localhost/listings/{ohv_listing.pk}/" in bodies


# CSV --------------------------------------------------------------------------------------------


def test_csv_export_of_the_selected_listings(pm_moderator, organisation, listing):
    listing.price = Decimal("1234.5")
    listing.save()
    evil = make_listing(organisation, '=HYPERLINK("http://evil")', status=Status.PENDING)
    make_listing(organisation, "Nicht ausgewählt")
    response = act(login(pm_moderator), "export_csv", [listing, evil])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="listings-pm-')
    header, *rows = csv_rows(response)
    assert len(header) == 17
    by_title = {row[1]: row for row in rows}
    assert set(by_title) == {'\'=HYPERLINK("http://evil")', "Gabelstapler zu vermieten"}
    row = by_title["Gabelstapler zu vermieten"]
    assert row[0] == str(listing.pk)
    assert row[2:5] == ["Tischlerei Holzwurm", "Maschinen & Ausstattung", "Maschinen"]
    assert row[7] == "1234,50"
    assert row[11] == listing.place.postal_code
    assert row[13] == timezone.localdate(listing.published_at).isoformat()
    assert row[15] == "0"


def test_csv_export_of_the_filtered_list(pm_moderator, listing, pending, ohv_listing):
    client = login(pm_moderator)
    changelist = client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert f"{EXPORT}?status__exact=pending" in changelist
    _header, *rows = csv_rows(client.get(EXPORT, {"status__exact": "pending"}))
    assert [row[1] for row in rows] == [pending.title]
    _header, *rows = csv_rows(client.get(EXPORT))
    assert {row[1] for row in rows} == {listing.title, pending.title}


@pytest.mark.parametrize("query", [{"nonsense": "1"}, {"category": "999999"}])
def test_csv_export_refuses_an_unknown_filter(pm_moderator, listing, query):
    response = login(pm_moderator).get(EXPORT, query)
    assert response.status_code == 400
    assert "Filter" in response.content.decode()
    assert listing.title not in response.content.decode()


# Categories -------------------------------------------------------------------------------------


def test_categories_are_the_operators_only(operator, pm_admin, pm_moderator):
    for user in [pm_admin, pm_moderator]:
        client = login(user)
        assert client.get(CATEGORIES).status_code == 403
        assert client.get(f"{CATEGORIES}{category('lager').pk}/change/").status_code == 403
        index = client.get("/admin/").content.decode()
        assert CATEGORIES not in index
    assert login(operator).get(CATEGORIES).status_code == 200


def test_operator_adds_a_category_with_an_attribute(operator):
    group = Category.objects.get(slug="fahrzeuge-transport")
    response = login(operator, "localhost").post(
        f"{CATEGORIES}add/",
        {
            "parent": group.pk,
            "name": "Lastenräder",
            "slug": "lastenraeder",
            "description": "",
            "position": "3",
            "is_active": "on",
            "attributes-TOTAL_FORMS": "1",
            "attributes-INITIAL_FORMS": "0",
            "attributes-0-key": "payload",
            "attributes-0-label": "Zuladung",
            "attributes-0-kind": "number",
            "attributes-0-unit": "kg",
            "attributes-0-choices": "",
            "attributes-0-position": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Category.objects.get(slug="lastenraeder")
    assert created.parent == group
    assert list(created.attributes.values_list("key", "unit")) == [("payload", "kg")]


def test_an_attributes_key_cannot_be_changed(operator, pm):
    rooms = category("lager").parent
    response = login(operator).get(f"{CATEGORIES}{rooms.pk}/change/")
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms, "rooms have attributes"
    assert all(form.fields["key"].disabled for form in formset.forms)
    assert CategoryAttribute.objects.filter(category=rooms, key="storage").exists()


# Queries ----------------------------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_changelist_and_change_page_query_counts_do_not_grow(
    pm, ohv, pm_moderator, organisation, pending
):
    StaffMembership.objects.create(user=pm_moderator, region=ohv, role=StaffRole.MODERATOR)
    client = login(pm_moderator)
    client.get(CHANGELIST)  # warm caches (region, content types)
    client.get(change_url(pending))
    before = count_queries(client, CHANGELIST)
    change_before = count_queries(client, change_url(pending))
    for number in range(6):
        other = make_organisation(pm if number % 2 else ohv, f"Firma {number}")
        make_listing(
            other, f"Anzeige {number}", category=category("lager" if number % 3 else "fahrzeuge")
        )
        ListingPhoto.objects.create(
            listing=pending,
            image=f"listings/x/{number}.jpg",
            width=10,
            height=10,
            alt_text=f"Foto {number}",
        )
        ListingEvent.objects.create(listing=pending, action=EventAction.EDITED, actor=pm_moderator)
    assert count_queries(client, CHANGELIST) == before
    assert count_queries(client, change_url(pending)) == change_before


@pytest.mark.parametrize(
    "query",
    [
        {"organisation__id__exact": "99999999999999999999"},
        {"organisation__id__exact": "x"},
        {"status__exact": "nonsense"},
        {"q": "a\x00b"},
        {"q": "x" * 5000},
        {"o": "99"},
        {"p": "x"},
    ],
)
def test_bad_changelist_parameters_never_answer_500(pm_moderator, pending, query):
    assert login(pm_moderator).get(CHANGELIST, query).status_code in {200, 302}

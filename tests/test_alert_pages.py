"""The pages of saved searches: "Save this search" on the search page, the list with its
edit, pause, resume and delete, unsubscribing by a mail's link without logging in, and the
way in for visitors who sign up to save a search."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts import services
from alerts.models import Frequency, SavedSearch

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SEARCH = "/listings/?q=gabelstapler&category=maschinen&sort=newest"


def save(user, region, name="Stapler", query="q=gabelstapler"):
    return services.save_search(region, user, query, name=name, frequency=Frequency.DAILY)


# Saving from the search page ----------------------------------------------------------------


def test_the_search_page_offers_to_save_the_search_with_a_name(client_for, member):
    page = client_for(member).get(SEARCH).content.decode()
    assert 'action="/alerts/new/"' in page
    assert 'name="query" value="q=gabelstapler&amp;category=maschinen"' in page
    assert "„gabelstapler“ – Maschinen" in page  # the name it suggests
    assert "Suchauftrag speichern" in page


def test_visitors_are_invited_to_sign_up_and_come_back_to_the_search(pm_client):
    page = pm_client.get(SEARCH).content.decode()
    assert (
        "/accounts/signup/?next=%2Falerts%2Fnew%2F%3Fq%3Dgabelstapler%26category%3Dmaschinen"
        in page
    )


def test_one_click_saves_the_search(client_for, member, pm):
    response = client_for(member).post(
        "/alerts/new/",
        {
            "query": "q=gabelstapler&category=maschinen",
            "alert-name": "Stapler",
            "alert-frequency": "instant",
        },
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.user, saved.region, saved.name, saved.frequency) == (
        member,
        pm,
        "Stapler",
        "instant",
    )
    assert saved.query == "category=maschinen&q=gabelstapler"
    assert saved.category.slug == "maschinen"


def test_a_search_without_a_name_is_not_saved_and_says_why_at_the_field(client_for, member):
    response = client_for(member).post(
        "/alerts/new/", {"query": "q=stapler", "alert-name": "", "alert-frequency": "daily"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte geben Sie dem Suchauftrag einen Namen." in page
    assert 'aria-describedby="id_alert-name_error' in page or "id_alert-name_error" in page
    assert not SavedSearch.objects.exists()


def test_saving_needs_a_login(pm_client):
    response = pm_client.post("/alerts/new/", {"query": "q=stapler", "alert-name": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not SavedSearch.objects.exists()


def test_saving_needs_the_csrf_token(pm, member):
    from django.test import Client

    client = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        "/alerts/new/", {"query": "q=stapler", "alert-name": "x", "alert-frequency": "daily"}
    )
    assert response.status_code == 403


def test_a_visitor_who_signs_up_to_save_a_search_lands_on_it_after_confirming(pm_client, post):
    next_url = "/alerts/new/?q=gabelstapler"
    post(
        pm_client,
        f"/accounts/signup/?next={next_url}",
        {
            "first_name": "Anna",
            "last_name": "Schmidt",
            "email": "neu@firma.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": next_url,
        },
    )
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = link.removeprefix("http://pm.localhost")
    response = pm_client.post(path)  # logs in (tests/test_signup.py)
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert "„gabelstapler“" in pm_client.get(next_url).content.decode()


# The list and its actions -----------------------------------------------------------------


def test_the_list_shows_ones_own_searches_of_this_region_only(client_for, member, pm, ohv):
    save(member, pm, "Meine Suche")
    save(member, ohv, "Suche in Oberhavel")
    save(make_user("andere@example.org"), pm, "Fremde Suche")
    page = client_for(member).get("/alerts/").content.decode()
    assert "Meine Suche" in page
    assert "Suche in Oberhavel" not in page
    assert "Fremde Suche" not in page


def test_the_list_takes_the_same_queries_for_many_searches(client_for, member, pm):
    client = client_for(member)

    def queries():
        client.get("/alerts/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/alerts/").status_code == 200
        return len(captured)

    save(member, pm, "Eins", "category=maschinen")
    one = queries()
    for number in range(10):
        save(member, pm, f"Suche {number}", "category=maschinen")
    assert queries() == one


def test_the_search_page_takes_no_more_queries_with_the_save_button(client_for, member, pm):
    client = client_for(member)
    client.get(SEARCH)
    with CaptureQueriesContext(connection) as first:
        client.get(SEARCH)
    for number in range(5):
        save(member, pm, f"Suche {number}")
    with CaptureQueriesContext(connection) as second:
        client.get(SEARCH)
    assert len(second) == len(first)


def test_edit_pause_resume_and_delete(client_for, member, pm):
    saved = save(member, pm)
    client = client_for(member)
    response = client.post(
        f"/alerts/{saved.pk}/edit/", {"alert-name": "x", "name": "Neu", "frequency": "weekly"}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.frequency) == ("Neu", "weekly")
    client.post(f"/alerts/{saved.pk}/pause/")
    saved.refresh_from_db()
    assert not saved.is_active
    client.post(f"/alerts/{saved.pk}/resume/")
    saved.refresh_from_db()
    assert saved.is_active
    client.post(f"/alerts/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("host", ["pm.localhost", "ohv.localhost"])
def test_others_and_other_regions_get_404(client_for, member, pm, host):
    saved = save(member, pm)
    client = (
        client_for(make_user("andere@example.org"))
        if host == "pm.localhost"
        else client_for(member, host)
    )
    assert client.get(f"/alerts/{saved.pk}/edit/").status_code == 404
    assert client.post(f"/alerts/{saved.pk}/delete/").status_code == 404
    assert SavedSearch.objects.exists()


# Unsubscribing by the mail's link -----------------------------------------------------------


def test_the_unsubscribe_link_works_without_login(pm_client, member, pm):
    saved = save(member, pm)
    path = f"/alerts/unsubscribe/{services.unsubscribe_token(saved)}/"
    page = pm_client.get(path)
    assert page.status_code == 200
    saved.refresh_from_db()
    assert saved.is_active  # opening the link (a link checker) changes nothing
    response = pm_client.post(path)  # the button, or a mail client's one-click request
    assert response.status_code == 200
    assert "keine E-Mails mehr" in response.content.decode()
    saved.refresh_from_db()
    assert not saved.is_active


def test_a_forged_or_foreign_unsubscribe_link_does_nothing(pm_client, ohv_client, member, pm):
    saved = save(member, pm)
    token = services.unsubscribe_token(saved)
    assert pm_client.post(f"/alerts/unsubscribe/{token}x/").status_code == 404
    assert ohv_client.post(f"/alerts/unsubscribe/{token}/").status_code == 404
    saved.refresh_from_db()
    assert saved.is_active


# Personal data ------------------------------------------------------------------------------


def test_saved_searches_and_language_are_in_the_export_and_go_with_the_account(
    client_for, member, pm
):
    member.language = "en"
    member.save()
    save(member, pm, "Meine Suche")
    data = client_for(member).get("/accounts/data/").json()
    assert data["account"]["language"] == "en"
    assert [entry["name"] for entry in data["saved_searches"]] == ["Meine Suche"]
    assert data["saved_searches"][0]["search"] == "q=gabelstapler"
    client_for(member).post("/accounts/delete/", {"password": PASSWORD})
    assert not SavedSearch.objects.exists()


def test_the_account_page_links_to_the_saved_searches(client_for, member):
    page = client_for(member).get("/accounts/").content.decode()
    assert 'href="/alerts/"' in page

"""The listing form's hook point (listings.hooks.listing_form): a higher app adds a form of
its own for one category, checked with the listing's, its errors in the same summary,
saved with the listing in the same transaction, and text above the form."""

import pytest
from django import forms

from listings.hooks import listing_form
from listings.models import Listing

from .factories import category
from .test_listing_editing import CREATE, edit_url, listing_data

pytestmark = pytest.mark.django_db

saved = []


class RouteForm(forms.Form):
    legend = "Strecke"
    origin = forms.CharField(
        label="Von", error_messages={"required": "Bitte geben Sie den Start an."}
    )

    def save_for(self, listing):
        saved.append((listing.pk, self.cleaned_data["origin"]))
        if self.cleaned_data["origin"] == "Abbruch":
            raise RuntimeError("the extra form failed")


def route_form(request, category, listing, data):
    if category is None or category.slug != "transport":
        return {}
    initial = {"origin": "Werder"} if listing is not None else {}
    return {
        "extra_forms": [RouteForm(data, prefix="route", initial=initial)],
        "aside_parts": ["listings/_listing_form_test_aside.html"],
    }


@pytest.fixture
def route_hook(settings, tmp_path):
    aside = tmp_path / "listings" / "_listing_form_test_aside.html"
    aside.parent.mkdir()
    aside.write_text('<p class="test-aside">Regeln für {{ form.chosen_category.name }}</p>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    saved.clear()
    # Alone: the apps' own contributors (trips asks the route of transport listings) stay out.
    contributors = listing_form.contributors[:]
    listing_form.contributors[:] = [route_form]
    yield
    listing_form.contributors[:] = contributors


def transport_data(**changes):
    return listing_data(category=category("transport").pk, **changes)


def test_the_extra_form_and_its_text_show_for_its_category_only(
    client_for, owner, organisation, route_hook
):
    client = client_for(owner)
    transport = client.get(CREATE, {"direction": "offer", "category": category("transport").pk})
    page = transport.content.decode()
    assert "Strecke" in page
    assert 'name="route-origin"' in page
    assert "Regeln für Transport und Zulademöglichkeit" in page
    machines = client.get(CREATE, {"direction": "offer", "category": category("maschinen").pk})
    assert 'name="route-origin"' not in machines.content.decode()
    assert "test-aside" not in machines.content.decode()


def test_an_invalid_extra_form_keeps_the_listing_unsaved_with_its_error_summarised(
    client_for, owner, organisation, route_hook
):
    response = client_for(owner).post(CREATE, transport_data())
    assert response.status_code == 200
    assert not Listing.objects.exists()
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_route-origin"' in summary
    assert "Von: Bitte geben Sie den Start an." in summary


def test_the_extra_form_is_saved_with_the_new_listing(client_for, owner, organisation, route_hook):
    response = client_for(owner).post(CREATE, transport_data(**{"route-origin": "Werder"}))
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert saved == [(listing.pk, "Werder")]


def test_a_failing_extra_form_undoes_the_listing(client_for, owner, organisation, route_hook):
    with pytest.raises(RuntimeError):
        client_for(owner).post(CREATE, transport_data(**{"route-origin": "Abbruch"}))
    assert not Listing.objects.exists()


def test_editing_shows_and_saves_the_extra_form(client_for, owner, listing, route_hook):
    listing.category = category("transport")
    listing.save()
    client = client_for(owner)
    page = client.get(edit_url(listing))
    assert page.context["form"].extra_forms[0]["origin"].value() == "Werder"
    refused = client.post(edit_url(listing), transport_data(title="Neu"))
    listing.refresh_from_db()
    assert refused.status_code == 200
    assert listing.title != "Neu"
    client.post(edit_url(listing), transport_data(title="Neu", **{"route-origin": "Beelitz"}))
    listing.refresh_from_db()
    assert listing.title == "Neu"
    assert saved == [(listing.pk, "Beelitz")]

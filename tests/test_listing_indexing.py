"""The search columns follow the names they contain: title, category, organisation."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from listings.indexing import SEARCH_CONFIG, fold
from listings.models import Listing

from .factories import category, make_listing

pytestmark = pytest.mark.django_db


def matching(word):
    """Listings whose search columns contain `word`, the way each database searches."""
    if connection.vendor == "postgresql":
        query = SearchQuery(word, config=SEARCH_CONFIG, search_type="websearch")
        return Listing.objects.filter(search_vector=query)
    return Listing.objects.filter(search_text__contains=fold(word))


def test_fold_lowercases_and_drops_accents():
    assert fold("Gerät GRÖẞE Café") == "gerat grosse cafe"


def test_title_description_category_and_organisation_are_indexed(organisation):
    listing = make_listing(
        organisation, "Hubwagen", description="Robust und wendig.", category=category("werkzeug")
    )
    for word in ["Hubwagen", "wendig", "Werkzeug", "Ausstattung", "Holzwurm"]:
        assert list(matching(word)) == [listing], word


def test_renaming_the_organisation_updates_its_listings(
    organisation, django_capture_on_commit_callbacks
):
    listing = make_listing(organisation, "Hubwagen")
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "Zimmerei Sägespan"
        organisation.save()
    assert list(matching("Sägespan")) == [listing]
    assert not matching("Holzwurm").exists()


def test_renaming_a_category_group_updates_listings_filed_under_it(
    organisation, django_capture_on_commit_callbacks
):
    listing = make_listing(organisation, "Hubwagen", category=category("werkzeug"))
    group = category("werkzeug").parent
    with django_capture_on_commit_callbacks(execute=True):
        group.name = "Gerätschaften"
        group.save()
    assert list(matching("Gerätschaften")) == [listing]

"""Query baselines: the number of SQL queries each main page runs today, as a ceiling.

The other query tests check that a page's count does not grow with the data; these
catch the constant ones too — a `select_related` dropped from an access-checked getter
costs every page that uses it one query more, for every visitor. A page that needs
fewer queries lowers its line here; one that needs more says why in the commit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries import services

from .factories import claim, in_days


def queries_of(client, path) -> int:
    client.get(path)  # the first visit fills the caches (region, catalogue, places)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def scene(desks, owner, inquirer_organisation, inquirer):
    """A published offer with an accepted claim and a few messages on both sides."""
    inquiry = claim(desks, inquirer_organisation, inquirer, 3)
    services.post_message(inquiry, "owner", owner, "Gern, wann passt es?")
    services.accept(inquiry, owner, handover_on=in_days(2))
    return desks, inquiry


# (who, path) → the most queries the page may run, counted on a warm cache.
BASELINES = [
    ("anonymous", "listing", 5),
    # + the watch list's star (one query for the page's stars, its own and its cards').
    ("inquirer", "listing", 13),
    # + the star, and the offers or requests that fit (matching).
    ("owner", "listing", 13),
    ("owner", "listing_edit", 11),
    ("owner", "thread", 9),
    ("inquirer", "thread", 9),
    ("owner", "step", 6),
    ("inquirer", "step", 6),
    ("owner", "block", 6),
    ("owner", "inbox", 7),
    # One more than before issue #16: how often the organisation helped and received.
    ("anonymous", "profile", 8),
    # + whether the person follows the organisation, and the stars on its listings' cards.
    ("owner", "profile", 15),
]


def path_of(page, listing, inquiry):
    return {
        "listing": f"/listings/{listing.pk}/",
        "listing_edit": f"/listings/{listing.pk}/edit/",
        "thread": f"/inquiries/{inquiry.pk}/",
        "step": f"/inquiries/{inquiry.pk}/withdraw/",
        "block": f"/inquiries/{inquiry.pk}/block/",
        "inbox": "/inquiries/",
        "profile": f"/organisations/{listing.organisation_id}/",
    }[page]


@pytest.mark.parametrize(("who", "page", "ceiling"), BASELINES)
def test_each_main_page_stays_within_its_query_baseline(
    request, client_for, scene, who, page, ceiling
):
    listing, inquiry = scene
    user = None if who == "anonymous" else request.getfixturevalue(who)
    count = queries_of(client_for(user), path_of(page, listing, inquiry))
    assert count <= ceiling, f"{page} for {who}: {count} queries, the baseline is {ceiling}"

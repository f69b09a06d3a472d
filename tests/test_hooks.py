"""Hook points (core.hooks): what higher apps contribute to a lower app's page arrives in
the order of INSTALLED_APPS, once each, and their template parts add up instead of
replacing each other."""

from agreements.contributions import inquiry_documents, staff_lending_frame, staff_lending_link
from core.hooks import Hook
from embeds.hooks import embed_builder
from impact.contributions import impact_counter, impact_teaser, organisation_figures
from inquiries.contributions import inquiry_panel, reported_messages, thank_you_notes
from inquiries.hooks import email_settings, inquiry_page
from listings.contributions import (
    listings_awaiting_approval,
    newest_listings,
    organisation_listings,
)
from listings.hooks import listing_card, listing_form, listing_page, my_listings
from matching.contributions import fitting_counts, fitting_listings, match_mail_settings
from moderation.contributions import (
    queue_mail_settings,
    report_listing_link,
    report_organisation_link,
    reports_waiting,
)
from organisations.contributions import organisations_to_verify
from organisations.hooks import organisation_profile
from pools.contributions import pool_panel, pool_terms
from regions.hooks import region_home, staff_queues
from trips.contributions import route_and_counterparts, route_form
from watchlist.contributions import follow_button, star_on_cards, star_on_listing


def test_parts_of_several_contributors_add_up_in_their_order():
    hook = Hook("test", parts=("parts",))
    hook.register(lambda: {"parts": ["first.html"], "a": 1})
    hook.register(lambda: {"parts": [], "a": 2, "b": 3})
    hook.register(lambda: {"parts": ["third.html"]})
    assert hook.merged() == {"parts": ["first.html", "third.html"], "a": 2, "b": 3}


def test_a_hook_without_contributors_still_gives_its_parts_empty():
    assert Hook("test", parts=("search_parts", "parts")).merged() == {
        "search_parts": [],
        "parts": [],
    }


def test_registering_twice_contributes_once():
    hook = Hook("test", parts=("parts",))
    contribution = lambda: {"parts": ["once.html"]}  # noqa: E731
    hook.register(contribution)
    hook.register(contribution)
    assert hook.merged()["parts"] == ["once.html"]


def test_the_apps_contribute_in_the_order_of_installed_apps():
    assert region_home.contributors == [newest_listings, impact_teaser]
    assert organisation_profile.contributors == [
        organisation_listings,
        thank_you_notes,
        organisation_figures,
        follow_button,
        report_organisation_link,
    ]
    assert embed_builder.contributors == [impact_counter]
    assert listing_page.contributors == [
        inquiry_panel,
        pool_panel,
        route_and_counterparts,
        fitting_listings,
        star_on_listing,
        report_listing_link,
        staff_lending_link,
    ]
    assert inquiry_page.contributors == [inquiry_documents]
    assert listing_form.contributors == [pool_terms, route_form, staff_lending_frame]
    assert listing_card.contributors == [star_on_cards]
    assert my_listings.contributors == [fitting_counts]
    assert email_settings.contributors == [match_mail_settings, queue_mail_settings]
    assert staff_queues.contributors == [
        organisations_to_verify,
        listings_awaiting_approval,
        reported_messages,
        reports_waiting,
    ]

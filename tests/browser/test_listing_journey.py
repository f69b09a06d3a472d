"""An offer from its posting to being found: the journey of issue #4, in a real browser.

The owner of a verified carpentry in Teltow posts a forklift for rent with two photos,
publishes it, and a visitor of another organisation finds it by searching for the
word within 10 km of Kleinmachnow and opens it. The search and the opening are done
with the keyboard only; axe-core checks every page on the way.
"""

import re

import pytest
from django.utils import translation
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from listings.models import Direction, Listing, ListingPhoto, Status
from organisations.models import Verification
from regions.models import Place

from ..factories import make_organisation, make_user
from .keyboard import press_and_load, tab_once_to, tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie, serve_uploads
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
TITLE = "Gabelstapler Linde H25, tageweise"


@pytest.fixture
def carpentry(pm, places, owner):
    teltow = Place.objects.get(postal_code="14513", name="Teltow")
    return make_organisation(
        pm,
        "Tischlerei Holzwurm",
        owner=owner,
        place=teltow,
        verification=Verification.VERIFIED,
    )


@pytest.fixture
def photo_files(tmp_path):
    """Two photos as a phone would send them: JPEGs of different colours."""
    paths = []
    for number, colour in enumerate([(230, 180, 20), (40, 90, 160)], start=1):
        image = Image.new("RGB", (1200, 900), colour)
        ImageDraw.Draw(image).rectangle((300, 300, 900, 700), fill=(30, 30, 30))
        path = tmp_path / f"stapler-{number}.jpg"
        image.save(path, format="JPEG", quality=85)
        paths.append(path)
    return paths


def test_post_an_offer_with_two_photos_and_find_it_nearby(
    page, new_page, site_url, carpentry, owner, photo_files, upload_dirs
):
    serve_uploads(page.context, upload_dirs.media)
    log_in_with_session_cookie(page, site_url, owner)
    main = page.get_by_role("main")

    # From the header to the first step: an offer, filed under vehicles.
    page.goto(site_url(HOST, "/"))
    page.get_by_role("banner").get_by_role("link", name=german("Post a listing")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(german("New listing"))
    assert_no_violations(page, "step 1 of a new listing")
    with translation.override("de"):
        offer = str(Direction.OFFER.label)
    page.get_by_role("radio", name=offer, exact=True).check()
    page.get_by_role("radio", name="Fahrzeuge", exact=True).check()
    main.get_by_role("button", name=german("Continue")).click()

    # The details, sent once without a title to see the error summary.
    expect(page.locator("#id_description")).to_be_visible()
    page.locator("#id_description").fill("Elektro-Stapler, 2,5 t, mit Ladegerät. Nur mit Schein.")
    page.locator("#id_terms").select_option("rent")
    page.locator("#id_price").fill("45")
    page.locator("#id_price_unit").select_option("day")
    expect(page.locator("#id_postal_code")).to_have_value("14513")
    main.get_by_role("button", name=german("Save draft and continue")).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(german("Please enter a title."))
    assert_no_violations(page, "the listing form with an error")
    page.locator("#id_title").fill(TITLE)
    main.get_by_role("button", name=german("Save draft and continue")).click()

    # Step 3: two photos with their descriptions, then publish.
    listing = Listing.objects.get()
    assert (listing.status, listing.place.name, listing.price) == (Status.DRAFT, "Teltow", 45)
    expect(page).to_have_url(site_url(HOST, f"/listings/{listing.pk}/photos/"))
    assert_no_violations(page, "the photos page without photos")
    page.locator("#id_photo_1").set_input_files(photo_files[0])
    page.locator("#id_alt_text_1").fill("Gelber Gabelstapler in der Halle")
    page.locator("#id_photo_2").set_input_files(photo_files[1])
    page.locator("#id_alt_text_2").fill("Blauer Gabelstapler von der Seite")
    main.get_by_role("button", name=german("Upload")).click()
    expect(main.get_by_role("img", name="Gelber Gabelstapler in der Halle")).to_be_visible()
    assert ListingPhoto.objects.filter(listing=listing).count() == 2
    assert all(photo.card for photo in ListingPhoto.objects.all())  # made by the task
    assert_no_violations(page, "the photos page with two photos")
    main.get_by_role("button", name=german("Publish"), exact=True).click()
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    published = german("Your listing is published until %(date)s.").split("%(date)s")[0]
    expect(main.get_by_role("status")).to_contain_text(published)
    assert_no_violations(page, "my listings after publishing")

    # Someone of another organisation searches near Kleinmachnow, by keyboard only.
    visitor = new_page()
    serve_uploads(visitor.context, upload_dirs.media)
    log_in_with_session_cookie(visitor, site_url, make_user("einkauf@baeckerei.example"))
    visitor.goto(site_url(HOST, "/listings/"))
    visitor_main = visitor.get_by_role("main")
    tab_to(visitor, visitor.locator("#id_q"))
    visitor.keyboard.type("Gabelstapler")
    tab_once_to(visitor, visitor.locator("#id_near"))
    visitor.keyboard.type("14532")
    tab_once_to(visitor, visitor.locator("#id_radius"))
    visitor.locator("#id_radius").select_option("10")
    tab_once_to(visitor, visitor_main.get_by_role("button", name=german("Search"), exact=True))
    press_and_load(visitor)
    results = visitor_main.get_by_role("list").filter(has_text=TITLE)
    card = results.get_by_role("listitem").filter(has_text=TITLE)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Teltow")
    expect(card.get_by_role("img", name="Gelber Gabelstapler in der Halle")).to_be_visible()
    assert_no_violations(visitor, "the search results")

    # A radius around Bad Belzig, some 50 km away, does not find it.
    visitor.goto(site_url(HOST, "/listings/?q=Gabelstapler&near=14806&radius=10"))
    expect(visitor_main.get_by_role("listitem").filter(has_text=TITLE)).to_have_count(0)
    visitor.go_back()

    # Open it from the card: every detail, both photos, the organisation.
    tab_to(visitor, card.get_by_role("link", name=TITLE))
    press_and_load(visitor)
    # The link carries the place searched around, so the page tells how far it is.
    expect(visitor).to_have_url(site_url(HOST, f"/listings/{listing.pk}/?near=14532"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor_main).to_contain_text("Tischlerei Holzwurm")
    expect(visitor_main).to_contain_text("14513 Teltow")
    expect(visitor_main).to_contain_text(re.compile(r"km von 14532"))
    second_photo = visitor_main.get_by_role("img", name="Blauer Gabelstapler von der Seite")
    expect(second_photo).to_be_visible()
    assert_no_violations(visitor, "the listing page")

"""The photo upload with JavaScript (issue #17): a drop area on top of the plain form takes
photos from its button (by keyboard) or by drag and drop, shows each with a preview beside
its description field, and uploads them with the same form. axe-core checks each state."""

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from listings.models import ListingPhoto

from .keyboard import has_focus, tab_to
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie, serve_uploads
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name, colour):
    return {"name": name, "mimeType": "image/png", "buffer": png(colour)}


DROP = """([name, data]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "image/png"}));
    transfer.items.add(new File(["no picture"], "liesmich.txt", {type: "text/plain"}));
    const area = document.querySelector("[data-photo-drop]");
    const options = {dataTransfer: transfer, bubbles: true, cancelable: true};
    for (const type of ["dragenter", "dragover", "drop"]) {
        area.dispatchEvent(new DragEvent(type, options));
    }
}"""


def test_photos_are_chosen_by_keyboard_and_dropped_previewed_and_uploaded(
    page, site_url, owner, listing, upload_dirs
):
    serve_uploads(page.context, upload_dirs.media)
    log_in_with_session_cookie(page, site_url, owner)
    # Playwright intercepts file choosers once a page listens for them; listening from the
    # start, the interception is on before the button is pressed (else it may come too late).
    page.on("filechooser", lambda chooser: None)
    page.goto(site_url(HOST, f"/listings/{listing.pk}/photos/"))
    main = page.get_by_role("main")
    choose = main.get_by_role("button", name=german("Choose photos"))
    status = main.get_by_role("status")

    # The drop area stands where the empty slots were.
    expect(choose).to_be_visible()
    expect(main.get_by_text(german("Drag photos here"))).to_be_visible()
    expect(main.locator("[data-photo-slot]").first).to_be_hidden()
    assert_no_violations(page, "the photo upload with its drop area")

    # The keyboard opens the browser's file chooser from the button; two photos are chosen.
    tab_to(page, choose)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    assert chooser.value.is_multiple()
    chooser.value.set_files([photo("rot.png", "#cc3333"), photo("blau.png", "#3366cc")])

    first_description = main.get_by_label(
        german("What does photo %(number)s show?") % {"number": 1}
    )
    second_description = main.get_by_label(
        german("What does photo %(number)s show?") % {"number": 2}
    )
    expect(first_description).to_be_visible()
    expect(second_description).to_be_visible()
    assert has_focus(first_description), "the focus moves to the first description"
    # (Template text: makemessages doubles its per cent signs.)
    chosen = german("%%(count)s photos chosen. Please describe each one below.")
    expect(status).to_have_text(chosen.replace("%%", "%") % {"count": 2})
    previews = main.locator("img[data-photo-image]")
    expect(previews.nth(0)).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    expect(main.get_by_text("rot.png")).to_be_visible()
    expect(main.get_by_text("blau.png")).to_be_visible()
    expect(main.locator("#id_photo_1")).to_be_hidden()  # the preview stands for it
    page.keyboard.type("Rote Fläche")
    second_description.fill("Blaue Fläche")
    assert_no_violations(page, "two chosen photos with their descriptions")

    # The second one is removed again by keyboard; a third photo is dropped, with a text
    # file that is left out.
    remove = main.get_by_role("button", name=german("Remove photo %(number)s") % {"number": 2})
    tab_to(page, remove)
    page.keyboard.press("Enter")
    expect(second_description).to_be_hidden()
    assert has_focus(choose)
    page.evaluate(DROP, ["gruen.png", base64.b64encode(png("#33aa55")).decode()])
    expect(second_description).to_be_visible()
    expect(second_description).to_have_value("")
    expect(main.get_by_text("gruen.png")).to_be_visible()
    expect(status).to_contain_text(german("One photo chosen. Please describe it below."))
    expect(status).to_contain_text("liesmich.txt")
    second_description.fill("Grüne Fläche")

    with page.expect_navigation():
        main.get_by_role("button", name=german("Upload")).click()
    expect(main.get_by_role("img", name="Rote Fläche")).to_be_visible()
    expect(main.get_by_role("img", name="Grüne Fläche")).to_be_visible()
    photos = ListingPhoto.objects.filter(listing=listing).order_by("position")
    assert [p.alt_text for p in photos] == ["Rote Fläche", "Grüne Fläche"]
    assert_no_violations(page, "the photos page after the upload")


def test_an_error_from_the_server_shows_its_slot_with_the_plain_field(
    page, site_url, owner, listing
):
    log_in_with_session_cookie(page, site_url, owner)
    page.goto(site_url(HOST, f"/listings/{listing.pk}/photos/"))
    main = page.get_by_role("main")
    main.locator("[data-photo-picker]").set_input_files([photo("rot.png", "#cc3333")])
    with page.expect_navigation():
        main.get_by_role("button", name=german("Upload")).click()  # without a description

    expect(page.get_by_role("alert")).to_be_focused()
    description = main.get_by_label(german("What does photo %(number)s show?") % {"number": 1})
    expect(description).to_be_visible()
    # The browser forgets the file; the slot shows its own file field to choose it again.
    expect(main.locator("#id_photo_1")).to_be_visible()
    expect(main.get_by_role("button", name=german("Choose photos"))).to_be_visible()
    assert_no_violations(page, "the upload with an error")

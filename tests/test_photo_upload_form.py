"""The photo upload form without JavaScript (issue #17): each photo beside its description in
a slot of its own, the drop area only as an inert <template> for static/js/photo-upload.js,
and the plain form still uploads; errors stand at their slot's field, in German."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from listings.models import ListingPhoto

from .test_uploads import image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_dirs")]


def photos_url(listing):
    return f"/listings/{listing.pk}/photos/"


def slots_of(html):
    """(extra class, markup) of each photo slot in the form's markup."""
    parts = re.split(r'<div class="photo-slot((?: [\w-]+)*)" data-photo-slot>', html)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_the_page_offers_a_slot_per_photo_and_the_drop_area_only_to_javascript(
    client_for, owner, listing
):
    html = client_for(owner).get(photos_url(listing)).content.decode()
    form = html.split('<form class="form photo-upload"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in form
    slots = slots_of(form)
    assert [error for error, _ in slots] == ["", "", ""]
    slots = [slot for _, slot in slots]
    for number, slot in enumerate(slots, start=1):
        assert f'type="file" name="photo_{number}"' in slot
        assert f'name="alt_text_{number}"' in slot
        assert f'<label for="id_photo_{number}">Foto {number}:</label>' in slot
    # The drop area and its multiple picker are in a <template>: without JavaScript, nothing.
    template = form.split("<template data-photo-drop-template>")[1].split("</template>")[0]
    assert "Fotos auswählen" in template
    assert re.search(r'<input type="file" multiple accept="image/jpeg[^"]*"', template)
    outside = form.replace(template, "")
    assert "data-photo-picker" not in outside
    assert 'src="/static/js/photo-upload.js" defer' in html


def test_the_plain_form_uploads_two_photos_with_their_descriptions(
    client_for, owner, listing, django_capture_on_commit_callbacks
):
    data = {"operation": "upload"}
    for number, colour in [(1, "#c33"), (3, "#36c")]:  # slot 2 left empty
        data[f"photo_{number}"] = SimpleUploadedFile(
            f"foto-{number}.png", image_bytes((800, 600), format="PNG"), "image/png"
        )
        data[f"alt_text_{number}"] = f"Foto in {colour}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(photos_url(listing), data)
    assert response.status_code == 302
    photos = ListingPhoto.objects.filter(listing=listing).order_by("position")
    assert [photo.alt_text for photo in photos] == ["Foto in #c33", "Foto in #36c"]


def test_a_photo_without_a_description_is_refused_at_its_slot_in_german(client_for, owner, listing):
    photo = SimpleUploadedFile("foto.png", image_bytes((800, 600), format="PNG"), "image/png")
    response = client_for(owner).post(
        photos_url(listing), {"operation": "upload", "photo_2": photo, "alt_text_2": " "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    slots = slots_of(html.split('<form class="form photo-upload"')[1])
    assert [error for error, _ in slots] == ["", " photo-slot--error", ""]
    assert "Bitte beschreiben Sie, was auf dem Foto zu sehen ist." in slots[1][1]
    assert 'href="#id_alt_text_2"' in html  # linked from the error summary
    assert not ListingPhoto.objects.exists()


def test_bad_upload_operations_answer_without_a_server_error(client_for, owner, listing):
    client = client_for(owner)
    for data in [
        {"operation": "upload", "photo_1": "not a file", "alt_text_1": "x"},
        {"operation": "upload", "alt_text_9": "x"},
        {"operation": "upload", "photo_1": SimpleUploadedFile("x.png", b"", "image/png")},
    ]:
        assert client.post(photos_url(listing), data).status_code == 200


def test_the_upload_needs_the_csrf_token(owner, listing):
    client = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(photos_url(listing), {"operation": "upload"})
    assert response.status_code == 403

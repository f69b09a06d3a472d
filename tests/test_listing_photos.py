"""Listing photos: checked for what they really are, re-encoded without metadata, each with a
description, at most eight; reordered and deleted without JavaScript; the shown sizes made
once by the background job after the upload is committed – and all of it for members only."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from huey.contrib.djhuey import HUEY
from PIL import ExifTags, Image

from core import jobs
from core.models import Job
from listings import photos, tasks
from listings.models import MAX_PHOTOS, Listing, ListingPhoto, Status
from listings.services import ListingError
from regions.models import Region

from .factories import make_listing, make_organisation, make_user
from .test_uploads import bomb, image_bytes, jpeg_with_gps

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_dirs")]


def photos_url(listing):
    return f"/listings/{listing.pk}/photos/"


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def heic_bytes(size=(1600, 1200)):
    buffer = io.BytesIO()
    try:
        Image.new("RGB", size, "#1f6b3a").save(buffer, format="HEIF")
    except (KeyError, OSError, ValueError) as error:  # pillow-heif built without an encoder
        pytest.skip(f"HEIF encoding is not available: {error}")
    return buffer.getvalue()


def post_photos(client, listing, *files, alt_texts=None):
    data = {"operation": "upload"}
    for number, file in enumerate(files, start=1):
        data[f"photo_{number}"] = file
        data[f"alt_text_{number}"] = (alt_texts or {}).get(number, f"Ansicht {number}")
    return client.post(photos_url(listing), data)


def stored(photo):
    with photo.image.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def add_records(listing, count):
    """Small stored photos, straight into the database, for limits and ordering."""
    added = []
    for number in range(count):
        photo = ListingPhoto(listing=listing, alt_text=f"Foto {number}", position=number)
        photo.image.save(
            f"x{number}.png", ContentFile(image_bytes((40, 30)), name=f"x{number}.png"), save=False
        )
        photo.save()
        added.append(photo)
    return added


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Uploading ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, stored_format",
    [
        ("stapler.jpg", lambda: image_bytes((1600, 1200), format="JPEG"), "JPEG"),
        ("stapler.png", lambda: image_bytes((1600, 1200), format="PNG"), "PNG"),
        ("stapler.webp", lambda: image_bytes((1600, 1200), format="WEBP"), "JPEG"),
        ("IMG_0001.HEIC", heic_bytes, "JPEG"),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_members_upload_photos_and_the_task_makes_the_sizes(
    client_for, owner, listing, name, data, stored_format, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photos(client_for(owner), listing, upload(name, data()))
    assert response.status_code == 302
    assert response["Location"] == photos_url(listing)
    photo = ListingPhoto.objects.get(listing=listing)
    assert photo.alt_text == "Ansicht 1"
    assert stored(photo).format == stored_format
    assert (photo.width, photo.height) == (1600, 1200)
    photo.refresh_from_db()
    with photo.card.open("rb") as card, Image.open(card) as image:
        assert (image.format, image.size) == ("WEBP", (480, 360))
    with photo.large.open("rb") as large, Image.open(large) as image:
        assert (image.format, image.size) == ("WEBP", (1200, 900))
    assert photo.card_url.endswith("-card.webp")
    assert photo.large_url.endswith("-large.webp")


def test_sizes_are_never_made_during_the_request(
    client_for, owner, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_photos(client_for(owner), listing, upload("a.png", image_bytes(format="PNG")))
    photo = ListingPhoto.objects.get()
    assert not photo.card and not photo.large
    assert photo.card_url == photo.image.url  # pages fall back to the original meanwhile
    for callback in callbacks:
        callback()
    photo.refresh_from_db()
    assert photo.card and photo.large


def test_gps_position_and_camera_data_are_removed(client_for, owner, listing):
    post_photos(client_for(owner), listing, upload("handy.jpg", jpeg_with_gps()))
    image = stored(ListingPhoto.objects.get())
    exif = image.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif
    with ListingPhoto.objects.get().image.open("rb") as file:
        assert b"Geheimweg" not in file.read()
    # Turned upright as the camera meant it (the source was marked as rotated by 90°).
    assert image.size == (600, 800)


def test_several_photos_at_once_keep_their_order_and_descriptions(
    client_for, owner, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_photos(
            client_for(owner),
            listing,
            *(upload(f"{n}.png", image_bytes(format="PNG")) for n in range(3)),
        )
    assert list(listing.photos.values_list("alt_text", "position")) == [
        ("Ansicht 1", 0),
        ("Ansicht 2", 1),
        ("Ansicht 3", 2),
    ]
    assert all(photo.card for photo in listing.photos.all())


def test_large_originals_are_scaled_down(client_for, owner, listing):
    post_photos(client_for(owner), listing, upload("riesig.png", image_bytes((4800, 3200))))
    photo = ListingPhoto.objects.get()
    assert (photo.width, photo.height) == (photos.ORIGINAL_SIDE, 1600)


# Refused uploads ----------------------------------------------------------------------------


def refused(response, field, code):
    assert response.status_code == 200
    form = response.context["upload_form"]
    assert form.has_error(field, code), form.errors.as_data()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ListingPhoto.objects.exists()


def test_a_decompression_bomb_is_refused_with_a_message(client_for, owner, listing, upload_dirs):
    data = bomb()
    assert len(data) < 100_000
    response = post_photos(client_for(owner), listing, upload("bombe.png", data, "image/png"))
    refused(response, "photo_1", "too_many_pixels")
    assert not any(path.is_file() for path in upload_dirs.media.rglob("*"))


def test_a_renamed_text_file_is_refused(client_for, owner, listing):
    response = post_photos(client_for(owner), listing, upload("foto.jpg", b"Kein Bild, nur Text."))
    refused(response, "photo_1", "invalid_image")


def test_a_file_above_ten_megabytes_is_refused(client_for, owner, listing):
    response = post_photos(
        client_for(owner), listing, upload("gross.jpg", b"\xff" * (10 * 2**20 + 1))
    )
    refused(response, "photo_1", "file_too_large")


def test_every_photo_needs_a_description(client_for, owner, listing):
    response = post_photos(
        client_for(owner), listing, upload("a.png", image_bytes(format="PNG")), alt_texts={1: " "}
    )
    refused(response, "alt_text_1", "alt_required")


def test_a_description_without_a_photo_is_pointed_out(client_for, owner, listing):
    response = client_for(owner).post(
        photos_url(listing), {"operation": "upload", "alt_text_1": "Stapler von vorn"}
    )
    refused(response, "photo_1", "photo_missing")


def test_an_empty_upload_asks_for_a_photo(client_for, owner, listing):
    response = client_for(owner).post(photos_url(listing), {"operation": "upload"})
    refused(response, "photo_1", "no_photo")


def test_a_ninth_photo_is_refused(client_for, owner, listing):
    add_records(listing, MAX_PHOTOS)
    client = client_for(owner)
    page = client.get(photos_url(listing))
    assert page.context["room"] == 0
    assert 'value="upload"' not in page.content.decode()
    response = post_photos(client, listing, upload("neun.png", image_bytes(format="PNG")))
    assert response.context["upload_form"].has_error("__all__", "too_many_photos")
    assert "8" in response.context["upload_form"].non_field_errors()[0]
    assert listing.photos.count() == MAX_PHOTOS


def test_more_photos_than_there_is_room_for_are_refused(client_for, owner, listing):
    add_records(listing, MAX_PHOTOS - 2)
    page = client_for(owner).get(photos_url(listing))
    assert list(page.context["upload_form"].slots) == [1, 2]
    response = post_photos(
        client_for(owner),
        listing,
        *(upload(f"{n}.png", image_bytes(format="PNG")) for n in range(2)),
    )
    assert response.status_code == 302
    assert listing.photos.count() == MAX_PHOTOS
    with pytest.raises(ListingError):
        photos.add_photos(listing, [(upload("x.png", image_bytes(format="PNG")), "Noch eins")])
    assert listing.photos.count() == MAX_PHOTOS


# Describing, ordering, deleting -------------------------------------------------------------


def test_a_description_is_changed_and_may_not_be_emptied(client_for, owner, listing):
    (photo,) = add_records(listing, 1)
    client = client_for(owner)
    field = f"photo-{photo.pk}-alt_text"
    response = client.post(
        photos_url(listing),
        {"operation": "describe", "photo": photo.pk, field: "Stapler, seitlich"},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.alt_text == "Stapler, seitlich"

    response = client.post(
        photos_url(listing), {"operation": "describe", "photo": photo.pk, field: ""}
    )
    assert response.status_code == 200
    forms = {p.pk: f for p, f in response.context["photos"]}
    assert forms[photo.pk].has_error("alt_text", "required")
    assert f'id="id_{field}_error"' in response.content.decode()
    photo.refresh_from_db()
    assert photo.alt_text == "Stapler, seitlich"


def order(listing):
    return list(listing.photos.order_by("position", "pk").values_list("alt_text", flat=True))


def test_photos_move_up_and_down(client_for, owner, listing):
    first, _, third = add_records(listing, 3)
    client = client_for(owner)
    client.post(photos_url(listing), {"operation": "up", "photo": third.pk})
    assert order(listing) == ["Foto 0", "Foto 2", "Foto 1"]
    client.post(photos_url(listing), {"operation": "up", "photo": third.pk})
    assert order(listing) == ["Foto 2", "Foto 0", "Foto 1"]
    client.post(photos_url(listing), {"operation": "up", "photo": third.pk})  # first already
    assert order(listing) == ["Foto 2", "Foto 0", "Foto 1"]
    client.post(photos_url(listing), {"operation": "down", "photo": first.pk})
    assert order(listing) == ["Foto 2", "Foto 1", "Foto 0"]
    client.post(photos_url(listing), {"operation": "down", "photo": first.pk})  # last already
    assert order(listing) == ["Foto 2", "Foto 1", "Foto 0"]


def test_the_first_photo_becomes_the_cover(client_for, owner, listing):
    first, second = add_records(listing, 2)
    client_for(owner).post(photos_url(listing), {"operation": "down", "photo": first.pk})
    assert Listing.objects.for_cards().get(pk=listing.pk).cover_photo == second


def test_a_deleted_photo_takes_its_files_along(
    client_for, owner, listing, upload_dirs, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        post_photos(client, listing, upload("a.png", image_bytes(format="PNG")))
    photo = ListingPhoto.objects.get()
    files = [photo.image.path, photo.card.path, photo.large.path]
    assert all(upload_dirs.media.joinpath(f).exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(photos_url(listing), {"operation": "delete", "photo": photo.pk})
    assert response.status_code == 302
    assert not ListingPhoto.objects.exists()
    assert not any(upload_dirs.media.joinpath(f).exists() for f in files)


def test_the_size_job_skips_a_photo_deleted_meanwhile(listing):
    (photo,) = add_records(listing, 1)
    photo.delete()
    tasks.photo_sizes(photo.pk)  # no error: nothing left to do


def test_an_upload_with_the_queue_down_is_saved_and_its_sizes_are_made_later(
    client_for, owner, listing, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(task):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photos(client_for(owner), listing, upload("a.png", image_bytes()))
    assert response.status_code == 302  # the photo is saved and the member told so
    photo = ListingPhoto.objects.get()
    assert not photo.card
    jobs.run_due()  # the worker's sweep, once the queue is back
    assert Job.objects.get(name=tasks.PHOTO_SIZES_JOB).state == Job.State.DONE
    photo.refresh_from_db()
    assert photo.card and photo.large


def test_a_legacy_size_task_from_the_queue_moves_into_the_job_table(
    listing, django_capture_on_commit_callbacks
):
    (photo,) = add_records(listing, 1)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.make_photo_sizes(photo.pk)
    photo.refresh_from_db()
    assert photo.card and photo.large
    # (The listing has jobs of its own: matching, when it was published.)
    assert Job.objects.get(name=tasks.PHOTO_SIZES_JOB).state == Job.State.DONE


def test_bad_operations_and_photo_ids_answer_404_not_500(client_for, owner, listing, pm):
    other = make_listing(make_organisation(pm, "Andere GmbH"), "Andere Anzeige")
    (foreign,) = add_records(other, 1)
    client = client_for(owner)
    for data in [
        {"operation": "delete", "photo": foreign.pk},
        {"operation": "up", "photo": "x"},
        {"operation": "describe"},
        {"operation": "explode"},
        {},
    ]:
        assert client.post(photos_url(listing), data).status_code == 404, data
    assert ListingPhoto.objects.filter(pk=foreign.pk).exists()


# Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "organisation_admin", "organisation_member"])
def test_every_member_may_add_photos(client_for, request, listing, role):
    client = client_for(request.getfixturevalue(role))
    post_photos(client, listing, upload("a.png", image_bytes(format="PNG")))
    assert listing.photos.count() == 1


@pytest.mark.parametrize("stranger", ["outsider", "pm_moderator", "ohv_admin", "neighbour"])
def test_strangers_can_neither_see_nor_change_photos(client_for, request, listing, pm, stranger):
    if stranger == "neighbour":
        user = make_user("nachbar@example.org")
        make_organisation(pm, "Nachbar GmbH", owner=user)
    else:
        user = request.getfixturevalue(stranger)
    (photo,) = add_records(listing, 1)
    client = client_for(user)
    assert client.get(photos_url(listing)).status_code == 404
    response = post_photos(client, listing, upload("a.png", image_bytes(format="PNG")))
    assert response.status_code == 404
    for operation in ("delete", "up", "describe"):
        data = {"operation": operation, "photo": photo.pk, f"photo-{photo.pk}-alt_text": "X"}
        assert client.post(photos_url(listing), data).status_code == 404
    assert list(listing.photos.all()) == [photo]
    assert listing.photos.get().alt_text == "Foto 0"


def test_the_owner_on_another_regions_host_gets_404(client_for, owner, listing):
    client = client_for(owner, host="ohv.localhost")
    assert client.get(photos_url(listing)).status_code == 404
    post_photos(client, listing, upload("a.png", image_bytes(format="PNG")))
    assert not listing.photos.exists()


def test_a_new_photo_sends_a_published_listing_back_where_staff_approve_first(
    client_for, owner, listing, pm
):
    pm.moderation = Region.Moderation.PRE
    pm.save()
    page = client_for(owner).get(photos_url(listing)).content.decode()
    assert pm.operator_name in page
    response = post_photos(client_for(owner), listing, upload("a.png", image_bytes(format="PNG")))
    listing.refresh_from_db()
    assert listing.status == Status.PENDING
    assert response.status_code == 302


def test_a_new_photo_on_a_draft_keeps_it_a_draft(client_for, owner, organisation, pm):
    pm.moderation = Region.Moderation.PRE
    pm.save()
    draft = make_listing(organisation, status=Status.DRAFT)
    post_photos(client_for(owner), draft, upload("a.png", image_bytes(format="PNG")))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_photos_page_leads_to_preview_and_publishing(client_for, owner, organisation):
    draft = make_listing(organisation, status=Status.DRAFT)
    page = client_for(owner).get(photos_url(draft)).content.decode()
    assert f'href="/listings/{draft.pk}/"' in page
    assert f'action="/listings/{draft.pk}/submit/"' in page


def test_the_listing_knows_whether_it_has_photos(client_for, owner, listing, upload_dirs):
    """Search filters and counts by Listing.has_photos; it follows uploads and deletions."""
    client = client_for(owner)
    assert not Listing.objects.get(pk=listing.pk).has_photos
    post_photos(client, listing, upload("a.png", image_bytes(format="PNG")))
    assert Listing.objects.get(pk=listing.pk).has_photos
    photo = ListingPhoto.objects.get()
    client.post(photos_url(listing), {"operation": "delete", "photo": photo.pk})
    assert not Listing.objects.get(pk=listing.pk).has_photos


def test_a_camera_picture_in_several_parts_is_accepted(client_for, owner, listing, upload_dirs):
    """Many phones and cameras write multi-picture JPEGs (MPO); they are ordinary photos."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (800, 600), "#1f6b3a"), Image.new("RGB", (800, 600), "#333")
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    post_photos(client_for(owner), listing, upload("kamera.jpg", buffer.getvalue()))
    photo = ListingPhoto.objects.get()
    assert stored(photo).format == "JPEG"


def test_stored_photos_get_names_nobody_can_guess(client_for, owner, listing, upload_dirs):
    """Not the camera's IMG_1234.jpg: a draft's or removed listing's photo stays unfound."""
    post_photos(client_for(owner), listing, upload("IMG_1234.jpg", image_bytes(format="JPEG")))
    photo = ListingPhoto.objects.get()
    assert "IMG_1234" not in photo.image.name
    assert len(Path(photo.image.name).stem) == 32

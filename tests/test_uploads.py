"""Logos and proofs of status: checked for what they really are, re-encoded without metadata,
limited in size and pixels – and the private proof reachable only for those who may see it."""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

from organisations.models import Organisation, OrganisationType

from .factories import make_organisation, profile_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# Files to upload ------------------------------------------------------------------------------


def image_bytes(size=(800, 600), mode="RGB", format="PNG", **options):
    buffer = io.BytesIO()
    colour = {"1": 1, "L": 90, "LA": (90, 200), "I;16": 30000, "P": 3, "CMYK": (0, 80, 60, 10)}
    Image.new(mode, size, colour.get(mode, "#1f6b3a")).save(buffer, format=format, **options)
    return buffer.getvalue()


def png_with_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Erika Mustermann, Geheimweg 1")
    return image_bytes(size=(1024, 600), pnginfo=info)


def jpeg_with_gps():
    """A photo as a phone takes it: camera, GPS position, rotation and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Spionagekamera"
    exif[ExifTags.Base.Orientation] = 6  # rotated by 90°
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 24.0, 11.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 15.0, 36.0)
    data = image_bytes(size=(800, 600), format="JPEG", exif=exif, comment=b"Geheimweg 1")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb(side=20000, *, rows=None):
    """A small black-and-white PNG that decompresses to side × side pixels; with `rows`,
    one that claims that size but holds only so many rows."""
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side if rows is None else rows))
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data + compressor.flush())
        + png_chunk(b"IEND", b"")
    )


def noise_png(side):
    """A real picture that does not compress: about 3 × side² bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(3 * side * side)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_image(field_file):
    with field_file.open("rb") as stored:
        data = stored.read()
    return data, Image.open(io.BytesIO(data))


def error_codes(response, field):
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    return [error.code for error in response.context["form"].errors.as_data()[field]]


# Logos ----------------------------------------------------------------------------------------


def post_logo(client_for, owner, organisation, logo):
    return client_for(owner).post(
        f"/organisations/{organisation.pk}/manage/", profile_data(organisation, logo=logo)
    )


def test_a_png_logo_is_re_encoded_small_and_without_text_chunks(
    client_for, owner, organisation, upload_dirs
):
    original = png_with_text()
    response = post_logo(client_for, owner, organisation, upload("logo.png", original))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("organisations/logos/")
    assert organisation.logo.name.endswith(".png")
    assert Path(organisation.logo.path).is_relative_to(upload_dirs.media)
    data, image = stored_image(organisation.logo)
    assert data != original
    assert image.format == "PNG"
    assert max(image.size) <= 512
    assert b"Geheimweg" not in data
    assert "Author" not in image.info
    profile = client_for().get(f"/organisations/{organisation.pk}/").content.decode()
    assert organisation.logo.url in profile


def test_a_jpeg_logo_loses_its_exif_gps_and_comment(client_for, owner, organisation, upload_dirs):
    response = post_logo(
        client_for, owner, organisation, upload("foto.jpg", jpeg_with_gps(), "image/jpeg")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    data, image = stored_image(organisation.logo)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"Exif" not in data
    assert b"Spionagekamera" not in data
    assert b"Geheimweg" not in data
    assert "comment" not in image.info
    assert image.size == (384, 512), "turned upright as the camera meant it, then shrunk"


@pytest.mark.parametrize(
    ("mode", "format", "options"),
    [
        ("RGBA", "PNG", {}),
        ("LA", "PNG", {}),
        ("P", "PNG", {"transparency": 0}),
        ("I;16", "PNG", {}),
        ("1", "PNG", {}),
        ("L", "JPEG", {}),
        ("CMYK", "JPEG", {}),
        ("RGB", "WEBP", {}),
        ("RGBA", "WEBP", {}),
    ],
)
def test_logos_in_every_usual_colour_mode_are_accepted(
    client_for, owner, organisation, upload_dirs, mode, format, options
):
    content = image_bytes(size=(700, 300), mode=mode, format=format, **options)
    response = post_logo(client_for, owner, organisation, upload(f"logo.{format.lower()}", content))
    assert response.status_code == 302
    organisation.refresh_from_db()
    _data, image = stored_image(organisation.logo)
    assert image.format in {"PNG", "JPEG"}
    assert image.size == (512, 219)


NOT_IMAGES = {
    "text renamed to .png": ("logo.png", b"Hallo, ich bin kein Bild."),
    "pdf renamed to .png": ("logo.png", PDF),
    "html": ("logo.png", b"<!DOCTYPE html><script>alert(1)</script>"),
    "svg": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    "gif": ("logo.gif", image_bytes(format="GIF")),
    "bmp": ("logo.bmp", image_bytes(format="BMP")),
    "tiff": ("logo.tiff", image_bytes(format="TIFF")),
    "truncated png": ("logo.png", image_bytes()[:200]),
    "truncated jpeg": ("logo.jpg", image_bytes(format="JPEG")[:400]),
    "png header only": ("logo.png", b"\x89PNG\r\n\x1a\n"),
}


@pytest.mark.parametrize("name", NOT_IMAGES)
def test_files_that_are_no_usable_image_are_refused_at_the_logo_field(
    client_for, owner, organisation, upload_dirs, name
):
    filename, content = NOT_IMAGES[name]
    response = post_logo(client_for, owner, organisation, upload(filename, content, "image/png"))
    assert error_codes(response, "logo") == ["invalid_image"]
    organisation.refresh_from_db()
    assert not organisation.logo
    assert not any(upload_dirs.media.rglob("*.*")), "nothing of it is stored"


def test_an_empty_file_is_refused_with_djangos_german_message(
    client_for, owner, organisation, upload_dirs
):
    response = post_logo(client_for, owner, organisation, upload("logo.png", b""))
    assert response.status_code == 200
    assert "Die übertragene Datei ist leer." in response.context["form"].errors["logo"]


@pytest.mark.parametrize(
    "content",
    [bomb(7000), bomb(10000), bomb(20000), bomb(200_000, rows=10)],
    ids=["49 megapixels", "100 megapixels", "400 megapixels", "40 gigapixels"],
)
def test_decompression_bombs_are_refused_with_a_message_about_pixels(
    client_for, owner, organisation, upload_dirs, content
):
    assert len(content) < 200_000
    response = post_logo(client_for, owner, organisation, upload("bombe.png", content))
    assert error_codes(response, "logo") == ["too_many_pixels"]
    organisation.refresh_from_db()
    assert not organisation.logo


def test_a_logo_above_5_mb_is_refused_with_both_sizes(client_for, owner, organisation, upload_dirs):
    content = noise_png(1400)
    assert len(content) > 5 * 1024 * 1024
    response = post_logo(client_for, owner, organisation, upload("gross.png", content))
    assert error_codes(response, "logo") == ["file_too_large"]
    message = response.context["form"].errors["logo"][0]
    assert "höchstens 5,0\xa0MB" in message
    organisation.refresh_from_db()
    assert not organisation.logo


def test_a_logo_is_checked_when_founding_too(client_for, member, places, upload_dirs):
    data = {
        "name": "Neu GmbH",
        "type": "company",
        "sector": "trade",
        "size": "micro",
        "street": "Ring 1",
        "postal_code": "14513",
        "logo": upload("logo.png", b"kein Bild"),
    }
    response = client_for(member).post("/organisations/new/", data)
    assert error_codes(response, "logo") == ["invalid_image"]
    assert not Organisation.objects.exists()
    data["logo"] = upload("foto.jpg", jpeg_with_gps())
    assert client_for(member).post("/organisations/new/", data).status_code == 302
    stored, _image = stored_image(Organisation.objects.get().logo)
    assert b"Exif" not in stored


def test_saving_the_profile_again_keeps_the_logo_and_clearing_removes_it(
    client_for, owner, organisation, upload_dirs
):
    post_logo(client_for, owner, organisation, upload("logo.png", png_with_text()))
    organisation.refresh_from_db()
    logo = organisation.logo.name
    client = client_for(owner)
    url = f"/organisations/{organisation.pk}/manage/"
    assert client.post(url, profile_data(organisation, name="Neuer Name")).status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name == logo
    assert client.post(url, profile_data(organisation, **{"logo-clear": "on"})).status_code == 302
    organisation.refresh_from_db()
    assert not organisation.logo


# Proofs of status -----------------------------------------------------------------------------


@pytest.fixture
def association(organisation):
    organisation.type = OrganisationType.ASSOCIATION
    organisation.save()
    return organisation


def post_proof(client, organisation, proof, valid_until="2031-12-31"):
    data = {"proof_valid_until": valid_until}
    if proof is not None:
        data["proof"] = proof
    return client.post(f"/organisations/{organisation.pk}/proof/", data)


def test_a_pdf_proof_is_stored_privately_as_it_is(client_for, owner, association, upload_dirs):
    client = client_for(owner)
    assert client.get(f"/organisations/{association.pk}/proof/").status_code == 200
    response = post_proof(client, association, upload("Freistellungsbescheid.pdf", PDF))
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{association.pk}/manage/"
    association.refresh_from_db()
    assert str(association.proof_valid_until) == "2031-12-31"
    assert association.proof.name.startswith("proofs/")
    assert association.proof.name.endswith(".pdf")
    path = Path(association.proof.path)
    assert path.is_relative_to(upload_dirs.private)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert path.read_bytes() == PDF
    manage = client.get(f"/organisations/{association.pk}/manage/").content.decode()
    assert f"/organisations/{association.pk}/proof/file/" in manage
    assert association.proof.name not in manage, "the storage path is never shown"


def test_a_picture_as_proof_is_re_encoded_without_metadata(
    client_for, owner, association, upload_dirs
):
    response = post_proof(client_for(owner), association, upload("bescheid.jpg", jpeg_with_gps()))
    assert response.status_code == 302
    association.refresh_from_db()
    data, image = stored_image(association.proof)
    assert association.proof.name.endswith(".jpg")
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"Spionagekamera" not in data
    assert b"Geheimweg" not in data


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("bescheid.pdf", b"<html>Ich bin kein PDF</html>", "invalid_pdf"),
        ("bescheid.pdf", b"PK\x03\x04 a zip file", "invalid_pdf"),
        ("bescheid.pdf", b" %PDF-1.4 with a leading blank", "invalid_pdf"),
        ("bescheid.gif", image_bytes(format="GIF"), "invalid_pdf"),
        ("bescheid.png", image_bytes()[:100], "invalid_pdf"),
        ("bescheid.png", bomb(), "too_many_pixels"),
        ("bescheid.pdf", PDF + b"0" * (10 * 1024 * 1024), "file_too_large"),
    ],
    ids=["html", "zip", "blank before magic", "gif", "truncated png", "bomb", "too large"],
)
def test_bad_proofs_are_refused_at_the_field(
    client_for, owner, association, upload_dirs, filename, content, code
):
    response = post_proof(client_for(owner), association, upload(filename, content))
    assert error_codes(response, "proof") == [code]
    association.refresh_from_db()
    assert not association.proof
    assert association.proof_valid_until is None
    assert not any(upload_dirs.private.rglob("*.*"))


def test_a_too_large_proof_names_the_limit(client_for, owner, association, upload_dirs):
    response = post_proof(
        client_for(owner), association, upload("bescheid.pdf", PDF + b"0" * (10 * 1024 * 1024))
    )
    assert "höchstens 10,0\xa0MB" in response.context["form"].errors["proof"][0]


def test_a_proof_is_required(client_for, owner, association, upload_dirs):
    response = post_proof(client_for(owner), association, None)
    assert response.status_code == 200
    assert "proof" in response.context["form"].errors


@pytest.mark.parametrize("valid_until", ["morgen", "2031-02-30", "99999-01-01"])
def test_a_bad_date_is_refused_at_the_field(
    client_for, owner, association, upload_dirs, valid_until
):
    response = post_proof(client_for(owner), association, upload("b.pdf", PDF), valid_until)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["proof_valid_until"]
    association.refresh_from_db()
    assert not association.proof


def test_companies_have_no_proof_page(client_for, owner, organisation, upload_dirs):
    assert organisation.type == OrganisationType.COMPANY
    client = client_for(owner)
    url = f"/organisations/{organisation.pk}/proof/"
    assert client.get(url).status_code == 404
    assert post_proof(client, organisation, upload("b.pdf", PDF)).status_code == 404
    organisation.refresh_from_db()
    assert not organisation.proof


# Who gets the private proof file --------------------------------------------------------------


@pytest.fixture
def proof(client_for, owner, association, upload_dirs):
    post_proof(client_for(owner), association, upload("bescheid.pdf", PDF))
    association.refresh_from_db()
    assert association.proof
    return association


def file_url(organisation):
    return f"/organisations/{organisation.pk}/proof/file/"


@pytest.mark.parametrize(
    "person", ["owner", "organisation_admin", "pm_moderator", "pm_admin", "operator"]
)
def test_admins_and_the_regions_staff_download_the_proof(request, client_for, proof, person):
    response = client_for(request.getfixturevalue(person)).get(file_url(proof))
    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("person", ["organisation_member", "outsider", "member", "ohv_admin"])
def test_nobody_else_gets_the_proof(request, client_for, proof, person):
    assert client_for(request.getfixturevalue(person)).get(file_url(proof)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_and_learn_nothing(client_for, proof):
    response = client_for().get(file_url(proof))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={file_url(proof)}"
    missing = client_for().get("/organisations/999999/proof/file/")
    assert missing["Location"].startswith("/accounts/login/"), "the same, whether it exists or not"


@pytest.mark.parametrize("person", ["owner", "pm_moderator", "operator"])
def test_the_proof_is_404_through_another_regions_host(request, client_for, proof, person):
    client = client_for(request.getfixturevalue(person), host="ohv.localhost")
    assert client.get(file_url(proof)).status_code == 404


def test_staff_of_another_region_do_not_get_their_own_regions_proofs_elsewhere(
    client_for, proof, ohv, ohv_admin, upload_dirs
):
    werft = make_organisation(ohv, "Havelwerft", type=OrganisationType.NONPROFIT)
    werft.proof = "proofs/2026/werft.pdf"
    werft.save()
    assert client_for(ohv_admin, host="pm.localhost").get(file_url(werft)).status_code == 404
    assert client_for(ohv_admin, host="pm.localhost").get(file_url(proof)).status_code == 404


def test_the_proof_has_no_public_url(client_for, proof, owner):
    client = client_for(owner)
    for url in [proof.proof.url, f"/media/{proof.proof.name}", f"/private/{proof.proof.name}"]:
        assert client.get(url).status_code == 404, url
    assert not Path(proof.proof.path).is_relative_to(settings.MEDIA_ROOT)


def test_without_a_proof_the_file_url_is_404_even_for_the_owner(client_for, owner, association):
    assert client_for(owner).get(file_url(association)).status_code == 404


def test_private_uploads_lie_outside_the_public_media_root():
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not private.is_relative_to(media)
    assert not media.is_relative_to(private)
    assert not settings.STORAGES["private"]["OPTIONS"]["base_url"].startswith(settings.MEDIA_URL)


def test_a_proof_whose_file_went_missing_answers_404_not_500(client_for, proof, owner):
    Path(proof.proof.path).unlink()
    assert client_for(owner).get(file_url(proof)).status_code == 404

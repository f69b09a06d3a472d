"""Uploads in S3-compatible object storage (STORAGE_URL, PRIVATE_STORAGE_URL), tested against a
real S3 server: moto's, started here. Photos and logos land in the public bucket with plain
addresses; proofs of status in the private bucket, handed out only through the
permission-checked view, streamed by the app; the photo sizes job reads and writes through
the storage. Without moto installed these tests are skipped locally; in CI (CI=true) never."""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty
from PIL import Image

from listings.models import ListingPhoto
from organisations.models import OrganisationType, private_storage
from starkeregion.object_storage import storage_origin, storage_settings

from .factories import profile_data
from .test_settings import PRODUCTION, run_python
from .test_uploads import PDF, image_bytes

KEYS = "storage-test:storage-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free local port, for the whole test run."""
    program = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which(
        "moto_server"
    )
    if program is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "moto_server is missing; object storage tests must run in CI (CI=true): "
                "install the dev extra (moto[server]).",
                pytrace=False,
            )
        pytest.skip("moto_server is not installed (pip install 'moto[server]').")
    port = free_port()
    server = subprocess.Popen(
        [program, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"moto_server did not start on {endpoint}", pytrace=False)
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def buckets(s3_endpoint, settings):
    """A public and a private bucket of their own for this test, configured as an operator
    would: through the storage URLs of the settings."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="storage-test",
        aws_secret_access_key="storage-secret",
    )
    suffix = uuid.uuid4().hex[:12]
    public, private = f"sr-media-{suffix}", f"sr-private-{suffix}"
    client.create_bucket(Bucket=public)
    client.create_bucket(Bucket=private)
    # As the README asks of the operator: anonymous reads of the public bucket's prefix.
    client.put_bucket_policy(
        Bucket=public,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{public}/media/*",
                    }
                ],
            }
        ),
    )
    options = f"endpoint={s3_endpoint}&region=us-east-1&addressing=path"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_settings(f"s3://{KEYS}@{public}/media?{options}", public=True),
        "private": storage_settings(f"s3://{KEYS}@{private}/proofs?{options}", public=False),
    }
    private_storage._wrapped = empty
    yield client, public, private
    private_storage._wrapped = empty


def keys(client, bucket):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def read(client, bucket, key):
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_a_logo_lands_in_the_public_bucket_with_a_plain_address(
    client_for, owner, organisation, buckets, s3_endpoint
):
    client, public, private = buckets
    response = client_for(owner).post(
        f"/organisations/{organisation.pk}/manage/",
        profile_data(
            organisation,
            logo=SimpleUploadedFile("logo.png", image_bytes((300, 200)), "image/png"),
        ),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert keys(client, public) == [f"media/{organisation.logo.name}"]
    assert keys(client, private) == []
    url = organisation.logo.url
    assert url == f"{s3_endpoint}/{public}/media/{organisation.logo.name}"
    assert "Signature" not in url and "X-Amz" not in url
    # A browser fetches it from the storage, not from the app.
    with urlopen(url) as answer:  # noqa: S310 (the test's own S3 server)
        assert Image.open(io.BytesIO(answer.read())).size == (300, 200)
    profile = client_for().get(f"/organisations/{organisation.pk}/").content.decode()
    assert url in profile.replace("&amp;", "&")


def test_listing_photos_and_their_sizes_are_made_through_the_storage(
    client_for, owner, listing, buckets, django_capture_on_commit_callbacks
):
    client, public, _private = buckets
    picture = SimpleUploadedFile("stapler.jpg", image_bytes((1600, 1200), format="JPEG"))
    with django_capture_on_commit_callbacks(execute=True):  # the job runs after the commit
        response = client_for(owner).post(
            f"/listings/{listing.pk}/photos/",
            {"operation": "upload", "photo_1": picture, "alt_text_1": "Gelber Stapler"},
        )
    assert response.status_code == 302
    photo = ListingPhoto.objects.get(listing=listing)
    stored = keys(client, public)
    assert f"media/{photo.image.name}" in stored
    assert f"media/{photo.card.name}" in stored and f"media/{photo.large.name}" in stored
    card = Image.open(io.BytesIO(read(client, public, f"media/{photo.card.name}")))
    assert (card.format, card.size) == ("WEBP", (480, 360))
    large = Image.open(io.BytesIO(read(client, public, f"media/{photo.large.name}")))
    assert (large.format, large.size) == ("WEBP", (1200, 900))
    page = client_for(owner).get(listing.get_absolute_url()).content.decode()
    assert photo.large_url in page.replace("&amp;", "&")
    # Deleting the photo removes all three objects once the deletion committed.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(
            f"/listings/{listing.pk}/photos/", {"operation": "delete", "photo": photo.pk}
        )
    assert keys(client, public) == []


def test_two_uploads_of_the_same_name_never_replace_each_other(organisation, buckets):
    client, public, _private = buckets
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("logos/logo.png", ContentFile(b"first"))
    second = default_storage.save("logos/logo.png", ContentFile(b"second"))
    assert first != second
    assert read(client, public, f"media/{first}") == b"first"


@pytest.fixture
def association_with_proof(client_for, owner, organisation, buckets):
    organisation.type = OrganisationType.ASSOCIATION
    organisation.save()
    response = client_for(owner).post(
        f"/organisations/{organisation.pk}/proof/",
        {
            "proof": SimpleUploadedFile("bescheid.pdf", PDF, "application/pdf"),
            "proof_valid_until": "2031-12-31",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    return organisation


def test_a_proof_lands_in_the_private_bucket_only(
    association_with_proof, buckets, client_for, s3_endpoint
):
    client, public, private = buckets
    name = association_with_proof.proof.name
    assert keys(client, private) == [f"proofs/{name}"]
    assert keys(client, public) == []
    assert read(client, private, f"proofs/{name}") == PDF
    # Nobody reads it from the storage without the app's keys, not even with its address.
    with pytest.raises(HTTPError) as refused:
        urlopen(f"{s3_endpoint}/{private}/proofs/{name}")  # noqa: S310
    assert refused.value.code == 403
    manage = client_for(association_with_proof.memberships.get().user).get(
        f"/organisations/{association_with_proof.pk}/manage/"
    )
    assert private not in manage.content.decode(), "no page names the private bucket"


@pytest.mark.parametrize("person", ["owner", "pm_moderator"])
def test_the_proof_is_streamed_to_those_who_may_see_it(
    request, client_for, association_with_proof, person
):
    response = client_for(request.getfixturevalue(person)).get(
        f"/organisations/{association_with_proof.pk}/proof/file/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert "Location" not in response


@pytest.mark.parametrize("person", ["organisation_member", "outsider", "ohv_admin"])
def test_nobody_else_gets_the_proof_from_the_bucket(
    request, client_for, association_with_proof, person
):
    response = client_for(request.getfixturevalue(person)).get(
        f"/organisations/{association_with_proof.pk}/proof/file/"
    )
    assert response.status_code == 404


def test_a_proof_missing_from_the_bucket_answers_404(
    client_for, owner, association_with_proof, buckets
):
    client, _public, private = buckets
    client.delete_object(Bucket=private, Key=f"proofs/{association_with_proof.proof.name}")
    response = client_for(owner).get(f"/organisations/{association_with_proof.pk}/proof/file/")
    assert response.status_code == 404


# The settings -----------------------------------------------------------------------------


def test_the_filesystem_stays_the_default():
    assert storage_settings("", public=True) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    private = storage_settings("", Path("/srv/private"), public=False)
    assert private["OPTIONS"] == {"location": Path("/srv/private"), "base_url": "/no-public-url/"}
    assert storage_origin("") is None


def test_a_storage_url_is_translated_for_django_storages():
    public = storage_settings(
        "s3://key:se%2Fcret@media-bucket/pm?endpoint=https://s3.example.org&region=eu-central"
        "&public_url=https://cdn.example.org/files",
        public=True,
    )
    assert public["BACKEND"] == "storages.backends.s3.S3Storage"
    options = public["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("media-bucket", "pm")
    assert (options["access_key"], options["secret_key"]) == ("key", "se/cret")
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["custom_domain"] == "cdn.example.org/files"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    private = storage_settings("s3://proof-bucket?endpoint=https://s3.example.org", public=False)
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"]["querystring_expire"] == 60
    assert "access_key" not in private["OPTIONS"], "then from AWS_ACCESS_KEY_ID"
    assert (
        storage_origin("s3://b?public_url=https://cdn.example.org/x") == "https://cdn.example.org"
    )
    assert storage_origin("s3://b?endpoint=https://s3.example.org&addressing=path") == (
        "https://s3.example.org"
    )
    assert storage_origin("s3://b?endpoint=https://s3.example.org") == "https://b.s3.example.org"


@pytest.mark.parametrize(
    "url",
    ["ftp://host/x", "s3://", "s3://b?colour=blue", "s3://b?public_url=https://x"],
)
def test_bad_storage_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        storage_settings(url, public=False)


@pytest.mark.parametrize(
    "environment",
    [
        {"STORAGE_URL": "s3://media"},
        {"STORAGE_URL": "s3://media/public", "PRIVATE_STORAGE_URL": "s3://media/private"},
    ],
    ids=["no private storage", "the same bucket"],
)
def test_proofs_never_go_to_the_public_bucket(environment):
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="starkeregion.settings",
        **PRODUCTION,
        **environment,
    )
    assert result.returncode != 0
    assert "PRIVATE_STORAGE_URL" in result.stderr


def test_pages_may_show_pictures_from_the_public_storage():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1]); "
        "print(s.STORAGES['default']['BACKEND'], s.STORAGES['private']['BACKEND'])"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="starkeregion.settings",
        **PRODUCTION,
        STORAGE_URL="s3://media?public_url=https://cdn.example.org/pm",
        PRIVATE_STORAGE_URL="s3://proofs?endpoint=https://s3.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "https://cdn.example.org",
        "storages.backends.s3.S3Storage",
        "storages.backends.s3.S3Storage",
    ]
    assert django_settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")

"""STORAGE_URL and PRIVATE_STORAGE_URL: where uploads live, read by the settings (README,
"Several app servers"). Apart from settings.py only to keep that module short."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def storage_settings(url: str, location: Path | None = None, *, public: bool) -> dict:
    """Translate STORAGE_URL (public uploads: photos, logos) or PRIVATE_STORAGE_URL (proofs of
    status) to an entry of STORAGES.

    Empty or file://: the filesystem folder `location` (MEDIA_ROOT, PRIVATE_MEDIA_ROOT).
    s3://bucket/prefix: an S3-compatible object storage through django-storages; options in
    the query: `endpoint` (the server, e.g. https://fsn1.your-objectstorage.com; default
    AWS), `region`, `addressing=path` (for servers without bucket subdomains), and for public
    files `public_url`, the address browsers fetch them from (a CDN, or the bucket's public
    address; default: the endpoint's). Keys come from the URL's user and password or from
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Public files get plain addresses (the bucket
    must allow anonymous reads of the prefix); private ones are read only by the app, which
    hands them out after its permission check (their signed addresses, never used by a page,
    would last a minute).
    """
    parts = urlsplit(url)
    if parts.scheme in {"", "file"}:
        backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        if public:  # MEDIA_ROOT and MEDIA_URL, read when the storage is made
            return backend
        return {**backend, "OPTIONS": {"location": location, "base_url": "/no-public-url/"}}
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            "STORAGE_URL and PRIVATE_STORAGE_URL must be empty, file:// or s3://bucket/prefix."
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "region", "addressing", "public_url"}
    if unknown or (not public and "public_url" in query):
        raise ImproperlyConfigured(
            f"Unknown option(s) in the storage URL: {', '.join(sorted(unknown or {'public_url'}))}."
        )
    options = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "endpoint_url": query.get("endpoint"),
        "region_name": query.get("region"),
        "addressing_style": query.get("addressing"),
        # Never replace a stored file: names are made unique, as on the filesystem.
        "file_overwrite": False,
        "querystring_auth": not public,
        "querystring_expire": 60,
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    if public:
        # Names are never reused, so a file's address may be cached for good.
        options["object_parameters"] = {"CacheControl": "public, max-age=31536000, immutable"}
        if query.get("public_url"):
            address = urlsplit(query["public_url"])
            options["custom_domain"] = address.netloc + address.path.rstrip("/")
            options["url_protocol"] = f"{address.scheme}:"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def storage_origin(url: str) -> str | None:
    """The origin pages load public files from, for the Content Security Policy: None when
    they come from this site (the filesystem under MEDIA_URL)."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        return None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    address = urlsplit(
        query.get("public_url") or query.get("endpoint") or "https://s3.amazonaws.com"
    )
    if "public_url" not in query and query.get("addressing") != "path":
        # Virtual-hosted addresses: the bucket is a subdomain of the endpoint.
        return f"{address.scheme}://{parts.hostname}.{address.netloc}"
    return f"{address.scheme}://{address.netloc}"

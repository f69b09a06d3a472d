"""What a page tells search engines and link previews about itself (templates/includes/
_share_meta.html): its canonical address on the region's own host, a summary and an
image."""

from urllib.parse import urljoin

from django.utils.text import Truncator

SUMMARY_LENGTH = 200


def share_data(request, obj, text: str, image_url: str = "") -> dict:
    """The canonical URL of `obj` (its get_absolute_url on the request's region), the
    first SUMMARY_LENGTH characters of `text` on one line, and `image_url` made absolute
    – urljoin keeps media URLs that are absolute already (S3-compatible storage)."""
    canonical_url = request.region.build_absolute_uri(obj.get_absolute_url())
    return {
        "canonical_url": canonical_url,
        "summary": Truncator(" ".join(text.split())).chars(SUMMARY_LENGTH),
        "share_image_url": urljoin(canonical_url, image_url) if image_url else "",
    }

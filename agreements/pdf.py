"""A Django template rendered to PDF with WeasyPrint, without touching the network.

WeasyPrint lays out HTML and print CSS (pages, margins, page numbers) with Pango, so a
document is a template like every page: translated with {% translate %}, escaped by
Django. Whatever the document links (its stylesheet) is read from our own static files;
every other address is refused, so a value someone typed into a listing can never make
the server fetch anything. Fonts are the machine's own (fontconfig), none downloaded.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint tells Pillow, for the whole process, to load truncated images as
# they are. Our documents show no images, and a photo or logo cut short in its upload must
# stay refused (core.uploads).
ImageFile.LOAD_TRUNCATED_IMAGES = False

# The address documents are laid out at: nothing is ever fetched from it.
BASE_URL = "https://documents.invalid/"


class StaticFilesOnly(URLFetcher):
    """Hands out our static files (found as `collectstatic` would) and refuses the rest."""

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"Documents load only our own static files, not {url}")
        name = url.removeprefix(prefix).split("?")[0].split("#")[0]
        path = finders.find(name) if ".." not in name else None
        if not path:
            raise ValueError(f"No static file {name}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = "text/css" if name.endswith(".css") else "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


# By its source name, not {% static %}'s hashed one: the finders know the source files.
STYLESHEET = "agreements/documents.css"


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    stylesheet = settings.STATIC_URL + STYLESHEET
    html = render_to_string(template_name, {**context, "stylesheet": stylesheet}, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()

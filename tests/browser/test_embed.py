"""Embedded listings inside another website, in a real browser (issue #14).

A school association's website (a second local server on another port and host, so
another origin) shows three of Potsdam-Mittelmark's current listings in an iframe with
the snippet from the "Einbinden" page; the optional sizing script fits the frame to
them. A region that lists other websites only keeps this one out. And the Einbinden
page updates its snippet and preview as the options change, and copies the snippet.
"""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from listings.models import Status

from ..factories import make_listing
from .conftest import TIMEOUT_MS
from .test_accessibility import assert_no_violations
from .test_organisation_journey import log_in_with_session_cookie
from .test_signup_login import german

pytestmark = pytest.mark.browser

HOST = "pm.localhost"
OTHER_HOST = "foerderverein.localhost"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_site(tmp_path):
    """A plain web server for another website, on its own port: publish(html) puts a page
    there and returns its address on the host foerderverein.localhost."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(html, name="index.html"):
        (tmp_path / name).write_text(html, encoding="utf-8")
        return f"http://{OTHER_HOST}:{server.server_port}/{name}"

    yield publish
    server.shutdown()
    server.server_close()


@pytest.fixture
def listings(organisation, owner):
    titles = ["Gabelstapler Linde H25", "Lagerfläche 200 m²", "Transporter mit Fahrer", "Beamer"]
    for title in titles:
        make_listing(organisation, title, author=owner)
    make_listing(organisation, "Noch ein Entwurf", author=owner, status=Status.DRAFT)
    return titles


def host_page(embed_address, script_address=None):
    script = f'<script src="{script_address}" async></script>' if script_address else ""
    return f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>Förderverein der Grundschule</title>
<link rel="icon" href="data:,"></head>
<body>
  <h1>Förderverein der Grundschule am See</h1>
  <p>Was Unternehmen aus der Region gerade anbieten:</p>
  <iframe src="{embed_address}" title="Aktuelle Anzeigen" style="width:100%;border:0"
          data-starkeregion-embed></iframe>
  {script}
  <p>Danke an alle Spender!</p>
</body>
</html>"""


def embed_height(frame_element):
    """The height of the embed's content, as its own document measures it."""
    return frame_element.content_frame().evaluate(
        "() => Math.ceil(document.querySelector('[data-embed]').getBoundingClientRect().bottom)"
    )


def test_another_website_shows_current_listings_sized_to_fit(
    page, site_url, other_site, listings, pm
):
    embed = site_url(HOST, "/embed/listings/?count=3")
    address = other_site(host_page(embed, site_url(HOST, "/static/embeds/embed.js")))
    page.goto(address)

    frame = page.frame_locator("iframe[data-starkeregion-embed]")
    items = frame.locator(".embed-item")
    expect(items).to_have_count(3)
    # The newest three, each a link that opens the region's site in a new tab.
    for title in listings[1:]:
        link = frame.get_by_role("link", name=title)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("target", "_blank")
    expect(frame.get_by_text("Noch ein Entwurf")).to_have_count(0)

    # The sizing script has fitted the frame (150 pixels high by default) to the listings.
    iframe = page.locator("iframe[data-starkeregion-embed]")
    content = embed_height(iframe.element_handle())
    assert content > 300
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    assert iframe.evaluate("frame => frame.style.height") == f"{content}px"
    assert abs(iframe.bounding_box()["height"] - content) <= 1

    # A message from anyone but the region's host changes nothing.
    page.evaluate("() => window.postMessage({type: 'starkeregion:embed-height', height: 5}, '*')")
    page.wait_for_timeout(200)
    assert abs(iframe.bounding_box()["height"] - content) <= 1


def test_the_embed_follows_a_narrower_frame_and_works_without_the_script(
    page, site_url, other_site, listings, pm
):
    embed = site_url(HOST, "/embed/listings/?count=2&layout=landscape")
    page.goto(other_site(host_page(embed), "plain.html"))
    frame = page.frame_locator("iframe[data-starkeregion-embed]")
    expect(frame.locator(".embed-item")).to_have_count(2)
    expect(frame.locator(".embed--landscape")).to_be_visible()
    assert abs(page.locator("iframe").bounding_box()["height"] - 150) <= 1  # left as it was


def test_a_region_that_lists_other_websites_keeps_this_one_out(
    browser, site_url, other_site, listings, pm
):
    pm.embed_allowed_origins = "https://www.landkreis.example"
    pm.save()
    embed = site_url(HOST, "/embed/listings/?count=3")
    address = other_site(host_page(embed, site_url(HOST, "/static/embeds/embed.js")))
    # A context of its own: the refusal is reported as a console error, which the page
    # fixture would count against the test.
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    refusals = []
    try:
        page = context.new_page()
        page.on("console", lambda message: refusals.append(message.text))
        page.goto(address)
        expect(
            page.get_by_role("heading", name="Förderverein der Grundschule am See")
        ).to_be_visible()
        page.wait_for_timeout(500)
        frame = page.frame_locator("iframe[data-starkeregion-embed]")
        expect(frame.locator(".embed-item")).to_have_count(0)
        assert any("frame-ancestors" in text for text in refusals), refusals
    finally:
        context.close()


def test_the_embed_itself_has_no_axe_violations(page, site_url, listings, pm):
    for query in ["?count=3", "?count=4&layout=landscape&lang=en"]:
        page.goto(site_url(HOST, f"/embed/listings/{query}"))
        assert_no_violations(page, f"the embed {query}")


def test_the_einbinden_page_updates_the_snippet_and_preview_and_copies_it(
    page, site_url, listings, owner, organisation
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in_with_session_cookie(page, site_url, owner)
    page.goto(site_url(HOST, "/"))
    page.goto(site_url(HOST, f"/organisations/{organisation.pk}/manage/"))
    page.get_by_role("link", name=german("Embed"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(organisation.name)
    assert_no_violations(page, "the Einbinden page")

    preview = page.frame_locator("iframe[data-starkeregion-embed]")
    expect(preview.locator(".embed-item")).to_have_count(4)
    page.get_by_label(german("Number of listings")).fill("2")
    expect(page.locator("#embed-snippet")).to_contain_text("count=2")
    expect(
        page.frame_locator("iframe[data-starkeregion-embed]").locator(".embed-item")
    ).to_have_count(2)
    assert "count=2" in page.url  # the address keeps the options, to come back to

    page.get_by_role("button", name=german("Copy snippet")).click()
    expect(page.locator("[data-copy-status]")).to_have_text(german("Copied."))
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("<iframe src=")
    assert f"organisation={organisation.pk}" in copied and "count=2" in copied
    assert copied.rstrip().endswith('embed.js" async></script>')

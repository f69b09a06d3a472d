"""Fixtures for the browser tests: a real Chromium driven by Playwright's sync API
against pytest-django's live server, reached through the regions' host names.

Chromium resolves every *.localhost name to the loopback address, so
http://pm.localhost:<port>/ reaches the live server as Potsdam-Mittelmark and
http://localhost:<port>/ as the portal.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connections

from .chromium import chromium_missing_reason, launch_chromium

# Long enough for a slow CI machine, short enough that a broken test fails quickly.
TIMEOUT_MS = 10_000


@pytest.fixture(autouse=True)
def _empty_cache(transactional_db):
    """Empties the (database) cache before and after each browser test.

    The live server commits what it caches – allauth's rate limits such as one
    confirmation mail per address every three minutes, the region of each host – and
    the flush after a transactional test leaves the cache table alone. Without this,
    the rate limits used up here would make later tests fail, or this one.
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium; skips without /usr/bin/chromium, except in CI, where it fails."""
    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"{reason}; browser tests must run in CI (CI=true), install Chromium there.",
                pytrace=False,
            )
        pytest.skip(f"{reason}; browser tests need it.")
    # The sync API keeps an asyncio loop running in this thread while a test runs, and
    # Django refuses ORM calls from a thread with a running loop. Test code and the
    # live server never touch the database at the same moment, so this is safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
            # Code running under Playwright's sync API has its own context, and Django
            # keeps one database connection per context: close the ones opened here, or
            # PostgreSQL refuses to drop the test database ("accessed by other users").
            connections.close_all()


@pytest.fixture
def new_page(browser):
    """Opens tabs, each in its own context (own cookies: another person at another computer),
    that fail the test on JavaScript errors or CSP violations."""
    contexts = []
    problems = []

    def open_tab():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        tab.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    """A fresh tab (own cookies) that fails the test on JavaScript errors or CSP violations."""
    return new_page()


@pytest.fixture
def site_url(live_server):
    """Builds http://<host>:<live server port><path>, e.g. site_url("pm.localhost", "/")."""
    port = urlsplit(live_server.url).port

    def build(host, path="/"):
        return f"http://{host}:{port}{path}"

    build.port = port
    return build

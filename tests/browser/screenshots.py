"""Full-page screenshots of the public pages, for a look at the layout by eye.

Not a test: it runs against a development server that is already running with the
demo data (`make run`), in both regions and both languages, on a desktop and a
phone-sized window:

    .venv/bin/python tests/browser/screenshots.py 8000 /tmp/screens

The files are named <region>-<language>-<width>-<page>.png, the portal's
portal-<language>-<width>.png.
"""

import argparse
import sys
import urllib.request
from pathlib import Path

# Run as a script, so the repository root is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playwright.sync_api import expect, sync_playwright

from tests.browser.chromium import chromium_missing_reason, launch_chromium

REGION_HOSTS = {"pm": "pm.localhost", "ohv": "ohv.localhost"}
PORTAL_HOST = "localhost"
LANGUAGES = {"de": "Deutsch", "en": "English"}  # code: the footer button's text
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def sign_up_with_errors(page, base):
    page.goto(f"{base}/accounts/signup/")
    page.locator("#id_email").fill("keine-adresse")
    page.locator("#id_password1").fill("kurz")
    page.locator("#id_password2").fill("anders")
    with page.expect_navigation():  # until the answer has loaded, not just begun
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()


PAGES = {
    "home": "/",
    "how-it-works": "/how-it-works/",
    "imprint": "/imprint/",
    "sign-up": "/accounts/signup/",
    "sign-up-with-errors": sign_up_with_errors,
    "login": "/accounts/login/",
}


def choose_language(page, base, language):
    """Switches the language with the footer's form, as a visitor does (per host)."""
    page.goto(f"{base}/")
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            footer = page.get_by_role("contentinfo")
            footer.get_by_role("button", name=LANGUAGES[language]).click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def shoot(page, outdir, name):
    path = outdir / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(path)


def take_screenshots(port, outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for width_name, (width, height) in VIEWPORTS.items():
            for language in LANGUAGES:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for slug, host in REGION_HOSTS.items():
                    base = f"http://{host}:{port}"
                    choose_language(page, base, language)
                    for page_name, target in PAGES.items():
                        if callable(target):
                            target(page, base)
                        else:
                            page.goto(f"{base}{target}")
                        shoot(page, outdir, f"{slug}-{language}-{width_name}-{page_name}")
                portal = f"http://{PORTAL_HOST}:{port}"
                choose_language(page, portal, language)
                shoot(page, outdir, f"portal-{language}-{width_name}")
                context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", type=int, help="port of the running dev server, e.g. 8000")
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    args = parser.parse_args()

    reason = chromium_missing_reason()
    if reason:
        sys.exit(reason)
    # Python cannot resolve *.localhost (Chromium can), so ask the loopback address.
    host = REGION_HOSTS["pm"]
    probe = urllib.request.Request(
        f"http://127.0.0.1:{args.port}/", headers={"Host": f"{host}:{args.port}"}
    )
    try:
        urllib.request.urlopen(probe, timeout=5)  # noqa: S310
    except OSError as error:
        sys.exit(f"No dev server with the demo data answers for {host}:{args.port} ({error}).")
    take_screenshots(args.port, args.outdir)


if __name__ == "__main__":
    main()

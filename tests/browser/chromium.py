"""Launching Debian's Chromium through Playwright, shared by the tests and screenshots.py.

Playwright's own browser download does not work everywhere we run; the system
Chromium does, with the switches below (no sandbox in containers, no calls home).
Nothing here imports Django, so the screenshot script can use it on its own.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def chromium_missing_reason():
    """Why Chromium cannot be used, or None when it can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is not installed (Debian: apt-get install chromium)"
    return None


def launch_chromium(playwright):
    """A headless Chromium from /usr/bin/chromium."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

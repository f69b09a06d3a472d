"""German by default, English on request; the German catalogue is complete."""

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = [LOCALE / "de" / "LC_MESSAGES", LOCALE / "formal" / "de" / "LC_MESSAGES"]
INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir|hast|bist|kannst|musst)\b", re.IGNORECASE)


def test_pages_are_german_even_for_english_browsers(pm_client):
    response = pm_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()
    assert "Registrieren" in response.content.decode()


def test_the_footer_switches_to_english_and_remembers_it(pm_client):
    response = pm_client.post("/i18n/setlang/", {"language": "en", "next": "/imprint/"})
    assert response.status_code == 302
    assert response["Location"] == "/imprint/"
    page = pm_client.get("/")
    assert page["Content-Language"] == "en"
    assert "Sign up" in page.content.decode()
    pm_client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert pm_client.get("/")["Content-Language"] == "de"


def test_an_unknown_language_falls_back_to_german(pm_client, settings):
    pm_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert pm_client.get("/")["Content-Language"] == "de"


def test_the_language_switch_does_not_redirect_to_other_sites(pm_client):
    response = pm_client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_address_people_formally(pm_client, path):
    response = pm_client.post(path, {"login": "x", "email": "x", "password": "x"})
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    assert not INFORMAL.search(text), INFORMAL.search(text).group(0)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["ours", "allauth-overrides"])
def test_german_catalogues_are_complete_and_compiled(catalogue):
    source = catalogue / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr

    compiled = subprocess.run(
        ["msgfmt", "-o", "-", str(source)],
        capture_output=True,
        check=True,
    ).stdout
    fresh = gettext.GNUTranslations(io.BytesIO(compiled))
    with (catalogue / "django.mo").open("rb") as committed_file:
        committed = gettext.GNUTranslations(committed_file)
    assert fresh._catalog == committed._catalog, "run `make messages` and commit django.mo"

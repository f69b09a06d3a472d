"""Headers and endpoints that protect every page."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy(pm_client):
    response = pm_client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    nonce = re.search(r"'nonce-([^']+)'", directives["style-src"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_pages_send_the_other_security_headers(pm_client):
    response = pm_client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_response_switches_off_camera_microphone_location_and_payment(pm_client):
    """Pages, JSON, the embeds other sites frame, errors and the health check alike."""
    for path in [
        "/",
        "/listings/",
        "/api/v1/listings/",
        "/embed/listings/",
        "/nowhere/",
        "/healthz",
    ]:
        response = pm_client.get(path)
        policy = {feature.strip() for feature in response["Permissions-Policy"].split(",")}
        assert policy == {"camera=()", "microphone=()", "geolocation=()", "payment=()"}, path


def test_pages_load_nothing_from_other_servers(pm_client):
    html = pm_client.get("/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_https_settings_make_cookies_secure_and_send_hsts(pm_client, member, settings):
    from .factories import PASSWORD

    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = pm_client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"]
    login = pm_client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD}, secure=True
    )
    session_cookie = login.cookies["sessionid"]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_forms_need_a_csrf_token(pm, member):
    client = Client(HTTP_HOST="pm.localhost", enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": member.email, "password": "x"})
    assert response.status_code == 403


def test_healthz_answers_on_any_host_without_cookies(pm):
    for host in ["10.0.0.7", "pm.localhost", "unknown.invalid"]:
        response = Client(HTTP_HOST=host).get("/healthz")
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert not response.cookies


def test_healthz_is_not_redirected_to_https(pm, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client(HTTP_HOST="10.0.0.7").get("/healthz").status_code == 200
    assert Client(HTTP_HOST="pm.localhost").get("/").status_code == 301


def test_unknown_pages_get_the_regions_404_page(pm_client):
    response = pm_client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Potsdam-Mittelmark" in response.content.decode()


def test_region_page_markdown_cannot_inject_html(pm_client, pm):
    page = pm.pages.get(kind="imprint")
    page.body = (
        "## Kontakt\n\n<script>alert(1)</script>\n\n[Link](javascript:alert(1)) "
        '<img src=x onerror="alert(1)">\n\n- eins\n- zwei'
    )
    page.save()
    html = pm_client.get("/imprint/").content.decode()
    assert "<h2>Kontakt</h2>" in html
    assert "<li>eins</li>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_favicon_requests_find_the_icon(pm_client, portal_client):
    for client in (pm_client, portal_client):
        response = client.get("/favicon.ico", follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[0][0] == "/static/img/favicon.svg"


def test_requests_for_unknown_hosts_are_not_mailed_to_the_operator(pm, settings):
    settings.ADMINS = [("Betrieb", "betrieb@example.org")]
    from django.core import mail

    assert Client(HTTP_HOST="scanner.example.net").get("/").status_code == 400
    assert not mail.outbox

"""What all of the API shares: its OpenAPI schema and self-hosted docs, JSON for every error
(even an unknown host or an unexpected one), rate limits, cross-origin reads; and the
endpoints besides listings (categories, organisations, places)."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from api import views
from api.throttling import AnonymousThrottle, KeyThrottle
from tests.factories import make_organisation, make_user

from .api_helpers import bearer, issue_key

ENDPOINTS = {
    "/api/v1/listings/": {"get", "post"},
    "/api/v1/listings/{id}/": {"get", "put", "patch"},
    "/api/v1/listings/{id}/submit/": {"post"},
    "/api/v1/listings/{id}/pause/": {"post"},
    "/api/v1/listings/{id}/resume/": {"post"},
    "/api/v1/listings/{id}/close/": {"post"},
    "/api/v1/listings/{id}/renew/": {"post"},
    "/api/v1/listings/{listing_pk}/photos/": {"get", "post"},
    "/api/v1/listings/{listing_pk}/photos/{id}/": {"delete"},
    "/api/v1/categories/": {"get"},
    "/api/v1/organisations/": {"get"},
    "/api/v1/organisations/{id}/": {"get"},
    "/api/v1/places/": {"get"},
}


@pytest.fixture
def schema(pm_client):
    response = pm_client.get("/api/v1/schema/")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out)


def test_the_schema_has_every_endpoint_documented_in_german(schema):
    assert schema["openapi"].startswith("3.")
    paths = {
        path: {method for method in operations if method != "parameters"}
        for path, operations in schema["paths"].items()
    }
    assert paths == ENDPOINTS
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["summary"] and operation["description"], (path, method)
            examples = [
                content.get("examples")
                for part in [operation.get("requestBody", {}), *operation["responses"].values()]
                for content in part.get("content", {}).values()
            ]
            assert any(examples) or method == "delete", (path, method)
    assert schema["paths"]["/api/v1/listings/"]["get"]["summary"] == "Anzeigen durchsuchen"
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    parameters = {p["name"] for p in schema["paths"]["/api/v1/listings/"]["get"]["parameters"]}
    assert {"q", "near", "updated_since", "suche", "preis_von", "umkreis_km"} <= parameters


def test_the_docs_are_served_from_our_own_host(pm_client):
    response = pm_client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "<script>" not in page  # no inline script: the policy would block it
    script = pm_client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def test_other_pages_keep_the_strict_style_policy(pm_client, pm):
    assert "unsafe-inline" not in pm_client.get("/")["Content-Security-Policy"]


# Errors -------------------------------------------------------------------------------------


def test_an_unknown_host_gets_json_404_under_api(db):
    response = Client(HTTP_HOST="unknown.localhost").get("/api/v1/listings/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unknown_address_gets_json_404(pm_client, pm):
    for url in ("/api/v1/nothing/", "/api/v1/listings", "/api/v2/"):
        response = pm_client.post(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_json_405(pm_client, pm):
    response = pm_client.delete("/api/v1/categories/")
    assert response.status_code == 405
    assert response.json() == {
        "detail": 'Methode "DELETE" nicht erlaubt.',
        "code": "method_not_allowed",
    }


def test_an_unexpected_error_is_json_too(pm, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "catalogue", broken)
    client = Client(HTTP_HOST="pm.localhost", raise_request_exception=False)
    response = client.get("/api/v1/categories/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_anonymous_calls_are_limited_per_ip(pm_client, pm, monkeypatch):
    monkeypatch.setattr(AnonymousThrottle, "rate", "2/min", raising=False)
    assert pm_client.get("/api/v1/places/").status_code == 200
    assert pm_client.get("/api/v1/places/").status_code == 200
    limited = pm_client.get("/api/v1/places/")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled"
    assert limited.json()["detail"].startswith("Die Anfrage wurde gedrosselt.")
    assert int(limited["Retry-After"]) > 0
    other_ip = pm_client.get("/api/v1/places/", REMOTE_ADDR="192.0.2.7")
    assert other_ip.status_code == 200


def test_a_key_has_its_own_higher_limit(pm_client, organisation, monkeypatch):
    monkeypatch.setattr(AnonymousThrottle, "rate", "1/min", raising=False)
    monkeypatch.setattr(KeyThrottle, "rate", "3/min", raising=False)
    _key, text = issue_key(organisation)
    pm_client.get("/api/v1/places/")
    assert pm_client.get("/api/v1/places/").status_code == 429
    assert [pm_client.get("/api/v1/places/", **bearer(text)).status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]


def test_a_forwarded_for_header_does_not_escape_the_limit(pm_client, pm, monkeypatch):
    monkeypatch.setattr(AnonymousThrottle, "rate", "1/min", raising=False)
    pm_client.get("/api/v1/places/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = pm_client.get("/api/v1/places/", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 429


# Cross-origin reads ---------------------------------------------------------------------------


def test_reads_allow_any_origin(pm_client, pm):
    response = pm_client.get("/api/v1/categories/", HTTP_ORIGIN="https://example.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = pm_client.options("/api/v1/listings/", HTTP_ORIGIN="https://example.com")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_writes_and_pages_do_not_allow_other_origins(pm_client, organisation):
    _key, text = issue_key(organisation)
    response = pm_client.post(
        "/api/v1/listings/", {}, content_type="application/json", **bearer(text)
    )
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in pm_client.get("/")


# Categories, organisations, places ---------------------------------------------------------


def test_categories_with_their_attributes(pm_client, pm):
    groups = pm_client.get("/api/v1/categories/").json()
    machines = next(group for group in groups if group["slug"] == "maschinen-ausstattung")
    assert [category["slug"] for category in machines["categories"]][:2] == [
        "maschinen",
        "produktionsanlagen",
    ]
    weight = next(item for item in machines["attributes"] if item["key"] == "weight")
    assert weight == {
        "key": "weight",
        "label": "Gewicht",
        "kind": "number",
        "unit": "kg",
        "choices": [],
        "filterable": True,
    }


def test_organisations_show_their_public_profile_only(pm_client, pm, ohv, organisation):
    organisation.public_email = "geheim@tischlerei.example"
    organisation.verification_note = "intern"
    organisation.save()
    make_organisation(ohv, "Oberhavel GmbH", owner=make_user("o@ohv.example"))
    listed = pm_client.get("/api/v1/organisations/").json()
    assert [item["name"] for item in listed["results"]] == ["Tischlerei Holzwurm"]
    profile = pm_client.get(f"/api/v1/organisations/{organisation.pk}/").json()
    assert profile["name"] == "Tischlerei Holzwurm"
    assert "geheim@" not in str(profile) and "intern" not in str(profile)
    assert pm_client.get("/api/v1/organisations/", {"q": "holz"}).json()["count"] == 1
    assert pm_client.get("/api/v1/organisations/", {"type": "nonsense"}).status_code == 400


def test_an_organisation_staff_rejected_is_not_listed_nor_shown(pm_client, pm, organisation):
    """As in the directory and the sitemap (Organisation.objects.listed)."""
    from organisations.models import Verification

    rejected = make_organisation(pm, "Scheinfirma", owner=make_user("s@example.org"))
    rejected.verification = Verification.REJECTED
    rejected.save()
    listed = pm_client.get("/api/v1/organisations/").json()
    assert [item["name"] for item in listed["results"]] == ["Tischlerei Holzwurm"]
    assert pm_client.get(f"/api/v1/organisations/{rejected.pk}/").status_code == 404


def test_an_organisation_of_another_region_is_not_found(pm_client, pm, ohv):
    other = make_organisation(ohv, "Oberhavel GmbH", owner=make_user("o@ohv.example"))
    assert pm_client.get(f"/api/v1/organisations/{other.pk}/").status_code == 404


def test_places_of_the_region(pm_client, places):
    everything = pm_client.get("/api/v1/places/").json()
    assert len(everything) > 50
    assert {place["postal_code"][:2] for place in everything} <= {"14", "15", "16"}
    found = pm_client.get("/api/v1/places/", {"q": "14806"}).json()
    assert found and {place["postal_code"] for place in found} == {"14806"}
    assert set(found[0]) == {"postal_code", "name", "latitude", "longitude"}
    assert pm_client.get("/api/v1/places/", {"q": "Nirgendwo"}).json() == []

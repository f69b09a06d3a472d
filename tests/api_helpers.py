"""Shared pieces of the API tests: keys and their header."""

from api.models import ApiKey, Scope


def issue_key(organisation, *, scope=Scope.WRITE, created_by=None, **fields):
    """A key of `organisation`; returns (ApiKey, its full text)."""
    return ApiKey.issue(organisation, "Portal", scope, created_by=created_by, **fields)


def bearer(text):
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}

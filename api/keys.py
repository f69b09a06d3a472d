"""Issuing and revoking keys: one function each, used by the organisation's page, the
back office and `manage.py create_api_key`."""

from django.db import transaction
from django.utils import timezone

from .models import ApiKey


@transaction.atomic
def issue(organisation, name, scope, *, created_by=None, expires_at=None):
    """A new key of `organisation`; returns (key, its full text, to be shown once)."""
    return ApiKey.issue(organisation, name, scope, created_by=created_by, expires_at=expires_at)


def revoke(key: ApiKey, by=None) -> bool:
    """Ends a key for good; False if it was revoked already."""
    revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    key.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return bool(revoked)

"""What a request may do: read with or without a key; write only with a key of scope
"write". Which listings a key reaches is decided in api.access."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from .models import ApiKey


def key_of(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class ReadOrWriteKey(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True  # not offered here at all: 405, whoever asks
        key = key_of(request)
        if key is None:
            raise exceptions.NotAuthenticated(
                _("Changes need an API key of your organisation (Authorization: Bearer …).")
            )
        if not key.can_write:
            raise exceptions.PermissionDenied(
                _("This key may only read. Changes need a key with the scope “read and write”.")
            )
        return True

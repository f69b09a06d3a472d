"""Errors of the API as JSON: {"detail": message, "code": code}, and for invalid input
also {"errors": {field: [messages]}}, in the request's language (German by default).

DRF's own handler turns its exceptions, Http404 and PermissionDenied into responses;
this one gives them all one shape. What still escapes as an HTML page (an unknown host,
an unexpected error) is turned into JSON by api.middleware.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidInput(exceptions.APIException):
    """Field errors of a form or filter: {field: [messages]}."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, errors: dict, detail=None):
        self.errors = errors
        super().__init__(detail or _("Some of the data is missing or not valid."))


def form_errors(form, names=None) -> dict:
    """A Django form's errors as {field: [messages]}; `names` renames fields (the form's
    name → the API's), and errors of no field are listed under "non_field_errors"."""
    names = names or {}
    errors = {}
    for field, messages in form.errors.items():
        name = "non_field_errors" if field == "__all__" else names.get(field, field)
        errors.setdefault(name, []).extend(str(message) for message in messages)
    return errors


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: logged by Django, made JSON by api.middleware
    if isinstance(exc, InvalidInput):
        response.data = {"detail": str(exc.detail), "code": "invalid", "errors": exc.errors}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("Some of the data is missing or not valid."),
            "code": "invalid",
            "errors": _flatten(exc.detail),
        }
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": code}
    return response

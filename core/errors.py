"""The page for an unexpected error: 503 while the database is away, 500 otherwise."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation

# What a visitor (and a load balancer or crawler) is told to wait; a database restart or
# fail-over takes about that long.
RETRY_AFTER_SECONDS = 30


def _database_unreachable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from or while handling, says the database
    cannot be reached."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """handler500 of every URLconf.

    Renders without the context processors, which would ask the database (the user, the
    memberships) and fail again: the pages get only what they show. The 500 page says that
    someone was told only when error mails go somewhere (ADMINS).
    """
    if _database_unreachable(sys.exc_info()[1]):
        body = loader.get_template("503.html").render(
            {
                "request": request,
                "region": getattr(request, "region", None),
                "LANGUAGE_CODE": translation.get_language(),
            }
        )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    body = loader.get_template("500.html").render({"error_mails": bool(settings.ADMINS)})
    return HttpResponseServerError(body)

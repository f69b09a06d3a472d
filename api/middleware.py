"""What every answer under /api/ has in common, whichever layer gave it.

- It is JSON. The region's middleware answers an unknown host with an HTML page, Django
  an unexpected error with its 500 page, CSRF or a bad Host header with theirs; under
  /api/ each becomes {"detail": …, "code": …} with the same status (and Retry-After).
- Read endpoints may be read by scripts of other websites: GET, HEAD and OPTIONS answers
  allow any origin, without credentials (keys are never sent by browsers on their own).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _

PREFIX = "/api/"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _message(status: int) -> tuple[str, str]:
    if status == 404:
        return "not_found", _("Not found. This host serves no region, or there is no such page.")
    if status == 405:
        return "method_not_allowed", _("This method is not allowed here.")
    if status == 403:
        return "forbidden", _("You may not do this.")
    if status == 400:
        return "bad_request", _("The request could not be understood.")
    if status == 503:
        return "unavailable", _("The service is briefly unavailable. Please try again shortly.")
    if status >= 500:
        return "server_error", _("Something went wrong on our side. We have been told.")
    return "error", _("The request could not be completed.")


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(PREFIX):
            return response
        if response.status_code >= 400 and not _is_json(response):
            code, message = _message(response.status_code)
            json = JsonResponse({"detail": message, "code": code}, status=response.status_code)
            for header in ("Retry-After", "Allow", "WWW-Authenticate", "Content-Language"):
                if header in response:
                    json[header] = response[header]
            response = json
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Max-Age"] = "86400"
        return response

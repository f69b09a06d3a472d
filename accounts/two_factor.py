"""Setting up an authenticator app on the way somewhere: the page that asked for it (the
back office, regions.backoffice) sends `next`; allauth forgets it and ends on the recovery
codes, which name a link on to it. allauth's views do the work; these wrap them."""

from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_AFTER_SETUP = "accounts:next_after_two_factor_setup"


def activate_totp(request, *args, **kwargs):
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        request.session[NEXT_AFTER_SETUP] = next_url
    return totp_views.activate_totp(request, *args, **kwargs)


def view_recovery_codes(request, *args, **kwargs):
    response = recovery_code_views.view_recovery_codes(request, *args, **kwargs)
    if isinstance(response, TemplateResponse) and NEXT_AFTER_SETUP in request.session:
        response.context_data["next_after_setup"] = request.session.pop(NEXT_AFTER_SETUP)
    return response

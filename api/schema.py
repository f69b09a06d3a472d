"""How the OpenAPI schema describes our authentication: a bearer key, optional for reads."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "Your organisation's API key (sr_…), made on its page “API keys”. Reads "
                "work without one."
            ),
        }

"""Keys travel in the Authorization header ("Bearer sr_…") and nowhere else.

A request without one is anonymous and sees public data. A key that is unknown, revoked,
expired or of another region's organisation is refused with 401, never silently taken
as anonymous; so is a request that puts a key into its address, where logs and
browser histories would keep it.
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiKey

# Query parameters under which clients of other APIs send keys.
KEY_PARAMETERS = frozenset({"key", "api_key", "apikey", "api-key", "token", "access_token"})
# The last use is recorded at most this often, so that a busy key does not write every time.
LAST_USE_PRECISION = timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        if KEY_PARAMETERS & {name.lower() for name in request.query_params}:
            raise exceptions.AuthenticationFailed(
                _(
                    "API keys are accepted in the Authorization header only "
                    "(Authorization: Bearer …), never in the address."
                ),
                code="key_in_address",
            )
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword.lower().encode() or len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Please send the key as “Authorization: Bearer <key>”."), code="bad_header"
            )
        try:
            text = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise self._refused() from error
        key = self._key(request, text)
        self._record_use(key)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return self.keyword

    def _refused(self):
        return exceptions.AuthenticationFailed(
            _("This API key is not valid. It may have been revoked or have expired."),
            code="invalid_key",
        )

    def _key(self, request, text) -> ApiKey:
        parts = ApiKey.split(text)
        if parts is None:
            raise self._refused()
        prefix, secret = parts
        key = ApiKey.objects.select_related("organisation__region").filter(prefix=prefix).first()
        # The prefix only finds the row (it is no secret); the secret is compared in
        # constant time.
        if key is None or not key.matches(secret) or not key.is_active:
            raise self._refused()
        region = getattr(request, "region", None)
        if region is None or key.organisation.region_id != region.pk:
            raise self._refused()
        return key

    def _record_use(self, key: ApiKey) -> None:
        now = timezone.now()
        if key.last_used_at is None or key.last_used_at <= now - LAST_USE_PRECISION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now

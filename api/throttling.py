"""Rate limits, counted in the shared cache: per IP without a key, per key with one (higher),
and writes per key on their own, since each may decode photos and send mail."""

from rest_framework.throttling import SimpleRateThrottle

from .permissions import key_of


class AnonymousThrottle(SimpleRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if key_of(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class KeyThrottle(SimpleRateThrottle):
    scope = "key"

    def get_cache_key(self, request, view):
        key = key_of(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}


class KeyWriteThrottle(KeyThrottle):
    scope = "key_writes"

    def get_cache_key(self, request, view):
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return None
        return super().get_cache_key(request, view)

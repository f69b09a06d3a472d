"""The shared cache in Redis, with a way on when Redis is gone.

The cache speeds pages up; it must never be what takes them down. `ResilientRedisCache`
is Django's Redis backend that, when Redis cannot be reached (connection refused, a
timeout), answers from a cache in this process's memory instead:

- Pages keep working from the database: the host → region lookup, the catalogue and
  search fill the local cache as they would fill Redis.
- Rate limits (allauth's login, sign-up and password-reset limits, ours for listings and
  inquiries) keep counting, per process: a login is still refused after the configured
  number of failures within one process, so across `N` gunicorn workers an attacker
  gets at most `N` times the limit — degraded, never wide open.
- A circuit breaker stops asking Redis for `BREAKER_SECONDS` after a failure, so a Redis
  that hangs costs one timeout per process and period, not one per cache call; then one
  call tries again.
- The outage is logged as a warning at most once per `WARNING_INTERVAL` per process.
- When Redis answers again after an outage, this process first empties the Redis cache
  (FLUSHDB of the cache's database, which therefore must hold nothing else) and its own
  local one. During the outage its writes went to local memory only: forgetting a changed
  region's hosts, bumping a region's search generation, dropping the cached catalogue.
  Redis still holds the entries those writes meant to replace and would serve them until
  they expire. Clearing costs a round of cache misses (and resets the rate-limit
  counters); each process that saw the outage clears once as it recovers.
"""

import logging
import threading
from dataclasses import dataclass, field
from time import monotonic

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


@dataclass
class _Circuit:
    """What all threads of a process know about one Redis location.

    Django makes a cache backend per thread; the breaker, the warning's rhythm and the
    local fallback belong to the process.
    """

    down: bool = False
    retry_at: float = 0.0
    warned_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_circuits: dict[str, _Circuit] = {}
_circuits_lock = threading.Lock()


def _circuit_for(location: str) -> _Circuit:
    with _circuits_lock:
        return _circuits.setdefault(location, _Circuit())


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that falls back to a per-process memory cache while Redis is
    unreachable (see the module's docstring for what that means for each use)."""

    BREAKER_SECONDS = 30
    WARNING_INTERVAL = 60
    # Rate limits and view-counter marks live in the cache too: LocMemCache's default of
    # 300 entries would cull them within minutes on a busy process.
    LOCAL_MAX_ENTRIES = 20_000

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._circuit = _circuit_for(self._location)
        local_params = {
            key: value
            for key, value in params.items()
            if key in {"TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"}
        }
        local_params["OPTIONS"] = {"MAX_ENTRIES": self.LOCAL_MAX_ENTRIES}
        # Instances of the same name share their storage: all threads see one local cache.
        self._local = LocMemCache(f"redis-fallback:{self._location}", local_params)

    @property
    def degraded(self) -> bool:
        """True while this process answers from its local cache instead of Redis."""
        return self._circuit.down

    def shared_cache_answers(self) -> bool:
        """Whether Redis itself answers now, breaker or not: what /healthz reports."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False

    def _redis_allowed(self) -> bool:
        circuit = self._circuit
        with circuit.lock:
            if not circuit.down:
                return True
            now = monotonic()
            if now < circuit.retry_at:
                return False
            # This caller tries Redis again; the others stay local until it knows.
            circuit.retry_at = now + self.BREAKER_SECONDS
            return True

    def _trip(self, error: Exception) -> None:
        circuit = self._circuit
        with circuit.lock:
            now = monotonic()
            if not circuit.down:
                # What the local cache kept from an earlier outage is older than Redis.
                self._local.clear()
            circuit.down = True
            circuit.retry_at = now + self.BREAKER_SECONDS
            due = circuit.warned_at is None or now - circuit.warned_at >= self.WARNING_INTERVAL
            if due:
                circuit.warned_at = now
        if due:
            logger.warning(
                "Redis at %s unreachable (%s); answering from this process's memory, "
                "trying again every %s s",
                self._location,
                error,
                self.BREAKER_SECONDS,
            )

    def _recover(self) -> None:
        """Empties Redis of what the outage left stale, then closes the breaker."""
        super().clear()
        self._local.clear()
        with self._circuit.lock:
            self._circuit.down = False
        logger.warning("Redis at %s reachable again; cleared it once", self._location)

    def _call(self, method: str, *args, **kwargs):
        if self._redis_allowed():
            try:
                if self._circuit.down:
                    self._recover()
                return getattr(super(), method)(*args, **kwargs)
            except UNREACHABLE as error:
                self._trip(error)
        return getattr(self._local, method)(*args, **kwargs)

    # Every method of RedisCache; BaseCache builds get_or_set, decr, incr_version,
    # __contains__ and the async variants on these.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")


def writes_many_at_once(alias=DEFAULT_CACHE_ALIAS) -> bool:
    """Whether the cache reads and writes many keys in one round trip, as Redis does. The
    database cache writes each key in queries of its own, so what is quick to render is
    better rendered again than kept there."""
    return isinstance(caches[alias], RedisCache)

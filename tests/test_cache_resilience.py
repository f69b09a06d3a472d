"""The cache is an accelerator, not a dependency: with Redis unreachable pages still answer,
rate limits still hold, the log is not flooded, and a recovered Redis serves nothing stale."""

import logging
import socket

import pytest
import redis
from redis.exceptions import ConnectionError as RedisConnectionError

from core import cache as resilient
from core.cache import ResilientRedisCache

from .factories import PASSWORD

# Nothing listens on port 1: every connection is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
# The real Redis of the development machine and CI, in a database nothing else uses.
TEST_REDIS = "redis://127.0.0.1:6379/15"
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture(autouse=True)
def _fresh_circuits():
    """Every test starts with Redis believed up, as a freshly started process does."""
    resilient._circuits.clear()
    yield
    resilient._circuits.clear()


@pytest.fixture
def clock(monkeypatch):
    """The breaker's clock, moved by hand."""

    class Clock:
        now = 1000.0

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(resilient, "monotonic", lambda: clock.now)
    return clock


@pytest.fixture
def redis_down(settings):
    """The site's cache is a Redis that cannot be reached."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": OPTIONS,
        }
    }


@pytest.fixture
def test_redis():
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("no Redis on 127.0.0.1:6379")
    backend = ResilientRedisCache(TEST_REDIS, {"OPTIONS": OPTIONS})
    backend.clear()
    yield backend
    backend.clear()


def count_connections(backend):
    """How often the backend asked its Redis client for a connection."""
    client = backend._cache
    original = client.get_client
    calls = []

    def get_client(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    client.get_client = get_client
    return calls


def test_pages_answer_from_the_database_while_redis_is_down(redis_down, pm_client, listing):
    home = pm_client.get("/")
    assert home.status_code == 200
    assert "Potsdam-Mittelmark" in home.content.decode()
    search = pm_client.get("/listings/", {"q": listing.title.split()[0]})
    assert search.status_code == 200
    assert listing.title in search.content.decode()
    detail = pm_client.get(f"/listings/{listing.pk}/")
    assert detail.status_code == 200
    assert listing.title in detail.content.decode()
    assert pm_client.get("/accounts/login/").status_code == 200
    assert pm_client.get("/accounts/signup/").status_code == 200


def test_sign_up_and_log_in_work_while_redis_is_down(redis_down, pm_client, member):
    signed_up = pm_client.post(
        "/accounts/signup/",
        {
            "first_name": "Anna",
            "last_name": "Schmidt",
            "email": "neu@firma.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert signed_up.status_code == 302
    assert signed_up["Location"] == "/accounts/confirm-email/"
    logged_in = pm_client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert logged_in.status_code == 302
    assert pm_client.session["_auth_user_id"] == str(member.pk)


def test_failed_logins_are_still_rate_limited_while_redis_is_down(redis_down, pm_client, member):
    for _attempt in range(5):
        pm_client.post("/accounts/login/", {"login": member.email, "password": "falsch"})
    response = pm_client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert not pm_client.session.get("_auth_user_id"), "the right password must not help now"
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


def test_every_cache_method_answers_while_redis_is_down(clock):
    backend = ResilientRedisCache(UNREACHABLE_REDIS, {"OPTIONS": OPTIONS})
    backend.set("counter", 1)
    assert backend.add("counter", 5) is False
    assert backend.add("other", 5) is True
    assert backend.incr("counter") == 2
    assert backend.decr("counter", 2) == 0
    assert backend.get_or_set("made", lambda: "fresh") == "fresh"
    assert backend.get("made") == "fresh"
    assert backend.touch("made", 60) is True
    assert backend.has_key("made")
    backend.set_many({"a": 1, "b": 2})
    assert backend.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    backend.delete_many(["a"])
    assert backend.delete("b") is True
    assert backend.get_many(["a", "b"]) == {}
    backend.clear()
    assert backend.get("counter", "gone") == "gone"
    assert backend.degraded


def test_an_outage_is_logged_once_a_minute_not_per_call(clock, caplog):
    backend = ResilientRedisCache(UNREACHABLE_REDIS, {"OPTIONS": OPTIONS})
    connections = count_connections(backend)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _minute_part in range(5):
            for _call in range(20):
                backend.get("anything")
            clock.advance(ResilientRedisCache.BREAKER_SECONDS / 2 + 1)
    # Five half-minutes: Redis was tried three times, the outage told twice.
    assert len(connections) == 3
    warnings = [record for record in caplog.records if record.name == "core.cache"]
    assert len(warnings) == 2
    assert "unreachable" in warnings[0].getMessage()


def test_the_breaker_skips_redis_while_open_then_tries_once(clock):
    backend = ResilientRedisCache(UNREACHABLE_REDIS, {"OPTIONS": OPTIONS})
    connections = count_connections(backend)
    backend.get("a")
    assert len(connections) == 1
    for _call in range(50):
        backend.set("a", 1)
        backend.get("a")
    clock.advance(ResilientRedisCache.BREAKER_SECONDS - 1)
    backend.get("a")
    assert len(connections) == 1, "Redis must not be asked while the breaker is open"
    clock.advance(2)
    backend.get("a")
    backend.get("a")
    assert len(connections) == 2, "one call tries Redis again, the next stays local"


def test_the_breaker_is_shared_by_all_backends_of_a_process(clock):
    # Django makes a backend per thread: one that saw Redis fail spares the others the wait.
    first = ResilientRedisCache(UNREACHABLE_REDIS, {"OPTIONS": OPTIONS})
    second = ResilientRedisCache(UNREACHABLE_REDIS, {"OPTIONS": OPTIONS})
    connections = count_connections(second)
    first.set("limit", 3)
    assert second.get("limit") == 3
    assert connections == []


def test_recovered_redis_is_cleared_of_what_the_outage_left_stale(clock, test_redis, monkeypatch):
    test_redis.set("region-for-host:pm", "old name")
    stored_key = test_redis.make_key("region-for-host:pm")
    client = test_redis._cache

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Redis is down")

    with monkeypatch.context() as outage:
        outage.setattr(client, "get_client", unreachable)
        # The region is renamed during the outage: only the local cache learns of it.
        test_redis.delete("region-for-host:pm")
        assert test_redis.get("region-for-host:pm") is None
        assert test_redis.degraded

    assert redis.Redis.from_url(TEST_REDIS).exists(stored_key), "still stale in Redis"
    clock.advance(ResilientRedisCache.BREAKER_SECONDS + 1)
    assert test_redis.get("region-for-host:pm") is None, "the old name must not come back"
    assert not test_redis.degraded
    test_redis.set("region-for-host:pm", "new name")
    assert test_redis.get("region-for-host:pm") == "new name", "cleared once, not per call"

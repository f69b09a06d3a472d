"""The environment the benchmark runs Django with, before Django is imported.

Production-like: DEBUG off, a throwaway secret key, plain HTTP, the bench hosts,
Redis as cache (it runs locally), tasks run in the process (no worker needed).
"""

import os

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/starkeregion_bench"
HOST_SUFFIX = "bench.localhost"
ENVIRONMENT = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-throwaway-key-" + "x" * 40,
    "ALLOWED_HOSTS": f".{HOST_SUFFIX},127.0.0.1",
    "HTTPS": "0",
    "STATIC_MANIFEST": "0",
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1"),
    "TASKS_URL": "immediate://",
    "EMAIL_URL": "dummy://",
    "LOG_LEVEL": "WARNING",
    # The load comes from one address; the API's limit per address would answer 429.
    "API_RATE_ANONYMOUS": "1000000/min",
    "DJANGO_SETTINGS_MODULE": "starkeregion.settings",
}


def configure():
    """Sets the environment (os.environ) and sets Django up; returns the environment."""
    os.environ.update(ENVIRONMENT)
    import django

    django.setup()
    return dict(os.environ)

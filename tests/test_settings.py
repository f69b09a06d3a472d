"""Production configuration: unsafe values stop the start, safe ones pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from starkeregion.settings import cache_settings, email_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x8Jq2-production-like-secret-key-for-the-check-deploy-test-0123456789",
    "DEBUG": "0",
    "ALLOWED_HOSTS": ".starkeregion.digital",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "smtp://mailer:geheim@mail.example.org:587?tls=1",
}


def run_django(command, **environment):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    env.pop("HTTPS", None)
    env.pop("STATIC_MANIFEST", None)
    env.pop("DEMO", None)  # the test settings install the demo; production leaves it out
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_passes_with_production_settings():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    "override",
    [
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "too-short"},
        {"SECRET_KEY": "django-insecure-" + "x" * 60},
        {"SECRET_KEY": "replace-with-the-output-of-python-c-import-secrets-print-token_urlsafe"},
        {"ALLOWED_HOSTS": ""},
        {"DEBUG": "1", "ALLOWED_HOSTS": "pm.starkeregion.digital"},
        {"DEBUG": "vielleicht"},
    ],
)
def test_unsafe_production_settings_refuse_to_start(override):
    result = run_django(["check"], **{**PRODUCTION, **override})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_debug_development_defaults_start_without_any_configuration():
    result = run_django(["check"], DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_email_url_is_translated_to_smtp_settings():
    config = email_settings("smtp://mailer:ge%40heim@mail.example.org:587?tls=1")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("mailer", "ge@heim")
    assert config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured):
        email_settings("pigeon://roof")


def test_cache_url_chooses_redis_or_the_shared_database_cache():
    assert cache_settings("")["BACKEND"].endswith("DatabaseCache")
    redis = cache_settings("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "core.cache.ResilientRedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    # A Redis that hangs must not hold a request for long.
    assert redis["OPTIONS"]["socket_connect_timeout"] <= 1
    assert redis["OPTIONS"]["socket_timeout"] <= 1
    with pytest.raises(ImproperlyConfigured):
        cache_settings("memcached://x")


def test_no_migrations_are_missing_wherever_the_project_lives(tmp_path):
    # Paths of this machine must not end up in migrations (storage locations, for one).
    result = run_django(
        ["makemigrations", "--check", "--dry-run"],
        DEBUG="1",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    assert result.returncode == 0, result.stdout


def run_python(code, **environment):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    env.pop("HTTPS", None)
    env.pop("DEMO", None)
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_https_switches_on_every_transport_protection():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.ACCOUNT_DEFAULT_HTTP_PROTOCOL)"
    )
    result = run_python(code, DJANGO_SETTINGS_MODULE="starkeregion.settings", **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "True", "https"], result.stderr
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="starkeregion.settings", **{**PRODUCTION, "HTTPS": "0"}
    )
    assert result.stdout.split() == ["False", "False", "False", "False", "http"], result.stderr


def test_production_leaves_the_demo_out_and_refuses_it_on_public_hosts():
    code = "import django; django.setup(); from django.apps import apps; "
    code += "print(apps.is_installed('demo'))"
    result = run_python(code, DJANGO_SETTINGS_MODULE="starkeregion.settings", **PRODUCTION)
    assert result.stdout.split() == ["False"], result.stderr

    asked = {**PRODUCTION, "DEMO": "1"}
    result = run_python(code, DJANGO_SETTINGS_MODULE="starkeregion.settings", **asked)
    assert result.returncode != 0
    assert "DEMO must not be on" in result.stderr

    local = {**asked, "ALLOWED_HOSTS": ".localhost,testserver"}
    result = run_python(code, DJANGO_SETTINGS_MODULE="starkeregion.settings", **local)
    assert result.stdout.split() == ["True"], result.stderr


def test_healthz_answers_503_when_the_database_is_unreachable():
    code = (
        "import django; django.setup(); from django.test import Client; "
        "response = Client(HTTP_HOST='10.0.0.7').get('/healthz'); "
        "print(response.status_code, response.json()['database'])"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="starkeregion.settings",
        DEBUG="1",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
    )
    assert result.stdout.split() == ["503", "unavailable"], result.stderr[-2000:]

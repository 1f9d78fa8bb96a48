"""Production is switched on by environment variables alone; check --deploy agrees; the site
refuses to start without a secret key; .env.example works as it is; settings create nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Rk2pQ9vL4mN8sT1wY6zB3cF5hJ0gD2eA7uI9oP4qW1rE6tY8",
    "ALLOWED_HOSTS": "seminar.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def check_deploy(*extra: str, **variables: str) -> subprocess.CompletedProcess:
    return manage("check", "--deploy", *extra, **variables)


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION} | variables
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"  # the site's, not the tests' settings
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = check_deploy(**PRODUCTION)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )


def test_check_deploy_flags_a_missing_production_variable():
    variables = {k: v for k, v in PRODUCTION.items() if k != "SECURE_HSTS_SECONDS"}
    result = check_deploy(**variables)
    assert "security.W004" in result.stderr


@pytest.mark.parametrize("secret_key", [None, ""])
def test_site_refuses_to_start_without_secret_key_when_debug_is_off(secret_key):
    variables = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    if secret_key is not None:
        variables["SECRET_KEY"] = secret_key
    result = manage("check", **variables)
    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set." in result.stderr


def test_site_starts_without_secret_key_in_debug_mode():
    result = manage("check", DEBUG="true")
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )


def test_env_example_works_copied_as_it_is():
    # Read by the same reader as settings' .env, into an environment without our variables.
    names = [
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    env = {k: v for k, v in os.environ.items() if k not in names and k not in PRODUCTION}
    code = (
        "import environ, django; environ.Env.read_env('.env.example'); django.setup(); "
        "from django.conf import settings; from django.core.management import call_command; "
        "call_command('check'); print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "System check identified no issues (0 silenced).",
        "django.db.backends.sqlite3 True",
    ]


def test_settings_create_no_folders(tmp_path):
    folders = {name: tmp_path / name for name in ("static", "media", "db")}
    result = manage(
        "check",
        DEBUG="true",
        STATIC_ROOT=str(folders["static"]),
        MEDIA_ROOT=str(folders["media"]),
        DATABASE_URL=f"sqlite:///{folders['db'] / 'db.sqlite3'}",
    )
    # WhiteNoise only warns that the static folder is missing; nothing made it.
    assert result.returncode == 0
    assert [folder.exists() for folder in folders.values()] == [False, False, False]


@pytest.mark.parametrize(
    ("variables", "site_url"),
    [({"PORT": "8123"}, "http://127.0.0.1:8123"), ({}, "http://127.0.0.1:8000")],
)
def test_make_run_points_email_links_at_the_port_it_serves(variables, site_url):
    arguments = [f"{name}={value}" for name, value in variables.items()]
    unset = {"SITE_URL", "PORT", "HOST", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}  # e.g. under make test
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        ["make", "-n", "run", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    serve = result.stdout.strip().splitlines()[-1]
    assert serve.startswith(f"DEBUG=true SITE_URL={site_url} ")
    assert serve.endswith(f"manage.py runserver {site_url.removeprefix('http://')}")

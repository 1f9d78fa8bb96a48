"""Production is switched on by environment variables alone; check --deploy agrees."""

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


def check_deploy(**variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION} | variables
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
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


@pytest.mark.parametrize(
    ("missing", "warning"),
    [("SECRET_KEY", "security.W009"), ("SECURE_HSTS_SECONDS", "security.W004")],
)
def test_check_deploy_flags_a_missing_production_variable(missing, warning):
    variables = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = check_deploy(**variables)
    assert warning in result.stderr


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

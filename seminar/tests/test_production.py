"""The site as it runs on the internet: security headers, a Content-Security-Policy that no page
(the admin's included) breaks, hashed static files, and gunicorn as config/gunicorn.conf.py
sets it up, checked against a real gunicorn."""

import contextlib
import io
import os
import random
import re
import runpy
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pypdf import PdfWriter

from demo.loader import ADMIN_EMAIL, CURRENT_SLUG, PUBLISHED_SLUG, demo_load
from seminar.models import Seminar, User
from submissions.enums import DeliverableKind
from submissions.models import SubmissionFile
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, pdf_bytes, pdf_upload, seminar_with_talks
from topics.models import Topic

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET_KEY = "x7Rk2pQ9vL4mN8sT1wY6zB3cF5hJ0gD2eA7uI9oP4qW1rE6tY8-production-test"
# The production variables of the README's Production section.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "seminar.example.org,127.0.0.1",
    "SITE_URL": "https://seminar.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://seminar.example.org",
    "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}


def policy_of(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


# --- headers, through Django ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["seminar:list", "login", "admin:login"])
def test_every_page_sends_the_security_headers(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert policy_of(response["Content-Security-Policy"]) == POLICY
    assert {
        header: response.get(header)
        for header in (
            "X-Content-Type-Options",
            "Referrer-Policy",
            "X-Frame-Options",
            "Cross-Origin-Opener-Policy",
        )
    } == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def test_policy_allows_no_inline_code_and_nothing_from_elsewhere():
    policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    values = {value for sources in policy.values() for value in sources}
    assert values <= {"'self'", "'none'", "data:"}
    assert "data:" in policy["img-src"]  # Bootstrap's icons, and only images


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_its_variable_is_set(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    over_https = client.get("/", headers={"x-forwarded-proto": "https"})
    over_http = client.get("/")
    assert over_https["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in over_http


@pytest.mark.django_db
def test_no_hsts_without_its_variable(client):
    response = client.get("/", headers={"x-forwarded-proto": "https"})
    assert "Strict-Transport-Security" not in response


# What a browser would run or apply without a file of its own: the policy refuses all of it.
INLINE_CODE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
# E-mails are read in mail programs, the grade sheet by WeasyPrint: no policy applies there.
NOT_FOR_BROWSERS = ("emails/", "grading/grade_sheet.html")


def test_templates_hold_no_inline_script_or_style():
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [p for p in ROOT.glob("*/templates") if p.is_dir()]
    found = []
    for folder in folders:
        for template in sorted(folder.rglob("*.html")):
            name = template.relative_to(folder).as_posix()
            if name.startswith(NOT_FOR_BROWSERS):
                continue
            text = template.read_text()
            found += [f"{name}: {kind}" for kind, rx in INLINE_CODE.items() if rx.search(text)]
    assert found == []


def test_inline_code_finder_finds_what_the_policy_refuses():
    samples = {
        "inline script": "<script>alert(1)</script>",
        "style element": "<style>p{}</style>",
        "style attribute": '<p style="color:red">',
        "event handler attribute": "<a onclick='go()'>",
        "javascript: URL": '<a href="javascript:go()">',
    }
    assert {
        kind: bool(INLINE_CODE[kind].search(s)) for kind, s in samples.items()
    } == dict.fromkeys(samples, True)
    assert INLINE_CODE["inline script"].search('<script src="/static/x.js"></script>') is None


def test_production_settings_give_up_on_redis_within_seconds(monkeypatch):
    for name in ("CACHE_URL", "CACHE_TIMEOUT_SECONDS", "CACHE_RETRY_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://redis.example.org:6379/0")
    values = runpy.run_path(str(ROOT / "config" / "settings.py"))
    cache = values["CACHES"]["default"]
    assert (cache["BACKEND"], cache["OPTIONS"]) == (
        "seminar.cache_backend.ReusingRedisCache",
        {"socket_connect_timeout": 1.0, "socket_timeout": 1.0, "retry_seconds": 10.0},
    )
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
        "visibility_timeout": 3600,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }


# --- check --deploy and collectstatic, as the production steps run them ------------------------


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def production_env(static_root: Path, **more: str) -> dict[str, str]:
    names = set(PRODUCTION) | {"STATIC_ROOT", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in names}
    return (
        env
        | PRODUCTION
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings",  # the site's, not the tests' settings
            "STATIC_ROOT": str(static_root),
            "PYTHONUNBUFFERED": "1",
        }
        | more
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """Static files collected with hashed names, as the production steps do."""
    static_root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--noinput", env=production_env(static_root))
    assert result.returncode == 0, result.stderr
    return static_root


def test_check_deploy_passes_at_warning_level_with_production_variables(collected):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(collected))
    assert (result.returncode, result.stdout.strip(), result.stderr) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )


def test_collectstatic_gives_hashed_and_compressed_files(collected):
    site_css = [p.name for p in (collected / "css").iterdir() if p.name.startswith("site.")]
    hashed = [name for name in site_css if re.fullmatch(r"site\.[0-9a-f]{12}\.css", name)]
    assert len(hashed) == 1
    assert {f"{hashed[0]}.gz", f"{hashed[0]}.br"} <= set(site_css)


# --- a real gunicorn with config/gunicorn.conf.py ---------------------------------------------


# Set empty, so that neither the environment nor a .env file gives them a value (gunicorn
# itself reads WEB_CONCURRENCY, and refuses an empty one).
GUNICORN_VARIABLES = [
    line.split("=", 1)[0]
    for line in (ROOT / ".env.example").read_text().splitlines()
    if line.startswith(("GUNICORN_", "FORWARDED_ALLOW_IPS="))
]


def print_config(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    result = subprocess.run(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        env=env | dict.fromkeys(GUNICORN_VARIABLES, "") | variables,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_gunicorn_config_defaults():
    config = print_config()
    assert {
        name: config[name]
        for name in ("wsgi_app", "bind", "timeout", "forwarded_allow_ips", "accesslog")
    } == {
        "wsgi_app": "config.wsgi:application",
        "bind": "['127.0.0.1:8000']",
        "timeout": "60",
        "forwarded_allow_ips": "['127.0.0.1', '::1']",
        "accesslog": "-",
    }
    assert int(config["workers"]) == 2 * os.cpu_count() + 1


def test_gunicorn_config_from_environment():
    config = print_config(
        WEB_CONCURRENCY="3",
        GUNICORN_BIND="0.0.0.0:8001",
        GUNICORN_TIMEOUT="90",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
    )
    assert [config[n] for n in ("workers", "bind", "timeout", "forwarded_allow_ips")] == [
        "3",
        "['0.0.0.0:8001']",
        "90",
        "['10.0.0.0/8']",
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(env: dict[str, str], folder: Path):
    """gunicorn with config/gunicorn.conf.py and `env`, on a free port: (its URL, its log)."""
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{log.read_text()}")
            try:
                fetch(f"{base}/healthz/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail(f"gunicorn did not answer:\n{log.read_text()}")
        yield base, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the master and its worker
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def gunicorn(collected, tmp_path_factory):
    """gunicorn with the production variables; the pages it is asked for need no database."""
    folder = tmp_path_factory.mktemp("gunicorn")
    env = production_env(collected, DATABASE_URL=f"sqlite:///{folder / 'unused.sqlite3'}")
    with serving(env, folder) as server:
        yield server


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers: str):
    """(status, headers, body) without following redirects; as from nginx over HTTPS unless
    told otherwise."""
    headers = {"Host": "seminar.example.org", "X-Forwarded-Proto": "https"} | headers
    request = urllib.request.Request(
        url, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_gunicorn_serves_with_security_headers_and_no_version(gunicorn):
    base, _ = gunicorn
    status, headers, _ = fetch(f"{base}/accounts/login/")
    assert status == 200
    assert headers.get_all("Server") == ["gunicorn"]  # its name, never its version
    assert policy_of(headers["Content-Security-Policy"]) == POLICY
    assert [
        headers[name]
        for name in (
            "Strict-Transport-Security",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "X-Frame-Options",
        )
    ] == ["max-age=31536000; includeSubDomains; preload", "nosniff", "same-origin", "DENY"]


def test_gunicorn_behind_no_proxy_redirects_to_https(gunicorn):
    base, _ = gunicorn
    status, headers, _ = fetch(f"{base}/accounts/login/", X_Forwarded_Proto="http")
    assert (status, headers["Location"]) == (301, "https://seminar.example.org/accounts/login/")


def test_gunicorn_serves_hashed_static_files_for_ever(gunicorn):
    base, _ = gunicorn
    _, _, page = fetch(f"{base}/accounts/login/")
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', page)
    assert [re.sub(rb"\.[0-9a-f]{12}\.", b".HASH.", s) for s in stylesheets] == [
        b"/static/bootstrap/css/bootstrap.min.HASH.css",
        b"/static/css/site.HASH.css",
    ]
    status, headers, body = fetch(base + stylesheets[1].decode(), Accept_Encoding="gzip")
    assert (status, headers["Content-Encoding"], headers["Cache-Control"]) == (
        200,
        "gzip",
        "max-age=315360000, public, immutable",
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body[:2] == b"\x1f\x8b"  # gzip's magic number


def test_gunicorn_logs_each_request_with_client_and_duration(gunicorn):
    base, log = gunicorn
    fetch(f"{base}/healthz/?probe=access-log", X_Forwarded_For="203.0.113.9")
    for _ in range(100):  # the worker writes its line after answering
        lines = [line for line in log.read_text().splitlines() if "probe=access-log" in line]
        if lines:
            break
        time.sleep(0.05)
    assert len(lines) == 1
    assert re.fullmatch(
        r'203\.0\.113\.9 127\.0\.0\.1 \[[^\]]+\] "GET /healthz/\?probe=access-log HTTP/1\.1" '
        r'200 2 \d+ms "-" "Python-urllib/[\d.]+"',
        lines[0],
    )


# --- the policy in a real browser: no page breaks it, the admin's included --------------------

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Runs before any script of the page (Playwright injects it past the policy) and records every
# refusal the browser reports.
VIOLATION_RECORDER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
));
"""


def _session_cookie(email: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _admin_paths() -> list[str]:
    """Every admin list, add page and change page (of the first object) the admin offers the
    site admin."""
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email=ADMIN_EMAIL)
    paths = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        pages = [("changelist", [])]
        pages += [("add", [])] if model_admin.has_add_permission(request) else []
        pages += [("change", [first.pk])] if first else []
        for page, args in pages:
            with contextlib.suppress(NoReverseMatch):  # an admin without that page
                paths.append(reverse(f"{prefix}_{page}", args=args))
    return paths


@pytest.fixture
def demo_sessions():
    """The demo seminars; sessions of the site admin, the organizer and a participant, and
    whatever else the browser tests need from the database: once Playwright's loop runs in the
    test's thread, a query there would open a connection that nobody closes."""
    demo_load(today=timezone.localdate())
    return {
        "admin": _session_cookie(ADMIN_EMAIL),
        "organizer": _session_cookie("helena.brandt@example.org"),
        "participant": _session_cookie("alex.kramer@example.org"),
        "admin_paths": _admin_paths(),
        "seminar": Seminar.objects.order_by("pk").first().pk,
        "topic": Topic.objects.order_by("pk").first().pk,
    }


@pytest.fixture
def browser(monkeypatch):
    """Chromium. Fixtures that touch the database come before it in a test's arguments."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Visitor:
    """A browser page as one person, recording every refusal of the policy."""

    def __init__(self, browser, base_url: str, session: str | None = None):
        self.base_url = base_url
        self.context = browser.new_context()
        if session is not None:
            self.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
            )
        self.context.add_init_script(VIOLATION_RECORDER)
        self.page = self.context.new_page()
        self.console = []
        self.page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        self.found: dict[str, list[str]] = {}
        self.statuses: dict[str, int] = {}

    def visit(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.statuses[path] = response.status
        self.page.wait_for_load_state("load")
        return self.page

    def collect(self, label: str) -> None:
        self.found[label] = self.page.evaluate("window.__violations") + self.console
        self.console = []

    def violations(self) -> dict[str, list[str]]:
        return {label: found for label, found in self.found.items() if found}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_policy_catches_an_inline_script_in_the_browser(live_server, browser):
    visitor = Visitor(browser, live_server.url)
    page = visitor.visit("/accounts/login/")
    with pytest.raises(Exception, match="Content Security Policy|Refused"):
        page.add_script_tag(content="window.injected = true;")
    visitor.collect("login with an inline script")
    assert page.evaluate("window.injected === undefined")
    # The policy's report and the console's message arrive in either order.
    reported = visitor.violations()["login with an inline script"]
    assert [m for m in reported if m.startswith("script-src-elem blocked inline")] != []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_site_pages_keep_the_policy(live_server, demo_sessions, browser):
    current, published = f"/{CURRENT_SLUG}/", f"/{PUBLISHED_SLUG}/"
    people = {
        None: ["/", current, published, "/accounts/login/", "/accounts/signup/"],
        "participant": ["/me/", f"{published}me/", f"{current}me/", f"{current}withdraw/"],
        "organizer": [
            f"{current}organize/",
            f"{current}organize/allocation/",
            f"{current}organize/next-run/",
            f"{current}organize/topics/import/",
        ],
    }
    visitors = []
    for person, paths in people.items():
        visitor = Visitor(browser, live_server.url, demo_sessions.get(person))
        for path in paths:
            visitor.visit(path)
            visitor.collect(f"{person}: {path}")
        visitors.append(visitor)
    # Bootstrap's script works: on a phone the menu button opens the navigation.
    phone = Visitor(browser, live_server.url)
    page = phone.visit("/")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Show navigation").click()
    page.locator("#nav.show").wait_for()
    phone.collect("phone: menu opened")
    visitors.append(phone)

    assert [s for v in visitors for s in v.statuses.values()] == [200] * (
        sum(len(paths) for paths in people.values()) + 1
    )
    assert [v.violations() for v in visitors] == [{}] * len(visitors)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_keeps_the_policy_and_its_scripts_run(live_server, demo_sessions, browser):
    visitor = Visitor(browser, live_server.url, demo_sessions["admin"])
    for path in demo_sessions["admin_paths"]:
        visitor.visit(path)
        visitor.collect(path)

    page = visitor.visit(reverse("admin:seminar_seminar_change", args=[demo_sessions["seminar"]]))
    # DateTimeShortcuts (calendar and clock) and the inlines' "Add another" are built by the
    # admin's scripts: they exist only if the scripts ran.
    page.locator(".datetimeshortcuts a").first.wait_for()
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    page.locator(".calendarbox").first.wait_for(state="visible")
    page.locator(".calendarbox .calendar-shortcuts a").first.click()  # "Yesterday"
    page.locator(".add-row a:visible").first.click()
    visitor.collect("seminar: calendar, a day chosen, an inline row added")

    page = visitor.visit(reverse("admin:seminar_seminar_add"))
    page.locator("#id_title").fill("Score models")
    page.locator("#id_title").blur()
    assert page.locator("#id_slug").input_value() == "score-models"  # prepopulate.js
    visitor.collect("seminar add: slug prepopulated")

    page = visitor.visit(reverse("admin:topics_topic_change", args=[demo_sessions["topic"]]))
    page.locator(".selector-chooseall").click()  # SelectFilter2 builds the two lists
    visitor.collect("topic: all materials chosen")

    refused = {path: status for path, status in visitor.statuses.items() if status != 200}
    assert refused == {}
    assert visitor.violations() == {}


# --- the README's nginx example, in front of a real gunicorn ----------------------------------


def readme_nginx() -> str:
    """The nginx example of the README's Production section, as printed there."""
    readme = (ROOT / "README.md").read_text()
    return re.search(r"```nginx\n(.*?)```", readme, re.DOTALL).group(1)


def nginx_config(folder: Path, *, gunicorn_port: int, http: int, https: int, private: Path):
    """The README's example on local ports, a self-signed certificate and this test's
    folders; nothing else changed."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=seminar.example.org"]
        + ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = readme_nginx()
    for old, new in {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{gunicorn_port};",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;",
        "/etc/letsencrypt/live/seminar.example.org/fullchain.pem": str(folder / "cert.pem"),
        "/etc/letsencrypt/live/seminar.example.org/privkey.pem": str(folder / "key.pem"),
        "/srv/seminar/private/submissions/": f"{private}/",
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # no IPv6 in every container
    temp = {f"{name}_temp_path": folder / name for name in ("client_body", "proxy")}
    return "\n".join(
        [
            "daemon off;",
            f"pid {folder / 'nginx.pid'};",
            f"error_log {folder / 'error.log'} warn;",
            "user root;" if os.geteuid() == 0 else "",  # the test's folders are its own
            "events {}",
            "http {",
            "include /etc/nginx/mime.types;",
            f"access_log {folder / 'access.log'};",
            *(f"{directive} {path};" for directive, path in temp.items()),
            site,
            "}",
        ]
    )


@pytest.fixture
def behind_nginx(collected, tmp_path, settings):
    """The site as the README deploys it: nginx (its example) in front of gunicorn, on the test
    database, with the students' files in a folder nginx serves by X-Accel-Redirect."""
    if shutil.which("nginx") is None:
        pytest.skip("needs nginx: apt-get install -y nginx-light")
    private = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "submissions.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }
    database = connection.settings_dict
    env = production_env(
        collected,
        SECRET_KEY=settings.SECRET_KEY,  # the sessions this test makes
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD']}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        SUBMISSIONS_STORAGE="filesystem",
        SUBMISSIONS_ROOT=str(private),
        SUBMISSIONS_X_ACCEL_PREFIX="/_private/",
        TRUSTED_PROXY_COUNT="1",
    )
    with serving(env, tmp_path) as (base, _):
        http, https = free_port(), free_port()
        config = tmp_path / "nginx.conf"
        config.write_text(
            nginx_config(
                tmp_path,
                gunicorn_port=int(base.rsplit(":", 1)[1]),
                http=http,
                https=https,
                private=private,
            )
        )
        with (tmp_path / "nginx.out").open("wb") as out:
            process = subprocess.Popen(
                ["nginx", "-c", str(config), "-p", str(tmp_path)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            for _ in range(200):
                if process.poll() is not None:
                    pytest.fail((tmp_path / "nginx.out").read_text())
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", https), timeout=1),
                ):
                    break
                time.sleep(0.05)
            yield http, https
        finally:
            process.terminate()
            process.wait(timeout=30)


def through_nginx(port: int, path: str, *, tls: bool = True, cookie: str = "", **request):
    """(status, headers, body) of one request to nginx on 127.0.0.1, named seminar.example.org."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # self-signed
        http = HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    else:
        http = HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "seminar.example.org"} | request.pop("headers", {})
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    try:
        http.request(request.pop("method", "GET"), path, headers=headers, **request)
        response = http.getresponse()
        return response.status, response.headers, response.read()
    finally:
        http.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readme_nginx_example_serves_the_site_and_private_files(behind_nginx):
    http, https = behind_nginx
    seminar, (owner, other), _, _ = seminar_with_talks(2)
    file = submission_upload(
        registration=owner,
        deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
        upload=pdf_upload(3, "Entwurf für die Folien.pdf"),
        by=None,
    )
    download = reverse("submissions:download", args=[seminar.slug, file.pk])

    status, headers, _ = through_nginx(http, "/accounts/login/", tls=False)
    assert (status, headers["Location"], headers["Server"]) == (
        301,
        "https://seminar.example.org/accounts/login/",
        "nginx",  # no version
    )

    status, headers, _ = through_nginx(https, "/accounts/login/")
    assert (status, headers["Server"]) == (200, "nginx")
    assert policy_of(headers["Content-Security-Policy"]) == POLICY
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"

    status, headers, body = through_nginx(https, download, cookie=_session_cookie_of(owner))
    assert status == 200
    assert body == pdf_bytes(3)  # sent by nginx: Django named the file only
    assert {
        name: headers[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "X-Content-Type-Options",
            "Cache-Control",
            "Content-Security-Policy",
            "X-Accel-Redirect",
        )
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": (
            'attachment; filename="Entwurf fur die Folien.pdf"; '
            "filename*=UTF-8''Entwurf%20f%C3%BCr%20die%20Folien.pdf"
        ),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "X-Accel-Redirect": None,
    }

    # Nobody else gets it, and nginx's internal location cannot be asked for directly.
    assert through_nginx(https, download, cookie=_session_cookie_of(other))[0] == 404
    assert through_nginx(https, f"/_private/{file.stored_name}")[0] == 404
    assert through_nginx(https, download)[0] == 404  # signed out

    # A 5 MB slide draft goes through nginx (its default limit is 1 MB) to the upload view.
    hand_in = reverse("submissions:hand_in", args=[seminar.slug, "slide_draft"])
    session = _session_cookie_of(owner)
    _, headers, page = through_nginx(https, hand_in, cookie=session)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    large = large_pdf()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": token, "number": "1"}, ("file", "Entwurf.pdf", large)
    )
    status, headers, _ = through_nginx(
        https,
        hand_in,
        method="POST",
        body=body,
        headers={
            "Content-Type": content_type,
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf_cookie}",
            "Origin": "https://seminar.example.org",
        },
    )
    assert (status, headers["Location"]) == (302, f"/{seminar.slug}/me/#submissions")
    newest = SubmissionFile.objects.filter(submission=file.submission).latest("version")
    assert (newest.version, newest.size) == (2, len(large))
    later = reverse("submissions:download", args=[seminar.slug, newest.pk])
    assert through_nginx(https, later, cookie=session)[2] == large


def large_pdf() -> bytes:
    """A three-page PDF of about 5 MB (an attached file makes it large)."""
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    writer.add_attachment("figures.bin", random.Random(1).randbytes(5_000_000))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def multipart(fields: dict[str, str], file: tuple[str, str, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it, and its content type."""
    boundary = "----seminar-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    name, filename, data = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _session_cookie_of(registration) -> str:
    return _session_cookie(registration.student.email)

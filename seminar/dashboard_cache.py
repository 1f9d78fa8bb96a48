"""A student's dashboard `/<slug>/me/` from the cache, served before the session, authentication
and template machinery run.

A dashboard is read far more often than what it shows changes, and rendering it costs tens of
milliseconds of Python. So each rendered dashboard is kept in Django's cache (Redis in
production) under `dashboard:<slug>:<user id>`, with everything it is true for:

- the seminar's page version (seminar.cache: the seminar, its meetings, staff, registrations,
  topics, deliverables, grading scheme) and the seminar's dashboard version, which every change
  of anything else a dashboard of the seminar shows draws anew (preferences, hand-ins and their
  files, extensions, teams, marks, grades, attendance: each app connects its models in its
  AppConfig.ready() with `dashboard_bump_on_change`);
- the person's version, drawn anew by every change of their account (name, language, password,
  staff flag, deletion);
- the moment until which the clock alone leaves it unchanged (a deadline passing, a countdown's
  next minute, registration opening or closing, an offer or a time to choose running out: the
  apps name these moments through `slots.register_moments`);
- the account's session hash at the time (so a session that Django's authentication would
  refuse, e.g. after a password change, is never served one), the host and scheme it was
  rendered for, and the code that rendered it.

The entry is served only when all of these still hold, the request carries a CSRF cookie and
no pending message; each form's CSRF token is made afresh from the request's own cookie. A
change draws the new version at once and again after its transaction commits, so a dashboard
rendered from the old state meanwhile is kept for a version nobody asks for.

Anything else goes the normal way through every middleware and the view, which renders and
(when the view marked the page as keepable) stores it. The cache is an aid, never a condition:
if it fails, the dashboard is rendered.
"""

import datetime as dt
import hashlib
import logging
import re
import time
import uuid
from dataclasses import dataclass
from functools import cache as once
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from seminar.cache import VERSION_SECONDS, on_save_and_delete, seminar_version_key

log = logging.getLogger(__name__)

PATH = re.compile(r"^/(?P<slug>[-a-zA-Z0-9_]+)/me/$")  # seminar:dashboard
CSRF_SECRET = re.compile(r"^[a-zA-Z0-9]{32}$")
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[a-zA-Z0-9]+(")')
CSRF_PLACEHOLDER = "@@csrf-token@@"
# Headers the response gets from the middleware outside this one, or per request.
NOT_KEPT_HEADERS = {"content-length"}
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


@dataclass(frozen=True)
class Versions:
    """What a dashboard was rendered for, read before rendering began."""

    page: str
    dashboard: str
    person: str


@dataclass(frozen=True)
class Entry:
    versions: Versions
    until: float  # epoch seconds
    session_hash: str
    host: str
    scheme: str
    headers: tuple[tuple[str, str], ...]
    body: str  # with CSRF_PLACEHOLDER for each form's token


class DashboardCacheMiddleware:
    """Early in the chain (after the security and static-file middleware): answers a signed-in
    student's dashboard from the cache when it is still true, and keeps what the view rendered
    when the view marked it as keepable (`keep_until`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not settings.DASHBOARD_CACHE
            or request.method != "GET"
            or request.META.get("QUERY_STRING")
        ):
            return self.get_response(request)
        match = PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        lookup = _lookup(request, match["slug"])
        if lookup is None:
            return self.get_response(request)
        key, versions, entry, session_hash = lookup
        if entry is not None:
            return _serve(request, entry)
        response = self.get_response(request)
        until = getattr(request, "dashboard_keep_until", None)
        if until is not None and response.status_code == 200:
            _store(request, key, versions, until, session_hash, response)
        return response


def keep_until(request: HttpRequest, until: dt.datetime) -> None:
    """The view: this rendering stays true until `until` unless something changes."""
    request.dashboard_keep_until = until


def _lookup(request: HttpRequest, slug: str):
    """(key, versions, entry or None, session hash), or None when the cache must not be used
    for this request (no session, a pending message, no CSRF cookie, cache unreachable)."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not session_key or not CSRF_SECRET.match(secret):
        return None
    if CookieStorage.cookie_name in request.COOKIES:
        return None  # a message waits to be shown
    try:
        session = SessionStore(session_key)
        user_id = session.get(SESSION_KEY)
        session_hash = session.get(HASH_SESSION_KEY)
        if user_id is None or not session_hash or SessionStorage.session_key in session:
            return None
        key = f"dashboard:{code_token()}:{slug}:{user_id}"  # another release: another key
        version_keys = [seminar_version_key(slug), _dashboard_key(slug), _person_key(user_id)]
        found = cache.get_many([*version_keys, key])
        for missing in [k for k in version_keys if k not in found]:
            cache.add(missing, uuid.uuid4().hex, timeout=VERSION_SECONDS)  # another may win
            found[missing] = cache.get(missing)
        if any(found.get(k) is None for k in version_keys):
            return None
    except Exception:  # the cache is an aid: without it, the dashboard is rendered
        log.warning("cache unreachable: dashboard rendered without it", exc_info=True)
        return None
    versions = Versions(*(found[k] for k in version_keys))
    entry = found.get(key)
    if not (
        isinstance(entry, Entry)
        and entry.versions == versions
        and entry.until > time.time()
        and entry.session_hash == session_hash
        and entry.scheme == request.scheme
        and entry.host == request.get_host()  # also refuses a host not in ALLOWED_HOSTS
    ):
        entry = None
    request.META["CSRF_COOKIE"] = secret  # as CsrfViewMiddleware would, for get_token
    return key, versions, entry, session_hash


def _serve(request: HttpRequest, entry: Entry) -> HttpResponse:
    token = get_token(request)
    response = HttpResponse(entry.body.replace(CSRF_PLACEHOLDER, token))
    for name, value in entry.headers:
        response[name] = value
    return response


def _store(request, key: str, versions: Versions, until: dt.datetime, session_hash, response):
    # The moment itself, not now + seconds: at a deadline to the microsecond, the page is new.
    until_ts = min(until.timestamp(), time.time() + settings.DASHBOARD_CACHE_SECONDS)
    seconds = until_ts - time.time()
    if seconds < 1 or response.streaming:
        return
    body = response.content.decode(response.charset)
    entry = Entry(
        versions=versions,
        until=until_ts,
        session_hash=session_hash,
        host=request.get_host(),
        scheme=request.scheme,
        headers=tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_KEPT_HEADERS
        ),
        body=CSRF_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", body),
    )
    try:
        cache.set(key, entry, timeout=int(seconds) + 1)
    except Exception:
        log.warning("cache unreachable: dashboard not kept", exc_info=True)


@once
def code_token() -> str:
    """The code, templates and translations this process renders with: after a deploy, a
    dashboard rendered by the old release is not served (nor unpickled)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in ("config", "seminar", "topics", "submissions", "grading", "setup",
                   "reminders", "mail", "templates", "locale"):  # fmt: skip
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".mo"} and "tests" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- what draws a new version ------------------------------------------------------------------


def dashboards_changed(seminar) -> None:
    """Something every dashboard of `seminar` (the seminar, its id or slug) may show changed."""
    from seminar.cache import _slug_of

    slug = _slug_of(seminar)
    if slug is not None:
        _bump(_dashboard_key(slug))


def person_changed(user_id: int | None) -> None:
    """Something of this person's account changed: no dashboard of theirs is served as kept."""
    if user_id is not None:
        _bump(_person_key(user_id))


def dashboard_bump_on_change(model: type[models.Model], seminar_of) -> None:
    """Every save and delete of `model` may change the dashboards of the seminar `seminar_of`
    names (the seminar, its id, or None)."""
    on_save_and_delete(
        model, "dashboard", lambda instance: dashboards_changed(seminar_of(instance))
    )
    SHOWN_MODELS.add(model)


# Every model whose changes draw a new dashboard version (the tests ask that every model of the
# project is here, bumps the seminar's page version, or is named as never shown on a dashboard).
SHOWN_MODELS: set[type[models.Model]] = set()


def people_connect() -> None:
    """A person's account: every save (except a login's own) and the deletion."""
    from seminar.models import User

    def saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
        if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
            return
        person_changed(instance.pk)

    def deleted(sender, instance, **kwargs) -> None:
        person_changed(instance.pk)

    post_save.connect(saved, sender=User, weak=False, dispatch_uid="dashboard-person-save")
    post_delete.connect(deleted, sender=User, weak=False, dispatch_uid="dashboard-person-delete")


def _bump(key: str) -> None:
    def draw() -> None:
        try:
            cache.set(key, uuid.uuid4().hex, timeout=VERSION_SECONDS)
        except Exception:
            # A kept dashboard may then be served until its time runs out (at most
            # DASHBOARD_CACHE_SECONDS); the change itself is not held up.
            log.error("cache unreachable: dashboards of %s not invalidated", key, exc_info=True)

    draw()
    transaction.on_commit(draw, robust=True)  # a dashboard rendered meanwhile is not kept


def _dashboard_key(slug: str) -> str:
    return f"dashboard-version:{slug}"


def _person_key(user_id) -> str:
    return f"dashboard-person:{user_id}"


def seminar_of_registration(registration_id: int | None) -> int | None:
    """The seminar of a registration, for the receivers of models that hang on one."""
    from seminar.models import Registration

    if registration_id is None:
        return None
    return (
        Registration.objects.filter(pk=registration_id).values_list("seminar_id", flat=True).first()
    )

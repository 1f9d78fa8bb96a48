"""The public seminar page from Django's cache, keyed by a version that every change bumps.

A seminar's page is the same for every visitor until something on it changes, so its rendered
parts are kept in the cache (Redis in production, see settings.CACHES) under
`seminar-page:<slug>:<part>`, each with the version of the seminar it was rendered for. The
version is a random token stored in the cache per slug (`seminar-page-version:<slug>`); a part
of another version is not served. The parts that are the same for many viewers are kept in
each process as well, so that serving them costs reading the version only. Whatever
changes something the page shows calls `seminar_page_changed`, which draws a new token at once
and again after the transaction commits: a page rendered from the old state is thereby stored
for a version nobody asks for any more; one rendered after the commit sees the new state.

Who bumps: each app connects its own models in its AppConfig.ready() with `bump_on_change`
(post_save/post_delete; signals are the fitting tool for invalidating a cache). Besides, a
cached page is kept no longer than until the next moment at which the page changes by the
clock alone (registration opens or closes, the first session starts, the seminar ends, an
offer runs out), and never longer than SEMINAR_PAGE_CACHE_SECONDS.

The cache is an aid, never a condition: if it fails, the page is rendered and writes go on.
"""

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import get_language

from seminar.memo import in_read_scope, memo_key, per_read, per_read_key
from seminar.models import Seminar

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)

# A version token may be forgotten at any time (a new one means rendering afresh), so it need
# not be kept for ever.
VERSION_SECONDS = 7 * 24 * 3600

SeminarOf = Callable[[models.Model], "Seminar | int | None"]


def page_lookup(
    slug: str, parts: list[str], *, version: str | None = None
) -> tuple[str | None, dict]:
    """The current version of a seminar's page and those of `parts` stored for it. A part
    stored for another version, or past its time, counts as missing. The version is None when
    the cache cannot be reached (then nothing is stored either).

    The version always comes from the shared cache (unless the caller has it from an earlier
    lookup), together with the parts only kept there; the page's parts are kept in this
    process too, so that a visitor's page costs one small round trip.
    """
    version_key = _version_key(slug)
    now = time.time()
    stored = {}
    try:
        shared = [part for part in parts if part not in LOCAL_PARTS]
        found = cache.get_many(
            ([] if version else [version_key]) + [_part_key(slug, p) for p in shared]
        )
        version = version or found.get(version_key)
        if version is None:
            cache.add(version_key, uuid.uuid4().hex, timeout=VERSION_SECONDS)  # another may win
            version = cache.get(version_key)
        missing = []
        for part in parts:
            if part in shared:
                entry = found.get(_part_key(slug, part))
            else:
                entry = _local.get(_local_key(slug, part))
            if _fits(entry, version, now):
                stored[part] = entry[2]
            elif part not in shared:
                missing.append(part)
        if missing:
            found = cache.get_many([_part_key(slug, part) for part in missing])
            for part in missing:
                entry = found.get(_part_key(slug, part))
                if _fits(entry, version, now):
                    stored[part] = entry[2]
                    _local_keep(_local_key(slug, part), entry)
    except Exception:  # the cache is an aid: without it, the page is rendered
        log.warning("cache unreachable: seminar page rendered without it", exc_info=True)
        return None, {}
    return version, stored


def page_store(slug: str, version: str | None, part: str, value, *, seconds: int) -> None:
    """Keep `value` as `part` of the page's `version` for `seconds`."""
    if version is None or seconds <= 0:
        return
    entry = (version, time.time() + seconds, value)
    if part in LOCAL_PARTS:
        _local_keep(_local_key(slug, part), entry)
    try:
        cache.set(_part_key(slug, part), entry, timeout=seconds)
    except Exception:
        log.warning("cache unreachable: seminar page not kept", exc_info=True)


def local_forget() -> None:
    """Forget what this process keeps (tests start empty)."""
    _local.clear()
    _kept.clear()
    _clock_moments.clear()


# --- seminar-wide answers kept for the page's version ------------------------------------------


def seminar_version(seminar: Seminar) -> str | None:
    """The current version of the seminar's page (None: the cache cannot be reached). Read once
    within a read scope (seminar.memo)."""
    return _version_of(seminar.slug)


@per_read_key
def _version_of(slug: str) -> str | None:
    version_key = _version_key(slug)
    try:
        version = cache.get(version_key)
        if version is None:
            cache.add(version_key, uuid.uuid4().hex, timeout=VERSION_SECONDS)  # another may win
            version = cache.get(version_key)
    except Exception:
        log.warning("cache unreachable: seminar answers read afresh", exc_info=True)
        return None
    return version


# Threaded servers (runserver, gunicorn's gthread workers) share these between requests.
_kept_lock = threading.Lock()

# When a clock step next has work, by (step, seminar, version); bounded.
_clock_moments: OrderedDict = OrderedDict()
_NOTHING = object()  # nothing pending until the data changes


def clock_moment_kept(step: Callable, seminar: Seminar, now) -> tuple[bool, object, str | None]:
    """(settled, moment, version): settled when the step ran for this version of the seminar
    and its next moment has not come yet (moment None: nothing pending). The version is the one
    to keep a new answer under (None: the cache cannot be reached; nothing is kept)."""
    version = seminar_version(seminar)
    if version is None:
        return False, None, None
    kept = _clock_moments.get((step, seminar.pk, version))
    if kept is _NOTHING:
        return True, None, version
    if kept is not None and kept > now:
        return True, kept, version
    return False, None, version


def clock_moment_keep(step: Callable, seminar: Seminar, version: str | None, moment) -> None:
    """Keep the step's next moment for the version read before the step ran: if the step
    changed something, that version is gone and the answer is never used."""
    if version is None:
        return
    with _kept_lock:
        _clock_moments[step, seminar.pk, version] = _NOTHING if moment is None else moment
        while len(_clock_moments) > _KEPT_MAX:
            _clock_moments.popitem(last=False)


# Seminar-wide answers, by (selector, seminar, arguments, version); bounded.
_KEPT_MAX = 512
_kept: OrderedDict = OrderedDict()


def kept_per_version(selector: Callable[P, R]) -> Callable[P, R]:
    """Keep a seminar-wide selector's answer in this process for the seminar's page version.

    For selectors whose answer depends only on models that bump the seminar's page version
    (`bump_on_change`) and not on the clock or the viewer: the sessions, the deliverables, the
    grading scheme, the published schedule. Every change of those draws a new version, so an
    answer is never served for a state it was not read from; an answer read during a change
    is kept under the version drawn at its start, which the bump after commit retires. Only
    within a read scope (seminar.memo); elsewhere (services, tasks) the selector reads afresh.
    The first argument is the seminar; callers do not change the answer.
    """
    shared = per_read(selector)
    name = f"{selector.__module__}.{selector.__qualname__}"

    @wraps(selector)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        seminar = args[0]
        if not in_read_scope():
            return selector(*args, **kwargs)
        version = seminar_version(seminar)
        if version is None:
            return shared(*args, **kwargs)
        key = (name, seminar.pk, version, memo_key(args[1:], kwargs))
        with _kept_lock:
            answer = _kept.get(key, _NOTHING)
            if answer is not _NOTHING:
                _kept.move_to_end(key)
                return answer
        answer = shared(*args, **kwargs)  # read outside the lock; another thread may too
        with _kept_lock:
            _kept[key] = answer
            while len(_kept) > _KEPT_MAX:
                _kept.popitem(last=False)
        return answer

    return wrapper


# The parts that are the same for many viewers, kept in each process as well (bounded).
LOCAL_PARTS = {"visitor-page", "public", "insider"}
_LOCAL_MAX = 256
_local: OrderedDict = OrderedDict()


def _local_keep(key: tuple[str, str, str], entry: tuple) -> None:
    _local[key] = entry
    _local.move_to_end(key)
    while len(_local) > _LOCAL_MAX:
        _local.popitem(last=False)


def _fits(entry, version: str, now: float) -> bool:
    """A stored (version, until, value) of this version and still in time; anything else (e.g.
    left by an older release in another shape) is a miss and gets overwritten."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 3
        and entry[0] == version
        and isinstance(entry[1], float)
        and entry[1] > now
    )


def seminar_page_changed(seminar: "Seminar | int | str | None") -> None:
    """Something the seminar's page shows changed: its cached page is not served any more.

    `seminar` is the seminar, its id, or its slug."""
    slug = _slug_of(seminar)
    if slug is None:
        return
    _bump(slug)
    # Once more after commit: a page rendered meanwhile from the old state is not kept.
    transaction.on_commit(lambda: _bump(slug), robust=True)


def bump_on_change(model: type[models.Model], seminar_of: SeminarOf) -> None:
    """Every save and delete of `model` changes the page of the seminar `seminar_of` names."""
    on_save_and_delete(
        model, "seminar-page", lambda instance: seminar_page_changed(seminar_of(instance))
    )
    PAGE_MODELS.add(model)


def on_save_and_delete(model: type[models.Model], name: str, changed: Callable) -> None:
    """Call `changed(instance)` after every save and delete of `model`, except fixtures'."""

    def receiver(sender, instance, **kwargs) -> None:
        if not kwargs.get("raw"):  # loading fixtures
            changed(instance)

    uid = f"{name}-{model._meta.label_lower}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


# Every model whose changes draw a new page version (the dashboards are kept for it too).
PAGE_MODELS: set[type[models.Model]] = set()


def bump_on_m2m_change(through: type[models.Model], seminar_of: SeminarOf) -> None:
    """Adding to or removing from a many-to-many relation changes the page, e.g. a topic's
    material references (`seminar_of` gets the instance whose relation changed)."""

    def changed(sender, instance, action, **kwargs) -> None:
        if action in ("post_add", "post_remove", "post_clear"):
            seminar_page_changed(seminar_of(instance))

    uid = f"seminar-page-{through._meta.label_lower}"
    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=uid)


def seminar_pages_connect() -> None:
    """The seminar app's own models (called from SeminarConfig.ready)."""
    from seminar.models import Meeting, PresentationCriterion, Registration, StaffRole, User

    # A renamed seminar: the page under the old slug must not be served from the cache.
    pre_save.connect(_old_slug_forget, sender=Seminar, dispatch_uid="seminar-page-old-slug")
    bump_on_change(Seminar, lambda seminar: seminar)
    for model in (Meeting, PresentationCriterion, StaffRole, Registration):
        bump_on_change(model, _seminar_field)
    # Names on the page: staff are listed by name, participants to each other and to staff.
    post_save.connect(_person_renamed, sender=User, dispatch_uid="seminar-page-user")


def _seminar_field(instance: models.Model) -> "Seminar | int | None":
    """The `seminar` foreign key, without a query when it is loaded already."""
    cached = instance._state.fields_cache.get("seminar")
    return cached if cached is not None else getattr(instance, "seminar_id", None)


def _old_slug_forget(sender, instance: Seminar, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old = Seminar.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        seminar_page_changed(old)  # the page under the old slug


def _person_renamed(sender, instance, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # every login saves the user; nothing on a page changed
    from seminar.models import Registration, StaffRole

    seminar_ids = set(StaffRole.objects.filter(user=instance).values_list("seminar_id", flat=True))
    seminar_ids |= set(
        Registration.objects.filter(student=instance).values_list("seminar_id", flat=True)
    )
    for seminar_id in seminar_ids:
        seminar_page_changed(seminar_id)


def _slug_of(seminar: "Seminar | int | str | None") -> str | None:
    if seminar is None:
        return None
    if isinstance(seminar, str):
        return seminar
    if isinstance(seminar, Seminar):
        return seminar.slug
    return Seminar.objects.filter(pk=seminar).values_list("slug", flat=True).first()


def _bump(slug: str) -> None:
    try:
        cache.set(_version_key(slug), uuid.uuid4().hex, timeout=VERSION_SECONDS)
    except Exception:
        # The cached page may then be served until its time runs out (at most
        # SEMINAR_PAGE_CACHE_SECONDS); the change itself is not held up.
        log.error("cache unreachable: seminar page %s not invalidated", slug, exc_info=True)


def _version_key(slug: str) -> str:
    return f"seminar-page-version:{slug}"


def seminar_version_key(slug: str) -> str:
    """The cache key of the seminar's page version (the dashboards are kept for it too)."""
    return _version_key(slug)


def _local_key(slug: str, part: str) -> tuple[str, str, str]:
    return (slug, part, get_language())


def _part_key(slug: str, part: str) -> str:
    return f"seminar-page:{slug}:{part}:{get_language()}"  # a page per language

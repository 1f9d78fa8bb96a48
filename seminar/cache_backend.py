"""Django's Redis cache, reusing one Redis client per connection pool, and never a condition.

Django's backend builds a new `redis.Redis` object for every cache call; for the cached
seminar page that setup costs as much as the round trip itself. Redis clients are thread-safe
and share the pool's connections, so one client per pool is enough.

The cache is an aid: the seminar page is rendered without it and sessions are read from the
database (`cached_db`). So when Redis cannot be reached, or does not answer within the socket
timeouts (settings: CACHE_TIMEOUT_SECONDS), a call counts as a miss instead of an error, and
for `retry_seconds` (CACHE_RETRY_SECONDS) this process leaves Redis alone: a page with
several cache calls pays the timeout once, not for each.

A write or delete that did not reach Redis may leave an outdated entry there (the session of
someone who logged out, a page version that was not bumped), which Redis still holds when it
was only unreachable or comes back from a snapshot. The process remembers those keys and
deletes them before it uses Redis again.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)

# Beyond this many remembered keys, every key of the site is deleted instead.
UNSYNCED_MAX = 10_000


@dataclass
class _Health:
    """What one process knows about one Redis (shared by its threads)."""

    down_until: float = 0.0  # time.monotonic() before which Redis is not tried
    unsynced: set[str] = field(default_factory=set)  # writes and deletes that did not arrive
    unsynced_all: bool = False  # too many to remember, or a clear() that did not arrive
    lock: threading.Lock = field(default_factory=threading.Lock)


_health: dict[tuple, _Health] = {}
_health_lock = threading.Lock()


def _health_of(servers: list[str], key_prefix: str) -> _Health:
    with _health_lock:
        return _health.setdefault((tuple(servers), key_prefix), _Health())


def health_forget() -> None:
    """Forget what this process learnt about every Redis (tests start afresh)."""
    with _health_lock:
        _health.clear()


class _Unreachable(Exception):
    """Redis failed a moment ago and is left alone for now."""


EVERY_KEY = object()


class _ReusingClient(RedisCacheClient):
    def __init__(self, servers, *, key_prefix: str = "", retry_seconds: float = 10, **options):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # One immediate reconnect for a pooled connection that Redis closed (it restarted); a
        # timeout is not tried again at once: the next try comes after retry_seconds.
        options.setdefault("retry", Retry(NoBackoff(), 1, (redis.ConnectionError,)))
        super().__init__(servers, **options)
        self._key_prefix = key_prefix
        self._retry_seconds = retry_seconds
        self._health = _health_of(servers, key_prefix)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]

    # --- Django's client API, each call guarded --------------------------------------------

    def add(self, key, value, timeout):
        return self._guarded(
            lambda: RedisCacheClient.add(self, key, value, timeout), miss=False, writes=[key]
        )

    def get(self, key, default):
        return self._guarded(lambda: RedisCacheClient.get(self, key, default), miss=default)

    def set(self, key, value, timeout):
        self._guarded(
            lambda: RedisCacheClient.set(self, key, value, timeout), miss=None, writes=[key]
        )

    def touch(self, key, timeout):
        return self._guarded(
            lambda: RedisCacheClient.touch(self, key, timeout), miss=False, writes=[key]
        )

    def delete(self, key):
        return self._guarded(lambda: RedisCacheClient.delete(self, key), miss=False, writes=[key])

    def get_many(self, keys):
        return self._guarded(lambda: RedisCacheClient.get_many(self, keys), miss={})

    def has_key(self, key):
        return self._guarded(lambda: RedisCacheClient.has_key(self, key), miss=False)

    def incr(self, key, delta):
        value = self._guarded(
            lambda: RedisCacheClient.incr(self, key, delta), miss=None, writes=[key]
        )
        if value is None:
            raise ValueError(f"Key '{key}' not found.")  # as for any key the cache lacks
        return value

    def set_many(self, data, timeout):
        self._guarded(
            lambda: RedisCacheClient.set_many(self, data, timeout), miss=None, writes=list(data)
        )

    def delete_many(self, keys):
        self._guarded(
            lambda: RedisCacheClient.delete_many(self, keys), miss=None, writes=list(keys)
        )

    def clear(self):
        """Delete this site's keys only: the Celery broker may use the same Redis database,
        and Django's FLUSHDB would drop its queued tasks."""
        return self._guarded(self._delete_site_keys, miss=False, writes=EVERY_KEY)

    # --- the guard ---------------------------------------------------------------------------

    def _guarded(self, call: Callable, *, miss, writes: Iterable[str] | object = ()):
        """`call()`, or `miss` when Redis fails or failed a moment ago; `writes`: the keys the
        call changes, remembered when it does not arrive."""
        health = self._health
        try:
            if time.monotonic() < health.down_until:
                raise _Unreachable
            self._resync()
            return call()
        except (_Unreachable, self._lib.RedisError, OSError) as error:
            self._remember(writes)
            if not isinstance(error, _Unreachable):
                with health.lock:
                    health.down_until = time.monotonic() + self._retry_seconds
                log.warning(
                    "cache unreachable (%s): served without it for %s s",
                    error,
                    self._retry_seconds,
                )
            return miss

    def _remember(self, writes: Iterable[str] | object) -> None:
        health = self._health
        with health.lock:
            if writes is EVERY_KEY:
                health.unsynced_all = True
            else:
                health.unsynced.update(writes)
                if len(health.unsynced) > UNSYNCED_MAX:
                    health.unsynced_all = True
            if health.unsynced_all:
                health.unsynced.clear()

    def _resync(self) -> None:
        """Delete what may be outdated in Redis before using it again; raises if Redis fails."""
        health = self._health
        if not (health.unsynced or health.unsynced_all):
            return
        with health.lock:
            keys, everything = list(health.unsynced), health.unsynced_all
        if everything:
            self._delete_site_keys()
        else:
            client = self.get_client(write=True)
            for batch in _batches(keys):
                client.delete(*batch)
        with health.lock:
            health.unsynced.difference_update(keys)
            health.unsynced_all = health.unsynced_all and not everything
        log.warning(
            "cache reachable again: deleted %s entries that may be outdated",
            "all" if everything else len(keys),
        )

    def _delete_site_keys(self) -> bool:
        client = self.get_client(write=True)
        # Django's keys are "<prefix>:<version>:<key>".
        for batch in _batches(client.scan_iter(match=f"{self._key_prefix}:*", count=1000)):
            client.delete(*batch)
        return True


def _batches(keys: Iterable, size: int = 500) -> Iterator[list]:
    batch = []
    for key in keys:
        batch.append(key)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class ReusingRedisCache(RedisCache):
    """OPTIONS: redis-py's connection options (socket_timeout, socket_connect_timeout, ...)
    and `retry_seconds`, how long this process leaves Redis alone after it failed."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
        self._options = {**self._options, "key_prefix": self.key_prefix}

"""Shared parts of the benchmark: bench database, gunicorn, wrk, results.

The bench never touches the developer's database: it derives a separate one (a file under
var/bench/ for SQLite, `<name>_bench` for PostgreSQL), drops and recreates it on every run, and
points every process it starts (manage.py, gunicorn, and Django inside this process) at it.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS = BENCH_DIR / "results.json"
BIN = Path(sys.executable).parent  # the venv that runs the bench also runs gunicorn
SQLITE_FILE = BENCH_DIR / "db.sqlite3"
GUNICORN_WORKERS = 4
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass
class Report:
    """The figures so far, and the problems that make the run fail (printed as they occur)."""

    figures: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, name: str, value: float, unit: str) -> None:
        self.figures.append({"name": name, "value": value, "unit": unit})

    def problem(self, message: str) -> None:
        print(f"  ! {message}", flush=True)
        self.problems.append(message)


@dataclass(frozen=True)
class BenchEnv:
    database_url: str
    database_label: str
    broker_url: str
    env: dict[str, str]  # the full environment for every bench process


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def worker_pids(self) -> set[int]:
        return {
            int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", self.log.read_text())
        }


def step(message: str) -> None:
    print(f"- {message}", flush=True)


# --- Bench database and environment ------------------------------------------------------------


def bench_environment() -> BenchEnv:
    """The developer's DATABASE_URL / CELERY_BROKER_URL, turned into the bench's own settings."""
    developer_url = os.environ.get("DATABASE_URL", "")
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if not developer_url:
        database_url, label = f"sqlite:///{SQLITE_FILE}", f"sqlite {_relative(SQLITE_FILE)}"
    else:
        config = environ.Env.db_url_config(developer_url)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            database_url, label = f"sqlite:///{SQLITE_FILE}", f"sqlite {_relative(SQLITE_FILE)}"
        elif config["ENGINE"] == "django.db.backends.postgresql":
            parts = urlsplit(developer_url)
            bench_name = f"{config['NAME']}_bench"
            database_url = urlunsplit(parts._replace(path=f"/{bench_name}"))
            label = f"postgresql {bench_name} on {config['HOST'] or 'socket'}:{config['PORT']}"
        else:
            raise SystemExit(f"bench: unsupported database engine {config['ENGINE']}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        # Set even when empty: real variables win over .env, so no broker named there is used
        # behind the back of the "broker:" line the bench prints.
        "CELERY_BROKER_URL": broker_url,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on localhost
        "EMAIL_URL": "consolemail://",  # never send real mail to the bench's fake students
        # A Redis cache of its own per run: the bench database is new each time.
        "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:12]}",
        # The demo's and the bench's files stay with the bench database, never in var/private.
        "SUBMISSIONS_ROOT": str(BENCH_DIR / "private"),
        "PYTHONUNBUFFERED": "1",
    }
    return BenchEnv(database_url, label, broker_url, env)


def database_reset(bench: BenchEnv) -> None:
    """Drop and recreate the bench database, then migrate it and load the demo."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    config = environ.Env.db_url_config(bench.database_url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{config['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        _postgres_recreate(config)
    shutil.rmtree(BENCH_DIR / "private", ignore_errors=True)  # the files of the last run's data
    manage(bench, "migrate", "--noinput")
    manage(bench, "seed_demo", "--today")


def _postgres_recreate(config: dict) -> None:
    import psycopg2
    from psycopg2 import sql

    if not config["NAME"].endswith("_bench"):  # the one guard before a DROP DATABASE
        raise SystemExit(f"bench: refusing to drop {config['NAME']}, not a *_bench database")
    params = {k.lower(): config[k] for k in ("USER", "PASSWORD", "HOST", "PORT") if config[k]}
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True  # DROP/CREATE DATABASE cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            name = sql.Identifier(config["NAME"])
            # FORCE ends sessions a crashed earlier run may have left behind.
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    finally:
        connection.close()


def manage(bench: BenchEnv, *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=bench.env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: manage.py {' '.join(args)} failed")


def django_setup(bench: BenchEnv) -> None:
    """Configure Django in this process on the bench database (and check that it did)."""
    os.environ.update(bench.env)
    import django

    django.setup()
    from django.conf import settings

    expected = environ.Env.db_url_config(bench.database_url)["NAME"]
    if settings.DATABASES["default"]["NAME"] != expected:
        raise SystemExit("bench: Django is not configured on the bench database; stopping")


def broker_check(url: str) -> None:
    """Fail fast if the broker is down: publishing would otherwise retry inside each request."""
    from kombu import Connection

    with Connection(url, connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=1)


def broker_forget(url: str, server: Server, queue: str = "celery") -> int | None:
    """Remove the tasks our gunicorn workers queued and nobody consumed; return how many.

    Left behind, a later worker would run them against the developer's database, where the
    e-mail ids they carry mean other e-mails. Only Redis brokers; None for others.
    """
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    origins = {f"gen{pid}" for pid in server.worker_pids()}  # Celery's "origin" header
    client = redis.Redis.from_url(url)
    removed = 0
    for raw in client.lrange(queue, 0, -1):
        origin = json.loads(raw).get("headers", {}).get("origin", "")
        if origin.partition("@")[0] in origins:
            removed += client.lrem(queue, 1, raw)
    return removed


# --- gunicorn ----------------------------------------------------------------------------------


@contextmanager
def gunicorn(bench: BenchEnv) -> Iterator[Server]:
    """Serve the site with gunicorn on a free port; stopped on the way out, even on error.

    With a Redis broker, the e-mail tasks its workers queued are removed afterwards as well.
    """
    log_path = BENCH_DIR / "gunicorn.log"
    server = Server("127.0.0.1", _free_port(), log_path)
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--bind={server.host}:{server.port}",
        f"--workers={GUNICORN_WORKERS}",
        "--worker-class=sync",
        "--no-control-socket",  # the default socket path is shared with other gunicorns
    ]
    with log_path.open("w") as log:
        # A session of its own: Ctrl-C reaches the bench, which then stops gunicorn cleanly.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=bench.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(server, process, log_path)
            yield server
        finally:
            _stop(process)
            if bench.broker_url:
                removed = broker_forget(bench.broker_url, server)
                print(f"  broker: removed {removed} unconsumed tasks queued by the bench")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(server: Server, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: gunicorn exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz/", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench: gunicorn did not answer /healthz/ within 30 s (see {log_path})")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # SIGTERM: gunicorn's graceful shutdown of its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group is gunicorn's master and workers
        process.wait()


# --- wrk ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    requests: int
    non_2xx: int
    socket_errors: int
    p50_ms: float | None = None  # with latency=True: wrk's percentiles of the run
    p95_ms: float | None = None
    p99_ms: float | None = None


def wrk(
    url: str,
    *,
    seconds: int = 10,
    threads: int = 2,
    connections: int = 16,
    headers: dict[str, str] | None = None,
    latency: bool = False,
    timeout: int | None = None,
    warm_up: bool = True,
) -> WrkResult:
    """Run wrk after a short warm-up (templates loaded and connections open in every worker).

    With latency=True, wrk runs with --latency and a script that prints the 50th, 95th and
    99th percentile (wrk's own table stops at 50/75/90/99)."""
    options = {
        "threads": threads,
        "connections": connections,
        "headers": headers or {},
        "timeout": timeout,
    }
    if warm_up:
        _wrk_run(url, seconds=2, **options)
    return _wrk_run(url, seconds=seconds, latency=latency, **options)


# wrk calls done() once at the end; latency is in microseconds.
_PERCENTILES_LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("percentile %d %d\\n", p, latency:percentile(p)))
  end
end
"""


def _wrk_run(
    url: str,
    *,
    seconds: int,
    threads: int,
    connections: int,
    headers: dict[str, str],
    latency: bool = False,
    timeout: int | None = None,
) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url]
    if timeout is not None:  # wrk's default: a response later than 2 s is a socket error
        command.append(f"--timeout={timeout}s")
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    script = BENCH_DIR / "percentiles.lua"
    if latency:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        script.write_text(_PERCENTILES_LUA)
        command += ["--latency", "-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    if not (rps and requests):
        raise SystemExit(f"bench: cannot read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors:([^\n]*)", output)
    percentiles = {
        int(p): int(us) / 1000 for p, us in re.findall(r"percentile (\d+) (\d+)", output)
    }
    if latency and len(percentiles) != 3:
        raise SystemExit(f"bench: cannot read wrk's percentiles:\n{output}")
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        requests=int(requests.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, re.findall(r"\d+", sockets.group(1)))) if sockets else 0,
        p50_ms=percentiles.get(50),
        p95_ms=percentiles.get(95),
        p99_ms=percentiles.get(99),
    )


# --- Results -----------------------------------------------------------------------------------


def results_write(figures: list[dict]) -> Path:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    return RESULTS


def table_print(figures: list[dict]) -> None:
    rows = [("name", "value", "unit"), *((f["name"], str(f["value"]), f["unit"]) for f in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for i, (name, value, unit) in enumerate(rows):
        print(f"{name:<{widths[0]}} | {value:>{widths[1]}} | {unit}")
        if i == 0:
            print(f"{'-' * widths[0]}-+-{'-' * widths[1]}-+-{'-' * widths[2]}")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))

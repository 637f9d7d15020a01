"""Side by side with Datasette on the same SQLite file, both over HTTP on the loopback.

Datasette is what a data user would otherwise pick to publish these tables: it serves the raw
tables, one row as stored, where the API serves each commitment with its citations, links and
derived progress. It is not a dependency of the project: `make bench` installs a pinned
version into an environment of its own (`var/datasette-venv`) and passes its executable with
`--datasette`. Ours is served by gunicorn with one worker, as in production; both are asked by
the same client (a fresh connection a request), in turns (A B A B), and compared by medians:

- the list of 100 with the three filters, which Datasette answers from the raw table with the
  same filters as column filters and a `_where` clause (the visibility of its policy and
  jurisdiction included, as the API applies it);
- one commitment by id;
- the streamed CSV of every commitment: ours (`/api/v1/commitments/csv/`) against Datasette's
  streamed CSV of the raw table, in rows a second.
"""

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection

from policies.models import Commitment

HOST = "127.0.0.1"
START_TIMEOUT_S = 60
# Datasette's name for the database: the file's name without its suffix.
API_LIST = "/api/v1/commitments/?{filters}"
API_DETAIL = "/api/v1/commitments/{pk}/"
API_CSV = "/api/v1/commitments/csv/"
TABLE = Commitment._meta.db_table


def list_where(code: str) -> str:
    """The jurisdiction filter of the API's list, and its visibility rule (the commitment's
    policy and jurisdiction published), as the SQL of Datasette's `_where`."""
    return (
        "policy_id in (select id from policies_policy where state = 'published' and "
        "jurisdiction_id in (select id from policies_jurisdiction where state = 'published' "
        f"and code = '{code}'))"
    )


def list_params(*, code: str, kind: str, year: int) -> dict[str, str]:
    """Datasette's table query for the API's list of 100 with the same three filters: the kind
    and the state as column filters, the jurisdiction (with visibility) and the pledged year
    (the fuzzy date overlapping it, as `FuzzyYearFilter` reads it) as `_where` clauses."""
    return {
        "kind": kind,
        "state": "published",
        "_where": f"{list_where(code)} and pledged_start <= '{year}-12-31' "
        f"and pledged_end >= '{year}-01-01'",
        "_sort": "id",
        "_size": "100",
        "_shape": "objects",
        # Only the rows: no count of all matches, no facets, no suggested facets.
        "_nocount": "1",
        "_nofacet": "1",
        "_nosuggest": "1",
    }


def fetch(base: str, path: str) -> tuple[int, int]:
    """GET `path` on a fresh connection, read to the end: the status and the bytes read."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        size = 0
        while block := response.read(1 << 16):
            size += len(block)
        return response.status, size
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    argv: list[str]
    env: dict[str, str]
    port: int
    ready: str  # a path that answers 200 once the server serves


@contextlib.contextmanager
def serving(server: Server) -> Iterator[str]:
    """Run a server on the loopback until the block ends; yields its base address once its
    `ready` path answers 200."""
    argv, base, ready = server.argv, f"http://{HOST}:{server.port}", server.ready
    # Its log goes to a file: a pipe nobody reads would stop the server once full.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, env=server.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"{argv[0]} stopped on start: {log.read()[-2000:].decode()}")
                with contextlib.suppress(OSError):
                    if fetch(base, ready)[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{argv[0]} did not answer in {START_TIMEOUT_S} s")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ours(database: Path) -> Server:
    """gunicorn, one worker, on the bench's database (no throttle: the bench asks often)."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "tracker.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "1",
        "--timeout",
        "900",
        "--chdir",
        str(settings.BASE_DIR),
    ]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "false",
        "API_ANON_RATE": "1000000000/hour",
    }
    return Server(argv, env, port, ready="/api/v1/jurisdictions/")


def theirs(executable: Path, database: Path) -> Server:
    """Datasette with its default settings, serving the file as immutable (as published)."""
    port = free_port()
    argv = [str(executable), "serve", "-i", str(database), "--host", HOST, "--port", str(port)]
    return Server(argv, dict(os.environ), port, ready=f"/{database.stem}.json")


@dataclass
class Pair:
    """One job asked of both servers: medians in milliseconds, and their ratio."""

    key: str
    label: str
    ours_path: str
    theirs_path: str
    ours_ms: float = 0.0
    theirs_ms: float = 0.0
    ours_bytes: int = 0
    theirs_bytes: int = 0

    @property
    def ratio(self) -> float:
        """How many times Datasette's time ours takes (below 1: ours is faster)."""
        return self.ours_ms / self.theirs_ms


def alternate(pairs: list[Pair], ours_base: str, theirs_base: str, *, runs: int) -> None:
    """Each pair asked of ours then Datasette, in turns, `runs` times after two warm-up turns;
    the medians and sizes are set on each pair."""
    for pair in pairs:
        timings: dict[str, list[float]] = {"ours": [], "theirs": []}
        for turn in range(runs + 2):
            for who, base, path in (
                ("ours", ours_base, pair.ours_path),
                ("theirs", theirs_base, pair.theirs_path),
            ):
                started = time.perf_counter()
                status, size = fetch(base, path)
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200:
                    raise RuntimeError(f"{base}{path} answered {status}")
                if turn >= 2:
                    timings[who].append(elapsed)
                setattr(pair, f"{who}_bytes", size)
        pair.ours_ms = statistics.median(timings["ours"])
        pair.theirs_ms = statistics.median(timings["theirs"])


def stream_rates(ours_base: str, theirs_base: str, *, runs: int, name: str) -> dict:
    """Rows a second of our CSV export and of Datasette's streamed CSV of the raw table, each
    timed whole, in turns."""
    public = Commitment.objects.public().count()
    stored = Commitment.objects.count()
    theirs_path = f"/{name}/{TABLE}.csv?" + urlencode({"_stream": "on", "_size": "max"})
    seconds: dict[str, list[float]] = {"ours": [], "theirs": []}
    for _ in range(runs):
        for who, base, path in (("ours", ours_base, API_CSV), ("theirs", theirs_base, theirs_path)):
            started = time.perf_counter()
            status, _ = fetch(base, path)
            seconds[who].append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"{base}{path} answered {status}")
    return {
        "ours_rows": public,
        "theirs_rows": stored,
        "ours_rows_per_s": public / statistics.median(seconds["ours"]),
        "theirs_rows_per_s": stored / statistics.median(seconds["theirs"]),
        "theirs_path": theirs_path,
    }


def database_file() -> Path | None:
    """The bench's SQLite file, or None when the database is not one Datasette can open."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name.startswith("file:") or ":memory:" in name:
        return None
    return Path(name)


def compare(
    executable: Path,
    *,
    code: str,
    pk: int,
    runs: int,
    export_runs: int,
    progress: Callable[[str], None],
) -> dict:
    """Both servers started on the bench's SQLite file, the three jobs measured; the results
    as `markdown_rows` reads them."""
    database = database_file()
    assert database is not None  # the caller checked
    name = database.stem
    filters = {"jurisdiction": code, "kind": "deliverable", "pledged_year": "2020"}
    pairs = [
        Pair(
            "list",
            "the list of 100, three filters",
            API_LIST.format(filters=urlencode(filters)),
            f"/{name}/{TABLE}.json?"
            + urlencode(list_params(code=code, kind="deliverable", year=2020)),
        ),
        Pair(
            "detail",
            "one commitment by id",
            API_DETAIL.format(pk=pk),
            f"/{name}/{TABLE}/{pk}.json?_shape=objects",
        ),
    ]
    version = subprocess.run(
        [str(executable), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    version = version.replace("datasette, version ", "Datasette ")
    with serving(ours(database)) as ours_base, serving(theirs(executable, database)) as theirs_base:
        alternate(pairs, ours_base, theirs_base, runs=runs)
        for pair in pairs:
            progress(
                f"  {pair.label:<40} ours {pair.ours_ms:7.1f} ms, {version} "
                f"{pair.theirs_ms:7.1f} ms: ours/Datasette {pair.ratio:.2f}"
            )
        csv = stream_rates(ours_base, theirs_base, runs=export_runs, name=name)
    progress(
        f"  streamed CSV: ours {csv['ours_rows_per_s']:,.0f} rows/s, "
        f"Datasette {csv['theirs_rows_per_s']:,.0f} rows/s"
    )
    return {"version": version, "pairs": pairs, "csv": csv}

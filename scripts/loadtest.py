#!/usr/bin/env python3
"""A bounded load test of the public pages and the API, against a local server only.

    python scripts/loadtest.py --base http://127.0.0.1:8019 --concurrency 16 --duration 60

Each of `concurrency` threads fetches the paths below in turn (`--only pages`, `--only api` or
`--only search` for one part), with urllib, until `duration` seconds have passed; given `--base`
more than once (several instances of the site), each request goes to the next of them in turn,
as a round-robin proxy would send it. Then it prints throughput,
the error count (any answer but 200, or a failed connection) and latency percentiles, and
exits 1 if there was any error. With `--publish-every SECONDS`, it moves the public data
version that often, as each publication does (`manage.py shell`, with the server's
DATABASE_URL in the environment), so that every cached page and API answer goes stale: the
figures are then those of readers right after publications. It refuses any host but the
loopback: it is for measuring this machine, not anyone else's. See docs/performance.md,
"Under load", for how the figures there were taken.
"""

import argparse
import ipaddress
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
ADVANCE = "from tracker.core import freshness; freshness.advance()"

# Public pages and API reads a reader or a data user makes; slugs are from fixtures/.
PATHS = [
    "/",
    "/jurisdictions/",
    "/jurisdictions/RU/",
    "/policies/",
    "/policies/ru-national-ai-strategy/",
    "/policies/ru-national-ai-strategy/?as_of=2019-08-01",
    "/commitments/",
    "/commitments/?jurisdiction=RU&status=overdue",
    "/events/",
    "/funding/",
    "/actors/",
    "/sources/",
    "/compare/?jurisdiction=RU&jurisdiction=CN",
    "/feed/",
    "/api/v1/commitments/",
    "/api/v1/policies/?jurisdiction=RU",
    "/api/v1/events/",
    "/api/v1/citations/",
    "/api/v1/commitments/csv/",
    "/api/v1/changes/?since=2019-01-01",
    "/api/v1/datapackage.zip",
]
# Searches a reader makes: a common word, a rarer one, two words, a Russian one, a misspelling.
SEARCHES = [
    "/search/?q=strategy",
    "/search/?q=funding",
    "/search/?q=digital+economy",
    "/search/?q=%D0%B8%D1%81%D0%BA%D1%83%D1%81%D1%81%D1%82%D0%B2%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9",
    "/search/?q=stratgey",
]
PATHS += SEARCHES


def part(path: str) -> str:
    """Which part of the paths `--only` chooses `path` with."""
    if path.startswith("/api/"):
        return "api"
    return "search" if path in SEARCHES else "pages"


def loopback_only(base: str) -> None:
    host = urlsplit(base).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        addresses = set()
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        sys.exit(f"{base} is not on the loopback interface; this script only loads this machine.")


def worker(
    bases: list[str],
    paths: list[str],
    deadline: float,
    offset: int,
    results: list,
    lock: threading.Lock,
) -> None:
    mine = []
    i = offset
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        base = bases[i % len(bases)]
        i += 1
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        mine.append((path, time.perf_counter() - started, ok))
    with lock:
        results.extend(mine)


def publisher(every: float, deadline: float, moves: list) -> None:
    """Move the data version every `every` seconds until `deadline`."""
    while time.monotonic() + every < deadline:
        time.sleep(every)
        subprocess.run([sys.executable, str(MANAGE), "shell", "-c", ADVANCE], check=True)
        moves.append(time.monotonic())


def report(line: str) -> None:
    sys.stdout.write(line + "\n")


def percentile(sorted_values: list[float], p: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", action="append", help="the site's address (again for each instance)"
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--only", choices=["pages", "api", "search"], help="one part of the paths")
    parser.add_argument(
        "--publish-every", type=float, help="move the data version every so many seconds"
    )
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 256 or not 1 <= args.duration <= 600:
        sys.exit("Keep it bounded: 1-256 threads for 1-600 seconds.")
    bases = [base.rstrip("/") for base in args.base or ["http://127.0.0.1:8019"]]
    for base in bases:
        loopback_only(base)

    results: list = []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + args.duration
    paths = [p for p in PATHS if args.only is None or part(p) == args.only]
    moves: list = []
    with ThreadPoolExecutor(max_workers=args.concurrency + 1) as pool:
        for n in range(args.concurrency):
            pool.submit(worker, bases, paths, deadline, n, results, lock)
        if args.publish_every:
            pool.submit(publisher, args.publish_every, deadline, moves)
    elapsed = time.monotonic() - started

    latencies = sorted(seconds * 1000 for _, seconds, _ in results)
    errors = [path for path, _, ok in results if not ok]
    report(f"target       {', '.join(bases)} ({len(paths)} paths in turn)")
    if args.publish_every:
        report(f"publications {len(moves)}, one every {args.publish_every:g} s")
    report(f"concurrency  {args.concurrency} threads for {args.duration:.0f} s")
    report(
        f"requests     {len(results)} in {elapsed:.1f} s: {len(results) / elapsed:.1f} per second"
    )
    report(f"errors       {len(errors)}" + (f" (e.g. {errors[0]})" if errors else ""))
    if latencies:
        report(
            "latency ms   "
            f"p50 {percentile(latencies, 50):.0f}, p95 {percentile(latencies, 95):.0f}, "
            f"p99 {percentile(latencies, 99):.0f}, max {latencies[-1]:.0f}, "
            f"mean {statistics.fmean(latencies):.0f}"
        )
    return 1 if errors or not results else 0


if __name__ == "__main__":
    sys.exit(main())

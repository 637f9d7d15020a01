"""Median time of public pages rendered uncached, as the first reader after a publish sees
them: the cache is emptied before each request.

    DATABASE_URL=... DEBUG=false python scripts/uncached_pages.py / /jurisdictions/ [...]

Each address is requested once to warm up, then five times; prints the median, the page's
size and the five timings. Run it from two checkouts in turns (A B A B) to compare commits.
"""

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.core.cache import cache  # noqa: E402 (after setup)
from django.test import Client  # noqa: E402

RUNS = 5


def main(urls: list[str]) -> None:
    client = Client()
    for url in urls:
        client.get(url)
        times = []
        for _ in range(RUNS):
            cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        timings = ", ".join(f"{t:.0f}" for t in sorted(times))
        sys.stdout.write(
            f"{url}\t{statistics.median(times):,.0f} ms\t"
            f"{len(response.content) / 1024:,.0f} KB\t[{timings}]\n"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["/", "/jurisdictions/"])

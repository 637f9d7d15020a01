"""The site's clock, pinned: no test reads the real date.

`frozen_clock(day)` sets the site's clock (`tracker.core.clock`) to `day` for one test;
`today` pins it to `TODAY` and returns that day. A test whose expectation depends on the day
asks for one of them.

Setting TRACKER_TEST_TODAY (an ISO date) pins the clock to that day for every other test, to
show the suite does not depend on the real date: `TRACKER_TEST_TODAY=2031-01-02 make test`.
A test's own pin still wins, being set after this one.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone

from tracker.core import clock

TODAY = dt.date(2026, 11, 22)


def _pin(monkeypatch, day: dt.date) -> dt.date:
    # The clock still runs (entries published one after another keep their order); it runs
    # `shift` ahead of or behind the real one, so that it is `day` for the length of a test.
    shift = dt.timedelta(days=(day - timezone.localdate()).days)
    monkeypatch.setattr(clock, "now", lambda: timezone.now() + shift)
    return day


@pytest.fixture(autouse=True)
def clock_from_environment(monkeypatch):
    day = os.environ.get("TRACKER_TEST_TODAY")
    if day:
        _pin(monkeypatch, dt.date.fromisoformat(day))


@pytest.fixture
def frozen_clock(monkeypatch, clock_from_environment):
    """`frozen_clock(day)` pins the site's clock to `day` and returns it."""
    return lambda day: _pin(monkeypatch, day)


@pytest.fixture
def today(frozen_clock) -> dt.date:
    """The site's clock pinned to `TODAY`, returned."""
    return frozen_clock(TODAY)

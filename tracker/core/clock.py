"""The site's clock: the one place that says what day and time it is, in the site's time zone.

Overdue flags, "due soon", the timeline's vertical line, a citation's access date and the
validators of every public page depend on the day. Reading it here, and nowhere else, lets the
tests pin it (`tests.clock`) so that no test depends on the real date.
"""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, aware (UTC when USE_TZ)."""
    return timezone.now()


def today() -> dt.date:
    """Today in the site's time zone (`TIME_ZONE`)."""
    return timezone.localdate(now())

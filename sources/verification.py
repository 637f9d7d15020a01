"""Every quote checked against its source's text again: `manage.py verify_quotes`, and the
same work as background work started from the admin (tracker/api/tasks.py)."""

from collections.abc import Callable
from typing import NamedTuple

from django.db import transaction

from sources.models import Citation, Source


class Verified(NamedTuple):
    checked: int
    missing: list[tuple[Source, Citation]]  # each quote no longer in its source's text

    def summary(self) -> str:
        return f"{self.checked} quote(s) checked, {len(self.missing)} not found in their source's text."


def reverify_all(progress: Callable[[int, int], None] | None = None) -> Verified:
    """Check the quotes of every source whose text is held, a source at a time (each in a
    transaction of its own), saving the results that changed; `progress(done, total)` is told
    after each source."""
    sources = Source.objects.exclude(text="").order_by("pk")
    total = sources.count()
    checked, missing = 0, []
    for done, source in enumerate(sources.iterator(chunk_size=20), start=1):
        with transaction.atomic():
            not_found = source.reverify()
        checked += source.citations_made.count()
        missing += [(source, citation) for citation in not_found]
        if progress:
            progress(done, total)
    return Verified(checked, missing)

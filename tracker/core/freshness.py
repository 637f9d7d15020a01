"""The public data version: one counter that moves with what the public can see, and only then.

Every write that can change the public dataset runs inside `changing(entry)` (the workflow's
publish, unpublish and approved edit) or calls `record()` (the dataset loader). In the same
transaction as the write, the counter goes up by one and each entry that became public, changed
in public or stopped being public is written down as a `PublicChange`; the changes feed reads
those. A draft save, a submission or a review comment touches nothing public, so it moves
nothing: outsiders cannot watch curators work through the site's validators.

Every public cache key, ETag and Last-Modified derives from `current()`: the rendered-page
cache, the data package, the feeds and the exports. Reading it is one primary-key lookup, so it
is exact in every process, with or without a shared cache. With a read replica, a request reads
it where it reads its data, and reads the replica only when the replica holds the primary's
version: the lag rule of tracker/core/replica.py.

Once the transaction that moved it commits, `moved` is sent with the new version (once a move):
the API builds the data package and the exports of that version then (tracker/api/tasks.py). A
transaction rolled back sends nothing.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from tracker.core import clock
from tracker.core.editorial import Curated, public_family
from tracker.core.models import DataVersion, PublicChange


class Version(NamedTuple):
    number: int
    changed_at: dt.datetime | None


# Sent with `version=` the new Version, after the commit of the transaction that moved it.
moved = Signal()


def current(*, using: str | None = None) -> Version:
    """The data version, on the database this request reads (`using` names one): with a read
    replica, the replica's when it holds the primary's (tracker.core.replica, the lag rule)."""
    found = (
        DataVersion.objects.using(using).filter(pk=1).values_list("number", "changed_at").first()
    )
    return Version(*found) if found else Version(0, None)


def etag(version: Version, *parts: object) -> str:
    """A validator for a public response: it moves with the data version, with the day ("today"
    decides overdue flags on pages and in exports) and with `parts` (the address, the code)."""
    stamp = "|".join(str(p) for p in (version.number, clock.today(), *parts))
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


def last_modified(version: Version) -> dt.datetime:
    """When the public dataset last changed, or the start of today when that is later."""
    today = timezone.make_aware(dt.datetime.combine(clock.today(), dt.time()))
    return max(version.changed_at, today) if version.changed_at else today


Change = tuple[type[Curated], int, str]  # (model, id, PublicChange.Change)


def record(changes: Iterable[Change]) -> Version | None:
    """Raise the version and write down `changes`, in the caller's transaction; nothing to
    record moves nothing."""
    changes = list(changes)
    if not changes:
        return None
    with transaction.atomic():
        number, now = _advance()
        types = ContentType.objects.get_for_models(*{model for model, _, _ in changes})
        PublicChange.objects.bulk_create(
            PublicChange(
                version=number,
                content_type=types[model],
                object_id=pk,
                change=change,
                at=now,
            )
            for model, pk, change in changes
        )
    return Version(number, now)


def advance() -> Version:
    """Raise the version, in the caller's transaction, with no change to report: what a repair
    of the stored read model does (`manage.py rebuild_read_model`), so that no cache serves
    what it repaired."""
    return Version(*_advance())


def _advance() -> tuple[int, dt.datetime]:
    now = clock.now()
    with transaction.atomic():
        # The UPDATE locks the row until the transaction ends: publications are serialised, and
        # every version number is taken by exactly one of them.
        if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now):
            DataVersion.objects.get_or_create(pk=1, defaults={"number": 0})
            DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
        number = DataVersion.objects.values_list("number", flat=True).get(pk=1)
        version = Version(number, now)
        # Robust: a receiver that fails (a queue out of reach) is logged, and the write stands.
        transaction.on_commit(lambda: moved.send(sender=Version, version=version), robust=True)
        return number, now


@contextmanager
def changing(entry: Curated, *, edited: bool = True) -> Iterator[None]:
    """Wrap a write that may change what the public sees of `entry` and the entries that depend
    on it: afterwards, what became public is recorded as published, what stopped being public
    as withdrawn, and the entry itself as updated when it stayed public and `edited` is true."""
    with transaction.atomic():
        before = public_family(entry)
        yield
        after = public_family(entry)
        key = (type(entry), entry.pk)
        changes = [(m, pk, PublicChange.Change.WITHDRAWN) for m, pk in before - after]
        changes += [(m, pk, PublicChange.Change.PUBLISHED) for m, pk in after - before]
        if edited and key in before and key in after:
            changes.append((*key, PublicChange.Change.UPDATED))
        record(sorted(changes, key=lambda c: (c[0]._meta.label, c[1])))

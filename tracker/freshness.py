"""The public dataset's version, kept in the cache between writes.

Public pages are cached by ETag on the dataset's version: the newest `updated_at` and the row
count of every public table. Counting a million rows costs a third of a second on PostgreSQL,
on every page, so the version is cached; every save or delete of an entry or citation forgets
it (at once, and again when its transaction commits, so that no reader caches the version of
a write still in flight). Bulk writes that bypass `save()` and other processes' local-memory
caches are covered by the short lifetime, as long as the write changes a row count or an
`updated_at` (inserts, deletes, saves): a `QuerySet.update()` of other columns changes neither
and goes unseen until the next such write. With Redis (`REDIS_URL`) every process shares the
cache and so sees a write at once.
"""

from django.core.cache import cache
from django.db import transaction

KEY = "public:data-version"
SECONDS = 10


def remember(compute) -> str:
    version = cache.get(KEY)
    if version is None:
        version = compute()
        cache.set(KEY, version, SECONDS)
    return version


def forget() -> None:
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))

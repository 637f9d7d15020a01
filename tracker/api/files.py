"""The public files built after each publication: the data package and the exports of every
public commitment (CSV and JSON Lines), in Django's default storage (under MEDIA_ROOT with the
file system's), one folder for each data version and day: `exports/<version>-<day>/`.

A publication's task writes them (tracker/api/tasks.py), then `manifest.json` last, naming them
and the site address their links start with: a folder without it is not finished, and nothing
in it is served. Requests are answered from a folder only when it is for the current data
version, today and the configured SITE_URL; any other time the answer is built as the request
is (streamed), so a file is never stale and a site without a worker loses nothing.

"Today" is part of the folder's name since an export flags what is overdue today: after
midnight the files of yesterday stop answering until the next build.
"""

import datetime as dt
import json
import tempfile
from collections.abc import Iterable

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from tracker.core import clock, freshness

ROOT = "exports"
MANIFEST = "manifest.json"
DATAPACKAGE = "policy-tracker-datapackage.zip"
EXPORTS = {"csv": "commitments.csv", "jsonl": "commitments.jsonl"}


def folder(version: freshness.Version, day: dt.date) -> str:
    return f"{ROOT}/{version.number}-{day.isoformat()}"


def current_folder(version: freshness.Version | None = None) -> str:
    return folder(version or freshness.current(), clock.today())


def listed(where: str) -> dict[str, int]:
    """The files a finished folder holds ({name: size}) when they were built for the configured
    SITE_URL; nothing for a folder not finished, or built for another address."""
    try:
        with default_storage.open(f"{where}/{MANIFEST}", "rb") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("site_url") != settings.SITE_URL:
        return {}
    found = manifest.get("files")
    return found if isinstance(found, dict) else {}


def stored(name: str, version: freshness.Version | None = None) -> File | None:
    """The file `name`, open, when the folder of the current data version (or `version`, read
    already) and today holds it; else None."""
    where = current_folder(version)
    if name not in listed(where):
        return None
    try:
        return default_storage.open(f"{where}/{name}", "rb")
    except OSError:
        return None


def write(where: str, name: str, pieces: Iterable[str | bytes]) -> int:
    """Write `pieces` as the file `name` of the folder `where` (replacing it); returns its size."""
    path = f"{where}/{name}"
    with tempfile.TemporaryFile() as spool:
        for piece in pieces:
            spool.write(piece.encode() if isinstance(piece, str) else piece)
        size = spool.tell()
        spool.seek(0)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, File(spool, name=name))
    return size


def finish(where: str, sizes: dict[str, int]) -> None:
    """Mark the folder finished: from now on its files answer."""
    manifest = {"site_url": settings.SITE_URL, "files": sizes}
    write(where, MANIFEST, [json.dumps(manifest, indent=2)])


def discard(where: str) -> None:
    """Delete the folder `where` and what it holds."""
    _, names = default_storage.listdir(where) if default_storage.exists(where) else ([], [])
    for name in names:
        default_storage.delete(f"{where}/{name}")
    if default_storage.exists(where):
        default_storage.delete(where)


def prune(keep: str) -> list[str]:
    """Delete every folder but `keep` (the older versions' and days'); returns those deleted."""
    if not default_storage.exists(ROOT):
        return []
    folders, _ = default_storage.listdir(ROOT)
    gone = sorted(f"{ROOT}/{name}" for name in folders if f"{ROOT}/{name}" != keep)
    for where in gone:
        discard(where)
    return gone

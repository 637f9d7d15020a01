"""Background work, on Django's tasks framework (the database backend and its worker,
`manage.py db_worker`; docs/operations.md, "Background tasks").

- After each move of the data version (a publication, a withdrawal, an approved edit, a load,
  a repair), once its transaction commits: the data package and the exports of every public
  commitment are built into storage for that version (tracker/api/files.py), and the older
  versions' files pruned.
- Started by editors from the admin's "Background work" (tracker/api/admin.py): the
  re-verification of every quote (as `manage.py verify_quotes`) and the rebuild of the read
  model (as `manage.py rebuild_read_model`), and the public files again.

Each run is a `BackgroundJob` the admin lists, with how far it got and how it ended; the task
takes the job's id. Without a worker the tasks wait in the queue, and every answer is built as
the request is: nothing is served stale.
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import Task, task

from sources.verification import reverify_all
from tracker.api import exports, files, stored
from tracker.api.datapackage import build_datapackage, request_for
from tracker.api.models import BackgroundJob
from tracker.api.views import CommitmentViewSet
from tracker.core import clock, freshness

Progress = Callable[[int, int], None]
Work = Callable[[BackgroundJob, Progress], str]
Kind = BackgroundJob.Kind
Status = BackgroundJob.Status
# The quotes a re-verification names in its outcome; the rest are counted.
NAMED = 50


def run(job_id: int, work: Work) -> str:
    """Do `work` for the job: running, then done with its outcome, or failed with its error
    (raised again, so that the queue records the traceback too)."""
    job = BackgroundJob.objects.get(pk=job_id)
    _update(job, status=Status.RUNNING, started_at=clock.now(), done=0)
    try:
        outcome = work(job, lambda done, total: _update(job, done=done, total=total))
    except Exception as error:
        _update(job, status=Status.FAILED, finished_at=clock.now(), error=_said(error))
        raise
    _update(job, status=Status.DONE, finished_at=clock.now(), outcome=outcome)
    return outcome


def _update(job: BackgroundJob, **values: object) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(**values)


def _said(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


# -- the work -------------------------------------------------------------------------------


def build_files(job: BackgroundJob, progress: Progress) -> str:
    """The public files of the job's data version (the current one when it names none), unless
    the version has moved on since: the move's own job builds those."""
    version, day = freshness.current(), clock.today()
    if job.version is not None and job.version != version.number:
        return f"Nothing built: the data version is {version.number} now; its own job builds it."
    where = files.folder(version, day)
    if not files.listed(where):
        parts = public_parts(version)
        sizes = {}
        for done, (name, pieces) in enumerate(parts, start=1):
            sizes[name] = files.write(where, name, pieces())
            progress(done, len(parts))
        if (freshness.current(), clock.today()) != (version, day):
            files.discard(where)
            return "Nothing kept: the data version moved while the files were built."
        files.finish(where, sizes)
    gone = files.prune(keep=where)
    return (
        f"{', '.join(files.listed(where))} for data version {version.number} of {day}; "
        f"{len(gone)} older folder(s) pruned."
    )


def public_parts(
    version: freshness.Version,
) -> list[tuple[str, Callable[[], Iterable[str | bytes]]]]:
    """(file name, its contents) of each public file: the data package, and with SITE_URL set
    (the address their links start with, whoever asks) the commitments' exports."""
    parts: list[tuple[str, Callable[[], Iterable[str | bytes]]]] = [
        (files.DATAPACKAGE, lambda: [build_datapackage(version, base_url=settings.SITE_URL)])
    ]
    if settings.SITE_URL:
        view = CommitmentViewSet(
            request=request_for(settings.SITE_URL), format_kwarg=None, action="list", kwargs={}
        )
        view.force_public = True  # the exports' public answer, whoever asks
        for extension, name in files.EXPORTS.items():
            parts.append((name, partial(_export, view, extension)))
    return parts


def _export(view: CommitmentViewSet, extension: str) -> Iterable[str | bytes]:
    return exports.BODIES[extension](view, view.get_queryset())


def verify(job: BackgroundJob, progress: Progress) -> str:
    verified = reverify_all(progress)
    lines = [verified.summary()]
    lines += [
        f"{source.slug}: citation {citation.pk} is not in the text: {citation.quote[:80]!r}"
        for source, citation in verified.missing[:NAMED]
    ]
    if len(verified.missing) > NAMED:
        lines.append(f"… and {len(verified.missing) - NAMED} more.")
    return "\n".join(lines)


def rebuild(job: BackgroundJob, progress: Progress) -> str:
    progress(0, 1)
    summary = stored.rebuild_read_model().summary()
    progress(1, 1)
    return summary


# -- the tasks ------------------------------------------------------------------------------


@task
def build_public_files(job_id: int) -> str:
    return run(job_id, build_files)


@task
def verify_quotes(job_id: int) -> str:
    return run(job_id, verify)


@task
def rebuild_read_model(job_id: int) -> str:
    return run(job_id, rebuild)


TASKS: dict[str, Task] = {
    Kind.PUBLIC_FILES: build_public_files,
    Kind.VERIFY_QUOTES: verify_quotes,
    Kind.REBUILD_READ_MODEL: rebuild_read_model,
}


def start(kind: str, *, by=None, version: int | None = None) -> BackgroundJob:
    """A job of `kind`, waiting, and its task enqueued once the caller's transaction commits
    (at once outside one)."""
    job = BackgroundJob.objects.create(
        kind=kind, requested_by=by, version=version, enqueued_at=clock.now()
    )

    def enqueue() -> None:
        result = TASKS[kind].enqueue(job.pk)
        BackgroundJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def after_publication(sender: object, version: freshness.Version, **kwargs: object) -> None:
    """`freshness.moved`'s receiver: the public files of the new version."""
    start(Kind.PUBLIC_FILES, version=version.number)

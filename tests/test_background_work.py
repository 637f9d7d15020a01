"""Background work (tracker/api/tasks.py): the public files built after each move of the data
version and served while they are current, the re-verification and the rebuild started by
editors from the admin, and a real worker emptying the queue.

Tasks run when enqueued here (the immediate backend, tests/conftest.py); the worker's own test
runs `manage.py db_worker` against a SQLite file of its own."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse

from sources.models import Source
from tests import factories as make
from tracker.api import files, tasks
from tracker.api.models import BackgroundJob
from tracker.core import freshness, workflow

pytestmark = pytest.mark.django_db
SITE = "https://policytracker.example"
DATAPACKAGE = "/api/v1/datapackage.zip"
CSV = "/api/v1/commitments/csv/"
JSONL = "/api/v1/commitments/jsonl/"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def published(site, today):
    policy = make.published_policy(slug="ru-ai")
    for slug in ("first", "second"):
        make.cite(make.published_commitment(slug=slug, policy=policy))
    return policy


def move_the_version(capture):
    """What a publication does to the data version, its transaction committed."""
    with capture(execute=True), transaction.atomic():
        freshness.advance()
    return freshness.current()


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def jobs(kind=BackgroundJob.Kind.PUBLIC_FILES):
    return list(BackgroundJob.objects.filter(kind=kind).order_by("pk"))


# -- the public files --------------------------------------------------------------------


@pytest.mark.parametrize("address", [DATAPACKAGE, CSV, JSONL])
def test_a_download_is_streamed_until_its_file_is_built_for_the_data_version(
    client, published, django_capture_on_commit_callbacks, address
):
    assert not isinstance(client.get(address), FileResponse)
    move_the_version(django_capture_on_commit_callbacks)
    served = client.get(address)
    assert isinstance(served, FileResponse)
    assert served["Content-Disposition"].startswith("attachment; filename=")
    assert body(served)


@pytest.mark.parametrize("address", [DATAPACKAGE, CSV, JSONL])
def test_a_file_has_the_etag_the_streamed_download_has_and_answers_304_to_it(
    client, published, django_capture_on_commit_callbacks, address
):
    version = move_the_version(django_capture_on_commit_callbacks)
    served = client.get(address)
    assert isinstance(served, FileResponse)
    files.discard(files.current_folder(version))
    streamed = client.get(address)
    assert not isinstance(streamed, FileResponse)
    assert served["ETag"] == streamed["ETag"]
    assert body(served) == body(streamed)
    again = client.get(address, headers={"if-none-match": served["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("address", [DATAPACKAGE, CSV, JSONL])
def test_a_file_of_an_older_version_is_not_served(
    client, published, django_capture_on_commit_callbacks, address
):
    move_the_version(django_capture_on_commit_callbacks)
    # A publication whose task has not run yet (no worker): the files are of the version before.
    with transaction.atomic():
        freshness.advance()
    make.published_commitment(slug="third", policy=published)
    response = client.get(address)
    assert not isinstance(response, FileResponse)
    if address != DATAPACKAGE:
        assert b"third" in body(response)


def test_files_of_yesterday_are_not_served_today(
    client, published, django_capture_on_commit_callbacks, frozen_clock, today
):
    move_the_version(django_capture_on_commit_callbacks)
    assert isinstance(client.get(CSV), FileResponse)
    frozen_clock(today + dt.timedelta(days=1))
    assert not isinstance(client.get(CSV), FileResponse)


def test_a_filtered_export_and_a_curators_export_are_streamed(
    client, editor_client, published, django_capture_on_commit_callbacks
):
    move_the_version(django_capture_on_commit_callbacks)
    assert not isinstance(client.get(CSV, {"policy": "ru-ai"}), FileResponse)
    assert not isinstance(editor_client.get(CSV), FileResponse)
    assert isinstance(client.get(CSV), FileResponse)


def test_files_built_for_another_site_address_are_not_served(
    client, published, django_capture_on_commit_callbacks, settings
):
    move_the_version(django_capture_on_commit_callbacks)
    settings.SITE_URL = "https://elsewhere.example"
    assert not isinstance(client.get(DATAPACKAGE), FileResponse)


def test_a_folder_without_its_manifest_is_not_served(
    client, published, django_capture_on_commit_callbacks
):
    version = move_the_version(django_capture_on_commit_callbacks)
    default_storage.delete(f"{files.current_folder(version)}/{files.MANIFEST}")
    assert not isinstance(client.get(DATAPACKAGE), FileResponse)
    assert body(client.get(DATAPACKAGE)).startswith(b"PK")


def test_without_site_url_only_the_data_package_is_built(
    client, today, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    make.published_commitment(slug="first")
    version = move_the_version(django_capture_on_commit_callbacks)
    assert set(files.listed(files.current_folder(version))) == {files.DATAPACKAGE}
    assert isinstance(client.get(DATAPACKAGE), FileResponse)
    assert not isinstance(client.get(CSV), FileResponse)


def test_the_older_versions_files_are_pruned(published, django_capture_on_commit_callbacks):
    first = move_the_version(django_capture_on_commit_callbacks)
    second = move_the_version(django_capture_on_commit_callbacks)
    folders, _ = default_storage.listdir(files.ROOT)
    assert folders == [files.current_folder(second).removeprefix(f"{files.ROOT}/")]
    assert not default_storage.exists(files.current_folder(first))
    assert jobs()[-1].outcome.endswith("1 older folder(s) pruned.")


# -- enqueued after each publication -------------------------------------------------------


def test_a_publication_enqueues_one_build_when_it_commits(
    published, editor, other_editor, django_capture_on_commit_callbacks
):
    draft = make.commitment(slug="draft", policy=published, created_by=editor)
    make.cite(draft)
    workflow.entry_submit(draft, by=editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.entry_publish(draft, by=other_editor)
    assert jobs() == []  # not before the commit
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the commit
    [job] = jobs()
    assert job.version == freshness.current().number
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total, job.requested_by) == (3, 3, None)
    assert job.progress == "3 of 3"


def test_a_rolled_back_publication_enqueues_nothing(published, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        freshness.advance()
        raise RuntimeError("the write failed")
    assert jobs() == []
    assert not default_storage.exists(files.ROOT)


def test_a_curators_draft_save_enqueues_nothing(
    published, contributor, django_capture_on_commit_callbacks
):
    draft = make.commitment(slug="draft", policy=published, created_by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.entry_save(draft, by=contributor, seen_version=draft.version)
    assert jobs() == []


def test_a_build_for_a_version_that_moved_on_leaves_it_to_the_next(published):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.PUBLIC_FILES,
        version=freshness.current().number,
        enqueued_at=published.updated_at,
    )
    with transaction.atomic():
        freshness.advance()
    tasks.build_public_files.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert job.outcome.startswith("Nothing built: the data version is")
    assert not default_storage.exists(files.ROOT)


# -- started from the admin ----------------------------------------------------------------

CHANGELIST = "admin:api_backgroundjob_changelist"
START = "admin:api_backgroundjob_start"


def test_a_contributor_neither_sees_background_work_nor_starts_it(contributor_client):
    assert contributor_client.get(reverse(CHANGELIST)).status_code == 403
    refused = contributor_client.post(reverse(START), {"kind": "verify_quotes"})
    assert refused.status_code == 403
    assert not BackgroundJob.objects.exists()


def test_the_admin_index_offers_background_work_to_editors_only(editor_client, contributor_client):
    assert reverse(CHANGELIST) in editor_client.get(reverse("admin:index")).text
    assert reverse(CHANGELIST) not in contributor_client.get(reverse("admin:index")).text


def test_an_editor_sees_the_kinds_of_work_to_start(editor_client):
    page = editor_client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    for label in ("Re-verify quotes", "Rebuild the read model", "Data package and exports"):
        assert label in page.text


def test_an_editor_reverifies_the_quotes_and_reads_the_outcome(
    editor_client, editor, today, django_capture_on_commit_callbacks
):
    source = make.source(slug="the-law", text="The ministry will publish a plan.")
    make.cite(make.published_policy(), source=source, quote="The ministry will publish a plan.")
    make.cite(make.published_policy(), source=source, quote="A sentence it never said.")
    with django_capture_on_commit_callbacks(execute=True):
        answer = editor_client.post(reverse(START), {"kind": "verify_quotes"}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse(CHANGELIST)
    [job] = jobs(BackgroundJob.Kind.VERIFY_QUOTES)
    assert (job.status, job.requested_by, job.progress) == ("done", editor, "1 of 1")
    assert job.outcome.startswith("2 quote(s) checked, 1 not found in their source's text.")
    assert "the-law: citation" in job.outcome
    assert "Re-verify quotes: waiting for a worker." in answer.text  # it ran on commit
    detail = editor_client.get(reverse("admin:api_backgroundjob_change", args=[job.pk]))
    assert "A sentence it never said." in detail.text


def test_an_editor_rebuilds_the_read_model(
    editor_client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse(START), {"kind": "rebuild_read_model"})
    [job] = jobs(BackgroundJob.Kind.REBUILD_READ_MODEL)
    assert job.status == BackgroundJob.Status.DONE
    assert job.outcome.startswith("Rebuilt:")


def test_an_editor_builds_the_public_files_for_the_current_version(
    client, editor_client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse(START), {"kind": "public_files"})
    [job] = jobs()
    assert (job.status, job.version) == (BackgroundJob.Status.DONE, None)
    assert isinstance(client.get(CSV), FileResponse)


def test_an_unknown_kind_of_work_is_refused_with_a_message(editor_client):
    answer = editor_client.post(reverse(START), {"kind": "format_the_disk"}, follow=True)
    assert "Choose one of the kinds of background work listed." in answer.text
    assert not BackgroundJob.objects.exists()
    assert editor_client.get(reverse(START)).status_code == 405


def test_work_that_fails_says_so_with_its_error(
    editor_client, monkeypatch, today, django_capture_on_commit_callbacks
):
    def broken(progress=None):
        raise OSError("the source texts' disk is gone")

    monkeypatch.setattr(tasks, "reverify_all", broken)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse(START), {"kind": "verify_quotes"})
    [job] = jobs(BackgroundJob.Kind.VERIFY_QUOTES)
    assert job.status == BackgroundJob.Status.FAILED
    assert job.error == "OSError: the source texts' disk is gone"
    assert job.finished_at is not None
    listed = editor_client.get(reverse(CHANGELIST))
    assert "Failed" in listed.text


# -- a real worker -------------------------------------------------------------------------


def manage(*args, env, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@pytest.mark.django_db(transaction=False)
def test_a_worker_runs_what_waits_in_the_database_queue(tmp_path):
    """`manage.py db_worker --batch` against a SQLite file: the job waits until the worker runs
    it, then it is done, and the queue's own row says so too."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "database",
        "PYTHONPATH": str(ROOT),
    }
    manage("migrate", "--no-input", env=env)
    started = (
        "from tracker.api import tasks; "
        "job = tasks.start('rebuild_read_model'); job.refresh_from_db(); print(job.status)"
    )
    assert manage("shell", "--no-imports", "-c", started, env=env).stdout.strip() == "waiting"
    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload", env=env)
    read = (
        "from tracker.api.models import BackgroundJob as J; "
        "from django_tasks_db.models import DBTaskResult as R; "
        "j = J.objects.get(); print(j.status, j.progress, R.objects.get(id=j.task_id).status)"
    )
    assert manage("shell", "--no-imports", "-c", read, env=env).stdout.split() == [
        "done",
        "1",
        "of",
        "1",
        "SUCCESSFUL",
    ]
    assert Source.objects.count() == 0  # the suite's own database was never touched

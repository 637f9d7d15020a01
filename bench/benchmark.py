"""Measure the pages that grow with the data, on the synthetic dataset of `bench.data`.

Every figure goes through the whole WSGI stack (middleware, views, templates, the database)
with Django's test client: the median of repeated requests after warm-up ones, with the
number of SQL queries of one more request. The CSV export is compared with PostgreSQL's own
`COPY (SELECT ...) TO STDOUT` of the same rows, the physical limit for that job.
"""

import datetime as dt
import io
import os
import platform
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import data as benchdata
from bench import datasette as versus
from policies import selectors
from policies.models import Actor, Assessment, Commitment, Jurisdiction, Policy
from policies.progress import LATEST_FIRST, known_on, verdicts_known_on
from sources.models import Source
from tracker.core import clock
from tracker.dataset.loader import load_documents
from tracker.site.views import TIMELINE_ROWS, most_committed

BENCH_USER = "bench-admin"
# Budgets on PostgreSQL at the default scale, uncached (issue 17; the admin's from issue 8), in
# milliseconds.
BUDGETS_MS = {
    "home": 150,
    "jurisdiction_list": 150,
    "policy": 150,
    "jurisdiction": 200,
    "api_list": 30,
    "admin_changelist": 300,
    "search_common": 100,
    "search_rare": 100,
}
# The CSV export against PostgreSQL's COPY of the same rows, in rows a second.
COPY_RATIO_BUDGET = 0.8
# Imports (issue 14): at least this many rows a second, dry run and confirm each.
IMPORT_ROWS_BUDGET = 500
IMPORT_ROWS = 10_000


@dataclass
class Result:
    key: str
    label: str
    url: str = ""
    median_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    shown: str = ""  # what the page shows: "500 commitments"
    note: str = ""
    status: int | None = None
    cold_ms: float | None = None  # with the page cache emptied first (a page after a write)
    size: int = 0  # the body's bytes, as sent (uncompressed)

    @property
    def budget_ms(self) -> int | None:
        return BUDGETS_MS.get(self.key)


def _consume(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


class Bench:
    def __init__(self, *, runs: int = 7, warmup: int = 2, progress: Callable[[str], None] = print):
        self.runs, self.warmup, self.progress = runs, warmup, progress
        self.anonymous = Client()
        self.admin = Client()
        self.admin.force_login(bench_superuser())
        self.results: list[Result] = []

    def page(
        self,
        key: str,
        label: str,
        url: str,
        *,
        admin: bool = False,
        shown: str = "",
        cold_runs: int = 0,
    ):
        client = self.admin if admin else self.anonymous
        cold, counted = [], None
        for _ in range(cold_runs):
            cache.clear()  # as after a write: no cached page, no cached dataset version
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                _consume(client.get(url))
                cold.append((time.perf_counter() - started) * 1000)
            # A full rendering's queries (the timing includes the capture's small overhead).
            counted = len(queries)
        for _ in range(self.warmup):
            response = client.get(url)
            _consume(response)
        timings = []
        size = 0
        for _ in range(self.runs):
            started = time.perf_counter()
            response = client.get(url)
            size = _consume(response)
            timings.append((time.perf_counter() - started) * 1000)
        if counted is None:
            with CaptureQueriesContext(connection) as queries:
                _consume(client.get(url))
            counted = len(queries)
        result = Result(
            key,
            label,
            url,
            statistics.median(timings),
            timings,
            counted,
            shown,
            status=response.status_code,
            cold_ms=statistics.median(cold) if cold else None,
            size=size,
        )
        self.results.append(result)
        cold_text = f", {result.cold_ms:.0f} ms uncached" if cold else ""
        self.progress(
            f"  {label:<58} {result.median_ms:>9.1f} ms  {result.queries:>4} queries  "
            f"(HTTP {response.status_code}{cold_text})"
        )
        return result


def bench_superuser():
    """The superuser the admin pages are measured as, created on first use."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = user_model.objects.create_superuser(BENCH_USER, "bench@example.org", None)
    return user


def small_policy() -> Policy:
    """A published policy with a handful of commitments, to show the count does not grow."""
    return (
        Policy.objects.published()
        .filter(jurisdiction__state="published", commitments__state="published")
        .exclude(slug=benchdata.LARGE_POLICY_SLUG)
        .order_by("id")
        .first()
    )


def commitment_export_sql() -> tuple[str, list]:
    """The rows and columns of /api/v1/commitments/csv/ as one SELECT, for COPY.

    The fuzzy dates' display strings and the progress label are Python's work and have no SQL
    counterpart; the SELECT carries what they are computed from (both bounds of each date,
    the latest published verdict's status and delivery, the latest published assessment's period
    for the evidence horizon), and the citations as JSON. Both are picked by
    `progress.verdicts_known_on` / `progress.known_on` and `progress.LATEST_FIRST`, the rules the
    export itself applies, compiled by the ORM into the lateral joins.
    """
    published = "published"
    today = clock.today()

    def newest(which, *columns):
        return (
            Assessment.objects.published()
            .filter(which, commitment_id=RawSQL("c.id", ()))
            .order_by(*LATEST_FIRST)
            .values(*columns)[:1]
            .query.sql_with_params()
        )

    latest, latest_params = newest(
        verdicts_known_on(today), "status", "delivered_start", "delivered_end"
    )
    checked, checked_params = newest(known_on(today), "as_of_start", "as_of_end")
    sql = """
        SELECT c.id, c.state, c.version, c.published_at, c.updated_at,
               (SELECT coalesce(json_agg(json_build_object(
                    'id', ci.id, 'source', json_build_object('id', s.id, 'slug', s.slug,
                    'title', s.title), 'page', ci.page, 'section', ci.section,
                    'footnote', ci.footnote, 'quote', ci.quote) ORDER BY ci.position, ci.id),
                    '[]')
                  FROM sources_citation ci JOIN sources_source s ON s.id = ci.source_id
                 WHERE ci.content_type_id = %s AND ci.object_id = c.id AND s.state = %s
               ) AS citations,
               c.slug, p.id, p.slug, p.title, c.title, c.description, c.kind,
               a.id, a.slug, a.name,
               c.pledged_start, c.pledged_end, c.due_start, c.due_end,
               c.metric, c.unit, c.baseline_value, c.target_value,
               latest.status, latest.delivered_start, latest.delivered_end,
               checked.as_of_start, checked.as_of_end
          FROM policies_commitment c
          JOIN policies_policy p ON p.id = c.policy_id
          JOIN policies_jurisdiction j ON j.id = p.jurisdiction_id
          LEFT JOIN policies_actor a ON a.id = c.pledged_by_id
          LEFT JOIN LATERAL ({latest}) latest ON true
          LEFT JOIN LATERAL ({checked}) checked ON true
         WHERE c.state = %s AND p.state = %s AND j.state = %s
         ORDER BY c.id
    """
    content_type = ContentType.objects.get_for_model(Commitment).pk
    return sql.format(latest=latest, checked=checked), [
        content_type,
        published,
        *latest_params,
        *checked_params,
        published,
        published,
        published,
    ]


def copy_rows_per_second(runs: int) -> tuple[float, int]:
    """Median rows per second of PostgreSQL's COPY of the export's rows, and the row count."""
    select, params = commitment_export_sql()
    with connection.cursor() as cursor:
        select = cursor.mogrify(select, params)
        if isinstance(select, bytes):
            select = select.decode()
    timings, rows = [], 0
    for _ in range(runs + 1):
        started = time.perf_counter()
        lines = 0
        sql = f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for block in copy:
                lines += bytes(block).count(b"\n")
        timings.append(time.perf_counter() - started)
        rows = lines
    # The first run warms the cache; quotes hold no newlines in the synthetic data.
    return rows / statistics.median(timings[1:]), rows


def export_peak_memory(client: Client, url: str) -> tuple[int, int]:
    """Peak traced Python memory (bytes) of one export request, and the bytes it sent."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        size = _consume(client.get(url))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def load_documents_on_empty_database(runs: int) -> list[float]:
    """Seconds `load_documents` takes on a freshly migrated, empty test database."""
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        timings = []
        for _ in range(runs):
            benchdata.clear()
            started = time.perf_counter()
            load_documents(Path(settings.BASE_DIR) / "fixtures")
            timings.append(time.perf_counter() - started)
        return timings
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def read_model_rebuild(runs: int) -> list[float]:
    """Seconds `manage.py rebuild_read_model` takes: every entry's visibility and every public
    commitment's standing and stored representation, from scratch."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call_command("rebuild_read_model", stdout=io.StringIO())
        timings.append(time.perf_counter() - started)
    return timings


def machine() -> dict:
    info = {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["python"] = platform.python_version()
    return info


def database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} (WAL)"


@dataclass
class Report:
    results: list[Result]
    database: str
    vendor: str
    machine: dict
    scale: benchdata.Scale
    generated_s: float | None
    export: dict
    load_documents_s: list[float]
    when: dt.datetime
    imports: dict = field(default_factory=dict)
    # The Datasette comparison (bench/datasette.py), or {"note": why it was not run}.
    datasette: dict = field(default_factory=dict)
    rebuild_s: list[float] = field(default_factory=list)


def with_size(result: Result) -> None:
    """Say how large the page is beside what it shows: a page that grows with the data does."""
    result.shown += f", {result.size / 1024:,.0f} KB of HTML"


def compared_commitments() -> int:
    """The published commitments of the two jurisdictions `/compare/` shows first."""
    codes = most_committed(2)
    return selectors.commitments_bare().filter(policy__jurisdiction__code__in=codes).count()


def run(
    *,
    runs: int,
    export_runs: int,
    scale: benchdata.Scale,
    generated_s: float | None,
    cold_runs: int = 3,
    import_rows: int = IMPORT_ROWS,
    datasette: Path | None = None,
    progress: Callable[[str], None] = print,
) -> Report:
    bench = Bench(runs=runs, progress=progress)
    large = Policy.objects.get(slug=benchdata.LARGE_POLICY_SLUG)
    small = small_policy()
    big = Jurisdiction.objects.get(code=benchdata.LARGE_JURISDICTION_CODE)
    smallest = (
        Jurisdiction.objects.published()
        .exclude(pk=big.pk)
        .filter(policies__commitments__state="published")
        .order_by("id")
        .first()
    )

    def count(queryset) -> int:
        return queryset.filter(state="published").count()

    progress("Public pages")
    n_all = selectors.commitments_bare().count()
    bench.page(
        "home",
        "Home page, scorecards of every commitment",
        "/",
        shown=f"{n_all:,} commitments counted",
        cold_runs=cold_runs,
    )
    bench.page(
        "jurisdiction_list",
        "Jurisdiction list, a scorecard each",
        "/jurisdictions/",
        shown=f"{Jurisdiction.objects.published().count():,} scorecards",
        cold_runs=cold_runs,
    )
    n_large = count(large.commitments)
    with_size(
        bench.page(
            "policy",
            "Policy timeline, large policy",
            f"/policies/{large.slug}/",
            shown=f"{n_large:,} commitments",
            cold_runs=cold_runs,
        )
    )
    with_size(
        bench.page(
            "policy_small",
            "Policy timeline, small policy (query count check)",
            f"/policies/{small.slug}/",
            shown=f"{count(small.commitments):,} commitments",
            cold_runs=cold_runs,
        )
    )
    with_size(
        bench.page(
            "compare",
            "Compare page, the two jurisdictions with the most commitments",
            "/compare/",
            shown=f"{compared_commitments():,} commitments",
            cold_runs=cold_runs,
        )
    )
    n_big = count(Commitment.objects.filter(policy__jurisdiction=big))
    bench.page(
        "jurisdiction",
        "Jurisdiction page, large jurisdiction",
        f"/jurisdictions/{big.code}/",
        shown=f"{n_big:,} commitments counted, {min(n_big, TIMELINE_ROWS)} drawn",
        cold_runs=cold_runs,
    )
    bench.page(
        "jurisdiction_small",
        "Jurisdiction page, small jurisdiction (query count check)",
        f"/jurisdictions/{smallest.code}/",
        shown=f"{count(Commitment.objects.filter(policy__jurisdiction=smallest)):,} commitments",
        cold_runs=cold_runs,
    )
    api_filters = f"jurisdiction={big.code}&kind=deliverable&pledged_year=2020"
    api_list = f"/api/v1/commitments/?{api_filters}"
    listed = len(bench.anonymous.get(api_list).json()["results"])
    bench.page(
        "api_list",
        "API list, 100 commitments, three filters",
        api_list,
        shown=f"{listed} commitments",
    )
    bench.page(
        "api_list_small",
        "API list, 10 commitments, three filters (query count check)",
        f"/api/v1/commitments/?{api_filters}&page_size=10",
        shown="10 commitments",
    )
    bench.page(
        "search_common",
        f"Search, common word ({benchdata.COMMON_WORD!r})",
        f"/search/?q={benchdata.COMMON_WORD}",
        shown="25 a kind",
        cold_runs=cold_runs,
    )
    bench.page(
        "search_rare",
        f"Search, rare word ({benchdata.RARE_WORD!r})",
        f"/search/?q={benchdata.RARE_WORD}",
        shown="a few",
        cold_runs=cold_runs,
    )
    progress("Admin")
    bench.page(
        "admin_changelist",
        "Admin changelist of commitments",
        "/admin/policies/commitment/",
        admin=True,
        shown="50 a page",
    )
    bench.page(
        "admin_change",
        "Admin change page, large policy",
        f"/admin/policies/policy/{large.pk}/change/",
        admin=True,
    )

    progress("CSV export of all commitments")
    export = csv_export(bench, runs=export_runs, big_code=big.code, progress=progress)

    progress("Side by side with Datasette, over HTTP")
    compared = side_by_side(
        datasette, code=big.code, runs=runs, export_runs=export_runs, progress=progress
    )

    progress(f"Import of {import_rows:,} commitments through the admin (dry run, then confirm)")
    imports = commitment_import(bench.admin, rows=import_rows, progress=progress)

    progress("The stored read model, rebuilt from scratch")
    rebuilds = read_model_rebuild(max(1, min(runs, 2)))
    progress(f"  median {statistics.median(rebuilds):.2f} s")

    progress("load_documents on an empty database")
    loads = load_documents_on_empty_database(max(1, min(runs, 3)))
    progress(f"  median {statistics.median(loads):.2f} s")
    return Report(
        rebuild_s=rebuilds,
        datasette=compared,
        imports=imports,
        results=bench.results,
        database=database(),
        vendor=connection.vendor,
        machine=machine(),
        scale=scale,
        generated_s=generated_s,
        export=export,
        load_documents_s=loads,
        when=clock.now(),
    )


def csv_export(bench: Bench, *, runs: int, big_code: str, progress) -> dict:
    url = "/api/v1/commitments/csv/"
    client = bench.anonymous
    with CaptureQueriesContext(connection) as queries:
        _consume(client.get(url))  # also the warm-up
    first = len(queries)
    timings, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = _consume(client.get(url))
        timings.append(time.perf_counter() - started)
    n = (
        Commitment.objects.published()
        .filter(policy__state="published", policy__jurisdiction__state="published")
        .count()
    )
    seconds = statistics.median(timings)
    rows = n / seconds
    result = {
        "rows": n,
        "seconds": seconds,
        "rows_per_s": rows,
        "bytes": size,
        "queries": first,
    }
    progress(f"  {n:,} rows in {seconds:.1f} s: {rows:,.0f} rows/s, {first} queries")
    subset = f"{url}?jurisdiction={big_code}"
    result["peak_subset"], _ = export_peak_memory(client, subset)
    result["subset_rows"] = (
        Commitment.objects.published().filter(policy__jurisdiction__code=big_code).count()
    )
    result["peak_all"], _ = export_peak_memory(client, url)
    with CaptureQueriesContext(connection) as queries:
        _consume(client.get(subset))
    result["subset_queries"] = len(queries)
    progress(
        f"  peak memory: {result['peak_subset'] / 2**20:.1f} MiB for {result['subset_rows']:,} rows, "
        f"{result['peak_all'] / 2**20:.1f} MiB for {n:,}"
    )
    if connection.vendor == "postgresql":
        copy_rate, copy_rows = copy_rows_per_second(max(1, runs))
        result.update(copy_rows_per_s=copy_rate, copy_rows=copy_rows, ratio=rows / copy_rate)
        progress(
            f"  COPY: {copy_rate:,.0f} rows/s ({copy_rows:,} rows); ratio {rows / copy_rate:.2f}"
        )
    return result


def side_by_side(
    executable: Path | None, *, code: str, runs: int, export_runs: int, progress
) -> dict:
    """The Datasette comparison (bench/datasette.py) on the bench's SQLite file, or a note
    saying why it was not run."""
    if connection.vendor != "sqlite":
        note = (
            "on SQLite only (Datasette serves SQLite files): run `make bench` without DATABASE_URL"
        )
    elif versus.database_file() is None:
        note = "the database is not a file Datasette can open"
    elif executable is None:
        note = "not asked for (`--datasette PATH`; `make bench` installs it on SQLite)"
    else:
        pk = (
            selectors.commitments_bare()
            .filter(policy__jurisdiction__code=code)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        assert pk is not None  # the large jurisdiction has public commitments
        return versus.compare(
            executable, code=code, pk=pk, runs=runs, export_runs=export_runs, progress=progress
        )
    progress(f"  skipped: {note}")
    return {"note": note}


def commitments_csv(rows: int) -> bytes:
    """A commitments file as researchers write one: relations by slug, a due date, a target
    and one cited passage a row, spread over the benchmark's policies, actors and sources."""
    policies = list(Policy.objects.originals().order_by("id").values_list("slug", flat=True)[:50])
    actors = list(Actor.objects.originals().order_by("id").values_list("slug", flat=True)[:50])
    sources = list(Source.objects.originals().order_by("id").values_list("slug", flat=True)[:20])
    lines = [
        "slug,policy,title,kind,pledged_by,pledged,due,metric,unit,target_value,"
        "citation_source,citation_page,citation_quote"
    ]
    for i in range(rows):
        lines.append(
            f"bench-import-{i},{policies[i % len(policies)]},Imported pledge {i},"
            f"quantitative_target,{actors[i % len(actors)]},2019-10,{2024 + i % 7},"
            f"share of public services using AI,%,{10 + i % 80},{sources[i % len(sources)]},"
            f"{1 + i % 300},the government will reach {10 + i % 80} per cent by {2024 + i % 7}"
        )
    return ("\n".join(lines) + "\n").encode()


def commitment_import(client: Client, *, rows: int, progress) -> dict:
    """Time the admin's import of `rows` new commitments: the dry run (every row validated and
    written, then rolled back) and the confirm (the same, committed), as a researcher runs it,
    then a dry run again under tracemalloc for its peak memory. All of it in a transaction
    rolled back at the end, so that the benchmark's dataset stays as generated."""
    content = commitments_csv(rows)
    url = reverse("admin:policies_commitment_import")

    def dry_run() -> dict:
        """The confirm form's fields, read from the page (the client records no context)."""
        upload = SimpleUploadedFile("commitments.csv", content, content_type="text/csv")
        page = client.post(url, {"format": "0", "import_file": upload}).content.decode()
        confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
        if "import_file_name" not in confirm:
            raise RuntimeError("The benchmark's import file was refused: no confirm form.")
        return confirm

    with transaction.atomic():
        started = time.perf_counter()
        confirm = dry_run()
        dry_s = time.perf_counter() - started
        started = time.perf_counter()
        confirmed = client.post(reverse("admin:policies_commitment_process_import"), confirm)
        confirm_s = time.perf_counter() - started
        imported = Commitment.objects.filter(slug__startswith="bench-import-").count()
        transaction.set_rollback(True)
    if confirmed.status_code != 302 or imported != rows:
        raise RuntimeError(f"The benchmark's import wrote {imported:,} rows of {rows:,}.")
    with transaction.atomic():
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            dry_run()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        transaction.set_rollback(True)
    result = {
        "rows": rows,
        "bytes": len(content),
        "dry_run_s": dry_s,
        "confirm_s": confirm_s,
        "peak": peak,
    }
    progress(
        f"  dry run {dry_s:.1f} s ({rows / dry_s:,.0f} rows/s), confirm {confirm_s:.1f} s "
        f"({rows / confirm_s:,.0f} rows/s), peak memory {peak / 2**20:.0f} MiB"
    )
    return result


# -- the report ------------------------------------------------------------------------

MARK = "<!-- bench:{vendor}:{edge} -->"
HEADINGS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def _verdict(result: Result, vendor: str) -> str:
    """Met or missed, from the page cache and (where measured) uncached: both are stated."""
    if result.budget_ms is None:
        return ""
    if vendor != "postgresql":
        return f"({result.budget_ms} ms on PostgreSQL)"

    def word(ms: float) -> str:
        return "met" if ms < result.budget_ms else "**missed**"

    if result.cold_ms is None:
        return f"< {result.budget_ms} ms: {word(result.median_ms)}"
    return (
        f"< {result.budget_ms} ms: {word(result.median_ms)} from the page cache, "
        f"{word(result.cold_ms)} uncached"
    )


def markdown(report: Report) -> str:
    m, s = report.machine, report.scale
    lines = [
        f"### {HEADINGS.get(report.vendor, report.vendor)}",
        "",
        f"Measured {report.when:%Y-%m-%d %H:%M} UTC on {m.get('cores')} cores "
        f"({m.get('cpu')}), {m.get('ram_gb')} GB RAM, Python {m.get('python')}, "
        f"{report.database}. Scale: {s.jurisdictions:,} jurisdictions, {s.policies:,} policies, "
        f"{s.commitments:,} commitments, {s.assessments:,} assessments, {s.funding:,} funding, "
        f"{s.events:,} events, {s.citations:,} citations"
        + (f"; generated in {report.generated_s:.0f} s." if report.generated_s else "."),
        "",
        "| what | shows | median | median uncached | budget | SQL queries |",
        "| --- | --- | ---: | ---: | --- | ---: |",
    ]
    for r in report.results:
        lines.append(
            f"| {r.label} (`{r.url}`) | {r.shown} | {r.median_ms:,.1f} ms | "
            + (f"{r.cold_ms:,.0f} ms" if r.cold_ms is not None else "same")
            + f" | {_verdict(r, report.vendor)} | {r.queries} |"
        )
    e = report.export
    export_budget = ""
    if "ratio" in e:
        met = "met" if e["ratio"] >= COPY_RATIO_BUDGET else "**missed**"
        export_budget = f"≥ {COPY_RATIO_BUDGET} of COPY: {met}"
    lines.append(
        f"| CSV export of all commitments (`/api/v1/commitments/csv/`) | {e['rows']:,} rows, "
        f"{e['bytes'] / 2**20:,.0f} MiB | {e['rows_per_s']:,.0f} rows/s ({e['seconds']:.1f} s) | | "
        f"{export_budget} | {e['queries']} |"
    )
    if "ratio" in e:
        lines.append(
            f"| PostgreSQL `COPY (SELECT …) TO STDOUT` of the same rows | {e['copy_rows']:,} rows | "
            f"{e['copy_rows_per_s']:,.0f} rows/s | | export/COPY = **{e['ratio']:.2f}** | 1 |"
        )
    lines.append(
        f"| Peak Python memory of the export (tracemalloc) | {e['subset_rows']:,} rows / "
        f"{e['rows']:,} rows | {e['peak_subset'] / 2**20:.1f} MiB / {e['peak_all'] / 2**20:.1f} MiB "
        f"| | constant | {e['subset_queries']} / {e['queries']} |"
    )
    lines.extend(datasette_rows(report.datasette))
    i = report.imports
    if i:
        met = all(i["rows"] / i[k] >= IMPORT_ROWS_BUDGET for k in ("dry_run_s", "confirm_s"))
        verdict = f"≥ {IMPORT_ROWS_BUDGET} rows/s each: " + ("met" if met else "**missed**")
        if report.vendor != "postgresql":
            verdict = f"(≥ {IMPORT_ROWS_BUDGET} rows/s on PostgreSQL)"
        lines.append(
            f"| Admin import of new commitments, dry run then confirm (`/admin/policies/"
            f"commitment/import/`) | {i['rows']:,} rows, {i['bytes'] / 2**10:,.0f} KiB CSV | "
            f"{i['rows'] / i['dry_run_s']:,.0f} rows/s ({i['dry_run_s']:.1f} s) + "
            f"{i['rows'] / i['confirm_s']:,.0f} rows/s ({i['confirm_s']:.1f} s) | | {verdict} | |"
        )
        lines.append(
            f"| Peak Python memory of the import's dry run (tracemalloc) | {i['rows']:,} rows | "
            f"{i['peak'] / 2**20:.0f} MiB | | | |"
        )
    if report.rebuild_s:
        lines.append(
            f"| `rebuild_read_model`: visibility, standings and stored commitments from scratch | "
            f"{report.scale.commitments:,} commitments | "
            f"{statistics.median(report.rebuild_s):.2f} s | | | |"
        )
    loads = report.load_documents_s
    lines.append(
        f"| `load_documents` on an empty database | the curated fixtures | "
        f"{statistics.median(loads):.2f} s | | | |"
    )
    lines.append("")
    return "\n".join(lines)


def datasette_rows(compared: dict) -> list[str]:
    """The rows of the Datasette comparison: each job ours then Datasette's, with the ratio."""
    if "pairs" not in compared:
        note = compared.get("note", "not run")
        return [f"| Side by side with Datasette, over HTTP | skipped: {note} | | | | |"]
    version, rows = compared["version"], []
    for pair in compared["pairs"]:
        met = "met" if pair.ratio < 1 else "**missed**"
        shown = pair.theirs_path.split("&_where=")[0].split("?_shape")[0]
        rows += [
            f"| Over HTTP, ours (gunicorn, one worker): {pair.label} (`{pair.ours_path}`) | "
            f"{pair.ours_bytes / 1024:,.1f} KiB | {pair.ours_ms:,.1f} ms | | faster than "
            f"Datasette: {met}, ours/Datasette = **{pair.ratio:.2f}** | |",
            f"| Over HTTP, {version}: the same from the raw table (`{shown}…`) | "
            f"{pair.theirs_bytes / 1024:,.1f} KiB | {pair.theirs_ms:,.1f} ms | | | |",
        ]
    csv = compared["csv"]
    ratio = csv["ours_rows_per_s"] / csv["theirs_rows_per_s"]
    met = "met" if ratio >= 1 else "**missed**"
    rows += [
        f"| Over HTTP, ours: streamed CSV of all commitments (`{versus.API_CSV}`) | "
        f"{csv['ours_rows']:,} rows | {csv['ours_rows_per_s']:,.0f} rows/s | | ≥ Datasette's: "
        f"{met}, ours/Datasette = **{ratio:.2f}** | |",
        f"| Over HTTP, {version}: streamed CSV of the raw table (`{csv['theirs_path']}`) | "
        f"{csv['theirs_rows']:,} rows | {csv['theirs_rows_per_s']:,.0f} rows/s | | | |",
    ]
    return rows


def write_report(report: Report, path: Path) -> None:
    """Replace this database's block in `path` (between its markers), or add it at the end."""
    start = MARK.format(vendor=report.vendor, edge="start")
    end = MARK.format(vendor=report.vendor, edge="end")
    block = f"{start}\n{markdown(report)}{end}"
    text = path.read_text() if path.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import benchmark
from bench import data as benchdata

# Where `make bench` installs Datasette, in an environment of its own (never the project's).
DATASETTE = settings.BASE_DIR / "var" / "datasette-venv" / "bin" / "datasette"


class Command(BaseCommand):
    help = (
        "Generate a synthetic dataset on the configured database (deterministic from --seed), "
        "then measure the pages that grow with the data and write docs/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies every count (default 1.0)"
        )
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument(
            "--runs", type=int, default=7, help="Timed requests per page (default 7)"
        )
        parser.add_argument(
            "--export-runs", type=int, default=3, help="Timed full CSV exports (default 3)"
        )
        parser.add_argument(
            "--cold-runs",
            type=int,
            default=3,
            help="Requests per public page with the cache emptied first (default 3)",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            help="Rows of the admin import measured (default 10,000 times --scale, at most 10,000)",
        )
        parser.add_argument(
            "--reuse", action="store_true", help="Measure the dataset already there"
        )
        parser.add_argument("--generate-only", action="store_true", help="Generate, do not measure")
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "docs" / "performance.md",
            help="Where the table goes (this database's block is replaced)",
        )
        parser.add_argument("--no-write", action="store_true", help="Print, do not write")
        parser.add_argument(
            "--datasette",
            type=Path,
            default=DATASETTE if DATASETTE.exists() else None,
            help="Datasette's executable, for the comparison on SQLite (default: "
            "var/datasette-venv/bin/datasette when there, which `make bench` installs)",
        )
        parser.add_argument(
            "--no-datasette", action="store_true", help="Leave out the Datasette comparison"
        )

    def handle(
        self,
        *args,
        scale,
        cold_runs,
        seed,
        runs,
        export_runs,
        reuse,
        generate_only,
        output,
        no_write,
        import_rows,
        datasette,
        no_datasette,
        **options,
    ):
        size = benchdata.Scale().times(scale)
        generated = None
        if not reuse:
            if not benchdata.is_empty():
                if not benchdata.is_bench_only():
                    raise CommandError(
                        "This database holds entries that are not the benchmark's; point "
                        "DATABASE_URL at a database of its own (see docs/performance.md)."
                    )
                self.stdout.write("Clearing the previous benchmark dataset…")
                benchdata.clear()
            self.stdout.write(f"Generating {size.total():,} entries (seed {seed})…")
            started = time.monotonic()
            benchdata.generate(size, seed=seed, progress=self.stdout.write)
            generated = time.monotonic() - started
            self.stdout.write(f"Generated in {generated:.0f} s.")
        if generate_only:
            return
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: every query is logged; `make bench` sets DEBUG=false.")
        report = benchmark.run(
            runs=runs,
            export_runs=export_runs,
            cold_runs=cold_runs,
            import_rows=import_rows
            or max(20, min(benchmark.IMPORT_ROWS, round(benchmark.IMPORT_ROWS * scale))),
            scale=size,
            generated_s=generated,
            datasette=None if no_datasette else datasette,
            progress=self.stdout.write,
        )
        text = benchmark.markdown(report)
        self.stdout.write(text)
        if not no_write:
            benchmark.write_report(report, output)
            self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tracker.api.datapackage import build_datapackage
from tracker.core import freshness


class Command(BaseCommand):
    help = "Write the published dataset as a Frictionless Data Package (zip of CSVs + datapackage.json)."

    def add_arguments(self, parser):
        parser.add_argument(
            "output", type=Path, help="Where to write the zip, e.g. policy-tracker.zip"
        )
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL or "http://127.0.0.1:8000",
            help="Site address used in the entries' links (default: SITE_URL)",
        )

    def handle(self, *args, output: Path, base_url: str, **options):
        output.write_bytes(build_datapackage(freshness.current(), base_url=base_url))
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({output.stat().st_size:,} bytes)."))

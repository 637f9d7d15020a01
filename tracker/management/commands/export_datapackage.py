from pathlib import Path

from django.core.management.base import BaseCommand
from django.test import RequestFactory

from tracker.exports import build_datapackage, dataset_last_modified


class Command(BaseCommand):
    help = "Write the published dataset as a Frictionless Data Package (zip of CSVs + datapackage.json)."

    def add_arguments(self, parser):
        parser.add_argument(
            "output", type=Path, help="Where to write the zip, e.g. policy-tracker.zip"
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Site address used in the entries' links",
        )

    def handle(self, *args, output: Path, base_url: str, **options):
        scheme, _, host = base_url.partition("://")
        request = RequestFactory().get("/", secure=scheme == "https", headers={"host": host})
        output.write_bytes(build_datapackage(request, dataset_last_modified()))
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({output.stat().st_size:,} bytes)."))

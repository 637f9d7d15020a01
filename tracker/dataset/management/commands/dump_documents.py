"""Write the published dataset in the fixture format that `load_documents` reads."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from tracker.dataset.loader import dump_documents


class Command(BaseCommand):
    help = "Write every published entry, with its citations, as one fixture file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The JSON file to write, e.g. backup.json")

    def handle(self, *args, path: Path, **options):
        document = dump_documents()
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        counts = ", ".join(f"{len(rows)} {kind}" for kind, rows in document.items())
        self.stdout.write(f"Wrote {path}: {counts}.")

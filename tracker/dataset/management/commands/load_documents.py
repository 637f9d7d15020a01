from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.dataset.loader import DatasetError, load_documents


class Command(BaseCommand):
    help = (
        "Load the curated dataset in fixtures/ in one transaction, idempotently. Invalid data is "
        "refused with the file, the record and the reason, and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=settings.BASE_DIR / "fixtures",
            help="Folder of fixture JSON files (default: fixtures/)",
        )
        parser.add_argument(
            "--texts",
            type=Path,
            help="Folder of the documents' texts (*.txt): attach each to the source naming it "
            "(text_file) and refuse any quote found in none of them",
        )

    def handle(self, *args, fixtures: Path, texts: Path | None, **options):
        if not fixtures.is_dir():
            raise CommandError(f"{fixtures} is not a folder.")
        if texts is not None and not any(texts.glob("*.txt")):
            raise CommandError(f"{texts} holds no *.txt documents to check quotes against.")
        if not any(fixtures.glob("*.json")):
            self.stdout.write(f"No fixtures in {fixtures}: nothing to load.")
            return
        try:
            report = load_documents(fixtures, texts=texts)
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Loaded the documents in {fixtures}."))

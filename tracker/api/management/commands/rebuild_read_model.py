"""`manage.py rebuild_read_model`: the stored public read model, rebuilt from scratch.

The write path keeps it in step one change at a time; run this after writing rows around it
(SQL by hand, a restore, rows loaded with COPY), daily (rows whose day has come are then
stored afresh) and to see that nothing drifted: it reports what it had to change, nothing when
all was in step. Editors can also start it from the admin's "Background work".
"""

from django.core.management.base import BaseCommand

from tracker.api import stored


class Command(BaseCommand):
    help = (
        "Rebuild the stored public read model (each entry's visibility, each public "
        "commitment's standing and stored representation, SQLite's search indexes) from "
        "scratch."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(stored.rebuild_read_model().summary())

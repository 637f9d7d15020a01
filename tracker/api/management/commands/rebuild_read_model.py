"""`manage.py rebuild_read_model`: the stored public read model, rebuilt from scratch.

The write path keeps it in step one change at a time; run this after writing rows around it
(SQL by hand, a restore, rows loaded with COPY), daily (rows whose day has come are then
stored afresh) and to see that nothing drifted: it reports what it had to change, nothing when
all was in step.
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
        rebuilt = stored.rebuild_read_model()
        if rebuilt.changed or rebuilt.moved or rebuilt.indexes:
            noun = "entry's" if rebuilt.changed == 1 else "entries'"
            indexes = (
                f" {rebuilt.indexes:,} search {'index' if rebuilt.indexes == 1 else 'indexes'} rebuilt."
                if rebuilt.indexes
                else ""
            )
            self.stdout.write(
                f"Rebuilt: {rebuilt.changed:,} {noun} visibility changed; {rebuilt.written:,} "
                f"standings and stored commitments written ({rebuilt.moved:,} {'row' if rebuilt.moved == 1 else 'rows'} differed).{indexes}"
            )
        else:
            self.stdout.write(
                "Rebuilt: nothing to change, the read model was in step "
                f"({rebuilt.written:,} standings and stored commitments)."
            )

"""`manage.py rebuild_read_model`: the stored public read model, rebuilt from scratch.

The write path keeps it in step one change at a time; run this after writing rows around it
(SQL by hand, a restore, rows loaded with COPY) and to see that nothing drifted: it reports
what it had to change, nothing when all was in step.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from policies.readmodel import rebuild_standings, snapshot
from tracker.core import clock, freshness
from tracker.core.editorial import rebuild_visibility


class Command(BaseCommand):
    help = (
        "Rebuild the stored public read model (each entry's visibility, each public "
        "commitment's standing) from scratch."
    )

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            changed = rebuild_visibility()
            before = snapshot()
            written = rebuild_standings(today=clock.today())
            moved = len(set(before) ^ set(snapshot()))
            if changed or moved:
                freshness.advance()  # no cache may serve what was repaired
        noun = "entry's" if changed == 1 else "entries'"
        self.stdout.write(
            f"Rebuilt: {changed:,} {noun} visibility changed; {written:,} standings written"
            f" ({moved:,} rows differed)."
            if changed or moved
            else f"Rebuilt: nothing to change, the read model was in step ({written:,} standings)."
        )

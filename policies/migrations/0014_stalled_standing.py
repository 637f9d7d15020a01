"""A stalled commitment has a standing of its own ("stalled"), no longer counted as "in progress".

The stored standings (the read model) of the commitments whose latest verdict is "stalled" are
rewritten in place: a stored standing of "in progress" came from that status alone, so no other
row changes, and nothing needs deriving afresh.
"""

from django.db import migrations


def split_stalled(apps, schema_editor):
    rows = apps.get_model("policies", "CommitmentStanding").objects
    rows.filter(standing="in_progress", status="stalled").update(standing="stalled")


def merge_stalled(apps, schema_editor):
    rows = apps.get_model("policies", "CommitmentStanding").objects
    rows.filter(standing="stalled").update(standing="in_progress")


class Migration(migrations.Migration):
    dependencies = [("policies", "0013_sqlite_full_text")]

    operations = [migrations.RunPython(split_stalled, merge_stalled)]

"""The stored representations predate a field the API now shows (each fuzzy date's `edtf`):
they are emptied, so that the API derives each row afresh (the same answer, slower) until
`manage.py rebuild_read_model` stores them again (docs/operations.md)."""

from django.db import migrations


def empty(apps, schema_editor):
    apps.get_model("api", "StoredCommitment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("api", "0001_stored_commitments")]

    operations = [migrations.RunPython(empty, migrations.RunPython.noop)]

from django.db import migrations

from tracker.core.roles import sync_groups


def update_roles(apps, schema_editor):
    # Curators read readers' corrections; editors also decide on them (tracker.core.roles).
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_correction")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]

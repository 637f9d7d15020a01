from django.db import migrations

from tracker.core.roles import sync_groups


def update_roles(apps, schema_editor):
    # Editors start background work and follow it in the admin (tracker.core.roles).
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("api", "0003_background_jobs"), ("tracker", "0005_correction_roles")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]

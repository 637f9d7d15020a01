from django.db import migrations

from tracker.core.roles import sync_groups


def create_roles(apps, schema_editor):
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("sources", "0002_historicalcitation_historicalsource_and_more"),
        ("policies", "0002_historicalactor_historicalassessment_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

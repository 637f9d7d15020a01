from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

from tracker.core.roles import role_permissions


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in ("sources", "policies", "tracker"):
        config = global_apps.get_app_config(app_label)
        create_contenttypes(config, verbosity=0, apps=apps)
        create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in sorted(wanted)
        ]
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("sources", "0002_historicalcitation_historicalsource_and_more"),
        ("policies", "0002_historicalactor_historicalassessment_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

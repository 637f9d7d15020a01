"""The editorial roles and their permissions. The data migration and tests both read this.

The kinds come from the apps' models: every curated model, and the parts edited inline with
an entry (its citations, and the rows of a many-to-many with a model of its own). Any other model
grants a role permissions of its own by declaring them (`granted`, below)."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db.models import Model

from tracker.core.editorial import curated_models

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"


def curated_kinds() -> list[tuple[str, str]]:
    """(app label, model name) of every curated model, in the apps' order."""
    return [_kind(m) for m in curated_models()]


def part_kinds() -> list[tuple[str, str]]:
    """(app label, model name) of the rows saved as part of an entry."""
    parts = {apps.get_model(settings.CITATION_MODEL)}
    parts |= {
        through
        for model in curated_models()
        for field in model._meta.many_to_many
        # `through` is None only until the apps are ready; then it is a model, made or named.
        if (through := field.remote_field.through) is not None and not through._meta.auto_created
    }
    return sorted(_kind(m) for m in parts)


def _kind(model: type[Model]) -> tuple[str, str]:
    app_label, model_name = model._meta.label_lower.split(".")
    return app_label, model_name


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """{group name: {(app_label, codename)}}."""
    curated, parts = curated_kinds(), part_kinds()
    contributor = {
        (app, f"{verb}_{model}") for app, model in curated for verb in ("view", "add", "change")
    }
    contributor |= {
        (app, f"{verb}_{model}")
        for app, model in parts
        for verb in ("view", "add", "change", "delete")
    }
    contributor |= granted(CONTRIBUTOR)
    editor = set(contributor)
    editor |= {(app, f"delete_{model}") for app, model in curated}
    editor |= {(app, f"review_{model}") for app, model in curated}
    editor |= granted(EDITOR)
    return {CONTRIBUTOR: contributor, EDITOR: editor}


def granting_models() -> list[type[Model]]:
    """The models that grant roles permissions of their own: a `role_permissions` attribute,
    {role: (codename, ...)} (readers' corrections, background work)."""
    return [m for m in apps.get_models() if isinstance(getattr(m, "role_permissions", None), dict)]


def granted(role: str) -> set[tuple[str, str]]:
    """(app_label, codename) of what the models grant `role` (an editor is also a contributor)."""
    return {
        (model._meta.app_label, codename)
        for model in granting_models()
        for codename in model.role_permissions.get(role, ())  # type: ignore[attr-defined]
    }


def sync_groups(state_apps: Any) -> None:
    """Give the Contributor and Editor groups exactly the permissions `role_permissions` names,
    creating what is missing: run by the migrations that change them, with their apps."""
    # Permissions are normally created after all migrations; the groups need them now.
    kinds = [*curated_models(), *granting_models()]
    for app_label in sorted({model._meta.app_label for model in kinds}):
        config = apps.get_app_config(app_label)
        create_contenttypes(config, verbosity=0, apps=state_apps)
        create_permissions(config, verbosity=0, apps=state_apps)
    group_model = state_apps.get_model("auth", "Group")
    permission_model = state_apps.get_model("auth", "Permission")
    existing = {
        (app, codename): pk
        for pk, app, codename in permission_model.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, wanted in role_permissions().items():
        group, _ = group_model.objects.get_or_create(name=name)
        # A model a later migration creates has no permissions yet: that migration syncs again.
        group.permissions.set(existing[key] for key in sorted(wanted) if key in existing)


def curators_are_staff(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: object,
) -> None:
    """Joining the Contributor or Editor group is enough to log in to the admin: the member
    becomes staff (Django's admin lets in staff only). Leaving a group takes nothing away, since
    a person may be staff for another reason; the group's permissions go with the group."""
    if action != "post_add" or not pk_set:
        return
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = get_user_model().objects
    curation = Group.objects.filter(name__in=(CONTRIBUTOR, EDITOR))
    if isinstance(instance, Group):  # users added to a group, from the group's side
        if reverse and instance.name in (CONTRIBUTOR, EDITOR):
            users.filter(pk__in=pk_set, is_staff=False).update(is_staff=True)
    elif curation.filter(pk__in=pk_set).exists() and not getattr(instance, "is_staff", True):
        instance.is_staff = True  # type: ignore[attr-defined]  # a user, typed as a model here
        users.filter(pk=instance.pk).update(is_staff=True)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The core keeps the app label "tracker" that its tables and migrations were made with."""

    name = "tracker.core"
    label = "tracker"
    # What the admin lists of it: readers' corrections.
    verbose_name = "From readers"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from tracker.core.roles import curators_are_staff

        m2m_changed.connect(
            curators_are_staff,
            sender=get_user_model().groups.through,
            dispatch_uid="curators_are_staff",
        )

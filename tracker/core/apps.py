from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The core keeps the app label "tracker" that its tables and migrations were made with."""

    name = "tracker.core"
    label = "tracker"

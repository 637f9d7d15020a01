from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    """The admin, with tracker.core.admin_site.TrackerAdminSite (review queues) as its site."""

    default_site = "tracker.core.admin_site.TrackerAdminSite"

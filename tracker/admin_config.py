from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    """The admin, with tracker.admin_site.TrackerAdminSite (review queues) as its site."""

    default_site = "tracker.admin_site.TrackerAdminSite"

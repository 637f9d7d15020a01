from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ApiConfig(AppConfig):
    name = "tracker.api"
    label = "api"
    verbose_name = "API and background work"

    def ready(self) -> None:
        # The stored commitments follow every save of a public entry, as the standings do.
        from policies.models import Assessment
        from sources.models import Citation
        from tracker.api import stored, tasks
        from tracker.core import freshness
        from tracker.core.editorial import public_entry_saved

        public_entry_saved.connect(stored.keep_in_step, dispatch_uid="export-rows")
        post_delete.connect(
            stored.assessment_deleted, sender=Assessment, dispatch_uid="export-rows-delete"
        )
        for signal in (post_save, post_delete):
            signal.connect(stored.citation_changed, sender=Citation, dispatch_uid="export-rows")
        # The public files of each new data version, built by a task once its move commits.
        freshness.moved.connect(tasks.after_publication, dispatch_uid="public-files")

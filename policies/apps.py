from django.apps import AppConfig
from django.db.models.signals import post_delete


class PoliciesConfig(AppConfig):
    name = "policies"

    def ready(self) -> None:
        # The stored read model of standings follows every save of a public entry.
        from policies import readmodel
        from policies.models import Assessment
        from tracker.core.editorial import public_entry_saved

        public_entry_saved.connect(readmodel.keep_in_step, dispatch_uid="standings")
        post_delete.connect(
            readmodel.assessment_deleted, sender=Assessment, dispatch_uid="standings-delete"
        )

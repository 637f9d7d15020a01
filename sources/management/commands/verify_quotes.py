from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sources.models import Source


class Command(BaseCommand):
    help = (
        "Check every quote against the text of its source again (sources whose text is held), "
        "record the results, and list the quotes not found: exits with an error if there are any."
    )

    def handle(self, *args, **options):
        checked = missing = 0
        for source in Source.objects.exclude(text="").order_by("pk").iterator(chunk_size=20):
            with transaction.atomic():
                not_found = source.reverify()
            checked += source.citations_made.count()
            missing += len(not_found)
            for citation in not_found:
                self.stdout.write(
                    f"{source.slug}: citation {citation.pk} of {citation.content_type.model} "
                    f"{citation.object_id} is not in the text: {citation.quote[:80]!r}"
                )
        self.stdout.write(
            f"{checked} quote(s) checked, {missing} not found in their source's text."
        )
        if missing:
            raise CommandError(f"{missing} quote(s) no longer match their source's text.")

from django.core.management.base import BaseCommand, CommandError

from sources.verification import reverify_all


class Command(BaseCommand):
    help = (
        "Check every quote against the text of its source again (sources whose text is held), "
        "record the results, and list the quotes not found: exits with an error if there are any."
    )

    def handle(self, *args, **options):
        verified = reverify_all()
        for source, citation in verified.missing:
            self.stdout.write(
                f"{source.slug}: citation {citation.pk} of {citation.content_type.model} "
                f"{citation.object_id} is not in the text: {citation.quote[:80]!r}"
            )
        self.stdout.write(verified.summary())
        if verified.missing:
            raise CommandError(
                f"{len(verified.missing)} quote(s) no longer match their source's text."
            )

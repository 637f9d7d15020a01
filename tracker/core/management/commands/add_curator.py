import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from tracker.core.roles import CONTRIBUTOR, EDITOR

ROLES = {"contributor": CONTRIBUTOR, "editor": EDITOR}


class Command(BaseCommand):
    help = (
        "Give a person a curator's account: a contributor writes and submits, an editor also "
        "reviews and publishes. Creates the account (user name = email) or updates it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask for no password: a new account gets none until `changepassword EMAIL`",
        )

    def handle(
        self, *args: object, email: str, role: str, interactive: bool, **options: object
    ) -> None:
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError(f"No {ROLES[role]} group: run `manage.py migrate` first.") from None
        users = get_user_model().objects
        user = users.filter(username__iexact=email).first()
        created = user is None
        if user is None:
            user = users.model(username=email, email=email)
            password = self._password(user) if interactive else None
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
        with transaction.atomic():
            user.is_staff = user.is_active = True
            user.save()
            user.groups.add(group)
        self.stdout.write(
            f"{'Created' if created else 'Updated'} {email}: {ROLES[role]}, may log in at /admin/."
        )
        if not user.has_usable_password():
            self.stdout.write(f"Set a password with: manage.py changepassword {email}")

    def _password(self, user: User) -> str:
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password

from django.core.management.base import BaseCommand, CommandError

from minipolice.accounts.models import User
from minipolice.api.services import create_api_token


class Command(BaseCommand):
    help = (
        "Make a new API token for the user with this email address and print it. The token is "
        "shown only this once: only its hash is stored. It acts with exactly the user's roles."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="What the token is for, to tell it apart")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}.")
        if not user.is_active:
            raise CommandError(f"{email} is deactivated: a token for them would not work.")
        token, raw = create_api_token(acting_user=None, user=user, name=name)
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… made for {user.email}. Send it as "
            "`Authorization: Bearer <token>`. It is not shown again."
        )

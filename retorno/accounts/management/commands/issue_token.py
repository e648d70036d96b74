from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.actions import create_token
from retorno.accounts.middleware import active_memberships
from retorno.accounts.models import User
from retorno.lib.errors import ActionError


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (and nothing else) on stdout."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="issued from the command line")
        parser.add_argument(
            "--organisation", help="Code of the organisation the token acts for (default: first)"
        )

    def handle(self, *args, username, name, organisation=None, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        memberships = active_memberships(user)
        if organisation:
            memberships = [m for m in memberships if m.organisation.code == organisation.upper()]
        if not memberships:
            raise CommandError(f"{username} has no active role{' there' if organisation else ''}.")
        user.membership = memberships[0]
        try:
            _token, key = create_token(user, actor=user, name=name, membership=memberships[0])
        except ActionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(key)

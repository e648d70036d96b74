from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.middleware import active_memberships
from retorno.accounts.models import User
from retorno.directory import access, actions, exchange, reading
from retorno.lib.errors import ActionError


class Command(BaseCommand):
    help = (
        "Import a country's directory of services from HSDS 3.0 JSON or CSV. Nothing is "
        "imported while anything in the file has a problem; every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--country", required=True, help="ISO code of the country, like PE")
        parser.add_argument(
            "--actor",
            required=True,
            help="Username of a coordinator of the country's national desk",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file, import nothing")

    def handle(self, *args, file, country, actor, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        country = country.upper()
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {actor!r}.")
        user.membership = next(
            (m for m in active_memberships(user) if _maintains(user, m, country)), None
        )
        if user.membership is None:
            raise CommandError(
                f"{actor} is not a coordinator of the national desk of {country}, so may not "
                "change its directory."
            )
        try:
            dataset = reading.read_file(path.name, path.read_bytes(), country)
        except exchange.FileError as error:
            raise CommandError(error.message) from None
        if not dataset.ok:
            for problem in dataset.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(
                f"{len(dataset.problems)} problems in {path.name}; nothing was imported."
            )
        counts = dataset.counts()
        summary = ", ".join(
            f"{kind}: {c['new']} new, {c['existing']} existing" for kind, c in counts.items()
        )
        if dry_run:
            self.stdout.write(f"The file is valid ({summary}); nothing imported (dry run).")
            return
        try:
            result = actions.import_directory(
                actor=user, country=country, dataset=dataset, file_name=path.name
            )
        except ActionError as error:
            raise CommandError(str(error.message)) from None
        done = ", ".join(f"{k} {v}" for k, v in result.items())
        self.stdout.write(f"Imported into the directory of {country}: {done}.")


def _maintains(user, membership, country) -> bool:
    user.membership = membership
    return access.may_edit_country(user, country)

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.middleware import active_memberships
from retorno.accounts.models import Organisation, User
from retorno.cases import actions, importing, rules
from retorno.lib.errors import ActionError


class Command(BaseCommand):
    help = (
        "Import persons from a CSV or XLSX file: each row becomes a person with an open case at "
        "the desk. Nothing is imported while any row is bad; every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--desk", required=True, help="Code of the desk, like MIL or LIM")
        parser.add_argument("--actor", required=True, help="Username of the coordinator importing")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, import nothing")

    def handle(self, *args, file, desk, actor, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        organisation = Organisation.objects.filter(code=desk.upper(), is_active=True).first()
        if organisation is None:
            raise CommandError(f"No active desk with the code {desk!r}.")
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {actor!r}.")
        membership = next(
            (m for m in active_memberships(user) if m.organisation_id == organisation.pk), None
        )
        if membership is None:
            raise CommandError(f"{actor} has no role at {organisation.code}.")
        user.membership = membership
        try:
            result = importing.parse_import(
                path.name,
                path.read_bytes(),
                default_phone_region=rules.phone_country(
                    rules.phone_field_at(organisation), desk=organisation
                ),
            )
        except importing.ImportFileError as error:
            raise CommandError(str(error.message)) from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"error: {error}")
            bad = len(result.error_lines)
            raise CommandError(
                f"{bad} bad rows out of {len(result.rows) + bad}; nothing was imported."
            )
        if dry_run:
            self.stdout.write(f"{len(result.rows)} rows are valid; nothing imported (dry run).")
            return
        try:
            count = actions.import_persons(
                actor=user, desk=organisation, rows=result.rows, file_name=path.name
            )
        except ActionError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Imported {count} persons into {organisation.code}.")

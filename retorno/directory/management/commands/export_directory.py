from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retorno.audit.events import record
from retorno.directory import hsds, tabular
from retorno.directory.models import RETURN_COUNTRIES


class Command(BaseCommand):
    help = (
        "Write one country's directory of services as Open Referral HSDS 3.0 JSON or as CSV "
        "(the files the directory's import page reads back)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True, help="ISO code of the country, like PE")
        parser.add_argument("--format", choices=["hsds", "csv"], default="hsds")
        parser.add_argument("--output", required=True, help="Where to write the file")
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="Leave out inactive entries and those not shown to the public",
        )

    def handle(self, *args, country, format, output, public_only=False, **options):
        country = country.upper()
        if country not in RETURN_COUNTRIES:
            raise CommandError(
                f"{country!r} is not a country of return: {', '.join(RETURN_COUNTRIES)}."
            )
        writer = hsds.write if format == "hsds" else tabular.write
        text = writer(country, public_only=public_only)
        Path(output).write_text(text, encoding="utf-8")
        record(
            "directory.exported",
            actor=None,
            actor_username="manage.py",
            detail={"country": country, "format": format, "public_only": public_only},
        )
        self.stdout.write(f"The directory of {country} is written to {output} ({format}).")

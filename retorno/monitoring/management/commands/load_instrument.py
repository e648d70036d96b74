"""Load a version of a survey instrument from its JSON file:
`manage.py load_instrument retorno/monitoring/instruments/rss-2.json`. Loading the same file
again changes nothing; another file under a version number already loaded is refused."""

import json

from django.core.management.base import BaseCommand, CommandError

from retorno.lib.errors import ActionError
from retorno.monitoring.actions import load_instrument_version


class Command(BaseCommand):
    help = "Load a survey instrument version from a JSON file (docs/monitoring-survey.md)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as file:
                definition = json.load(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            version, created = load_instrument_version(definition)
        except ActionError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{version} {'loaded' if created else 'was already loaded'}")

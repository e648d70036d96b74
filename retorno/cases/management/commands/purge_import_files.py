import datetime

from django.core.management.base import BaseCommand

from retorno.cases import import_files


class Command(BaseCommand):
    help = (
        "Delete the checked import files that coordinators uploaded but never ran or cancelled, "
        "once they are older than --hours (default 24). Run it from the scheduler, hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=float, default=import_files.MAX_AGE.total_seconds() / 3600
        )

    def handle(self, *args, hours, **options):
        deleted = import_files.purge_expired(max_age=datetime.timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} import files older than {hours:g} hours.")

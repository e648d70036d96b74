"""Erase the leads closed without becoming a case whose retention period has passed (the
periodic job: run it once a day). `manage.py erase_expired_leads [--today YYYY-MM-DD]`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from retorno.outreach.actions.leads import erase_expired_leads


class Command(BaseCommand):
    help = "Erase the leads closed without a case whose retention period has passed."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to erase as of (YYYY-MM-DD); default today")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today {today}: {error}") from error
        erased = erase_expired_leads(today=day)
        total = sum(erased.values())
        details = ", ".join(f"{code} {count}" for code, count in sorted(erased.items()))
        self.stdout.write(f"{total} leads erased" + (f" ({details})" if details else ""))

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from retorno.demo.cases import ensure_demo_cases
from retorno.demo.directory import ensure_directory
from retorno.demo.foundation import ACCOUNTS, DEMO_PASSWORD, ensure_foundation
from retorno.demo.grants import ensure_demo_grants
from retorno.demo.monitoring import ensure_demo_monitoring
from retorno.demo.outreach import ensure_demo_outreach
from retorno.demo.plans import ensure_demo_plans


class Command(BaseCommand):
    help = "Load Retorno's demo organisations and accounts. Safe to run again: it changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load the demo even when DEBUG is off."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off: they have a public password. "
                "Use --force if this really is a demo server."
            )
        organisations, users = ensure_foundation()
        ensure_directory(organisations)
        # The demo's handovers would email the national desks: nobody needs those.
        backend, settings.EMAIL_BACKEND = (
            settings.EMAIL_BACKEND,
            "django.core.mail.backends.dummy.EmailBackend",
        )
        try:
            cases = ensure_demo_cases(users, organisations)
            plans = ensure_demo_plans()
            grants = ensure_demo_grants()
            monitored = ensure_demo_monitoring()
            leads = ensure_demo_outreach()
        finally:
            settings.EMAIL_BACKEND = backend
        self.stdout.write(
            f"Demo data ready: {len(organisations)} organisations, {len(users)} accounts, "
            f"{cases or 'no new'} demo cases, {plans or 'no new'} demo plans, "
            f"{grants or 'no new'} demo grants, {monitored or 'no new'} monitored demo cases, "
            f"{leads or 'no new'} demo leads; the public site's pages and guides published."
        )
        self.stdout.write(f"Sign in at {settings.SITE_URL}/ with password {DEMO_PASSWORD}:")
        for account in ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<15} {account.role.label:<26} {account.organisation}"
            )

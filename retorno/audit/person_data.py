"""What the audit trail holds about a person: who saw or changed their record, and when."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retorno.audit import verbs
from retorno.audit.models import AuditEvent
from retorno.lib.plugins import PersonDataSection


def person_data(person) -> list[PersonDataSection]:
    events = AuditEvent.objects.filter(person_id=person.public_id).order_by("occurred_at", "id")
    rows = tuple(
        (
            date_format(timezone.localtime(event.occurred_at), "DATETIME_FORMAT"),
            f"{verbs.label(event.verb)} · {event.actor_username} · {event.organisation_code}",
        )
        for event in events.only("occurred_at", "verb", "actor_username", "organisation_code")
    )
    return [PersonDataSection(_("Who saw or changed the record"), rows)] if rows else []

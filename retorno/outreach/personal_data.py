"""What outreach holds about a person, and how it is anonymised. A lead that became a case is
linked to the person through the case; a sign-up is not linked to anyone registered."""

from django.db import transaction
from django.utils.translation import gettext as _

from retorno.audit.events import record
from retorno.lib.plugins import PersonDataSection
from retorno.outreach.models import Lead


def person_data(person) -> list:
    leads = Lead.objects.filter(case__person=person).order_by("created_at")
    rows = []
    for lead in leads:
        rows.extend(
            [
                (_("Lead"), lead.reference),
                (_("Source"), lead.get_source_display()),
                (_("Received on"), lead.created_at.date().isoformat()),
                (_("Name given"), f"{lead.given_names} {lead.surnames}".strip()),
                (_("Contact given"), ", ".join(x for x in (lead.phone, lead.email) if x)),
                (_("Referring organisation"), lead.referrer_name or "—"),
            ]
        )
    return [PersonDataSection(_("Requests to be contacted"), tuple(rows))] if rows else []


@transaction.atomic
def anonymise_person(person, *, actor) -> int:
    leads = list(Lead.objects.select_for_update().filter(case__person=person))
    for lead in leads:
        lead.given_names = "—"
        lead.surnames = ""
        lead.phone = ""
        lead.email = "anonymised@invalid"
        lead.province = ""
        lead.referrer_contact = ""
        lead.note = ""
        lead.save()
        record("lead.anonymised", actor=actor, target=lead, person_id=person.public_id)
    return len(leads)

"""What referrals holds about a person (the referrals of their cases and their threads) and how
it anonymises it: the texts go; services, statuses, outcomes and dates stay for statistics."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.audit.events import record
from retorno.lib.plugins import PersonDataSection
from retorno.referrals.models import Referral, ReferralUpdate


def _referrals(person):
    return Referral.objects.filter(case__person=person)


def person_data(person) -> list[PersonDataSection]:
    referrals = list(_referrals(person).select_related("case", "service").order_by("sent_at", "pk"))
    updates = list(
        ReferralUpdate.objects.filter(referral__in=referrals).order_by("created_at", "pk")
    )
    sections = []
    for referral in referrals:
        rows = [
            (str(_("reference")), referral.reference),
            (str(_("case")), referral.case.reference),
            (str(_("service")), referral.service.name),
            (str(_("what the person needs")), referral.need),
            (str(_("status")), str(referral.get_status_display())),
        ]
        if referral.reason:
            rows.append((str(_("reason")), referral.reason))
        if referral.outcome:
            rows.append((str(_("outcome")), str(referral.get_outcome_display())))
        rows += [
            (update.author_name, update.text)
            for update in updates
            if update.referral_id == referral.pk and update.text
        ]
        sections.append(PersonDataSection(_("Referral"), tuple(rows)))
    return sections


def anonymise_person(person, *, actor) -> int:
    """Blank the texts of the referrals of the person's cases; atomic, audited
    (`referral.anonymised`)."""
    with transaction.atomic():
        referrals = _referrals(person)
        changed = {
            "referrals": referrals.update(need="", reason=""),
            "updates": ReferralUpdate.objects.filter(referral__in=referrals).update(text=""),
        }
        if changed["referrals"]:
            record(
                "referral.anonymised",
                actor=actor,
                target=person,
                person_id=person.public_id,
                detail=changed,
            )
    return sum(changed.values())

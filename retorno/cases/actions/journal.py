"""The case journal: entries and their corrections."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.cases.actions.common import event, touch_case
from retorno.cases.models import (
    Case,
    JournalEntry,
)
from retorno.cases.rules import (
    audit_case,
    require_case_owner,
)
from retorno.lib.errors import ActionError


@transaction.atomic
def add_journal_entry(
    case: Case,
    *,
    actor,
    kind: str,
    occurred_on,
    summary: str,
    duration_minutes: int | None = None,
    participants: str = "",
    confidential: bool = False,
) -> JournalEntry:
    require_case_owner(actor, case)
    if not summary.strip():
        raise ActionError(_("Enter a summary"), field="summary")
    if occurred_on > timezone.localdate():
        raise ActionError(_("The date cannot be in the future"), field="occurred_on")
    entry = JournalEntry.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary.strip(),
        duration_minutes=duration_minutes,
        participants=participants.strip(),
        confidential=confidential,
        author=actor,
        author_desk=actor.organisation,
    )
    touch_case(case)
    audit_case(
        "journal.added",
        actor=actor,
        case=case,
        target=case,
        detail={"kind": kind, "confidential": confidential, "entry": str(entry.public_id)},
    )
    event(case, "journal_added", actor=actor, journal_entry=entry, kind=kind, date=str(occurred_on))
    return entry


@transaction.atomic
def amend_journal_entry(entry: JournalEntry, *, actor, summary: str, reason: str) -> JournalEntry:
    """A correction is a new entry pointing at the original, which stays readable."""
    case = entry.case
    require_case_owner(actor, case)
    if hasattr(entry, "amendment"):
        raise ActionError(_("This entry was already corrected. Correct the latest version."))
    if entry.author_id != actor.pk and not actor.can(Capability.MANAGE_CASES):
        raise ActionError(
            _("Only the author or a coordinator can correct an entry."), code="forbidden"
        )
    if not reason.strip():
        raise ActionError(_("Say why the entry is corrected"), field="reason")
    if not summary.strip():
        raise ActionError(_("Enter a summary"), field="summary")
    amendment = JournalEntry.objects.create(
        case=case,
        kind=entry.kind,
        occurred_on=entry.occurred_on,
        duration_minutes=entry.duration_minutes,
        participants=entry.participants,
        summary=summary.strip(),
        confidential=entry.confidential,
        author=actor,
        author_desk=actor.organisation,
        amends=entry,
        amendment_reason=reason.strip(),
    )
    audit_case(
        "journal.amended",
        actor=actor,
        case=case,
        detail={
            "entry": str(entry.public_id),
            "amendment": str(amendment.public_id),
            "reason": reason,
        },
    )
    event(case, "journal_amended", actor=actor, journal_entry=amendment, kind=entry.kind)
    return amendment

"""What every case action shares: the timeline line, the case's last change, the version check."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import (
    Case,
    CaseEvent,
)
from retorno.lib.errors import ActionError


def event(case: Case, event_kind: str, /, *, actor, journal_entry=None, **params) -> CaseEvent:
    """A line on the case's timeline."""
    return CaseEvent.objects.create(
        case=case,
        kind=event_kind,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor is not None else "",
        actor_desk=getattr(actor, "organisation", None) if actor is not None else None,
        params={
            k: str(v) if not isinstance(v, int | bool | list) else v for k, v in params.items()
        },
        journal_entry=journal_entry,
    )


def touch_case(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())


def check_version(case: Case, expected_version: int | None) -> None:
    """Refuse a change made on an out-of-date page: someone else changed the case since."""
    if expected_version is not None and case.version != expected_version:
        raise ActionError(
            _(
                "Someone else changed this case while you were working on it. Check what "
                "changed, then try again."
            ),
            code="conflict",
        )

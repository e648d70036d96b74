"""The rules a change to a case checks, for the actions of cases and of the apps built on a case
(plans, referrals...): who may change it, and whether it is still open."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.cases.models import Case, Phase
from retorno.lib.errors import ActionError


def require_capability(actor, capability: str) -> None:
    if not actor.can(capability):
        raise ActionError(_("Your role does not allow this."), code="forbidden")


def require_case_owner(actor, case: Case) -> None:
    """Changing a case needs a role that works on cases, at the desk that owns it."""
    require_capability(actor, Capability.WORK_CASES)
    if actor.organisation is None or case.owning_desk_id != actor.organisation.pk:
        raise ActionError(_("Only the desk that owns this case can change it."), code="forbidden")


def require_case_open(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        raise ActionError(_("This case is closed. Reopen it first."), code="closed")


def audit_case(verb, *, actor, case=None, person=None, target=None, **kwargs):
    """The audit event of a change to a case or a person, tied to the person it is about."""
    person = person or (case.person if case is not None else None)
    return record(
        verb,
        actor=actor,
        target=target or case or person,
        person_id=person.public_id if person is not None else None,
        **kwargs,
    )

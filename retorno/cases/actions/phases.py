"""Moving a case along its phases, closing and reopening it; vulnerability and needs."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.audit.events import diff
from retorno.cases import hooks
from retorno.cases.actions.common import check_version, event, touch_case
from retorno.cases.models import (
    SENSITIVE_VULNERABILITIES,
    Case,
    CaseEvent,
    NeedsAssessment,
    Phase,
    Task,
    VulnerabilityProfile,
)
from retorno.cases.rules import (
    audit_case,
    phase_problem,
    require_capability,
    require_case_open,
    require_case_owner,
)
from retorno.lib.errors import ActionError


@transaction.atomic
def change_phase(
    case: Case, *, actor, to: str, note: str = "", expected_version: int | None = None
) -> Case:
    require_case_owner(actor, case)
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    check_version(case, expected_version)
    problem = phase_problem(case, to)
    if problem:
        raise ActionError(problem, field="phase")
    changes = diff(case, {"phase": to})
    case.phase = to
    case.phase_changed_at = timezone.now()
    case.version += 1
    case.save(update_fields=["phase", "phase_changed_at", "updated_at", "version"])
    audit_case("case.phase_changed", actor=actor, case=case, changes=changes, detail={"note": note})
    event(case, "phase_changed", actor=actor, phase=to, previous=changes["phase"][0], note=note)
    hooks.run_phase_changed(case, actor=actor, previous=changes["phase"][0])
    return case


@transaction.atomic
def close_case(
    case: Case,
    *,
    actor,
    reason: str,
    note: str = "",
    cancel_open_tasks: bool = False,
    expected_version: int | None = None,
) -> Case:
    require_case_owner(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.phase != Phase.CLOSED:
        check_version(case, expected_version)
    if case.phase == Phase.CLOSED:
        raise ActionError(_("This case is already closed."), code="already_done")
    if case.phase == Phase.HANDED_OVER:
        raise ActionError(_("The case is waiting for the receiving desk to accept or return it."))
    if not reason:
        raise ActionError(_("Choose the reason for closing the case"), field="reason")
    open_tasks = Task.objects.filter(case=case, status=Task.Status.OPEN)
    # Tasks someone set need a confirmation; scheduled ones (follow-ups) end with the case.
    count = open_tasks.filter(scheduled=False).count()
    if count and not cancel_open_tasks:
        raise ActionError(
            _("The case has open tasks. Confirm that they should be cancelled."),
            field="cancel_open_tasks",
        )
    scheduled = open_tasks.filter(scheduled=True).count()
    open_tasks.update(status=Task.Status.CANCELLED, completed_at=timezone.now(), completed_by=actor)
    previous = case.phase
    case.phase = Phase.CLOSED
    case.closed_reason = reason
    case.phase_changed_at = timezone.now()
    case.version += 1
    case.save(update_fields=["phase", "closed_reason", "phase_changed_at", "updated_at", "version"])
    audit_case(
        "case.closed",
        actor=actor,
        case=case,
        changes={"phase": [previous, Phase.CLOSED]},
        detail={
            "reason": reason,
            "note": note,
            "tasks_cancelled": count,
            "scheduled_tasks_cancelled": scheduled,
        },
    )
    event(case, "closed", actor=actor, reason=reason, note=note, tasks_cancelled=count)
    hooks.run_phase_changed(case, actor=actor, previous=previous)
    return case


@transaction.atomic
def reopen_case(case: Case, *, actor, note: str = "") -> Case:
    require_case_owner(actor, case)
    require_capability(actor, Capability.MANAGE_CASES)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.phase != Phase.CLOSED:
        raise ActionError(_("This case is open."), code="already_done")
    last = CaseEvent.objects.filter(case=case, kind="closed").order_by("-occurred_at").first()
    # Back to where it was; a national desk's case reopens in reintegration at the latest.
    phase = Phase.REINTEGRATION if case.owning_desk.kind == "national_desk" else Phase.PREPARATION
    previous_closing = last.params.get("reason") if last else ""
    case.phase = phase
    case.closed_reason = ""
    case.phase_changed_at = timezone.now()
    case.version += 1
    case.save(update_fields=["phase", "closed_reason", "phase_changed_at", "updated_at", "version"])
    audit_case(
        "case.reopened",
        actor=actor,
        case=case,
        detail={"phase": phase, "note": note, "was_closed_as": previous_closing},
    )
    event(case, "reopened", actor=actor, phase=phase, note=note)
    hooks.run_phase_changed(case, actor=actor, previous=Phase.CLOSED)
    return case


@transaction.atomic
def record_vulnerability(
    case: Case,
    *,
    actor,
    categories: list[str],
    notes: str = "",
    expected_version: int | None = None,
) -> Case:
    """A new profile; GBV or trafficking marks the case sensitive. Only a coordinator can
    remove the flag later (remove_sensitive_flag), so it never silently goes away."""
    require_case_owner(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_version(case, expected_version)
    categories = sorted(set(categories))
    VulnerabilityProfile.objects.create(
        case=case, categories=categories, notes=notes, recorded_by=actor
    )
    previous = case.vulnerability_codes
    case.vulnerabilities = "," + ",".join(categories) + "," if categories else ""
    fields = ["vulnerabilities", "updated_at"]
    became_sensitive = bool(SENSITIVE_VULNERABILITIES & set(categories)) and not case.sensitive
    if became_sensitive:
        case.sensitive = True
        fields.append("sensitive")
    case.version += 1
    case.save(update_fields=[*fields, "version"])
    audit_case(
        "case.vulnerability_recorded",
        actor=actor,
        case=case,
        changes={"vulnerabilities": [previous, categories]},
        detail={"became_sensitive": became_sensitive},
    )
    event(case, "vulnerability_recorded", actor=actor, became_sensitive=became_sensitive)
    return case


@transaction.atomic
def remove_sensitive_flag(case: Case, *, actor, reason: str) -> Case:
    require_case_owner(actor, case)
    require_capability(actor, Capability.MANAGE_CASES)
    if not reason.strip():
        raise ActionError(_("Enter the reason for removing the flag"), field="reason")
    if not case.sensitive:
        raise ActionError(_("This case is not marked sensitive."), code="already_done")
    case.sensitive = False
    case.version += 1
    case.save(update_fields=["sensitive", "updated_at", "version"])
    audit_case("case.sensitive_removed", actor=actor, case=case, detail={"reason": reason})
    event(case, "sensitive_removed", actor=actor, reason=reason)
    return case


@transaction.atomic
def record_assessment(
    case: Case, *, actor, assessed_on, summary: str = "", **scores
) -> NeedsAssessment:
    require_case_owner(actor, case)
    require_case_open(case)
    assessment = NeedsAssessment.objects.create(
        case=case, assessed_on=assessed_on, summary=summary, assessed_by=actor, **scores
    )
    touch_case(case)
    audit_case("case.assessment_recorded", actor=actor, case=case, detail=scores)
    event(case, "assessment_recorded", actor=actor)
    return assessment

"""Registering a returnee and opening the case; household, caseworkers, priority."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Membership, Organisation
from retorno.accounts.roles import Capability, Role
from retorno.audit.events import diff
from retorno.cases import hooks, matching
from retorno.cases.actions.common import event, touch_case
from retorno.cases.actions.handover import notify_assigned
from retorno.cases.actions.persons import create_person
from retorno.cases.models import (
    Assignment,
    Case,
    HouseholdMember,
    Person,
    Phase,
    Priority,
    ReferenceCounter,
)
from retorno.cases.queries import similar_persons
from retorno.cases.rules import (
    audit_case,
    require_capability,
    require_case_open,
    require_case_owner,
)
from retorno.lib.errors import ActionError, PossibleDuplicate
from retorno.programmes.models import Cycle
from retorno.programmes.queries import current_cycle


def _next_reference(desk: Organisation, year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        desk=desk, year=year
    )
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{desk.code}-{year}-{counter.last:04d}"


def starting_phase(desk: Organisation, phase: str | None) -> str:
    if desk.kind == Organisation.Kind.NATIONAL_DESK:
        if phase not in (None, "", Phase.RECEPTION):
            raise ActionError(
                _("A case opened at a national desk starts at reception."), field="phase"
            )
        return Phase.RECEPTION
    if desk.kind == Organisation.Kind.EUROPEAN_DESK:
        if phase in (None, ""):
            return Phase.INQUIRY
        if phase not in (Phase.INQUIRY, Phase.INTAKE):
            raise ActionError(
                _("A case opened at a European desk starts at inquiry or intake."), field="phase"
            )
        return phase
    raise ActionError(_("Only desks open cases."), code="forbidden")


@transaction.atomic
def register_returnee(
    *,
    actor,
    person: dict,
    documents=(),
    phase: str | None = None,
    priority: str = "normal",
    cycle: Cycle | None = None,
    confirmed_not_duplicate: bool = False,
) -> Case:
    """Register a person and open their case at the actor's desk, in one go. When someone
    registered already looks like them, nothing is saved until the actor confirms this is
    someone else (`confirmed_not_duplicate`): PossibleDuplicate says who looks alike."""
    require_capability(actor, Capability.WORK_CASES)
    if actor.organisation is None or not actor.organisation.is_desk:
        raise ActionError(_("Cases are opened at a desk."), code="forbidden")
    if not confirmed_not_duplicate:
        require_not_duplicate(actor, person, documents)
    desk = actor.organisation
    new_person = create_person(fields=person, documents=documents)
    return _open_case(
        new_person, actor=actor, desk=desk, phase=phase, priority=priority, cycle=cycle
    )


@transaction.atomic
def register_inquiry(
    *, actor, person: dict, confirmed_not_duplicate: bool = False, source_note: str = ""
) -> Case:
    """Open a case in phase inquiry at the actor's European desk for a person who asked the
    programme for help (a request to be contacted, say). Caseworkers and coordinators of the
    desk do it, and so do its outreach officers, who turn requests into inquiries but do not
    work on cases (they do not see the case afterwards). The duplicate rule is the one of
    registration (`require_not_duplicate`); `source_note` says where the request came from and
    is kept with the audit event of the opening."""
    if not (actor.can(Capability.WORK_CASES) or actor.can(Capability.RUN_OUTREACH)):
        raise ActionError(_("Your role does not allow this."), code="forbidden")
    desk = actor.organisation
    if desk is None or desk.kind != Organisation.Kind.EUROPEAN_DESK or not desk.is_active:
        raise ActionError(_("Inquiries are opened at a European desk."), code="forbidden")
    if not confirmed_not_duplicate:
        require_not_duplicate(actor, person)
    new_person = create_person(fields=person)
    case = _open_case(
        new_person, actor=actor, desk=desk, phase=Phase.INQUIRY, priority="normal", audit=False
    )
    detail = {"desk": desk.code, "phase": Phase.INQUIRY, "cycle": str(case.cycle)}
    if source_note:
        detail["source"] = source_note
    audit_case("case.opened", actor=actor, case=case, detail=detail)
    return case


def require_not_duplicate(actor, person: dict, documents=()) -> None:
    """The rule at registration, for the pages, the API and anything else that registers: a
    person who looks like someone registered already (whether the actor may see them or not) is
    registered only once the actor confirmed they are someone else."""
    record = matching.record_of(person, documents=[d["number"] for d in documents])
    similar, hidden_match = similar_persons(actor, record)
    if similar or hidden_match:
        raise PossibleDuplicate(
            _(
                "Someone who looks like this person is registered already. Check that this is "
                "someone else before you register them."
            ),
            similar=similar,
            hidden_match=hidden_match,
        )


def _open_case(person, *, actor, desk, phase, priority, cycle=None, audit=True) -> Case:
    phase = starting_phase(desk, phase)
    cycle = cycle or current_cycle(desk)
    now = timezone.now()
    case = Case.objects.create(
        reference=_next_reference(desk, timezone.localdate().year),
        cycle=cycle,
        person=person,
        owning_desk=desk,
        origin_desk=desk if desk.kind == Organisation.Kind.EUROPEAN_DESK else None,
        phase=phase,
        phase_changed_at=now,
        priority=priority or "normal",
    )
    if actor.role == Role.CASEWORKER:
        Assignment.objects.create(case=case, user=actor, assigned_by=actor)
    if audit:
        audit_case(
            "case.opened",
            actor=actor,
            case=case,
            detail={"desk": desk.code, "phase": phase, "cycle": str(cycle)},
        )
    event(case, "case_opened", actor=actor, phase=phase, desk=desk.name)
    hooks.run_phase_changed(case, actor=actor, previous=None)
    return case


@transaction.atomic
def add_household_member(
    case: Case,
    *,
    actor,
    relationship: str,
    person: dict | None = None,
    existing: Person | None = None,
    returning: bool = True,
) -> HouseholdMember:
    require_case_owner(actor, case)
    require_case_open(case)
    if existing is None:
        existing = create_person(fields=person or {})
    elif existing.pk == case.person_id or case.household.filter(person=existing).exists():
        raise ActionError(_("This person is already in the household."))
    member = HouseholdMember.objects.create(
        case=case, person=existing, relationship=relationship, returning=returning
    )
    touch_case(case)
    audit_case(
        "case.household_added",
        actor=actor,
        case=case,
        detail={"relationship": relationship, "member": str(existing.public_id)},
    )
    event(case, "household_added", actor=actor, relationship=relationship, name=existing.full_name)
    return member


@transaction.atomic
def remove_household_member(member: HouseholdMember, *, actor) -> None:
    case = member.case
    require_case_owner(actor, case)
    name, relationship = member.person.full_name, member.relationship
    member.delete()
    touch_case(case)
    audit_case(
        "case.household_removed", actor=actor, case=case, detail={"relationship": relationship}
    )
    event(case, "household_removed", actor=actor, relationship=relationship, name=name)


@transaction.atomic
def assign_caseworker(case: Case, *, actor, user) -> Assignment:
    require_case_owner(actor, case)
    if not (actor.can(Capability.MANAGE_CASES) or actor.pk == user.pk):
        raise ActionError(_("Only a coordinator assigns cases to others."), code="forbidden")
    works_here = Membership.objects.filter(
        user=user,
        organisation=case.owning_desk,
        role__in=[Role.CASEWORKER, Role.COORDINATOR],
        is_active=True,
        user__is_active=True,
    ).exists()
    if not works_here:
        raise ActionError(
            _("Choose someone who works on cases at %(desk)s.")
            % {"desk": case.owning_desk.local_name},
            field="caseworker",
        )
    assignment, created = Assignment.objects.get_or_create(
        case=case, user=user, defaults={"assigned_by": actor}
    )
    if created:
        touch_case(case)
        audit_case("case.assigned", actor=actor, case=case, detail={"caseworker": user.username})
        event(case, "assigned", actor=actor, caseworker=user.get_full_name() or user.username)
        notify_assigned(case, user, actor=actor)
    return assignment


@transaction.atomic
def unassign_caseworker(case: Case, *, actor, user) -> None:
    require_case_owner(actor, case)
    require_capability(actor, Capability.MANAGE_CASES)
    deleted, _count = Assignment.objects.filter(case=case, user=user).delete()
    if deleted:
        touch_case(case)
        audit_case("case.unassigned", actor=actor, case=case, detail={"caseworker": user.username})
        event(case, "unassigned", actor=actor, caseworker=user.get_full_name() or user.username)


@transaction.atomic
def set_priority(case: Case, *, actor, priority: str) -> Case:
    require_case_owner(actor, case)
    if priority not in Priority.values:
        raise ActionError(_("Choose the priority"), field="priority")
    if case.priority == priority:
        return case
    changes = diff(case, {"priority": priority})
    case.priority = priority
    case.version += 1
    case.save(update_fields=["priority", "updated_at", "version"])
    audit_case("case.priority_changed", actor=actor, case=case, changes=changes)
    event(case, "priority_changed", actor=actor, priority=priority)
    return case

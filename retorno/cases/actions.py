"""Every change to persons and cases. Each action runs in one transaction, takes the acting
user, checks its rules (raising ActionError with a translated reason), writes with
update_fields, records its audit event and the case's timeline, and sends email only after
commit."""

import datetime
import hashlib

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Membership, Organisation
from retorno.accounts.roles import Capability, Role
from retorno.audit.events import diff, record
from retorno.cases import hooks, matching, notifications
from retorno.cases.models import (
    SENSITIVE_VULNERABILITIES,
    Assignment,
    Case,
    CaseEvent,
    Consent,
    Document,
    Handover,
    HouseholdMember,
    IdentityDocument,
    JournalEntry,
    MatchKey,
    NeedsAssessment,
    NotDuplicate,
    Person,
    Phase,
    Priority,
    ReferenceCounter,
    Task,
    VulnerabilityProfile,
    WorkExperience,
)
from retorno.cases.rules import (
    audit_case,
    consent_in_force,
    phase_problem,
    require_capability,
    require_case_open,
    require_case_owner,
)
from retorno.lib.errors import ActionError
from retorno.programmes.models import Cycle
from retorno.programmes.queries import current_cycle

# Helpers


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


def _touch_case(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())


# Persons

PERSON_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_year_estimated",
    "nationality",
    "return_country",
    "return_region",
    "return_city",
    "languages",
    "phone_europe",
    "phone_home",
    "email",
    "address_europe",
    "address_home",
    "education_level",
    "occupation",
    "skills",
    "desk_reference",
)


def person_record(person: Person, documents=None) -> matching.PersonRecord:
    if documents is None:
        documents = [d.number for d in person.documents.all()]
    return matching.PersonRecord(
        key=str(person.public_id),
        given_names=person.given_names,
        first_surname=person.first_surname,
        second_surname=person.second_surname,
        sex=person.sex,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        birth_day=person.birth_day,
        document_numbers=tuple(documents),
        phones=tuple(p for p in (person.phone_europe, person.phone_home) if p),
        email=person.email,
    )


def _refresh_match_keys(person: Person) -> None:
    person.refresh_from_db()
    keys = matching.blocking_keys(person_record(person))
    MatchKey.objects.filter(person=person).exclude(key__in=keys).delete()
    existing = set(MatchKey.objects.filter(person=person).values_list("key", flat=True))
    MatchKey.objects.bulk_create(
        [MatchKey(person=person, key=k) for k in keys if k not in existing]
    )


def _check_name(fields: dict) -> None:
    if not any(
        (fields.get(f) or "").strip() for f in ("given_names", "first_surname", "second_surname")
    ):
        raise ActionError(_("Enter at least one name"), field="given_names")


def _create_person(*, fields: dict, documents=()) -> Person:
    fields = {k: v for k, v in fields.items() if k in PERSON_FIELDS}
    _check_name(fields)
    for name in ("given_names", "first_surname", "second_surname", "preferred_name"):
        if name in fields and fields[name] is not None:
            fields[name] = " ".join(fields[name].split())
    person = Person(**fields)
    person.search_name = matching.search_key(
        person.given_names, person.first_surname, person.second_surname
    )
    person.save()
    for document in documents:
        _add_identity_document(person, **document)
    _refresh_match_keys(person)
    return person


def _add_identity_document(
    person, *, type, number, issuing_country="", expires_on=None, verified=False
) -> IdentityDocument:
    return IdentityDocument.objects.create(
        person=person,
        type=type,
        number=number.strip(),
        number_compact=matching.normalise_document(number),
        issuing_country=issuing_country or "",
        expires_on=expires_on,
        verified=verified,
    )


@transaction.atomic
def update_person(
    person: Person, *, actor, expected_version: int | None = None, **fields
) -> Person:
    require_capability(actor, Capability.WORK_CASES)
    person = Person.objects.select_for_update().get(pk=person.pk)
    fields = {k: v for k, v in fields.items() if k in PERSON_FIELDS}
    if {"given_names", "first_surname", "second_surname"} & set(fields):
        _check_name({**{f: getattr(person, f) for f in PERSON_FIELDS}, **fields})
    changes = diff(person, fields)
    if expected_version is not None and person.version != expected_version:
        raise ActionError(
            _("Someone else changed this person's details while you were editing them."),
            code="conflict",
        )
    if not changes:
        return person
    for name in changes:
        setattr(person, name, fields[name])
    person.search_name = matching.search_key(
        person.given_names, person.first_surname, person.second_surname
    )
    person.version = F("version") + 1
    person.save(update_fields=[*changes, "search_name", "version", "updated_at"])
    _refresh_match_keys(person)
    audit_case("person.updated", actor=actor, person=person, target=person, changes=changes)
    for case in Case.objects.filter(person=person):
        event(case, "person_updated", actor=actor, fields=sorted(changes))
    return person


@transaction.atomic
def add_identity_document(person: Person, *, actor, **document) -> IdentityDocument:
    require_capability(actor, Capability.WORK_CASES)
    doc = _add_identity_document(person, **document)
    _refresh_match_keys(person)
    audit_case(
        "person.document_added",
        actor=actor,
        person=person,
        target=person,
        detail={"type": doc.type, "number": doc.masked},
    )
    return doc


@transaction.atomic
def add_work_experience(person: Person, *, actor, **fields) -> WorkExperience:
    require_capability(actor, Capability.WORK_CASES)
    if not (fields.get("employer_or_sector") or "").strip():
        raise ActionError(_("Enter the employer or the sector"), field="employer_or_sector")
    experience = WorkExperience.objects.create(person=person, **fields)
    audit_case("person.work_added", actor=actor, person=person, target=person)
    return experience


# Cases


def _next_reference(desk: Organisation, year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        desk=desk, year=year
    )
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{desk.code}-{year}-{counter.last:04d}"


def _starting_phase(desk: Organisation, phase: str | None) -> str:
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
) -> Case:
    """Register a person and open their case at the actor's desk, in one go."""
    require_capability(actor, Capability.WORK_CASES)
    desk = actor.organisation
    new_person = _create_person(fields=person, documents=documents)
    return _open_case(
        new_person, actor=actor, desk=desk, phase=phase, priority=priority, cycle=cycle
    )


def _open_case(person, *, actor, desk, phase, priority, cycle=None, audit=True) -> Case:
    phase = _starting_phase(desk, phase)
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
        existing = _create_person(fields=person or {})
    elif existing.pk == case.person_id or case.household.filter(person=existing).exists():
        raise ActionError(_("This person is already in the household."))
    member = HouseholdMember.objects.create(
        case=case, person=existing, relationship=relationship, returning=returning
    )
    _touch_case(case)
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
    _touch_case(case)
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
        _touch_case(case)
        audit_case("case.assigned", actor=actor, case=case, detail={"caseworker": user.username})
        event(case, "assigned", actor=actor, caseworker=user.get_full_name() or user.username)
        _notify_assigned(case, user, actor=actor)
    return assignment


@transaction.atomic
def unassign_caseworker(case: Case, *, actor, user) -> None:
    require_case_owner(actor, case)
    require_capability(actor, Capability.MANAGE_CASES)
    deleted, _count = Assignment.objects.filter(case=case, user=user).delete()
    if deleted:
        _touch_case(case)
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


def _check_version(case: Case, expected_version: int | None) -> None:
    """Refuse a change made on an out-of-date page: someone else changed the case since."""
    if expected_version is not None and case.version != expected_version:
        raise ActionError(
            _(
                "Someone else changed this case while you were working on it. Check what "
                "changed, then try again."
            ),
            code="conflict",
        )


@transaction.atomic
def change_phase(
    case: Case, *, actor, to: str, note: str = "", expected_version: int | None = None
) -> Case:
    require_case_owner(actor, case)
    case = Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=case.pk)
    _check_version(case, expected_version)
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
        _check_version(case, expected_version)
    if case.phase == Phase.CLOSED:
        raise ActionError(_("This case is already closed."), code="already_done")
    if case.phase == Phase.HANDED_OVER:
        raise ActionError(_("The case is waiting for the receiving desk to accept or return it."))
    if not reason:
        raise ActionError(_("Choose the reason for closing the case"), field="reason")
    open_tasks = Task.objects.filter(case=case, status=Task.Status.OPEN)
    count = open_tasks.count()
    if count and not cancel_open_tasks:
        raise ActionError(
            _("The case has open tasks. Confirm that they should be cancelled."),
            field="cancel_open_tasks",
        )
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
        detail={"reason": reason, "note": note, "tasks_cancelled": count},
    )
    event(case, "closed", actor=actor, reason=reason, note=note, tasks_cancelled=count)
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
    return case


# Vulnerability, sensitivity, needs


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
    _check_version(case, expected_version)
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
    _touch_case(case)
    audit_case("case.assessment_recorded", actor=actor, case=case, detail=scores)
    event(case, "assessment_recorded", actor=actor)
    return assessment


# Consent


@transaction.atomic
def record_consent(
    case: Case,
    *,
    actor,
    purpose: str,
    given: bool,
    decided_on,
    method: str,
    witness: str = "",
    partner: Organisation | None = None,
    document: Document | None = None,
) -> Consent:
    require_case_owner(actor, case)
    if purpose == Consent.Purpose.PARTNER_SHARING and partner is None:
        raise ActionError(_("Choose the partner organisation"), field="partner")
    if purpose != Consent.Purpose.PARTNER_SHARING:
        partner = None
    if method == Consent.Method.VERBAL_WITH_WITNESS and not witness.strip():
        raise ActionError(_("Enter the name of the witness"), field="witness")
    if decided_on > timezone.localdate():
        raise ActionError(_("The date of the consent cannot be in the future"), field="decided_on")
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        partner=partner,
        given=given,
        decided_on=decided_on,
        method=method,
        witness=witness.strip(),
        document=document,
        recorded_by=actor,
    )
    _sync_transfer_consent(case)
    _touch_case(case)
    audit_case(
        "consent.recorded",
        actor=actor,
        case=case,
        detail={
            "purpose": purpose,
            "given": given,
            "method": method,
            "partner": partner.code if partner else "",
        },
    )
    event(
        case,
        "consent_given" if given else "consent_refused",
        actor=actor,
        purpose=purpose,
        partner=partner.name if partner else "",
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor, note: str = "") -> list[str]:
    """Withdrawal takes effect at once. Returns what stopped, as sentences for the page."""
    case = consent.case
    require_case_owner(actor, case)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ActionError(_("This consent was already withdrawn."), code="already_done")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    _sync_transfer_consent(case)
    stopped = []
    if consent.purpose == Consent.Purpose.TRANSFER:
        pending = Handover.objects.filter(case=case, status=Handover.Status.PENDING).first()
        if pending is not None:
            _return_handover(
                pending, actor=actor, reason=str(_("The person withdrew consent to the transfer."))
            )
            stopped.append(
                str(
                    _("The handover to %(desk)s was withdrawn.")
                    % {"desk": pending.to_desk.local_name}
                )
            )
    # Later apps (referrals) stop what depended on this consent.

    for effect in hooks.run_consent_withdrawn(consent, actor=actor):
        stopped.append(effect)
    audit_case(
        "consent.withdrawn",
        actor=actor,
        case=case,
        detail={"purpose": consent.purpose, "note": note, "stopped": stopped},
    )
    event(case, "consent_withdrawn", actor=actor, purpose=consent.purpose, stopped=stopped)
    return stopped


def _sync_transfer_consent(case: Case) -> None:
    in_force = consent_in_force(case, Consent.Purpose.TRANSFER) is not None
    Case.objects.filter(pk=case.pk).update(transfer_consent=in_force)
    case.transfer_consent = in_force


# Journal


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
    _touch_case(case)
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


# Tasks


@transaction.atomic
def create_task(case: Case, *, actor, title: str, assignee, due_on, notes: str = "") -> Task:
    require_case_owner(actor, case)
    require_case_open(case)
    if not title.strip():
        raise ActionError(_("Say what is to be done"), field="title")
    if (
        assignee.pk != actor.pk
        and not Membership.objects.filter(
            user=assignee, organisation=case.owning_desk, is_active=True, user__is_active=True
        ).exists()
    ):
        raise ActionError(
            _("Choose someone who works at %(desk)s.") % {"desk": case.owning_desk.local_name},
            field="assignee",
        )
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        notes=notes,
        assignee=assignee,
        desk=case.owning_desk,
        due_on=due_on,
        created_by=actor,
    )
    _touch_case(case)
    audit_case(
        "task.created",
        actor=actor,
        case=case,
        detail={"task": str(task.public_id), "assignee": assignee.username, "due": str(due_on)},
    )
    event(
        case,
        "task_created",
        actor=actor,
        title=task.title,
        assignee=assignee.get_full_name(),
        due=str(due_on),
    )
    return task


@transaction.atomic
def complete_task(task: Task, *, actor) -> Task:
    require_case_owner(actor, task.case)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.OPEN:
        raise ActionError(_("This task is already done."), code="already_done")
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save(update_fields=["status", "completed_at", "completed_by"])
    _touch_case(task.case)
    audit_case("task.completed", actor=actor, case=task.case, detail={"task": str(task.public_id)})
    event(task.case, "task_completed", actor=actor, title=task.title)
    return task


# Documents

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
}


def sniff_document_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes, or None when it is not one we accept."""
    # Import here: start-up (filetype loads its matchers only when a file is uploaded).
    import filetype

    kind = filetype.guess(head)
    if kind is None:
        return None
    mime = kind.mime
    if mime == "application/x-ole-storage":  # old Word and Excel files share one container
        mime = "application/msword"
    return mime if mime in ALLOWED_DOCUMENT_TYPES else None


@transaction.atomic
def upload_document(case: Case, *, actor, uploaded_file, kind: str, title: str) -> Document:
    require_case_owner(actor, case)
    if uploaded_file.size > MAX_DOCUMENT_BYTES:
        raise ActionError(_("The file must be smaller than 10 MB"), field="file")
    if uploaded_file.size == 0:
        raise ActionError(_("The file is empty"), field="file")
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    content_type = sniff_document_type(head)
    if content_type is None:
        raise ActionError(
            _("The file must be a PDF, an image (JPG, PNG, WEBP, HEIC) or an office document"),
            field="file",
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    document = Document(
        case=case,
        kind=kind,
        title=(title or uploaded_file.name).strip()[:200],
        original_name=uploaded_file.name[:255],
        content_type=content_type,
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(document.public_id.hex, uploaded_file, save=False)
    document.save()
    _touch_case(case)
    audit_case(
        "document.uploaded",
        actor=actor,
        case=case,
        detail={"document": str(document.public_id), "kind": kind, "type": content_type},
    )
    event(case, "document_uploaded", actor=actor, title=document.title, kind=kind)
    return document


def record_document_download(document: Document, *, actor) -> None:
    audit_case(
        "document.downloaded",
        actor=actor,
        case=document.case,
        detail={"document": str(document.public_id), "kind": document.kind},
    )


def record_case_view(case: Case, *, actor, page: str) -> None:
    """Every read of a person's record is an audit event."""
    audit_case("case.viewed", actor=actor, case=case, detail={"page": page})


def record_person_view(person: Person, *, actor, page: str) -> None:
    audit_case("person.viewed", actor=actor, person=person, target=person, detail={"page": page})


# Handover


def handover_problem(case: Case) -> ActionError | None:
    """Why the case cannot be handed over now, whatever is written in the handover; None when
    it can. The handover page says it before anything is typed, and hand_over_case refuses
    with it. (Consent to the transfer is checked apart: the page offers to record it.)"""
    if case.phase == Phase.HANDED_OVER:
        return ActionError(
            _("This case was already handed over on %(date)s.")
            % {"date": _format_date(case.handed_over_at)},
            code="already_done",
        )
    if case.owning_desk.kind != Organisation.Kind.EUROPEAN_DESK:
        return ActionError(
            _(
                "Only a European desk hands a case over to a national desk. This case is "
                "already at %(desk)s."
            )
            % {"desk": case.owning_desk.local_name},
            code="forbidden",
        )
    if case.phase == Phase.CLOSED:
        return ActionError(_("This case is closed. Reopen it first."), code="closed")
    if case.phase != Phase.READY_TO_DEPART:
        return ActionError(
            _(
                "This case is in %(phase)s. Move it to Ready to depart before handing it over: "
                "that needs the person's consent to case management and the country they "
                "return to."
            )
            % {"phase": Phase(case.phase).label},
            code="not_ready",
        )
    return None


@transaction.atomic
def hand_over_case(
    case: Case,
    *,
    actor,
    to_desk: Organisation,
    situation: str,
    needs: str,
    travel_date,
    plan_so_far: str = "",
    risks: str = "",
    promises: str = "",
) -> Handover:
    require_case_owner(actor, case)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "owning_desk")
        .get(pk=case.pk)
    )
    problem = handover_problem(case)
    if problem is not None:
        raise ActionError(problem.message, code=problem.code)
    consent = consent_in_force(case, Consent.Purpose.TRANSFER)
    if consent is None:
        raise ActionError(
            _("Record the person's consent to transfer the case to the national desk first."),
            code="no_consent",
        )
    if to_desk.kind != Organisation.Kind.NATIONAL_DESK or not to_desk.is_active:
        raise ActionError(_("Choose a national desk"), field="to_desk")
    if case.person.return_country and to_desk.country != case.person.return_country:
        raise ActionError(
            _("Choose the national desk of the country the person returns to (%(country)s).")
            % {"country": case.person.return_country.name},
            field="to_desk",
        )
    if not situation.strip():
        raise ActionError(_("Describe the person's situation"), field="situation")
    if not needs.strip():
        raise ActionError(_("Describe the person's needs"), field="needs")
    handover = Handover.objects.create(
        case=case,
        from_desk=case.owning_desk,
        to_desk=to_desk,
        situation=situation.strip(),
        needs=needs.strip(),
        plan_so_far=plan_so_far.strip(),
        risks=risks.strip(),
        promises=promises.strip(),
        travel_date=travel_date,
        consent=consent,
        sent_by=actor,
    )
    previous = case.phase
    case.phase = Phase.HANDED_OVER
    case.phase_changed_at = timezone.now()
    case.handed_over_at = case.phase_changed_at
    case.travel_date = travel_date
    case.version += 1
    case.save(
        update_fields=[
            "phase",
            "phase_changed_at",
            "handed_over_at",
            "travel_date",
            "updated_at",
            "version",
        ]
    )
    audit_case(
        "case.handed_over",
        actor=actor,
        case=case,
        changes={"phase": [previous, Phase.HANDED_OVER]},
        detail={"to": to_desk.code, "handover": str(handover.public_id)},
    )
    event(case, "handed_over", actor=actor, to_desk=to_desk.name, travel_date=str(travel_date))
    transaction.on_commit(lambda: _notify_receiving_desk(handover))
    return handover


def _format_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def _notify_receiving_desk(handover: Handover) -> None:
    """Emails the receiving coordinators; no names, only the reference and a link."""
    coordinators = Membership.objects.filter(
        organisation=handover.to_desk,
        role=Role.COORDINATOR,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    link = notifications.link(reverse("cases:handover", args=[handover.public_id]))
    for membership in coordinators:
        notifications.email_user(
            membership.user,
            "cases/email/handover",
            {"handover": handover, "link": link},
            desk=handover.to_desk,
        )


def _notify_assigned(case: Case, user, *, actor) -> None:
    """Tell a caseworker, after commit, that a case was assigned to her; not when she assigned
    it to herself."""
    if actor is None or actor.pk == user.pk:
        return
    desk = case.owning_desk
    link = notifications.link(reverse("cases:case", args=[case.public_id]))

    def send():
        notifications.email_user(
            user, "cases/email/assigned", {"case": case, "desk": desk, "link": link}, desk=desk
        )

    transaction.on_commit(send)


@transaction.atomic
def accept_handover(handover: Handover, *, actor, caseworker) -> Case:
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("case", "to_desk")
        .get(pk=handover.pk)
    )
    case = handover.case
    require_capability(actor, Capability.MANAGE_CASES)
    if actor.organisation is None or handover.to_desk_id != actor.organisation.pk:
        raise ActionError(_("Only the receiving desk's coordinators decide."), code="forbidden")
    if handover.status != Handover.Status.PENDING:
        raise ActionError(
            _("This handover was already decided on %(date)s.")
            % {"date": _format_date(handover.decided_at)},
            code="already_done",
        )
    works_here = Membership.objects.filter(
        user=caseworker,
        organisation=handover.to_desk,
        role__in=[Role.CASEWORKER, Role.COORDINATOR],
        is_active=True,
        user__is_active=True,
    ).exists()
    if not works_here:
        raise ActionError(
            _("Choose a caseworker of %(desk)s.") % {"desk": handover.to_desk.local_name},
            field="caseworker",
        )
    handover.status = Handover.Status.ACCEPTED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_by", "decided_at"])
    from_desk = case.owning_desk
    Assignment.objects.filter(case=case).delete()
    Assignment.objects.create(case=case, user=caseworker, assigned_by=actor)
    case.owning_desk = handover.to_desk
    case.phase = Phase.RECEPTION
    case.phase_changed_at = handover.decided_at
    case.version += 1
    case.save(update_fields=["owning_desk", "phase", "phase_changed_at", "updated_at", "version"])
    audit_case(
        "case.handover_accepted",
        actor=actor,
        case=case,
        changes={
            "owning_desk": [from_desk.code, handover.to_desk.code],
            "phase": [Phase.HANDED_OVER, Phase.RECEPTION],
        },
        detail={"caseworker": caseworker.username, "handover": str(handover.public_id)},
    )
    event(
        case,
        "handover_accepted",
        actor=actor,
        to_desk=handover.to_desk.name,
        from_desk=from_desk.name,
        caseworker=caseworker.get_full_name() or caseworker.username,
    )
    _notify_assigned(case, caseworker, actor=actor)
    return case


@transaction.atomic
def return_handover(handover: Handover, *, actor, reason: str) -> Case:
    handover = (
        Handover.objects.select_for_update(of=("self",)).select_related("case").get(pk=handover.pk)
    )
    require_capability(actor, Capability.MANAGE_CASES)
    if actor.organisation is None or handover.to_desk_id != actor.organisation.pk:
        raise ActionError(_("Only the receiving desk's coordinators decide."), code="forbidden")
    if handover.status != Handover.Status.PENDING:
        raise ActionError(
            _("This handover was already decided on %(date)s.")
            % {"date": _format_date(handover.decided_at)},
            code="already_done",
        )
    if not reason.strip():
        raise ActionError(_("Say why the case is sent back"), field="reason")
    return _return_handover(handover, actor=actor, reason=reason.strip())


def _return_handover(handover: Handover, *, actor, reason: str) -> Case:
    case = handover.case
    handover.status = Handover.Status.RETURNED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.return_reason = reason
    handover.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    case.phase = Phase.READY_TO_DEPART
    case.phase_changed_at = handover.decided_at
    case.handed_over_at = None
    case.version += 1
    case.save(
        update_fields=["phase", "phase_changed_at", "handed_over_at", "updated_at", "version"]
    )
    audit_case(
        "case.handover_returned",
        actor=actor,
        case=case,
        changes={"phase": [Phase.HANDED_OVER, Phase.READY_TO_DEPART]},
        detail={"reason": reason, "handover": str(handover.public_id)},
    )
    event(case, "handover_returned", actor=actor, to_desk=handover.to_desk.name, reason=reason)
    return case


# Duplicates


@transaction.atomic
def merge_persons(survivor: Person, duplicate: Person, *, actor) -> Person:
    """Merge two records of the same person. The duplicate's cases, household links, documents
    and work history move to the survivor; its details fill the survivor's empty fields; the
    duplicate stays, marked as merged, so nothing is lost."""
    require_capability(actor, Capability.MANAGE_CASES)
    if survivor.pk == duplicate.pk:
        raise ActionError(_("Choose two different records."))
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ActionError(_("One of these records was already merged."), code="already_done")
    filled = {}
    for name in PERSON_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if (mine in ("", None, []) or (name == "languages" and not mine)) and theirs not in (
            "",
            None,
            [],
        ):
            filled[name] = theirs
    moved_cases = list(Case.objects.filter(person=duplicate).values_list("reference", flat=True))
    Case.objects.filter(person=duplicate).update(person=survivor)
    for member in HouseholdMember.objects.filter(person=duplicate):
        if HouseholdMember.objects.filter(case=member.case, person=survivor).exists():
            member.delete()
        else:
            member.person = survivor
            member.save(update_fields=["person"])
    survivor_numbers = set(survivor.documents.values_list("number_compact", "type"))
    for document in IdentityDocument.objects.filter(person=duplicate):
        if (document.number_compact, document.type) not in survivor_numbers:
            document.person = survivor
            document.save(update_fields=["person"])
    WorkExperience.objects.filter(person=duplicate).update(person=survivor)
    for name, value in filled.items():
        setattr(survivor, name, value)
    survivor.search_name = matching.search_key(
        survivor.given_names, survivor.first_surname, survivor.second_surname
    )
    survivor.version = F("version") + 1
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    MatchKey.objects.filter(person=duplicate).delete()
    _refresh_match_keys(survivor)
    audit_case(
        "person.merged",
        actor=actor,
        person=survivor,
        target=survivor,
        changes={k: [None, v] for k, v in filled.items()},
        detail={"merged": str(duplicate.public_id), "cases_moved": moved_cases},
    )
    for case in Case.objects.filter(person=survivor):
        event(case, "persons_merged", actor=actor)
    return survivor


@transaction.atomic
def mark_not_duplicate(a: Person, b: Person, *, actor) -> None:
    require_capability(actor, Capability.MANAGE_CASES)
    first, second = sorted((a, b), key=lambda p: p.pk)
    _obj, created = NotDuplicate.objects.get_or_create(
        person_a=first, person_b=second, defaults={"decided_by": actor}
    )
    if created:
        audit_case(
            "person.not_duplicate",
            actor=actor,
            person=first,
            target=first,
            detail={"other": str(second.public_id)},
        )


# Import


def import_persons(*, actor, desk: Organisation, rows, file_name: str = "") -> int:
    """Each validated row becomes a person with an open case at the desk, all in one
    transaction and one audit event. `rows` are importing.PersonRow objects, all valid.
    Returns how many were imported."""
    done = 0
    for done in iter_import_persons(actor=actor, desk=desk, rows=rows, file_name=file_name):  # noqa: B007
        continue
    return done


IMPORT_BATCH = 500


def iter_import_persons(*, actor, desk: Organisation, rows, file_name: str = ""):
    """The import as a generator that yields how many rows are done after each batch, so a
    page can show progress while the one transaction runs. Nothing is saved unless it runs
    to the end."""
    require_capability(actor, Capability.MANAGE_CASES)
    if actor.organisation is None or actor.organisation.pk != desk.pk:
        raise ActionError(_("You can only import into your own desk."), code="forbidden")
    rows = list(rows)
    with transaction.atomic():
        cycle = current_cycle(desk)
        phase = _starting_phase(desk, None)
        european = desk.kind == Organisation.Kind.EUROPEAN_DESK
        year = timezone.localdate().year
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            desk=desk, year=year
        )
        next_number = counter.last
        now = timezone.now()
        done = 0
        for start in range(0, len(rows), IMPORT_BATCH):
            batch = rows[start : start + IMPORT_BATCH]
            persons = [_person_from_row(row, european) for row in batch]
            Person.objects.bulk_create(persons)
            documents, keys, cases = [], [], []
            for row, person in zip(batch, persons, strict=True):
                if row.document is not None:
                    documents.append(
                        IdentityDocument(
                            person=person,
                            type=row.document_type or IdentityDocument.Type.OTHER,
                            number=row.document.number,
                            number_compact=row.document.compact
                            or matching.normalise_document(row.document.number),
                            issuing_country=row.document_country or "",
                            verified=row.document.verified,
                        )
                    )
                person_rec = person_record(
                    person, documents=[row.document.number] if row.document else []
                )
                keys.extend(
                    MatchKey(person=person, key=k) for k in matching.blocking_keys(person_rec)
                )
                next_number += 1
                cases.append(
                    Case(
                        reference=f"{desk.code}-{year}-{next_number:04d}",
                        cycle=cycle,
                        person=person,
                        owning_desk=desk,
                        origin_desk=desk if european else None,
                        phase=phase,
                        phase_changed_at=now,
                    )
                )
            IdentityDocument.objects.bulk_create(documents)
            MatchKey.objects.bulk_create(keys)
            Case.objects.bulk_create(cases)
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(
                        case=case,
                        kind="case_opened",
                        actor=actor,
                        actor_name=actor.get_full_name() or actor.get_username(),
                        actor_desk=desk,
                        params={"phase": phase, "desk": desk.name, "imported": True},
                    )
                    for case in cases
                ]
            )
            done += len(batch)
            yield done
        ReferenceCounter.objects.filter(pk=counter.pk).update(last=next_number)
        record(
            "persons.imported",
            actor=actor,
            detail={"desk": desk.code, "rows": done, "file": file_name},
        )


def _person_from_row(row, european: bool) -> Person:
    person = Person(
        given_names=" ".join(row.given_names.split()),
        first_surname=" ".join(row.first_surname.split()),
        second_surname=" ".join(row.second_surname.split()),
        sex=row.sex or "",
        birth_year=row.birth.year if row.birth else None,
        birth_month=row.birth.month if row.birth else None,
        birth_day=row.birth.day if row.birth else None,
        nationality=row.nationality or "",
        return_country=row.return_country or "",
        return_city=row.return_city or "",
        email=row.email or "",
        desk_reference=row.reference or "",
    )
    if row.phone_e164:
        setattr(person, "phone_europe" if european else "phone_home", row.phone_e164)
    if row.address:
        setattr(person, "address_europe" if european else "address_home", row.address)
    person.search_name = matching.search_key(
        person.given_names, person.first_surname, person.second_surname
    )
    return person

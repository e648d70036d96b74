"""Every change to monitoring: planning a case's follow-ups when it enters reception, a
programme's schedule and the re-planning it causes, follow-ups done and attempts failed, the
lost-contact proposal and the coordinator's decision, surveys saved part-way and submitted with
their scores and what they say of the risk, and loading an instrument version.

Each action runs in one transaction, checks its rules (monitoring.rules) and raises ActionError
with a translated reason, records its audit event, and a line on the case's timeline. A follow-up
or survey sent twice, or changed by someone else meanwhile, is refused by its version.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.accounts.models import Membership
from retorno.accounts.roles import Capability, Role
from retorno.audit.events import record
from retorno.cases.actions import close_case, complete_task, create_task, event
from retorno.cases.models import Assignment, Case, ClosedReason, Phase, Task
from retorno.cases.rules import audit_case, require_case_open, require_case_owner
from retorno.lib.errors import ActionError
from retorno.monitoring import instrument, rules
from retorno.monitoring.models import (
    CaseMonitoring,
    ContactAttempt,
    FollowUp,
    Instrument,
    InstrumentVersion,
    Method,
    Schedule,
    Survey,
)
from retorno.plans.actions import new_version, set_action_status
from retorno.plans.models import Plan

# --- Planning -------------------------------------------------------------------------------


def _conflict(what: str):
    return ActionError(
        _(
            "Someone else changed this %(what)s while you were working on it. Check what "
            "changed, then try again."
        )
        % {"what": what},
        code="conflict",
    )


def _check_version(obj, expected, what: str) -> None:
    if expected is not None and int(expected) != obj.version:
        raise _conflict(what)


def follow_up_title(month: int) -> str:
    return ngettext(
        "Follow-up %(months)s month after arrival",
        "Follow-up %(months)s months after arrival",
        month,
    ) % {"months": month}


def caseworker_of(case: Case, actor):
    """Who a case's follow-ups and reviews go to: its assigned caseworker (the earliest
    assigned); else the actor when they work at the case's desk; else one of its coordinators."""
    assignment = (
        Assignment.objects.filter(case=case, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if assignment is not None:
        return assignment.user
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.pk == case.owning_desk_id:
        return actor
    membership = (
        Membership.objects.filter(
            organisation_id=case.owning_desk_id,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership is not None else actor


def _follow_up_task(case, follow_up: FollowUp, *, actor, assignee) -> Task:
    """The follow-up's task on its date. Written here rather than by cases' create_task: the
    planning (or the schedule's change) that makes it is the audited action, and programme
    coordination, which does not own the case, re-plans it."""
    return Task.objects.create(
        case=case,
        title=follow_up_title(follow_up.month),
        notes=_("With the reintegration sustainability survey.") if follow_up.takes_survey else "",
        assignee=assignee,
        desk_id=case.owning_desk_id,
        due_on=follow_up.due_on,
        created_by=actor,
        scheduled=True,
    )


@transaction.atomic
def plan_follow_ups(case: Case, *, actor, arrived_on: datetime.date | None = None) -> list:
    """Plan the follow-ups of a case that entered reception, from the programme's schedule,
    counting from the person's arrival (the day the case entered reception); each is a task of
    the assigned caseworker on its date. A case planned already keeps its plan."""
    require_case_owner(actor, case)
    if CaseMonitoring.objects.filter(case=case).exists():
        return []
    arrived_on = arrived_on or timezone.localdate(case.phase_changed_at)
    schedule = rules.schedule_of(case.cycle.programme)
    CaseMonitoring.objects.create(case=case, desk_id=case.owning_desk_id, arrived_on=arrived_on)
    assignee = caseworker_of(case, actor)
    planned = []
    for month in sorted(schedule.months):
        follow_up = FollowUp.objects.create(
            case=case,
            desk_id=case.owning_desk_id,
            month=month,
            due_on=rules.add_months(arrived_on, month),
            takes_survey=month in schedule.survey_months,
        )
        follow_up.task = _follow_up_task(case, follow_up, actor=actor, assignee=assignee)
        follow_up.save(update_fields=["task"])
        planned.append(follow_up)
    audit_case(
        "monitoring.planned",
        actor=actor,
        case=case,
        detail={"arrived_on": str(arrived_on), "months": sorted(schedule.months)},
    )
    event(
        case,
        "follow_ups_planned",
        actor=actor,
        arrived_on=str(arrived_on),
        months=sorted(schedule.months),
    )
    return planned


def _cancel_task(task: Task | None, actor) -> None:
    if task is not None and task.status == Task.Status.OPEN:
        Task.objects.filter(pk=task.pk).update(
            status=Task.Status.CANCELLED, completed_at=timezone.now(), completed_by=actor
        )


def _replan(case: Case, schedule: Schedule, *, actor, since: datetime.date | None = None) -> dict:
    """Bring a case's follow-ups not yet done in line with the schedule: planned ones at months
    no longer in it are cancelled (their tasks too), months new to it are planned, cancelled ones
    whose month is back are planned again; `since`: only follow-ups due from that day. Done
    follow-ups never change."""
    monitoring = case.monitoring
    months = set(schedule.months)
    existing = {f.month: f for f in FollowUp.objects.filter(case=case).select_related("task")}
    assignee = None
    counts = {"cancelled": 0, "planned": 0}
    for month, follow_up in existing.items():
        if follow_up.status == FollowUp.Status.PLANNED and month not in months:
            follow_up.status = FollowUp.Status.CANCELLED
            follow_up.version += 1
            follow_up.save(update_fields=["status", "version"])
            _cancel_task(follow_up.task, actor)
            counts["cancelled"] += 1
        elif follow_up.status == FollowUp.Status.PLANNED:
            takes = month in schedule.survey_months
            if follow_up.takes_survey != takes:
                follow_up.takes_survey = takes
                follow_up.save(update_fields=["takes_survey"])
    for month in sorted(months):
        due_on = rules.add_months(monitoring.arrived_on, month)
        if since is not None and due_on < since:
            continue
        follow_up = existing.get(month)
        if follow_up is not None and follow_up.status != FollowUp.Status.CANCELLED:
            continue
        if follow_up is None:
            follow_up = FollowUp(case=case, desk_id=monitoring.desk_id, month=month)
        follow_up.status = FollowUp.Status.PLANNED
        follow_up.due_on = due_on
        follow_up.takes_survey = month in schedule.survey_months
        follow_up.version += 1 if follow_up.pk else 0
        follow_up.save()
        assignee = assignee or caseworker_of(case, actor)
        follow_up.task = _follow_up_task(case, follow_up, actor=actor, assignee=assignee)
        follow_up.save(update_fields=["task"])
        counts["planned"] += 1
    return counts


def on_phase_changed(case: Case, *, actor, previous) -> None:
    """The plugin's phase_changed handler: plan a case that enters reception; cancel the planned
    follow-ups of a case that closes; plan again, from today, those of a case reopened."""
    if case.phase == Phase.RECEPTION and previous in (None, Phase.HANDED_OVER):
        plan_follow_ups(case, actor=actor)
    elif case.phase == Phase.CLOSED:
        # The follow-ups not done end with the case: missed when it closed as lost contact (a
        # person not reached, as the desk's figures count them), cancelled otherwise.
        planned = FollowUp.objects.filter(case=case, status=FollowUp.Status.PLANNED)
        for follow_up in planned.select_related("task"):
            _cancel_task(follow_up.task, actor)
        if case.closed_reason == ClosedReason.LOST_CONTACT:
            planned.filter(due_on__lte=timezone.localdate()).update(status=FollowUp.Status.MISSED)
        planned.update(status=FollowUp.Status.CANCELLED)
        CaseMonitoring.objects.filter(case=case).update(lost_contact="", closed=True)
    elif previous == Phase.CLOSED and hasattr(case, "monitoring"):
        CaseMonitoring.objects.filter(case=case).update(closed=False)
        counts = _replan(
            case, rules.schedule_of(case.cycle.programme), actor=actor, since=timezone.localdate()
        )
        if counts["planned"]:
            event(case, "follow_ups_replanned", actor=actor, **counts)


@transaction.atomic
def set_schedule(
    programme,
    *,
    actor,
    months,
    survey_months,
    attempts_before_lost: int,
    drop_margin,
    instrument_version: InstrumentVersion,
    expected_version: int | None = None,
) -> tuple[Schedule, dict]:
    """Set a programme's schedule and re-plan the follow-ups not yet done of its open cases.
    Returns the schedule and how many follow-ups were planned and cancelled."""
    if not rules.may_change_schedule(actor):
        raise ActionError(
            _("Only programme coordination changes the monitoring schedule."), code="forbidden"
        )
    months = sorted(months)
    survey_months = sorted(survey_months)
    problems = rules.months_problem(months, survey_months)
    if problems:
        field, message = next(iter(problems.items()))
        raise ActionError(message, field=field)
    if not 1 <= attempts_before_lost <= 10:
        raise ActionError(_("Write a number between 1 and 10."), field="attempts_before_lost")
    if not 0 < drop_margin < 1:
        raise ActionError(_("Write a margin between 0 and 1, such as 0.15."), field="drop_margin")
    schedule = Schedule.objects.select_for_update().filter(programme=programme).first()
    if schedule is None:
        if expected_version not in (None, 0):
            raise _conflict(_("schedule"))
        schedule = Schedule(programme=programme, version=0)
    else:
        _check_version(schedule, expected_version, _("schedule"))
    before = {
        "months": schedule.months if schedule.pk else None,
        "survey_months": schedule.survey_months if schedule.pk else None,
        "attempts_before_lost": schedule.attempts_before_lost if schedule.pk else None,
        "drop_margin": str(schedule.drop_margin) if schedule.pk else None,
        "instrument": str(schedule.instrument) if schedule.pk else None,
    }
    schedule.months = months
    schedule.survey_months = survey_months
    schedule.attempts_before_lost = attempts_before_lost
    schedule.drop_margin = drop_margin
    schedule.instrument = instrument_version
    schedule.version += 1
    schedule.updated_by = actor
    schedule.save()
    counts = {"planned": 0, "cancelled": 0}
    cases = (
        Case.objects.filter(cycle__programme=programme, monitoring__isnull=False)
        .exclude(phase=Phase.CLOSED)
        .select_related("monitoring", "owning_desk")
    )
    for case in cases:
        for key, value in _replan(case, schedule, actor=actor).items():
            counts[key] += value
    after = {
        "months": months,
        "survey_months": survey_months,
        "attempts_before_lost": attempts_before_lost,
        "drop_margin": str(drop_margin),
        "instrument": str(instrument_version),
    }
    record(
        "monitoring.schedule_set",
        actor=actor,
        target=schedule,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        detail={"programme": programme.code, **counts},
    )
    return schedule, counts


# --- Follow-ups and attempts ----------------------------------------------------------------


def _locked_follow_up(follow_up: FollowUp, expected_version) -> FollowUp:
    fresh = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case", "task")
        .get(pk=follow_up.pk)
    )
    _check_version(fresh, expected_version, _("follow-up"))
    return fresh


def _require_may_work(actor, case: Case) -> None:
    require_case_owner(actor, case)
    require_case_open(case)


@transaction.atomic
def record_attempt(
    follow_up: FollowUp,
    *,
    actor,
    method: str,
    reason: str,
    attempted_at: datetime.datetime | None = None,
    note: str = "",
) -> ContactAttempt:
    """A failed attempt to reach the person. After the programme's number of failed attempts in
    a row, the case is proposed to the desk's coordinators for closing as lost contact."""
    follow_up = _locked_follow_up(follow_up, None)
    case = follow_up.case
    _require_may_work(actor, case)
    if follow_up.status != FollowUp.Status.PLANNED:
        raise ActionError(_("This follow-up is already done."), code="already_done")
    if method not in Method.values:
        raise ActionError(_("Choose how you tried to reach the person."), field="method")
    if reason not in ContactAttempt.Reason.values:
        raise ActionError(_("Choose why it failed."), field="reason")
    attempted_at = attempted_at or timezone.now()
    if attempted_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ActionError(_("An attempt cannot be in the future."), field="attempted_at")
    attempt = ContactAttempt.objects.create(
        follow_up=follow_up,
        case=case,
        attempted_at=attempted_at,
        method=method,
        reason=reason,
        note=note.strip(),
        by=actor,
    )
    monitoring = CaseMonitoring.objects.select_for_update().get(case=case)
    monitoring.failed_in_row += 1
    limit = rules.schedule_of(case.cycle.programme).attempts_before_lost
    proposed = (
        monitoring.failed_in_row >= limit
        and monitoring.lost_contact != CaseMonitoring.LostContact.PROPOSED
    )
    if proposed:
        monitoring.lost_contact = CaseMonitoring.LostContact.PROPOSED
        monitoring.lost_contact_proposed_at = timezone.now()
    monitoring.version += 1
    monitoring.save()
    audit_case(
        "follow_up.attempt_failed",
        actor=actor,
        case=case,
        target=attempt,
        detail={
            "follow_up": str(follow_up.public_id),
            "method": method,
            "reason": reason,
            "in_a_row": monitoring.failed_in_row,
        },
    )
    event(
        case,
        "contact_attempt_failed",
        actor=actor,
        month=follow_up.month,
        method=method,
        reason=reason,
        in_a_row=monitoring.failed_in_row,
    )
    if proposed:
        audit_case(
            "monitoring.lost_contact_proposed",
            actor=actor,
            case=case,
            detail={"in_a_row": monitoring.failed_in_row, "limit": limit},
        )
        event(case, "lost_contact_proposed", actor=actor, in_a_row=monitoring.failed_in_row)
    return attempt


@transaction.atomic
def record_follow_up(
    follow_up: FollowUp,
    *,
    actor,
    done_on: datetime.date,
    method: str,
    note: str = "",
    new_needs: str = "",
    action_statuses: dict | None = None,
    open_revision: bool = False,
    expected_version: int | None = None,
) -> FollowUp:
    """The person was reached: how, when and by whom, how the plan is going (the status of its
    actions, a note, new needs, and a new version of the plan when asked). Ends the run of failed
    attempts and any lost-contact proposal; completes the follow-up's task."""
    follow_up = _locked_follow_up(follow_up, expected_version)
    case = follow_up.case
    _require_may_work(actor, case)
    if follow_up.status == FollowUp.Status.DONE:
        raise ActionError(_("This follow-up is already done."), code="already_done")
    if follow_up.status == FollowUp.Status.CANCELLED:
        raise ActionError(_("This follow-up was cancelled."))
    if method not in Method.values:
        raise ActionError(_("Choose how the person was reached."), field="method")
    if done_on is None:
        raise ActionError(_("Enter the date of the contact."), field="done_on")
    if done_on > timezone.localdate():
        raise ActionError(_("The contact cannot be in the future."), field="done_on")
    monitoring = CaseMonitoring.objects.select_for_update().get(case=case)
    if done_on < monitoring.arrived_on:
        raise ActionError(
            _("The contact cannot be before the person arrived (%(date)s).")
            % {"date": monitoring.arrived_on.isoformat()},
            field="done_on",
        )
    if open_revision and not new_needs.strip():
        raise ActionError(
            _("Say which new needs the new version of the plan is for."), field="new_needs"
        )
    follow_up.status = FollowUp.Status.DONE
    follow_up.done_on = done_on
    follow_up.method = method
    follow_up.reached_by = actor
    follow_up.note = note.strip()
    follow_up.new_needs = new_needs.strip()
    follow_up.recorded_at = timezone.now()
    follow_up.version += 1
    follow_up.save()
    if follow_up.task is not None and follow_up.task.status == Task.Status.OPEN:
        follow_up.task = complete_task(follow_up.task, actor=actor)
    had_proposal = monitoring.lost_contact == CaseMonitoring.LostContact.PROPOSED
    monitoring.failed_in_row = 0
    monitoring.lost_contact = ""
    monitoring.version += 1
    monitoring.save()
    changed = 0
    for action, status in (action_statuses or {}).items():
        if action.goal.plan.case_id != case.pk:
            raise ActionError(_("That action is not part of this case's plan."), field="actions")
        if action.status != status:
            set_action_status(action, actor=actor, status=status)
            changed += 1
    revision = None
    if open_revision:
        approved = Plan.objects.filter(case=case, status=Plan.Status.APPROVED).first()
        if approved is None:
            raise ActionError(
                _(
                    "The case has no approved plan to revise: add the needs to the plan being "
                    "written."
                ),
                field="open_revision",
            )
        revision = new_version(approved, actor=actor)
    audit_case(
        "follow_up.recorded",
        actor=actor,
        case=case,
        target=follow_up,
        detail={
            "follow_up": str(follow_up.public_id),
            "month": follow_up.month,
            "method": method,
            "done_on": str(done_on),
            "actions_changed": changed,
            "lost_contact_withdrawn": had_proposal,
            "plan_revision": revision.number if revision else None,
        },
    )
    event(
        case,
        "follow_up_done",
        actor=actor,
        month=follow_up.month,
        method=method,
        done_on=str(done_on),
        note=follow_up.note[:200],
    )
    return follow_up


@transaction.atomic
def decide_lost_contact(case: Case, *, actor, close: bool, note: str = "") -> Case:
    """The coordinator's decision on a case proposed for closing as lost contact: close it (its
    open tasks are cancelled), or keep following it (the count of failed attempts starts
    again)."""
    require_case_owner(actor, case)
    if not actor.can(Capability.MANAGE_CASES):
        raise ActionError(_("The desk's coordinators decide."), code="forbidden")
    monitoring = CaseMonitoring.objects.select_for_update().filter(case=case).first()
    if monitoring is None or monitoring.lost_contact != CaseMonitoring.LostContact.PROPOSED:
        raise ActionError(_("This case is not proposed for closing."), code="already_done")
    in_a_row = monitoring.failed_in_row
    if close:
        case = close_case(
            case,
            actor=actor,
            reason=ClosedReason.LOST_CONTACT,
            note=note
            or _("Closed after %(n)s failed contact attempts in a row.") % {"n": in_a_row},
            cancel_open_tasks=True,
        )
    else:
        monitoring.lost_contact = ""
        monitoring.failed_in_row = 0
        monitoring.version += 1
        monitoring.save()
    audit_case(
        "monitoring.lost_contact_decided",
        actor=actor,
        case=case,
        detail={"closed": close, "in_a_row": in_a_row, "note": note},
    )
    event(case, "lost_contact_decided", actor=actor, closed=close, note=note)
    return case


# --- Surveys --------------------------------------------------------------------------------


def _answers_problem(definition: dict, answers: dict) -> None:
    if not isinstance(answers, dict) or any(
        not isinstance(k, str) or not isinstance(v, str) for k, v in answers.items()
    ):
        raise ActionError(_("Answers are question codes with the code of the option chosen."))
    wrong = instrument.unknown_answers(definition, answers)
    if wrong:
        raise ActionError(
            _("These answers are not in this version of the survey: %(codes)s.")
            % {"codes": ", ".join(wrong)},
            field="answers",
        )


@transaction.atomic
def start_survey(case: Case, *, actor, follow_up: FollowUp | None = None) -> Survey:
    """A survey of the case with the programme's adopted instrument version: the baseline at
    reception, or the survey of a follow-up."""
    _require_may_work(actor, case)
    if follow_up is None:
        if Survey.objects.filter(case=case, kind=Survey.Kind.BASELINE).exists():
            raise ActionError(_("The baseline survey is already started."), code="already_done")
    else:
        if follow_up.case_id != case.pk:
            raise ActionError(_("That follow-up is not part of this case."))
        if Survey.objects.filter(follow_up=follow_up).exists():
            raise ActionError(_("This follow-up's survey is already started."), code="already_done")
        if follow_up.status in (FollowUp.Status.CANCELLED, FollowUp.Status.MISSED):
            raise ActionError(_("This follow-up was cancelled."))
    version = rules.schedule_of(case.cycle.programme).instrument
    if version is None:
        raise ActionError(_("No survey version is loaded. Ask programme coordination."))
    survey = Survey.objects.create(
        case=case,
        kind=Survey.Kind.FOLLOW_UP if follow_up else Survey.Kind.BASELINE,
        follow_up=follow_up,
        instrument=version,
        started_by=actor,
    )
    audit_case(
        "survey.started",
        actor=actor,
        case=case,
        target=survey,
        detail={"survey": str(survey.public_id), "kind": survey.kind, "version": str(version)},
    )
    return survey


def _locked_survey(survey: Survey, expected_version) -> Survey:
    fresh = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("case", "instrument", "follow_up")
        .get(pk=survey.pk)
    )
    _check_version(fresh, expected_version, _("survey"))
    if fresh.status == Survey.Status.SUBMITTED:
        raise ActionError(_("This survey is already submitted."), code="already_done")
    return fresh


@transaction.atomic
def save_survey(survey: Survey, *, actor, answers: dict, expected_version=None) -> Survey:
    """Keep the answers given so far, to finish later."""
    survey = _locked_survey(survey, expected_version)
    _require_may_work(actor, survey.case)
    _answers_problem(survey.instrument.definition, answers)
    answered = {k: v for k, v in answers.items() if v}
    changed = sorted(set(answered.items()) ^ set(survey.answers.items()))
    survey.answers = answered
    survey.version += 1
    survey.save(update_fields=["answers", "version"])
    audit_case(
        "survey.saved",
        actor=actor,
        case=survey.case,
        target=survey,
        detail={
            "survey": str(survey.public_id),
            "answered": len(answered),
            "changed": len(changed),
        },
    )
    return survey


def _scores_dict(survey: Survey) -> dict:
    return {code: getattr(survey, code) for code in (*instrument.DIMENSIONS, "composite")}


@transaction.atomic
def submit_survey(survey: Survey, *, actor, answers: dict, expected_version=None) -> Survey:
    """Submit the survey: every required question answered (or declined), else refused with the
    missing questions named. Its scores are computed with its own instrument version; the case
    is at risk when a dimension is under its threshold or a figure dropped by more than the
    programme's margin since the previous survey, and its caseworker then gets a task to review
    the reintegration plan."""
    survey = _locked_survey(survey, expected_version)
    case = survey.case
    _require_may_work(actor, case)
    definition = survey.instrument.definition
    _answers_problem(definition, answers)
    answers = {k: v for k, v in answers.items() if v}
    missing = instrument.missing_required(definition, answers)
    if missing:
        names = "; ".join(instrument.text(q["text"]) for q in missing)
        raise ActionError(
            _("Answer every required question before submitting. Still to answer: %(names)s")
            % {"names": names},
            field="answers",
            code="invalid",
        )
    scores = instrument.score(definition, answers)
    survey.answers = answers
    for code, value in scores.as_dict().items():
        setattr(survey, code, value)
    survey.status = Survey.Status.SUBMITTED
    survey.submitted_by = actor
    survey.submitted_at = timezone.now()
    survey.version += 1
    survey.save()
    monitoring = CaseMonitoring.objects.select_for_update().filter(case=case).first()
    if monitoring is None:
        # A case monitored before this app (or opened before reception): the survey starts it.
        monitoring = CaseMonitoring.objects.create(
            case=case,
            desk_id=case.owning_desk_id,
            arrived_on=timezone.localdate(case.phase_changed_at),
        )
    previous = monitoring.latest_survey
    reasons = rules.risk_reasons(
        scores.as_dict(),
        _scores_dict(previous) if previous is not None else None,
        definition,
        rules.schedule_of(case.cycle.programme).drop_margin,
    )
    newly_at_risk = bool(reasons) and not monitoring.at_risk
    monitoring.set_latest(survey)
    monitoring.at_risk = bool(reasons)
    monitoring.risk_reasons = reasons
    if newly_at_risk:
        monitoring.at_risk_since = timezone.localdate()
    elif not reasons:
        monitoring.at_risk_since = None
    monitoring.version += 1
    monitoring.save()
    figures = {k: (str(v) if v is not None else None) for k, v in scores.as_dict().items()}
    audit_case(
        "survey.submitted",
        actor=actor,
        case=case,
        target=survey,
        detail={
            "survey": str(survey.public_id),
            "version": str(survey.instrument),
            "scores": figures,
            "at_risk": bool(reasons),
        },
    )
    event(
        case,
        "survey_submitted",
        actor=actor,
        kind=survey.kind,
        version=str(survey.instrument),
        **{k: v or "—" for k, v in figures.items()},
    )
    if newly_at_risk:
        reviewer = caseworker_of(case, actor)
        create_task(
            case,
            actor=actor,
            title=_("Review the reintegration plan: the case is at risk"),
            assignee=reviewer,
            due_on=timezone.localdate() + datetime.timedelta(days=rules.REVIEW_WITHIN),
        )
        audit_case("monitoring.at_risk", actor=actor, case=case, detail={"reasons": reasons})
        event(case, "case_at_risk", actor=actor, reasons=len(reasons))
    return survey


# --- Instruments ----------------------------------------------------------------------------


@transaction.atomic
def load_instrument_version(definition: dict, *, actor=None) -> tuple[InstrumentVersion, bool]:
    """Load a version of an instrument from its definition. The same definition loaded again is
    the same version (returned, nothing written); another definition under a number already
    loaded is refused: a version never changes. Returns (version, created)."""
    if actor is not None and not rules.may_change_schedule(actor):
        raise ActionError(_("Only programme coordination loads survey versions."), code="forbidden")
    problems = instrument.validate(definition)
    if problems:
        raise ActionError(
            _("This survey definition cannot be loaded: %(problems)s")
            % {"problems": "; ".join(problems[:10])},
            field="definition",
        )
    digest = instrument.checksum(definition)
    owner, _created = Instrument.objects.get_or_create(code=definition["code"])
    existing = InstrumentVersion.objects.filter(
        instrument=owner, number=definition["version"]
    ).first()
    if existing is not None:
        if existing.checksum == digest:
            return existing, False
        raise ActionError(
            _(
                "Version %(number)s of %(code)s is already loaded with other questions: a "
                "version never changes. Give the new one the next number (%(next)s)."
            )
            % {
                "number": definition["version"],
                "code": definition["code"],
                "next": (owner.versions.aggregate(m=Max("number"))["m"] or 0) + 1,
            },
            field="definition",
            code="conflict",
        )
    version = InstrumentVersion.objects.create(
        instrument=owner,
        number=definition["version"],
        definition=definition,
        checksum=digest,
        loaded_by=actor,
    )
    record(
        "instrument.loaded",
        actor=actor,
        target=version,
        detail={"code": owner.code, "version": version.number, "checksum": digest},
    )
    return version, True

"""The monitoring pages: a case's Monitoring tab (follow-ups, failed attempts, the lost-contact
proposal, the risk and the scores over time), recording a follow-up or a failed attempt, the
survey, the coordinator's decision on lost contact, a desk's monitoring page, a programme's
schedule and a survey version. Each view: access -> form -> action -> redirect or render.

A case the user may not see answers 404 (only who works on the case sees its monitoring); one
they see but may not change answers 403 to a change. Programme coordination reads every desk's
monitoring page, counting the cases it may see and naming them by reference only.
"""

import functools
import uuid
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.access import get_or_404
from retorno.accounts.roles import Capability
from retorno.cases import access as case_access
from retorno.cases.models import Phase
from retorno.cases.views.common import case_context
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error
from retorno.monitoring import access, actions, instrument, queries, rules
from retorno.monitoring.forms import (
    AttemptForm,
    DecideLostContactForm,
    FollowUpForm,
    ScheduleForm,
    SurveyForm,
)
from retorno.monitoring.models import CaseMonitoring, Dimension, FollowUp, Survey
from retorno.plans import access as plan_access
from retorno.plans.models import Plan
from retorno.programmes.models import Programme


def member_required(view):
    """Signed in and acting under a membership (404 otherwise), as the grant pages."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request.user, "membership", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _posted(request):
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 422 if form.errors else 200


def _case_to_change(user, case_id):
    """The case, for a change to its monitoring: 404 to whoever does not work on it (the desk
    that sent it reads only its summary), 403 to who sees it but may not change it."""
    case = case_access.get_case_for_user(user, case_id)
    if case.access != case_access.FULL:
        raise Http404
    if not case_access.may_change_case(user, case):
        raise PermissionDenied
    return case


def _to_tab(case):
    return redirect("monitoring:case", case_id=case.public_id)


def figure(value, places=3) -> str:
    """A score or threshold as the reader writes numbers ("0,420" in Spanish)."""
    return formats.number_format(Decimal(value), places)


def figure_label(code: str) -> str:
    return _("Composite") if code == "composite" else str(Dimension(code).label)


def reason_text(reason: dict) -> str:
    """A reason the case is at risk, in words."""
    label = figure_label(reason["dimension"])
    if reason["kind"] == "under":
        places = len(reason["threshold"].partition(".")[2]) or 1
        return _("%(dimension)s %(score)s is under the threshold %(threshold)s") % {
            "dimension": label,
            "score": figure(reason["score"]),
            "threshold": figure(reason["threshold"], places),
        }
    return _("%(dimension)s dropped from %(before)s to %(after)s") % {
        "dimension": label,
        "before": figure(reason["from"]),
        "after": figure(reason["to"]),
    }


def _risk(monitoring) -> list[str]:
    if monitoring is None or not monitoring.at_risk:
        return []
    return [reason_text(r) for r in monitoring.risk_reasons]


# ── The case's tab ───────────────────────────────────────────────────────────────────────────


def _chart_lines(chart) -> list[dict]:
    """The chart's lines with their legend and a dash pattern (colour is not the only cue)."""
    styles = {
        "economic": ("#0b5394", ""),
        "social": ("#38761d", "6 3"),
        "psychosocial": ("#a64d79", "2 3"),
        "composite": ("#212529", "10 4 2 4"),
    }
    lines = []
    for code in queries.FIGURES:
        line = chart["lines"][code]
        colour, dash = styles[code]
        lines.append({"code": code, "label": figure_label(code), "colour": colour, "dash": dash})
        lines[-1].update(line)
    return lines


@capability_required(Capability.WORK_CASES)
def case_monitoring(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id)
    monitoring = access.monitoring_of(case)
    context = case_context(request, case, "monitoring")
    follow_ups = list(
        access.of_case(case, FollowUp).select_related("reached_by", "survey").order_by("month")
    )
    attempts: dict = {}
    for attempt in access.attempts_of(case).order_by("attempted_at", "pk"):
        attempts.setdefault(attempt.follow_up_id, []).append(attempt)
    today = timezone.localdate()
    may_work = context["is_owner"] and case.phase != Phase.CLOSED
    rows = []
    for fu in follow_ups:
        survey = getattr(fu, "survey", None) if fu.takes_survey else None
        rows.append(
            {
                "follow_up": fu,
                "overdue": fu.status == FollowUp.Status.PLANNED and fu.due_on < today,
                "attempts": attempts.get(fu.pk, []),
                "survey": survey,
                "may_record": may_work and fu.status == FollowUp.Status.PLANNED,
                "may_start_survey": may_work
                and fu.takes_survey
                and survey is None
                and fu.status != FollowUp.Status.CANCELLED,
            }
        )
    wanted = request.GET.get("survey_for")
    offers = [r["follow_up"] for r in rows if r["may_start_survey"]]
    offer = next((fu for fu in offers if str(fu.public_id) == wanted), None)
    surveys = queries.scores_over_time(case)
    chart = queries.chart(surveys)
    for line in chart.get("grid", []):
        line["label"] = figure(line["label"], 1)
    baseline = access.of_case(case, Survey).filter(kind=Survey.Kind.BASELINE).first()
    context.update(
        {
            "monitoring": monitoring,
            "rows": rows,
            "offer": offer,
            "surveys": surveys,
            "chart": chart,
            "chart_lines": _chart_lines(chart) if chart else [],
            "risk": _risk(monitoring),
            "proposed": monitoring is not None
            and monitoring.lost_contact == CaseMonitoring.LostContact.PROPOSED,
            "may_decide": context["is_owner"] and request.user.can(Capability.MANAGE_CASES),
            "baseline": baseline,
            "may_start_baseline": may_work and baseline is None,
            "may_work": may_work,
        }
    )
    return render(request, "monitoring/case.html", context)


def _approved_plan(case):
    return plan_access.plans_of_case(case).filter(status=Plan.Status.APPROVED).first()


def _plan_actions(plan) -> list:
    if plan is None:
        return []
    found = []
    for goal in plan.goals.prefetch_related("actions").order_by("pk"):
        found += [a for a in goal.actions.all() if a.status != a.Status.CANCELLED]
    return found


def _follow_up_page(request, case, follow_up, **extra):
    context = case_context(request, case, "monitoring", record_view=False)
    context.update(
        {
            "follow_up": follow_up,
            "cancel_url": reverse("monitoring:case", args=[case.public_id]),
            **extra,
        }
    )
    return context


@capability_required(Capability.WORK_CASES)
def record(request, case_id, follow_up_id):
    case = _case_to_change(request.user, case_id)
    follow_up = access.get_follow_up_for_user(request.user, case, follow_up_id, write=True)
    if follow_up.status != FollowUp.Status.PLANNED:
        messages.info(request, _("This follow-up is already done."))
        return _to_tab(case)
    plan = _approved_plan(case)
    plan_actions = _plan_actions(plan)
    form = FollowUpForm(
        _posted(request),
        initial={"version": follow_up.version, "done_on": timezone.localdate()},
        plan_actions=plan_actions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            for action in plan_actions:
                action.goal.plan = plan
            follow_up = actions.record_follow_up(
                follow_up,
                actor=request.user,
                done_on=form.cleaned_data["done_on"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
                new_needs=form.cleaned_data["new_needs"],
                action_statuses=form.action_statuses(),
                open_revision=form.cleaned_data["open_revision"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The follow-up is recorded."))
            if (
                follow_up.takes_survey
                and not access.of_case(case, Survey).filter(follow_up=follow_up).exists()
            ):
                # Offer the survey at once: the tab shows "Take the survey now" on top.
                url = reverse("monitoring:case", args=[case.public_id])
                return redirect(f"{url}?survey_for={follow_up.public_id}")
            return _to_tab(case)
    context = _follow_up_page(
        request,
        case,
        follow_up,
        form=form,
        plan=plan,
        action_fields=[form[name] for name in form.plan_actions],
        heading=_("Record the follow-up"),
    )
    return render(request, "monitoring/record.html", context, status=_status(form))


@capability_required(Capability.WORK_CASES)
def attempt(request, case_id, follow_up_id):
    case = _case_to_change(request.user, case_id)
    follow_up = access.get_follow_up_for_user(request.user, case, follow_up_id, write=True)
    if follow_up.status != FollowUp.Status.PLANNED:
        messages.info(request, _("This follow-up is already done."))
        return _to_tab(case)
    form = AttemptForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        attempted_at = form.cleaned_data.get("attempted_at")
        try:
            actions.record_attempt(
                follow_up,
                actor=request.user,
                method=form.cleaned_data["method"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                attempted_at=attempted_at,
            )
        except ActionError as error:
            if error.field == "attempted_at":
                form.add_error("attempted_on", error.message)
            else:
                form_error(form, error)
        else:
            messages.success(request, _("The failed attempt is recorded."))
            return _to_tab(case)
    context = _follow_up_page(
        request, case, follow_up, form=form, heading=_("Record a failed attempt")
    )
    return render(request, "monitoring/attempt.html", context, status=_status(form))


@capability_required(Capability.MANAGE_CASES)
def decide(request, case_id):
    case = _case_to_change(request.user, case_id)
    monitoring = access.monitoring_of(case)
    if monitoring is None or monitoring.lost_contact != CaseMonitoring.LostContact.PROPOSED:
        messages.info(request, _("This case is not proposed for closing."))
        return _to_tab(case)
    form = DecideLostContactForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        close = form.cleaned_data["decision"] == "close"
        try:
            actions.decide_lost_contact(
                case, actor=request.user, close=close, note=form.cleaned_data["note"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The case is closed as lost contact.")
                if close
                else _("The case stays followed; the count of failed attempts starts again."),
            )
            return _to_tab(case)
    context = case_context(request, case, "monitoring", record_view=False)
    context.update(
        {
            "form": form,
            "monitoring": monitoring,
            "cancel_url": reverse("monitoring:case", args=[case.public_id]),
        }
    )
    return render(request, "monitoring/decide.html", context, status=_status(form))


# ── Surveys ──────────────────────────────────────────────────────────────────────────────────


@capability_required(Capability.WORK_CASES)
@require_POST
def survey_start(request, case_id):
    case = _case_to_change(request.user, case_id)
    follow_up = None
    if request.POST.get("follow_up"):
        follow_up = access.get_follow_up_for_user(
            request.user, case, request.POST["follow_up"], write=True
        )
    try:
        survey = actions.start_survey(case, actor=request.user, follow_up=follow_up)
    except ActionError as error:
        existing = access.of_case(case, Survey).filter(
            follow_up=follow_up, kind=Survey.Kind.FOLLOW_UP if follow_up else Survey.Kind.BASELINE
        )
        survey = existing.first()
        if survey is None:
            messages.error(request, error.message)
            return _to_tab(case)
    return redirect("monitoring:survey", case_id=case.public_id, survey_id=survey.public_id)


def _scores(survey) -> list[dict]:
    return [
        {"label": figure_label(code), "value": getattr(survey, code)} for code in queries.FIGURES
    ]


def _read_only_answers(survey) -> list[dict]:
    definition = survey.instrument.definition
    groups = []
    for d in definition["dimensions"]:
        rows = []
        for q in definition["questions"]:
            if q["dimension"] != d["code"]:
                continue
            chosen = survey.answers.get(q["code"])
            if chosen == instrument.DECLINED:
                answer = instrument.declined_label()
            else:
                option = next((o for o in q["options"] if o["code"] == chosen), None)
                answer = instrument.text(option["label"]) if option else "—"
            rows.append({"question": instrument.text(q["text"]), "answer": answer})
        groups.append({"label": instrument.text(d["label"]), "rows": rows})
    return groups


@capability_required(Capability.WORK_CASES)
def survey(request, case_id, survey_id):
    write = request.method == "POST"
    case = (
        _case_to_change(request.user, case_id)
        if write
        else case_access.get_case_for_user(request.user, case_id)
    )
    found = access.get_survey_for_user(request.user, case, survey_id, write=write)
    context = case_context(request, case, "monitoring", record_view=not write)
    context.update(
        {
            "survey": found,
            "cancel_url": reverse("monitoring:case", args=[case.public_id]),
            "title": instrument.text(found.instrument.definition["title"]),
        }
    )
    if found.status == Survey.Status.SUBMITTED:
        if write:
            messages.info(request, _("This survey is already submitted."))
            return redirect(request.path)
        context.update({"groups": _read_only_answers(found), "scores": _scores(found)})
        return render(request, "monitoring/survey_done.html", context)
    definition = found.instrument.definition
    form = SurveyForm(
        _posted(request),
        initial={"version": found.version, **found.answers},
        definition=definition,
    )
    if write:
        version = request.POST.get("version") or None
        submit = "submit" in request.POST
        try:
            if submit:
                if form.is_valid():
                    actions.submit_survey(
                        found,
                        actor=request.user,
                        answers=form.answers(),
                        expected_version=version,
                    )
            else:
                actions.save_survey(
                    found, actor=request.user, answers=form.answers(), expected_version=version
                )
        except ActionError as error:
            form.is_valid()
            form_error(form, error)
        else:
            if not form.errors or not submit:
                if submit:
                    messages.success(request, _("The survey is submitted."))
                    return _to_tab(case)
                messages.success(
                    request,
                    _("The answers are saved. You can finish the survey later."),
                )
                return _to_tab(case)
    answered = (
        sum(1 for code in form.answers() if code in form.fields) if write else len(found.answers)
    )
    context.update(
        {
            "form": form,
            "dimensions": form.by_dimension(),
            "answered": answered,
            "total": len(definition["questions"]),
            "has_errors": bool(form.errors),
        }
    )
    return render(request, "monitoring/survey.html", context, status=_status(form))


# ── A desk's monitoring ──────────────────────────────────────────────────────────────────────


@capability_required(Capability.MANAGE_CASES)
def desk(request):
    first = access.monitoring_desks_visible_to(request.user).first()
    if first is None:
        raise PermissionDenied
    return redirect("monitoring:desk_of", desk_id=first.public_id)


ZERO = uuid.UUID(int=0)


@capability_required(Capability.MANAGE_CASES)
def desk_of(request, desk_id):
    user = request.user
    chosen = access.get_monitoring_desk_for_user(user, desk_id)
    desks = list(access.monitoring_desks_visible_to(user))
    today = timezone.localdate()
    figures = queries.desk_monitoring(access.counted_for(user, chosen), today)
    listed = (
        figures["at_risk"]
        .select_related(None)
        .select_related("case__person")
        .only("risk_reasons", "at_risk_since", *queries.LIST_CASE_FIELDS)
    )
    paginator = Paginator(listed, queries.LIST_ROWS)
    paginator.count = figures["at_risk_count"]  # counted already
    at_risk = paginator.get_page(request.GET.get("page"))
    figures["at_risk"] = at_risk.object_list
    for row in figures["at_risk"]:
        row.reasons_text = [reason_text(r) for r in row.risk_reasons]
    for item in figures["distribution"]:
        item["label"] = figure_label(item["figure"])
    context = {
        "desk": chosen,
        "desks": desks if len(desks) > 1 else [],
        "figures": figures,
        "page": at_risk,
        # Each row's link written from one reversed address, not reversed once a row.
        "case_url_prefix": reverse("monitoring:case", args=[ZERO]).removesuffix(f"{ZERO}/"),
        "show_names": access.sees_persons_of(user, chosen),
        "may_change_schedule": rules.may_change_schedule(user),
        "programmes": Programme.objects.order_by("name") if rules.may_change_schedule(user) else [],
        "today": today,
    }
    return render(request, "monitoring/desk.html", context)


# ── A programme's schedule, a survey version ─────────────────────────────────────────────────


@member_required
def schedule(request, programme_id):
    if not rules.may_change_schedule(request.user):
        raise PermissionDenied
    programme = get_or_404(Programme.objects.all(), programme_id)
    current = rules.schedule_of(programme)
    versions = list(access.instrument_versions_visible_to(request.user))
    form = ScheduleForm(
        _posted(request),
        initial={
            "version": current.version,
            "months": current.months,
            "survey_months": current.survey_months,
            "attempts_before_lost": current.attempts_before_lost,
            "drop_margin": str(current.drop_margin),
            "instrument_version": str(current.instrument.public_id) if current.instrument else "",
        },
        versions=versions,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _schedule, counts = actions.set_schedule(
                programme,
                actor=request.user,
                months=data["months"],
                survey_months=data["survey_months"],
                attempts_before_lost=data["attempts_before_lost"],
                drop_margin=data["drop_margin"],
                instrument_version=data["instrument_version"],
                expected_version=data.get("version"),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The schedule is saved: %(planned)s follow-ups planned, %(cancelled)s cancelled.")
                % counts,
            )
            return redirect("monitoring:schedule", programme_id=programme.public_id)
    context = {"programme": programme, "form": form, "versions": versions}
    return render(request, "monitoring/schedule.html", context, status=_status(form))


@member_required
def instrument_version(request, version_id):
    version = access.get_instrument_version_for_user(request.user, version_id)
    definition = version.definition
    dimensions = []
    for d in definition["dimensions"]:
        dimensions.append(
            {
                "label": instrument.text(d["label"]),
                "weight": d["weight"],
                "threshold": figure(d["threshold"], 2),
                "questions": [
                    {
                        "text": instrument.text(q["text"]),
                        "weight": q["weight"],
                        "required": q["required"],
                        "options": [
                            {"label": instrument.text(o["label"]), "score": figure(o["score"], 2)}
                            for o in q["options"]
                        ],
                    }
                    for q in definition["questions"]
                    if q["dimension"] == d["code"]
                ],
            }
        )
    context = {
        "version": version,
        "title": instrument.text(definition["title"]),
        "source": instrument.text(definition["source"]),
        "dimensions": dimensions,
    }
    return render(request, "monitoring/instrument.html", context)

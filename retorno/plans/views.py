"""The reintegration plan of a case: goals and actions per dimension, its versions, approval
by a second person, the person's agreement, and the PDF to take home."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.cases import access as case_access
from retorno.cases.views.common import case_context
from retorno.directory.access import services_visible_to
from retorno.directory.choosers import SHOW, form_initial_from_post
from retorno.lib.errors import ActionError
from retorno.lib.plugins import plan_action_links
from retorno.lib.views import capability_required, form_error
from retorno.plans import access, actions, pdf, rules
from retorno.plans.forms import (
    ActionForm,
    ActionStatusForm,
    AgreementForm,
    GoalForm,
    ReasonForm,
    SummaryForm,
)
from retorno.plans.models import Dimension, Plan, PlanAction
from retorno.plans.views_helpers import cost_totals


def _services(user):
    return services_visible_to(user).select_related("organization").order_by("name")


def _return_country(case) -> str:
    return getattr(case.person.return_country, "code", "") or ""


def _grouped(plan):
    """Goals by dimension, each with its actions, in two queries."""
    if plan is None:
        return []
    goals = list(
        plan.goals.prefetch_related("actions__service__organization", "actions__referrals")
    )
    groups = []
    for code, label in Dimension.choices:
        groups.append(
            {"code": code, "label": label, "goals": [g for g in goals if g.dimension == code]}
        )
    return groups


def _attach_links(user, case, plan, groups) -> None:
    """What other apps show under each action (a grant requested for it...), through the
    plug-in hook: the plans app does not import them."""
    if plan is None:
        return
    plan.case = case  # the case as cases.access read it, with the user's access
    every = [a for g in groups for goal in g["goals"] for a in goal.actions.all()]
    links = plan_action_links(user, plan, every)
    for action in every:
        action.extra_links = links.get(action.lineage, [])


def _plan_context(request, case, tab="plan", *, record_view=True):
    context = case_context(request, case, tab, record_view=record_view)
    plan = access.current_plan(case)
    groups = _grouped(plan)
    _attach_links(request.user, case, plan, groups)
    context.update(
        {
            "plan": plan,
            "groups": groups,
            "totals": cost_totals(groups),
            "versions": access.plans_of_case(case),
            "approval_problem": rules.approval_problem(plan, request.user) if plan else None,
            "editing": bool(plan and plan.editable and context["is_owner"]),
            "can_track": bool(plan and plan.status == Plan.Status.APPROVED and context["is_owner"]),
            "status_choices": PlanAction.Status.choices,
        }
    )
    return context


@capability_required(Capability.WORK_CASES)
def plan(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id)
    context = _plan_context(request, case)
    return render(request, "plans/plan.html", context)


@capability_required(Capability.WORK_CASES)
def plan_start(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    if request.method == "POST":
        try:
            actions.draft_plan(case, actor=request.user)
        except ActionError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("The plan is started. Add the person's goals."))
    return redirect("plans:plan", case_id=case.public_id)


def _draft(request, case):
    plan = access.current_plan(case)
    if plan is None or not plan.editable:
        return None
    return plan


@capability_required(Capability.WORK_CASES)
def summary_edit(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = _draft(request, case)
    if plan is None:
        return redirect("plans:plan", case_id=case.public_id)
    form = SummaryForm(request.POST or None, initial={"summary": plan.summary})
    if request.method == "POST" and form.is_valid():
        actions.update_plan_summary(plan, actor=request.user, summary=form.cleaned_data["summary"])
        messages.success(request, _("The summary is saved."))
        return redirect("plans:plan", case_id=case.public_id)
    context = case_context(request, case, "plan", record_view=False)
    context.update({"form": form, "heading": _("Summary of the plan")})
    return render(request, "plans/form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def goal_form(request, case_id, goal_id=None):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = _draft(request, case)
    if plan is None:
        return redirect("plans:plan", case_id=case.public_id)
    goal = access.get_goal_for_user(request.user, plan, goal_id) if goal_id else None
    initial = (
        {"dimension": goal.dimension, "description": goal.description}
        if goal
        else {"dimension": request.GET.get("dimension", "")}
    )
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if goal is not None and request.POST.get("remove"):
            try:
                actions.remove_goal(goal, actor=request.user)
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The goal is removed."))
            return redirect("plans:plan", case_id=case.public_id)
        if form.is_valid():
            try:
                if goal is None:
                    actions.add_goal(plan, actor=request.user, **form.cleaned_data)
                else:
                    actions.update_goal(goal, actor=request.user, **form.cleaned_data)
            except ActionError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The goal is saved."))
                return redirect("plans:plan", case_id=case.public_id)
    context = case_context(request, case, "plan", record_view=False)
    context.update(
        {"form": form, "goal": goal, "heading": _("Change a goal") if goal else _("Add a goal")}
    )
    return render(request, "plans/form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def action_form(request, case_id, goal_id=None, action_id=None):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = _draft(request, case)
    if plan is None:
        return redirect("plans:plan", case_id=case.public_id)
    action = access.get_action_for_user(request.user, plan, action_id) if action_id else None
    goal = action.goal if action else access.get_goal_for_user(request.user, plan, goal_id)
    initial = {}
    if action is not None:
        initial = {name: getattr(action, name) for name in actions.ACTION_FIELDS}
    chooser = {"services": _services(request.user), "default_country": _return_country(case)}
    if request.POST.get(SHOW):
        form = ActionForm(initial=form_initial_from_post(ActionForm, request.POST), **chooser)
    else:
        form = ActionForm(request.POST or None, initial=initial, **chooser)
    if request.method == "POST" and not request.POST.get(SHOW):
        if action is not None and request.POST.get("remove"):
            try:
                actions.remove_action(action, actor=request.user)
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The action is removed."))
            return redirect("plans:plan", case_id=case.public_id)
        if form.is_valid():
            try:
                if action is None:
                    actions.add_action(goal, actor=request.user, **form.cleaned_data)
                else:
                    actions.update_action(action, actor=request.user, **form.cleaned_data)
            except ActionError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The action is saved."))
                return redirect("plans:plan", case_id=case.public_id)
    context = case_context(request, case, "plan", record_view=False)
    context.update(
        {
            "form": form,
            "goal": goal,
            "action": action,
            "heading": _("Change an action") if action else _("Add an action"),
        }
    )
    return render(request, "plans/form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def action_status(request, case_id, action_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = access.current_plan(case)
    action = access.get_action_for_user(request.user, plan, action_id)
    form = ActionStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_action_status(
                action, actor=request.user, status=form.cleaned_data["status"]
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The action's status is saved."))
    return redirect("plans:plan", case_id=case.public_id)


@capability_required(Capability.WORK_CASES)
def submit(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = access.current_plan(case)
    if request.method == "POST" and plan is not None:
        try:
            actions.submit_plan(plan, actor=request.user)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "The plan is waiting for approval by a coordinator of %(desk)s who did "
                    "not write it."
                )
                % {"desk": case.owning_desk.local_name},
            )
    return redirect("plans:plan", case_id=case.public_id)


@capability_required(Capability.MANAGE_CASES)
def approve(request, case_id):
    """Check the plan before you approve it (UX §2.6)."""
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = access.current_plan(case)
    if plan is None:
        return redirect("plans:plan", case_id=case.public_id)
    if plan.status == Plan.Status.APPROVED:
        messages.info(
            request,
            _("This plan was already approved on %(date)s.")
            % {"date": timezone.localtime(plan.approved_at).date()},
        )
        return redirect("plans:plan", case_id=case.public_id)
    problem = rules.approval_problem(plan, request.user)
    if request.method == "POST" and problem is None:
        try:
            actions.approve_plan(plan, actor=request.user)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Version %(number)s of the plan is approved. Record the person's agreement next.")
                % {"number": plan.number},
            )
        return redirect("plans:plan", case_id=case.public_id)
    context = case_context(request, case, "plan", record_view=False)
    groups = _grouped(plan)
    context.update(
        {"plan": plan, "groups": groups, "totals": cost_totals(groups), "problem": problem}
    )
    return render(request, "plans/approve.html", context)


@capability_required(Capability.MANAGE_CASES)
def send_back(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = access.current_plan(case)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and plan is not None:
        try:
            actions.send_back_plan(plan, actor=request.user, reason=form.cleaned_data["reason"])
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The plan is back in draft, with your comments on the timeline.")
            )
            return redirect("plans:plan", case_id=case.public_id)
    context = case_context(request, case, "plan", record_view=False)
    context.update({"form": form, "heading": _("Send the plan back to draft")})
    return render(request, "plans/form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def agreement(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = access.current_plan(case)
    form = AgreementForm(request.POST or None, initial={"agreed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and plan is not None:
        try:
            actions.record_agreement(
                plan,
                actor=request.user,
                agreed_on=form.cleaned_data["agreed_on"],
                how=form.cleaned_data["how"],
                witness=form.cleaned_data.get("witness", ""),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The person's agreement is recorded."))
            return redirect("plans:plan", case_id=case.public_id)
    context = case_context(request, case, "plan", record_view=False)
    context.update({"form": form, "heading": _("Record the person's agreement")})
    return render(request, "plans/form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def new_version(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = access.current_plan(case)
    if request.method == "POST" and plan is not None:
        try:
            copy = actions.new_version(plan, actor=request.user)
        except ActionError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s is a draft copy of the approved plan. Version "
                    "%(previous)s stays in force until it is approved."
                )
                % {"number": copy.number, "previous": plan.number},
            )
    return redirect("plans:plan", case_id=case.public_id)


@capability_required(Capability.WORK_CASES)
def version(request, case_id, number):
    case = case_access.get_case_for_user(request.user, case_id)
    plan = access.get_plan_version(case, number)
    context = case_context(request, case, "plan")
    groups = _grouped(plan)
    context.update(
        {"plan": plan, "groups": groups, "totals": cost_totals(groups), "old_version": True}
    )
    return render(request, "plans/version.html", context)


@capability_required(Capability.WORK_CASES)
def compare(request, case_id):
    """Two versions side by side, goal by goal and action by action (matched by lineage)."""
    case = case_access.get_case_for_user(request.user, case_id)
    versions = list(access.plans_of_case(case))
    if len(versions) < 2:
        return redirect("plans:plan", case_id=case.public_id)
    numbers = [p.number for p in versions]
    a = _number(request.GET.get("a"), numbers, numbers[1])
    b = _number(request.GET.get("b"), numbers, numbers[0])
    older = access.get_plan_version(case, min(a, b))
    newer = access.get_plan_version(case, max(a, b))
    rows = _differences(older, newer)
    context = case_context(request, case, "plan")
    context.update({"older": older, "newer": newer, "rows": rows, "numbers": numbers})
    return render(request, "plans/compare.html", context)


def _number(value, numbers, default) -> int:
    return int(value) if (value or "").isdigit() and int(value) in numbers else default


def _differences(older, newer) -> list[dict]:
    def index(plan):
        items = {}
        for goal in plan.goals.prefetch_related("actions__service"):
            items[("goal", goal.lineage)] = {
                "kind": "goal",
                "text": f"{goal.get_dimension_display()}: {goal.description}",
            }
            for action in goal.actions.all():
                service = f" · {action.service.name}" if action.service else ""
                items[("action", action.lineage)] = {
                    "kind": "action",
                    "text": f"{action.description}{service} · {action.get_status_display()}"
                    + (f" · {action.due_on}" if action.due_on else "")
                    + (
                        f" · {action.estimated_cost} {action.currency}"
                        if action.estimated_cost
                        else ""
                    ),
                }
        return items

    before, after = index(older), index(newer)
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old and new:
            change = "same" if old["text"] == new["text"] else "changed"
        else:
            change = "removed" if old else "added"
        rows.append(
            {
                "kind": (old or new)["kind"],
                "old": old["text"] if old else "",
                "new": new["text"] if new else "",
                "change": change,
            }
        )
    return rows


@capability_required(Capability.WORK_CASES)
def plan_pdf(request, case_id, number):
    case = case_access.get_case_for_user(request.user, case_id)
    plan = access.get_plan_version(case, number)
    language = pdf.language_for(case.person, request.GET.get("language"))
    content = pdf.render_plan(plan, user=request.user, language=language)
    actions.record_print(plan, actor=request.user, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"plan-{case.reference}-v{plan.number}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response

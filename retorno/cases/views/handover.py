"""The handover: the European desk writes the summary, checks it, sends it; the receiving
desk's coordinators accept it (assigning a caseworker) or send it back with a reason."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.cases import access, actions, rules
from retorno.cases.forms import AcceptHandoverForm, HandoverForm, ReasonForm
from retorno.cases.models import Consent, Handover, HouseholdMember, Phase
from retorno.cases.views.common import case_context
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error

DRAFT_KEY = "retorno_handover_drafts"


def _draft(request, case) -> dict | None:
    return request.session.get(DRAFT_KEY, {}).get(str(case.public_id))


def _save_draft(request, case, data: dict) -> None:
    drafts = request.session.get(DRAFT_KEY, {})
    drafts[str(case.public_id)] = data
    request.session[DRAFT_KEY] = drafts


def _drop_draft(request, case) -> None:
    drafts = request.session.get(DRAFT_KEY, {})
    drafts.pop(str(case.public_id), None)
    request.session[DRAFT_KEY] = drafts


@capability_required(Capability.WORK_CASES)
def handover_start(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    problem = actions.handover_problem(case)
    if problem is not None and problem.code == "already_done":
        messages.info(request, problem.message)
        return redirect("cases:case", case_id=case.public_id)
    if problem is not None:
        # Said before anything is typed: no form while the case cannot be handed over.
        context = case_context(request, case, "summary", record_view=False)
        context.update({"problem": problem, "may_change_phase": problem.code == "not_ready"})
        return render(request, "cases/handover_blocked.html", context)
    consent = rules.consent_in_force(case, Consent.Purpose.TRANSFER)
    national = Organisation.objects.filter(kind="national_desk", is_active=True)
    suggested = (
        national.filter(country=case.person.return_country).first()
        if case.person.return_country
        else None
    )
    draft = _draft(request, case) or {}
    initial = {
        "to_desk": suggested.pk if suggested else None,
        "travel_date": case.travel_date,
        **draft,
    }
    form = HandoverForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["to_desk"] = data["to_desk"].pk
        data["travel_date"] = data["travel_date"].isoformat()
        _save_draft(request, case, data)
        return redirect("cases:handover_check", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=request.method == "GET")
    context.update({"form": form, "consent": consent, "suggested": suggested})
    return render(request, "cases/handover_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def handover_check(request, case_id):
    """Check the handover before you send it (MoJ confirm-an-action)."""
    case = access.get_case_for_user(request.user, case_id, write=True)
    if case.phase == Phase.HANDED_OVER:
        handover = access.of_case(case, Handover).filter(status=Handover.Status.PENDING).first()
        messages.info(
            request,
            _("This case was already handed over on %(date)s.")
            % {"date": actions.format_date(case.handed_over_at)},
        )
        if handover is not None:
            return redirect("cases:handover_sent", handover_id=handover.public_id)
        return redirect("cases:case", case_id=case.public_id)
    draft = _draft(request, case)
    if not draft or actions.handover_problem(case) is not None:
        return redirect("cases:handover_start", case_id=case.public_id)
    to_desk = Organisation.objects.filter(pk=draft["to_desk"]).first()
    consent = rules.consent_in_force(case, Consent.Purpose.TRANSFER)
    problems = []
    if request.method == "POST":
        try:
            handover = actions.hand_over_case(
                case,
                actor=request.user,
                to_desk=to_desk,
                situation=draft["situation"],
                needs=draft["needs"],
                plan_so_far=draft.get("plan_so_far", ""),
                risks=draft.get("risks", ""),
                promises=draft.get("promises", ""),
                travel_date=datetime.date.fromisoformat(draft["travel_date"]),
            )
        except ActionError as error:
            problems.append(error.message)
        else:
            _drop_draft(request, case)
            return redirect("cases:handover_sent", handover_id=handover.public_id)
    context = case_context(request, case, "summary", record_view=False)
    members = access.of_case(case, HouseholdMember).filter(returning=True).select_related("person")
    context.update(
        {
            "draft": draft,
            "to_desk": to_desk,
            "travel_date": datetime.date.fromisoformat(draft["travel_date"]),
            "consent": consent,
            "members": members,
            "problems": problems,
            "has_errors": bool(problems),
        }
    )
    return render(request, "cases/handover_check.html", context, status=422 if problems else 200)


@capability_required(Capability.WORK_CASES)
def handover_sent(request, handover_id):
    handover = access.get_handover_for_user(request.user, handover_id)
    return render(request, "cases/handover_sent.html", {"handover": handover})


@capability_required(Capability.WORK_CASES)
def inbox(request):
    """The handovers of the user's desk: waiting for a decision (coordinators decide), sent by
    the user, sent by the rest of the desk, and decided here. Each list holds only the
    handovers of cases the user may see: a sensitive case accepted elsewhere is gone."""
    user = request.user
    desk = user.organisation
    visible = access.handovers_visible_to(user)
    waiting = (
        access.handovers_waiting_for(user)
        .select_related("case", "case__person", "from_desk", "sent_by")
        .order_by("sent_at")
    )
    decided = (
        visible.exclude(status=Handover.Status.PENDING)
        .filter(to_desk=desk)
        .select_related("case", "from_desk", "decided_by")
        .order_by("-decided_at")
    )
    sent_by_me = (
        visible.filter(from_desk=desk, sent_by=user)
        .select_related("case", "to_desk")
        .order_by("-sent_at", "-pk")
    )
    sent_by_desk = (
        visible.filter(from_desk=desk)
        .exclude(sent_by=user)
        .select_related("case", "to_desk", "sent_by")
        .order_by("-sent_at", "-pk")
    )
    return render(
        request,
        "cases/handovers.html",
        {
            "is_coordinator": user.can(Capability.MANAGE_CASES),
            "european": desk.kind == Organisation.Kind.EUROPEAN_DESK,
            "waiting": waiting,
            "decided": Paginator(decided, 20).get_page(request.GET.get("page")),
            "sent_by_me": sent_by_me[:50],
            "sent": sent_by_desk[:20],
        },
    )


@capability_required(Capability.WORK_CASES)
def handover_detail(request, handover_id):
    handover = access.get_handover_for_user(request.user, handover_id)
    case = access.get_case_for_user(request.user, handover.case.public_id, summary=True)
    receiving = (
        request.user.can(Capability.MANAGE_CASES)
        and handover.to_desk_id == request.user.organisation.pk
        and handover.status == Handover.Status.PENDING
    )
    accept_form = AcceptHandoverForm(desk=handover.to_desk) if receiving else None
    actions.record_case_view(case, actor=request.user, page="handover")
    members = (
        access.of_case(case, HouseholdMember, summary_ok=True)
        .filter(returning=True)
        .select_related("person")
    )
    return render(
        request,
        "cases/handover_detail.html",
        {
            "handover": handover,
            "case": case,
            "receiving": receiving,
            "accept_form": accept_form,
            "return_form": ReasonForm() if receiving else None,
            "members": members,
        },
    )


@capability_required(Capability.MANAGE_CASES)
def handover_accept(request, handover_id):
    handover = access.get_handover_for_user(request.user, handover_id, write=True)
    if handover.status != Handover.Status.PENDING:
        messages.info(
            request,
            _("This handover was already decided on %(date)s.")
            % {"date": actions.format_date(handover.decided_at)},
        )
        return redirect("cases:handover", handover_id=handover.public_id)
    form = AcceptHandoverForm(request.POST or None, desk=handover.to_desk)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.accept_handover(
                handover, actor=request.user, caseworker=form.cleaned_data["caseworker"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "You accepted the handover. %(desk)s now owns case %(reference)s and "
                    "%(name)s is its caseworker."
                )
                % {
                    "desk": handover.to_desk.local_name,
                    "reference": case.reference,
                    "name": form.cleaned_data["caseworker"].get_full_name(),
                },
            )
            return redirect("cases:case", case_id=case.public_id)
    return render(
        request,
        "cases/handover_accept.html",
        {"handover": handover, "form": form},
        status=422 if form.errors else 200,
    )


@capability_required(Capability.MANAGE_CASES)
def handover_return(request, handover_id):
    handover = access.get_handover_for_user(request.user, handover_id, write=True)
    if handover.status != Handover.Status.PENDING:
        messages.info(
            request,
            _("This handover was already decided on %(date)s.")
            % {"date": actions.format_date(handover.decided_at)},
        )
        return redirect("cases:handover", handover_id=handover.public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_handover(
                handover, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The case is sent back to %(desk)s with your reason.")
                % {"desk": handover.from_desk.local_name},
            )
            return redirect("cases:handovers")
    return render(
        request,
        "cases/handover_return.html",
        {"handover": handover, "form": form},
        status=422 if form.errors else 200,
    )

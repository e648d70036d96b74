"""The grant pages: the desk's grants, a case's grants, a request from an action of the plan,
its quotes and instalments, the decision (four eyes), payments with receipts, and the budgets
and policy of the programme. Each view: access -> form -> action -> redirect or render.

A grant a user may not see answers 404, whatever the user's role (a partner, an M&E officer);
one they see but may not change answers 403 to a change. Programme coordination sees every
desk's grants but never who the person is: the pages show the case reference only.
"""

import functools
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.access import get_or_404
from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.cases import access as case_access
from retorno.cases import actions as case_actions
from retorno.cases.models import Phase
from retorno.cases.views.common import case_context
from retorno.grants import access, actions, queries, rules
from retorno.grants.forms import (
    CycleForm,
    DecideForm,
    EnvelopeForm,
    GrantFilterForm,
    GrantForm,
    InstalmentFormSet,
    PaymentForm,
    PolicyForm,
    QuoteForm,
    ReasonForm,
    ReceiptForm,
    shown,
)
from retorno.grants.models import Envelope, Grant, GrantType
from retorno.lib.errors import ActionError
from retorno.lib.money import EUR, format_amount, to_euros
from retorno.lib.spreadsheets import xlsx_bytes
from retorno.lib.views import capability_required, form_error
from retorno.plans import access as plan_access
from retorno.plans.models import Dimension
from retorno.programmes.models import Cycle

PAGE_SIZE = 50


def member_required(view):
    """Signed in and acting under a membership (404 otherwise): what the user may see of a grant
    is decided by grants.access, so a role without grants gets 404 like an outsider."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request.user, "membership", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _posted(request):
    """The form's data on a POST (an empty POST too: its errors show), None on a GET."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _to_detail(grant):
    return redirect("grants:detail", grant_id=grant.public_id)


def _status(form) -> int:
    return 422 if form.errors else 200


# ── Lists ────────────────────────────────────────────────────────────────────────────────────


@capability_required(Capability.WORK_CASES)
def grant_list(request):
    user = request.user
    coordination = rules.is_programme_coordination(user)
    grants = access.grants_visible_to(user)
    desks = None
    if coordination:
        desks = access.budget_desks_visible_to(user).order_by("name")
    else:
        grants = grants.filter(desk=user.organisation)
    waiting = queries.waiting_for(user)
    data = request.GET
    if not data and waiting.exists():
        # What needs the user first: the grants waiting for their decision.
        data = {"waiting": "on"}
    # Every cycle, newest first (a handful): reading which cycles the desk's grants are in would
    # read every grant of the desk.
    cycles = Cycle.objects.select_related("programme").order_by("-starts_on", "pk")
    form = GrantFilterForm(data or None, cycles=cycles, desks=desks)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if filters.get("waiting"):
        grants = grants.filter(pk__in=waiting.values("pk"))
    if filters.get("status"):
        grants = grants.filter(status=filters["status"])
    if filters.get("grant_type"):
        grants = grants.filter(grant_type=filters["grant_type"])
    if filters.get("cycle"):
        grants = grants.filter(cycle__public_id=filters["cycle"])
    if filters.get("desk"):
        grants = grants.filter(desk__public_id=filters["desk"])
    # The columns the list shows, not every column of the case and the person.
    grants = (
        grants.select_related("case__person", "desk")
        .only(
            "public_id",
            "grant_type",
            "amount",
            "currency",
            "amount_eur",
            "status",
            "submitted_at",
            "created_at",
            "case__reference",
            "case__person__given_names",
            "case__person__first_surname",
            "case__person__second_surname",
            "desk__code",
            "desk__name",
            "desk__name_it",
            "desk__name_es",
            "desk__name_pt",
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    # Labels translated once for the page, not once a row.
    type_labels = {code: str(label) for code, label in GrantType.choices}
    status_labels = {code: str(label) for code, label in Grant.Status.choices}
    for grant in page.object_list:
        grant.type_label = type_labels.get(grant.grant_type, grant.grant_type)
        grant.status_label = status_labels.get(grant.status, grant.status)
    context = {
        "page": page,
        "grant_url_prefix": reverse("grants:list"),
        "filter_form": form,
        # Desk staff list the grants of the cases they work on (grants_visible_to); programme
        # coordination never sees who the person is (grants.access.sees_person).
        "show_names": not coordination,
        "coordination": coordination,
        "waiting_count": waiting.count() if not filters.get("waiting") else page.paginator.count,
        "may_read_budget": access.budget_desks_visible_to(user).exists(),
        "has_errors": bool(form.errors),
    }
    return render(request, "grants/list.html", context)


@capability_required(Capability.WORK_CASES)
def case_grants(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "grants")
    grants = access.grants_of_case(case).select_related("cycle").order_by("-created_at", "-pk")
    plan = plan_access.current_plan(case)
    economic = []
    if plan is not None:
        for goal in plan.goals.filter(dimension=Dimension.ECONOMIC).prefetch_related("actions"):
            economic += [a for a in goal.actions.all() if a.status != a.Status.CANCELLED]
    context.update(
        {
            "grants": grants,
            "plan": plan,
            "economic_actions": economic,
            "may_request": context["is_owner"] and case.phase != Phase.CLOSED,
        }
    )
    return render(request, "grants/case_grants.html", context)


# ── A request ────────────────────────────────────────────────────────────────────────────────


def _type_choices(policy):
    if policy is None:
        return []
    return [
        (value, _("%(type)s, up to %(cap)s") % {"type": label, "cap": rules.euros(cap)})
        for value, label, cap in rules.grant_types_with_caps(policy)
        if cap is not None
    ]


def _grant_form(request, *, desk, cycle, initial=None):
    policy = rules.policy_of(cycle)
    return (
        GrantForm(
            _posted(request),
            initial=initial,
            types=_type_choices(policy),
            currencies=rules.currencies_at(desk),
        ),
        policy,
    )


@capability_required(Capability.WORK_CASES)
def create(request, action_id):
    found = get_or_404(
        plan_access.plan_actions_visible_to(request.user).select_related("goal__plan__case"),
        action_id,
    )
    case = case_access.get_case_for_user(request.user, found.goal.plan.case.public_id, write=True)
    plan = plan_access.current_plan(case)
    if plan is None:
        raise Http404
    plan_action = plan_access.get_action_for_user(request.user, plan, action_id)
    desk = request.user.organisation
    form, policy = _grant_form(request, desk=desk, cycle=case.cycle)
    problem = rules.action_problem(plan_action)
    if policy is None:
        problem = problem or _(
            "This cycle has no grant policy yet: ask programme coordination to set it."
        )
    if request.method == "POST" and form.is_valid():
        try:
            grant = actions.draft_grant(
                plan_action,
                actor=request.user,
                grant_type=form.cleaned_data["grant_type"],
                currency=form.cleaned_data["currency"],
                **form.action_fields(),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The request is saved as a draft."))
            return _to_detail(grant)
    context = case_context(request, case, "grants", record_view=False)
    context.update(
        {
            "form": form,
            "plan_action": plan_action,
            "problem": problem,
            "heading": _("Request a grant"),
            "cancel_url": reverse("grants:case", args=[case.public_id]),
            "currencies": rules.currencies_at(desk),
        }
    )
    return render(request, "grants/form.html", context, status=_status(form))


def _grant_context(request, grant, **extra) -> dict:
    user = request.user
    may_change = access.may_change_grant(user, grant)
    return {
        "grant": grant,
        "case": grant.case,
        "sees_person": access.sees_person(user, grant),
        "may_change": may_change,
        **extra,
    }


def _history(grant, instalments) -> list[dict]:
    """The grant's steps, from what it records (no query beyond the users)."""
    steps = [{"when": grant.created_at, "what": _("Request drafted"), "who": grant.drafted_by}]
    if grant.submitted_at:
        steps.append(
            {"when": grant.submitted_at, "what": _("Submitted"), "who": grant.submitted_by}
        )
    if grant.desk_approved_at:
        steps.append(
            {
                "when": grant.desk_approved_at,
                "what": _("Approved by the desk"),
                "who": grant.desk_approved_by,
            }
        )
    if grant.coordination_approved_at:
        steps.append(
            {
                "when": grant.coordination_approved_at,
                "what": _("Approved by programme coordination"),
                "who": grant.coordination_approved_by,
            }
        )
    if grant.status == Grant.Status.REJECTED and grant.decided_at:
        steps.append(
            {
                "when": grant.decided_at,
                "what": _("Rejected"),
                "who": grant.decided_by,
                "note": grant.decision_reason,
            }
        )
    for instalment in instalments:
        if instalment.is_paid and instalment.recorded_at:
            steps.append(
                {
                    "when": instalment.recorded_at,
                    "what": _("Instalment %(number)s paid: %(amount)s")
                    % {
                        "number": instalment.number,
                        "amount": format_amount(instalment.amount_paid, grant.currency),
                    },
                    "who": instalment.paid_by,
                }
            )
    if grant.status in (Grant.Status.CANCELLED, Grant.Status.CLOSED):
        steps.append(
            {
                "when": grant.updated_at,
                "what": grant.get_status_display(),
                "who": None,
                "note": grant.decision_reason,
            }
        )
    return sorted(steps, key=lambda s: s["when"])


@member_required
def detail(request, grant_id):
    user = request.user
    grant = access.get_grant_for_user(user, grant_id)
    grant = (
        access.grants_visible_to(user)
        .select_related(
            *access.GRANT_RELATED,
            "submitted_by",
            "desk_approved_by",
            "coordination_approved_by",
            "decided_by",
        )
        .get(pk=grant.pk)
    )
    instalments = list(
        grant.instalments.select_related("paid_by").prefetch_related("receipts__document")
    )
    quotes = list(grant.quotes.select_related("document"))
    context = _grant_context(request, grant)
    may_change = context["may_change"]
    is_coordinator = user.can(Capability.MANAGE_CASES)
    draft = grant.status == Grant.Status.DRAFT
    policy = rules.policy_of(grant.cycle)
    next_unpaid = next((i for i in instalments if not i.is_paid), None)
    context.update(
        {
            "instalments": instalments,
            "quotes": quotes,
            "history": _history(grant, instalments),
            "missing": rules.missing_for_submission(grant) if draft else [],
            "cap": rules.cap_of(policy, grant.grant_type) if policy else None,
            "approval_problem": rules.approval_problem(grant, user),
            "can_edit": may_change and draft,
            "can_submit": may_change and draft,
            "can_plan": may_change and grant.status in (Grant.Status.DRAFT, *rules.PAYABLE),
            "can_pay": may_change and grant.status in rules.PAYABLE,
            "next_unpaid": next_unpaid,
            "can_cancel": may_change
            and (
                grant.status in (Grant.Status.DRAFT, *rules.WAITING)
                or (grant.status == Grant.Status.APPROVED and is_coordinator)
            ),
            "can_close": may_change and is_coordinator and grant.status == Grant.Status.PAYING,
            "can_decide": rules.approval_problem(grant, user) is None,
            "waiting": grant.status in rules.WAITING,
            "receipts_required": grant.receipts_required,
            "rate_shown": grant.currency != EUR,
            "is_coordinator": is_coordinator,
        }
    )
    return render(request, "grants/detail.html", context)


@member_required
def edit(request, grant_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    if grant.status != Grant.Status.DRAFT:
        messages.info(request, _("Only a draft can be changed."))
        return _to_detail(grant)
    form, _policy = _grant_form(
        request, desk=grant.desk, cycle=grant.cycle, initial=GrantForm.initial_for(grant)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_grant(
                grant,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                grant_type=form.cleaned_data["grant_type"],
                currency=form.cleaned_data["currency"],
                **form.action_fields(),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The request is saved."))
            return _to_detail(grant)
    context = _grant_context(
        request,
        grant,
        form=form,
        heading=_("Change the request"),
        cancel_url=reverse("grants:detail", args=[grant.public_id]),
        currencies=rules.currencies_at(grant.desk),
    )
    return render(request, "grants/grant_form.html", context, status=_status(form))


@member_required
def quote_add(request, grant_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    form = QuoteForm(_posted(request), _files(request), currency=grant.currency)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_quote(
                grant,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                supplier=form.cleaned_data.get("supplier", ""),
                amount=form.cleaned_data.get("amount"),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The quote is added."))
            return _to_detail(grant)
    context = _grant_context(
        request, grant, form=form, heading=_("Add a supplier quote"), multipart=True
    )
    return render(request, "grants/small_form.html", context, status=_status(form))


@member_required
def quote_remove(request, grant_id, document_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    quote = access.get_quote_for_user(request.user, grant, document_id)
    if request.method == "POST":
        try:
            actions.remove_quote(quote, actor=request.user)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The quote is removed."))
    return _to_detail(grant)


@member_required
def instalments(request, grant_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    existing = list(grant.instalments.all())
    paid = [i for i in existing if i.is_paid]
    unpaid = [i for i in existing if not i.is_paid]
    initial = [
        {"planned_on": i.planned_on, "amount": shown(i.planned_amount, grant.currency)}
        for i in unpaid
    ]
    # Two empty rows more than planned: enough to split a grant without JavaScript.
    initial += [{}] * 2
    formset = InstalmentFormSet(
        _posted(request),
        initial=initial,
        form_kwargs={"currency": grant.currency},
    )
    version = request.POST.get("version", "") if request.method == "POST" else grant.version
    error = None
    if request.method == "POST" and formset.is_valid():
        rows = [
            (row["planned_on"], row["amount"])
            for row in formset.cleaned_data
            if row.get("planned_on") and row.get("amount") is not None
        ]
        try:
            actions.plan_instalments(
                grant,
                actor=request.user,
                instalments=rows,
                version=int(version) if str(version).isdigit() else None,
            )
        except ActionError as problem:
            error = problem.message
        else:
            messages.success(request, _("The instalments are saved."))
            return _to_detail(grant)
    has_errors = bool(error) or (request.method == "POST" and not formset.is_valid())
    context = _grant_context(
        request,
        grant,
        formset=formset,
        paid=paid,
        error=error,
        version=version,
        has_errors=has_errors,
        left=(grant.amount or Decimal(0)) - sum((i.amount_paid for i in paid), Decimal(0)),
    )
    return render(request, "grants/instalments.html", context, status=422 if has_errors else 200)


@member_required
def submit(request, grant_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    if request.method == "POST":
        if grant.status != Grant.Status.DRAFT:
            messages.info(request, _("This request was already submitted."))
            return _to_detail(grant)
        try:
            actions.submit_grant(grant, actor=request.user, version=request.POST.get("version"))
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "The request is waiting for approval by a coordinator of %(desk)s who did "
                    "not prepare it."
                )
                % {"desk": grant.desk.local_name},
            )
    return _to_detail(grant)


@member_required
def decide(request, grant_id):
    """Check the request, then approve or reject it (four eyes, UX §2.6)."""
    user = request.user
    grant = access.get_grant_for_user(user, grant_id)
    if not user.can(Capability.MANAGE_CASES):
        raise PermissionDenied
    if request.method == "POST" and grant.status not in rules.WAITING:
        # A form sent twice: the first decided, the second records nothing.
        messages.info(request, _("This request was already decided."))
        return _to_detail(grant)
    problem = rules.approval_problem(grant, user)
    form = DecideForm(_posted(request), initial={"version": grant.version})
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                actions.approve_grant(
                    grant, actor=user, version=data.get("version"), note=data.get("reason", "")
                )
            else:
                actions.reject_grant(
                    grant, actor=user, version=data.get("version"), reason=data["reason"]
                )
        except ActionError as error:
            form_error(form, error)
        else:
            if grant.status == Grant.Status.COORDINATION:
                text = _(
                    "You approved the request. It is over %(threshold)s, so programme "
                    "coordination approves it too."
                ) % {
                    "threshold": rules.euros(
                        rules.policy_of(grant.cycle).coordination_threshold_eur
                    )
                }
            elif grant.status == Grant.Status.APPROVED:
                text = _("The grant is approved: %(amount)s is committed against the budget.") % {
                    "amount": rules.euros(grant.committed_eur)
                }
            else:
                text = _("The request is rejected. The caseworker sees your reason.")
            messages.success(request, text)
            return _to_detail(grant)
    policy = rules.policy_of(grant.cycle)
    context = _grant_context(
        request,
        grant,
        form=form,
        problem=problem,
        quotes=list(grant.quotes.select_related("document")),
        instalments=list(grant.instalments.all()),
        cap=rules.cap_of(policy, grant.grant_type) if policy else None,
        policy=policy,
        budget=_budget_line(grant),
    )
    return render(request, "grants/decide.html", context, status=_status(form))


def _budget_line(grant) -> dict | None:
    """What remains in the desk's envelope for the cycle, to show before a decision."""
    whole = next((e for e in rules.envelopes_for(grant) if not e.grant_type), None)
    if whole is None:
        return None
    return {"envelope": whole.amount_eur, "remaining": whole.remaining_eur}


# ── Payments ─────────────────────────────────────────────────────────────────────────────────


@member_required
def pay(request, grant_id, instalment_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    instalment = access.get_instalment_for_user(request.user, grant, instalment_id)
    if instalment.is_paid:
        messages.info(request, _("This instalment was already paid."))
        return _to_detail(grant)
    initial = {
        "paid_on": timezone.localdate(),
        "amount": shown(instalment.planned_amount, grant.currency),
        "version": grant.version,
    }
    if grant.rate and grant.currency != EUR:
        initial["rate"] = GrantForm.initial_for(grant)["rate"]
    form = PaymentForm(_posted(request), _files(request), initial=initial, currency=grant.currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_payment(
                instalment,
                actor=request.user,
                paid_on=data["paid_on"],
                amount=data["amount"],
                rate=data.get("rate") or Decimal(1),
                method=data["method"],
                receipt_file=data.get("receipt"),
                version=data.get("version"),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            instalment.refresh_from_db()
            messages.success(
                request,
                _("Instalment %(number)s is paid: %(amount)s (%(euros)s).")
                % {
                    "number": instalment.number,
                    "amount": format_amount(instalment.amount_paid, grant.currency),
                    "euros": rules.euros(instalment.amount_paid_eur),
                },
            )
            return _to_detail(grant)
    problem = rules.payment_problem(instalment, grant, receipts_required=grant.receipts_required)
    typed = form.cleaned_data if form.is_bound and not form.errors else {}
    amount = typed.get("amount") or instalment.planned_amount
    rate = typed.get("rate") or grant.rate
    context = _grant_context(
        request,
        grant,
        form=form,
        instalment=instalment,
        problem=problem,
        euro_value=to_euros(amount, grant.currency, rate)
        if (rate or grant.currency == EUR)
        else None,
        euro_amount=amount,
        heading=_("Record the payment of instalment %(number)s") % {"number": instalment.number},
    )
    return render(request, "grants/pay.html", context, status=_status(form))


@member_required
def receipt(request, grant_id, instalment_id):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    instalment = access.get_instalment_for_user(request.user, grant, instalment_id)
    form = ReceiptForm(_posted(request), _files(request))
    if request.method == "POST" and form.is_valid():
        instalment.grant = grant
        try:
            actions.add_receipt(
                instalment, actor=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The receipt is added."))
            return _to_detail(grant)
    context = _grant_context(
        request,
        grant,
        form=form,
        multipart=True,
        heading=_("Add a receipt for instalment %(number)s") % {"number": instalment.number},
    )
    return render(request, "grants/small_form.html", context, status=_status(form))


# ── Ending a grant ───────────────────────────────────────────────────────────────────────────


def _ending(request, grant_id, *, action, heading, intro, done, coordinator_only=False):
    grant = access.get_grant_for_user(request.user, grant_id, write=True)
    if coordinator_only and not request.user.can(Capability.MANAGE_CASES):
        raise PermissionDenied
    form = ReasonForm(_posted(request), initial={"version": grant.version})
    if request.method == "POST" and form.is_valid():
        try:
            action(
                grant,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data.get("version"),
            )
        except ActionError as error:
            if error.code == "already_done":
                messages.info(request, error.message)
                return _to_detail(grant)
            form_error(form, error)
        else:
            messages.success(request, done)
            return _to_detail(grant)
    context = _grant_context(request, grant, form=form, heading=heading, intro=intro)
    return render(request, "grants/small_form.html", context, status=_status(form))


@member_required
def cancel(request, grant_id):
    return _ending(
        request,
        grant_id,
        action=actions.cancel_grant,
        heading=_("Cancel the grant"),
        intro=_(
            "A cancelled grant is not paid. What it committed returns to the desk's budget. "
            "This cannot be undone."
        ),
        done=_("The grant is cancelled."),
    )


@member_required
def close(request, grant_id):
    return _ending(
        request,
        grant_id,
        action=actions.close_grant,
        heading=_("Close the grant early"),
        intro=_(
            "The instalments not yet paid are dropped and what they committed returns to the "
            "desk's budget. What was paid stays recorded."
        ),
        done=_("The grant is closed."),
        coordinator_only=True,
    )


@member_required
def document(request, grant_id, document_id):
    grant = access.get_grant_for_user(request.user, grant_id)
    found = access.get_grant_document_for_user(request.user, grant, document_id)
    case_actions.record_document_download(found, actor=request.user)
    extension = case_actions.ALLOWED_DOCUMENT_TYPES.get(found.content_type, "bin")
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{grant.case.reference}-{found.kind}-{found.public_id.hex[:8]}.{extension}",
        content_type=found.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ── Budgets and policy ───────────────────────────────────────────────────────────────────────


@member_required
def budget(request):
    desks = access.budget_desks_visible_to(request.user)
    own = request.user.organisation
    desk = desks.filter(pk=own.pk).first() if own else None
    desk = desk or desks.order_by("name").first()
    if desk is None:
        raise PermissionDenied
    return redirect("grants:budget_desk", desk_id=desk.public_id)


def _cycles_of(desk):
    return (
        Cycle.objects.filter(Q(desks=desk) | Q(envelopes__desk=desk))
        .select_related("programme")
        .distinct()
        .order_by("-starts_on")
    )


def _chosen_cycle(request, cycles):
    """The cycle asked for, or the one running today, or the latest."""
    wanted = request.GET.get("cycle")
    cycles = list(cycles)
    if wanted:
        for cycle in cycles:
            if str(cycle.public_id) == wanted:
                return cycle, cycles
        raise Http404
    today = timezone.localdate()
    running = [c for c in cycles if c.starts_on <= today <= c.ends_on]
    return (running or cycles or [None])[0], cycles


SCALE = 100  # the chart's bars are drawn in per cent of the largest figure


def _bars(rows, total) -> list[dict]:
    """Each row of the budget as bar lengths (server-side SVG: no script, no inline style)."""
    largest = max(
        [total["envelope"] or 0, total["committed"] + total["waiting"]]
        + [(r["envelope"] or 0) for r in rows]
        + [r["committed"] + r["waiting"] for r in rows]
    )
    if not largest:
        return []

    def width(value):
        # A number for an SVG attribute: never localised ("12.5", not "12,5").
        return (Decimal(value or 0) / Decimal(largest) * SCALE).quantize(Decimal("0.01"))

    bars = []
    for row in [*rows, {**total, "label": _("All types")}]:
        if not (row["envelope"] or row["committed"] or row["waiting"]):
            continue
        paid = width(row["paid"])
        committed = width(row["committed"])
        bars.append(
            {
                "label": row["label"],
                "row": row,
                "paid": str(paid),
                "committed": str(max(committed - paid, Decimal(0))),
                "committed_x": str(paid),
                "waiting": str(width(row["waiting"])),
                "waiting_x": str(committed),
                "envelope": str(width(row["envelope"])) if row["envelope"] is not None else None,
            }
        )
    return bars


@member_required
def budget_desk(request, desk_id):
    desk = access.get_budget_desk_for_user(request.user, desk_id)
    cycle, cycles = _chosen_cycle(request, _cycles_of(desk))
    rows, total = queries.budget_rows(cycle, desk) if cycle else ([], None)
    form = CycleForm(initial={"cycle": str(cycle.public_id) if cycle else ""}, cycles=cycles)
    context = {
        "desk": desk,
        "cycle": cycle,
        "cycle_form": form,
        "rows": rows,
        "total": total,
        "bars": _bars(rows, total) if total else [],
        "desks": access.budget_desks_visible_to(request.user).order_by("name"),
        "may_set": rules.is_programme_coordination(request.user),
        "has_policy": cycle is not None and rules.policy_of(cycle) is not None,
    }
    return render(request, "grants/budget.html", context)


@member_required
def budget_export(request, desk_id):
    desk = access.get_budget_desk_for_user(request.user, desk_id)
    cycle, _cycles = _chosen_cycle(request, _cycles_of(desk))
    if cycle is None:
        raise Http404
    rows, total = queries.budget_rows(cycle, desk)
    header = [
        _("Grant type"),
        _("Envelope (EUR)"),
        _("Committed (EUR)"),
        _("Paid (EUR)"),
        _("Remaining (EUR)"),
        _("Waiting for approval (EUR)"),
    ]
    lines = [
        [
            str(r["label"]),
            r["envelope"],
            r["committed"],
            r["paid"],
            r["remaining"],
            r["waiting"],
        ]
        for r in rows
    ]
    lines.append(
        [
            _("All types"),
            total["envelope"],
            total["committed"],
            total["paid"],
            total["remaining"],
            total["waiting"],
        ]
    )
    content = xlsx_bytes({_("Budget"): (header, lines)})
    record(
        "budget.exported",
        actor=request.user,
        target=desk,
        detail={"desk": desk.code, "cycle": str(cycle.public_id), "format": "xlsx"},
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"budget-{desk.code}-{cycle.starts_on:%Y}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
def policy(request, cycle_id):
    user = request.user
    may_edit = rules.may_edit_policy(user)
    if not may_edit and not access.budget_desks_visible_to(user).exists():
        raise PermissionDenied
    cycle = get_or_404(Cycle.objects.select_related("programme"), cycle_id)
    current = rules.policy_of(cycle)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = PolicyForm(_posted(request), initial=PolicyForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_policy(
                cycle,
                actor=user,
                household_cap_eur=data["household_cap_eur"],
                coordination_threshold_eur=data["coordination_threshold_eur"],
                receipts_before_next=data["receipts_before_next"],
                caps=form.caps,
                version=data.get("version"),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The policy is saved. Grants already approved keep the figures they had."),
            )
            return redirect("grants:policy", cycle_id=cycle.public_id)
    caps = (
        [
            {"label": label, "cap": cap}
            for _value, label, cap in rules.grant_types_with_caps(current)
        ]
        if current
        else []
    )
    context = {
        "cycle": cycle,
        "policy": current,
        "caps": caps,
        "form": form if may_edit else None,
        "may_edit": may_edit,
    }
    return render(request, "grants/policy.html", context, status=_status(form))


@member_required
def envelopes(request, desk_id):
    user = request.user
    desk = access.get_budget_desk_for_user(user, desk_id)
    if not rules.is_programme_coordination(user):
        raise PermissionDenied
    cycle, _cycles = _chosen_cycle(request, _cycles_of(desk))
    if cycle is None:
        raise Http404
    existing = list(Envelope.objects.filter(cycle=cycle, desk=desk))
    form = EnvelopeForm(_posted(request), initial=EnvelopeForm.initial_for(existing))
    if request.method == "POST" and form.is_valid():
        had = {e.grant_type for e in existing if e.grant_type}
        # The whole envelope first, then each part set aside (an emptied part goes to zero).
        steps = [("amount_eur", "", form.cleaned_data["amount_eur"])]
        for value in GrantType.values:
            part = form.parts.get(value)
            if part is None and value in had:
                part = Decimal(0)
            if part is not None:
                steps.append((f"part_{value}", value, part))
        current = None
        try:
            with transaction.atomic():
                for name, grant_type, amount in steps:
                    current = name
                    actions.set_envelope(
                        cycle, desk, actor=user, amount_eur=amount, grant_type=grant_type
                    )
        except ActionError as error:
            form.add_error(current if error.field == "amount_eur" else None, error.message)
        else:
            messages.success(
                request, _("The budget of %(desk)s is saved.") % {"desk": desk.local_name}
            )
            return redirect(
                reverse("grants:budget_desk", args=[desk.public_id]) + f"?cycle={cycle.public_id}"
            )
    context = {"desk": desk, "cycle": cycle, "form": form}
    return render(request, "grants/envelopes.html", context, status=_status(form))

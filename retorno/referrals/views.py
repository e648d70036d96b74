"""Referrals: sent by the desk from a plan action; answered by the partner in its inbox, or
by the desk on behalf of an organisation that is not on Retorno (with a printed letter)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.cases import access as case_access
from retorno.cases import actions as case_actions
from retorno.cases.forms import ConsentForm
from retorno.cases.models import Consent
from retorno.cases.views.common import case_context
from retorno.directory.access import services_visible_to
from retorno.directory.choosers import SHOW, form_initial_from_post
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error
from retorno.plans import access as plan_access
from retorno.referrals import access, actions, letter, sharing
from retorno.referrals.forms import OutcomeForm, ReasonForm, ReferralForm, UpdateForm
from retorno.referrals.models import Referral


def _services(user):
    return (
        services_visible_to(user)
        .filter(status="active", organization__is_active=True)
        .select_related("organization")
        .order_by("name")
    )


@capability_required(Capability.WORK_CASES)
def case_referrals(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "referrals")
    context["referrals"] = access.referrals_of_case(case)
    context["today"] = timezone.localdate()
    return render(request, "referrals/case_referrals.html", context)


def _draft_key(case) -> str:
    return f"referral_draft:{case.public_id}"


@capability_required(Capability.WORK_CASES)
def new(request, case_id):
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    plan = plan_access.current_plan(case)
    # A referral typed before the consent detour comes back as it was typed (?draft=1).
    draft = request.session.get(_draft_key(case)) if request.GET.get("draft") else None
    plan_action = None
    action_id = (
        request.POST.get("action") or request.GET.get("action") or (draft or {}).get("action")
    )
    if action_id and plan is not None:
        plan_action = plan_access.get_action_for_user(request.user, plan, action_id)
    services = _services(request.user)
    initial = {"shared_fields": sharing.DEFAULT}
    if plan_action is not None:
        initial.update({"service": plan_action.service, "need": plan_action.description})
    if draft:
        initial.update(
            {
                "service": services.filter(pk=draft.get("service") or None).first()
                or initial.get("service"),
                "need": draft.get("need", ""),
                "shared_fields": draft.get("shared_fields", []),
            }
        )
    country = getattr(case.person.return_country, "code", "") or ""
    if request.POST.get(SHOW):
        # A new list of services: what was typed stays, and nothing is checked yet.
        initial = form_initial_from_post(ReferralForm, request.POST)
        form = ReferralForm(initial=initial, services=services, default_country=country)
    else:
        form = ReferralForm(
            request.POST or None, initial=initial, services=services, default_country=country
        )
    service = None
    if form.is_bound and form.is_valid():
        service = form.cleaned_data["service"]
    elif not form.is_bound:
        service = form.selected_service
    chosen = (
        form.cleaned_data.get("shared_fields", [])
        if form.is_bound and form.is_valid()
        else list(form["shared_fields"].value() or ([] if draft else sharing.DEFAULT))
    )
    consent = actions.sharing_consent(case, service) if service is not None else None
    if form.is_bound and form.is_valid() and not request.POST.get("preview"):
        try:
            referral = actions.refer(
                case,
                actor=request.user,
                service=form.cleaned_data["service"],
                need=form.cleaned_data["need"],
                shared_fields=form.cleaned_data["shared_fields"],
                plan_action=plan_action,
            )
        except ActionError as error:
            form_error(form, error)
        else:
            request.session.pop(_draft_key(case), None)
            if referral.on_retorno:
                messages.success(
                    request,
                    _(
                        "Referral %(reference)s is sent to %(organisation)s. They reply in "
                        "Retorno; you will see their answer here."
                    )
                    % {"reference": referral.reference, "organisation": service.organization.name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Referral %(reference)s is ready. %(organisation)s is not on Retorno: "
                        "print the letter for them, and record their answer here."
                    )
                    % {"reference": referral.reference, "organisation": service.organization.name},
                )
            return redirect("referrals:detail", referral_id=referral.public_id)
    context = case_context(request, case, "referrals", record_view=False)
    context.update(
        {
            "form": form,
            "service": service,
            "consent": consent,
            "plan_action": plan_action,
            "preview": sharing.shared_values(case, chosen, need=form["need"].value() or ""),
            "not_shared": [f.label for f in sharing.FIELDS if f.code not in chosen],
        }
    )
    return render(request, "referrals/new.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def prepare_consent(request, case_id):
    """The "Record consent" button of the referral form: what was typed is kept as a draft,
    the organisation of the service gets a partner record if it has none, and the consent form
    opens with it chosen; once the consent is recorded, the referral form comes back as typed."""
    case = case_access.get_case_for_user(request.user, case_id, write=True)
    if request.method != "POST":
        return redirect("referrals:case", case_id=case.public_id)
    service = _services(request.user).filter(pk=_pk(request.POST.get("service"))).first()
    if service is None:
        return redirect("referrals:new", case_id=case.public_id)
    request.session[_draft_key(case)] = {
        "service": service.pk,
        "need": request.POST.get("need", ""),
        "shared_fields": [
            code for code in request.POST.getlist("shared_fields") if code in sharing.BY_CODE
        ],
        "action": request.POST.get("action", ""),
    }
    partner = actions.ensure_partner_organisation(service.organization, actor=request.user)
    return redirect(reverse("referrals:consent", args=[case.public_id]) + f"?partner={partner.pk}")


def _pk(value) -> int | None:
    return int(value) if (value or "").isdigit() else None


@capability_required(Capability.WORK_CASES)
def record_consent(request, case_id):
    """The consent form of the case, reached from the referral form: it returns there."""

    case = case_access.get_case_for_user(request.user, case_id, write=True)
    back = reverse("referrals:new", args=[case.public_id]) + "?draft=1"
    initial = {
        "decided_on": timezone.localdate(),
        "purpose": Consent.Purpose.PARTNER_SHARING,
        "partner": request.GET.get("partner", ""),
    }
    form = ConsentForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_actions.record_consent(
                case,
                actor=request.user,
                purpose=data["purpose"],
                given=data["given"],
                decided_on=data["decided_on"],
                method=data["method"],
                witness=data.get("witness", ""),
                partner=data.get("partner"),
                document=data.get("document"),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The consent is recorded. Your referral is as you left it: check it and "
                    "send it."
                ),
            )
            return redirect(back)
    context = case_context(request, case, "referrals", record_view=False)
    context.update({"form": form, "back": back})
    return render(
        request, "referrals/consent_form.html", context, status=422 if form.errors else 200
    )


def _detail_context(request, referral):
    return {
        "referral": referral,
        "shared": access.shared_with(request.user, referral),
        "updates": referral.updates.select_related("author_organisation"),
        "may_answer": access.may_answer(request.user, referral),
        "may_manage": access.may_manage(request.user, referral),
        "is_partner": access.is_partner_of(request.user, referral),
        "next_statuses": actions.NEXT.get(referral.status, set()),
        "update_form": UpdateForm(),
        "not_shared": [f.label for f in sharing.FIELDS if f.code not in referral.shared_fields],
        "today": timezone.localdate(),
    }


@capability_required(Capability.WORK_CASES)
def detail(request, referral_id):
    referral = access.get_referral_for_user(request.user, referral_id)
    case = case_access.get_case_for_user(request.user, referral.case.public_id)
    context = case_context(request, case, "referrals")
    context.update(_detail_context(request, referral))
    return render(request, "referrals/detail.html", context)


@capability_required(Capability.ANSWER_REFERRALS)
def inbox(request):
    tab = request.GET.get("show", "new")
    groups = {
        "new": [Referral.Status.SENT],
        "active": [Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS],
        "closed": list(Referral.CLOSED),
    }
    base = access.inbox_for(request.user)
    counts = {key: base.filter(status__in=statuses).count() for key, statuses in groups.items()}
    page = Paginator(
        base.filter(status__in=groups.get(tab, groups["new"])).order_by("reply_by", "pk"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "tab": tab, "counts": counts, "today": timezone.localdate()},
    )


@capability_required(Capability.ANSWER_REFERRALS)
def inbox_detail(request, referral_id):
    referral = access.get_referral_for_user(request.user, referral_id)
    context = _detail_context(request, referral)
    if context["shared"] is not None:
        actions.record_view(referral, actor=request.user)
    return render(request, "referrals/inbox_detail.html", context)


def _back(request, referral):
    if access.is_partner_of(request.user, referral):
        return redirect("referrals:inbox_detail", referral_id=referral.public_id)
    return redirect("referrals:detail", referral_id=referral.public_id)


def answer(request, referral_id, status):
    """Accept and start (one click, POST); decline asks for a reason on its own page first
    (UX §2.6); completed and not delivered are outcomes, recorded on the outcome page."""
    if not request.user.is_authenticated:
        return redirect(reverse("account_login") + f"?next={request.path}")
    if status not in Referral.Status.values:
        raise Http404
    referral = access.get_referral_for_user(request.user, referral_id, write=True)
    if not access.may_answer(request.user, referral):
        raise PermissionDenied
    if status in (Referral.Status.COMPLETED, Referral.Status.NOT_DELIVERED):
        return redirect("referrals:outcome", referral_id=referral.public_id)
    needs_reason = status in actions.NEEDS_REASON
    form = ReasonForm(request.POST or None) if needs_reason else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            actions.change_status(
                referral,
                actor=request.user,
                status=status,
                text=form.cleaned_data["reason"] if form else request.POST.get("text", ""),
            )
        except ActionError as error:
            if form is not None and error.field:
                form_error(form, error)
            else:
                messages.info(request, error.message)
                return _back(request, referral)
        else:
            messages.success(
                request,
                _("Referral %(reference)s: %(status)s.")
                % {
                    "reference": referral.reference,
                    "status": Referral.Status(status).label.lower(),
                },
            )
            return _back(request, referral)
    if form is None:
        return _back(request, referral)
    return render(
        request,
        "referrals/reason.html",
        {
            "referral": referral,
            "form": form,
            "status": status,
            "status_label": Referral.Status(status).label,
        },
        status=422 if form.errors else 200,
    )


def outcome(request, referral_id):
    """How the service ended, with its date: the form, then a check page naming the act
    (UX §2.6), then the action."""
    if not request.user.is_authenticated:
        return redirect(reverse("account_login") + f"?next={request.path}")
    referral = access.get_referral_for_user(request.user, referral_id, write=True)
    if not access.may_answer(request.user, referral):
        raise PermissionDenied
    if Referral.Status.COMPLETED not in actions.NEXT.get(referral.status, set()):
        messages.info(
            request,
            _("Referral %(reference)s is %(status)s: there is no outcome to record now.")
            % {"reference": referral.reference, "status": referral.get_status_display().lower()},
        )
        return _back(request, referral)
    form = OutcomeForm(request.POST or None, initial={"outcome_on": timezone.localdate()})
    context = {
        "referral": referral,
        "form": form,
        "is_partner": access.is_partner_of(request.user, referral),
    }
    if request.method == "POST" and form.is_valid() and not request.POST.get("change"):
        data = form.cleaned_data
        if request.POST.get("confirm"):
            try:
                actions.record_outcome(
                    referral,
                    actor=request.user,
                    outcome=data["outcome"],
                    outcome_on=data["outcome_on"],
                    note=data["note"],
                )
            except ActionError as error:
                if not error.field:
                    messages.info(request, error.message)
                    return _back(request, referral)
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Referral %(reference)s: the outcome is recorded (%(outcome)s).")
                    % {
                        "reference": referral.reference,
                        "outcome": Referral.Outcome(data["outcome"]).label.lower(),
                    },
                )
                return _back(request, referral)
        if not form.errors:
            context["outcome_label"] = Referral.Outcome(data["outcome"]).label
            return render(request, "referrals/outcome_check.html", context)
    return render(request, "referrals/outcome.html", context, status=422 if form.errors else 200)


def add_update(request, referral_id):
    if not request.user.is_authenticated:
        return redirect(reverse("account_login") + f"?next={request.path}")
    referral = access.get_referral_for_user(request.user, referral_id, write=True)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_update(referral, actor=request.user, text=form.cleaned_data["text"])
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The update is added."))
    elif request.method == "POST":
        messages.error(request, _("Write the update"))
    return _back(request, referral)


@capability_required(Capability.WORK_CASES)
def letter_pdf(request, referral_id):
    referral = access.get_referral_for_user(request.user, referral_id)
    case_access.get_case_for_user(request.user, referral.case.public_id)
    language = letter.language_for(referral, request.GET.get("language"))
    content = letter.render_letter(referral, user=request.user, language=language)
    actions.record_letter(referral, actor=request.user, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="referral-{referral.reference}-{language}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response

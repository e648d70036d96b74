"""The leads pages: a desk's inbox, a lead (what the person sent, its history, its triage) and
the settings of leads (where each region's leads go, a desk's days to answer and to keep).

Who: the staff of the European desk a lead is for (outreach.access). A lead of another desk does
not exist (404); a lead that is closed is read-only (403 to a change) except to reopen it.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.audit import verbs
from retorno.cases import access as case_access
from retorno.lib.errors import ActionError, PossibleDuplicate
from retorno.lib.views import form_error
from retorno.outreach import access, queries, regions
from retorno.outreach.actions import leads as actions
from retorno.outreach.forms.leads import (
    TRIAGE_FORMS,
    DeskSettingsForm,
    InboxFilterForm,
    RegionRuleForm,
    VersionForm,
)


def member_required(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request.user, "membership", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def leads_worker(view):
    """The staff of a European desk (outreach officers, caseworkers, coordinators); 403 to
    other roles, who never work on leads."""

    @member_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.may_work_leads(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- The inbox --------------------------------------------------------------------------------


@leads_worker
def inbox(request):
    today = timezone.localdate()
    visible = access.leads_visible_to(request.user)
    filters = InboxFilterForm(request.GET or None)
    chosen = filters.filters()
    if not request.GET:
        filters = InboxFilterForm(initial=chosen)
    leads = queries.lead_inbox(visible, today=today, **chosen)
    page = Paginator(leads, queries.LEADS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "lead": lead,
            "region": regions.region_name(lead.region),
            "overdue": lead.status == lead.Status.NEW and lead.respond_by < today,
        }
        for lead in page
    ]
    context = {
        "filters": filters,
        "chosen": chosen,
        "page": page,
        "rows": rows,
        "counts": queries.lead_counts(visible, today),
        "desk": access.european_desk_of(request.user),
        "today": today,
    }
    return render(request, "outreach/leads/inbox.html", context)


# --- A lead -----------------------------------------------------------------------------------


def _forms(lead, bound=None):
    forms = {
        name: form_class(initial={"version": lead.version}, prefix=name)
        for name, form_class in TRIAGE_FORMS.items()
    }
    if bound is not None:
        forms[bound.prefix] = bound
    return forms


def _lead_page(request, lead, *, bound=None, status=200, **extra):
    user = request.user
    case = None
    case_visible = False
    case_url = ""
    if lead.case_id:
        case = lead.case
        case_visible = case_access.cases_visible_to(user).filter(pk=case.pk).exists()
        if case_visible:
            case_url = reverse("cases:case", kwargs={"case_id": case.public_id})
    today = timezone.localdate()
    history = queries.lead_history(lead)
    for event in history:
        event.verb_label = verbs.label(event.verb)
    context = {
        "lead": lead,
        "region": regions.region_name(lead.region),
        "history": history,
        "forms": _forms(lead, bound),
        "bound": bound,
        "case": case,
        "case_visible": case_visible,
        "case_url": case_url,
        "overdue": lead.status == lead.Status.NEW and lead.respond_by < today,
        "may_reopen": (
            not lead.is_open
            and lead.status != lead.Status.CONVERTED
            and (lead.erase_after is None or lead.erase_after > today)
        ),
        **extra,
    }
    return render(request, "outreach/leads/lead.html", context, status=status)


@leads_worker
def lead_page(request, lead_id):
    lead = access.get_lead_for_user(request.user, lead_id)
    if request.method != "POST":
        actions.record_lead_view(lead, actor=request.user)
        return _lead_page(request, lead)
    action = request.POST.get("action", "")
    if action != "reopen" and not lead.is_open:
        raise PermissionDenied
    if action not in TRIAGE_FORMS:
        form = VersionForm(data={})
        form.is_valid()
        form.add_error(None, _("Choose what happened with this lead."))
        return _lead_page(request, lead, bound=None, status=422, choose_error=form)
    form = TRIAGE_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        version = data.get("version")
        try:
            if action == "contacted":
                actions.mark_contacted(lead, actor=request.user, version=version, note=data["note"])
                done = _("Lead %(reference)s is marked as contacted.")
            elif action == "not_interested":
                actions.mark_not_interested(
                    lead, actor=request.user, version=version, note=data["note"]
                )
                done = _("Lead %(reference)s is closed: the person is not interested.")
            elif action == "duplicate":
                actions.mark_duplicate(
                    lead,
                    actor=request.user,
                    version=version,
                    note=data["note"],
                    case_reference=data["case_reference"],
                )
                done = _("Lead %(reference)s is closed as a duplicate.")
            elif action == "convert":
                lead = actions.convert_to_inquiry(
                    lead,
                    actor=request.user,
                    version=version,
                    confirmed_not_duplicate=data["not_a_duplicate"],
                )
                done = _("Lead %(reference)s is now inquiry case %(case)s.")
            else:
                actions.reopen_lead(lead, actor=request.user, version=version, note=data["note"])
                done = _("Lead %(reference)s is open again.")
        except PossibleDuplicate as duplicate:
            return _lead_page(
                request,
                lead,
                bound=form,
                similar=duplicate.similar,
                hidden_match=duplicate.hidden_match,
                confirm=True,
            )
        except ActionError as error:
            if error.code == "conflict":
                # Show the lead as it is now; what was typed stays, with the current version.
                lead = access.get_lead_for_user(request.user, lead_id)
                posted = request.POST.copy()
                posted[f"{action}-version"] = str(lead.version)
                form = TRIAGE_FORMS[action](posted, prefix=action)
                form.is_valid()
            form_error(form, error)
        else:
            reference = {"reference": lead.reference, "case": getattr(lead.case, "reference", "")}
            messages.success(request, done % reference)
            return redirect("outreach:lead", lead_id=lead.public_id)
    return _lead_page(request, lead, bound=form, status=422)


# --- Settings ---------------------------------------------------------------------------------


@member_required
def lead_settings(request):
    user = request.user
    settable = actions.desks_settable_by(user)
    may_rule = actions.may_set_region_rules(user)
    if not (access.may_work_leads(user) or settable or may_rule):
        raise PermissionDenied
    desks = queries.european_desks()
    days_form = DeskSettingsForm(desks=settable)
    rule_form = RegionRuleForm(desks=desks)
    own = access.european_desk_of(user)
    if own is not None and len(settable) > 1:
        days_form.initial["desk"] = own.code
    if len(settable) == 1:
        current = queries.desk_settings(settable)[0]
        days_form.initial.update(
            desk=settable[0].code,
            response_days=current.response_days,
            retention_days=current.retention_days,
        )
    status = 200
    if request.method == "POST":
        by_code = {d.code: d for d in desks}
        if request.POST.get("form") == "region":
            if not may_rule:
                raise PermissionDenied
            rule_form = RegionRuleForm(request.POST, desks=desks)
            if rule_form.is_valid():
                data = rule_form.cleaned_data
                try:
                    actions.set_region_rule(
                        data["region"], by_code.get(data["rule_desk"]), actor=user
                    )
                except ActionError as error:
                    form_error(rule_form, error)
                else:
                    messages.success(
                        request,
                        _("The leads of %(region)s now go to %(desk)s.")
                        % {
                            "region": regions.region_name(data["region"]),
                            "desk": by_code[data["rule_desk"]].local_name,
                        },
                    )
                    return redirect("outreach:lead_settings")
        else:
            if not settable:
                raise PermissionDenied
            days_form = DeskSettingsForm(request.POST, desks=settable)
            if days_form.is_valid():
                data = days_form.cleaned_data
                try:
                    actions.set_desk_outreach(
                        by_code.get(data["desk"]),
                        actor=user,
                        response_days=data["response_days"],
                        retention_days=data["retention_days"],
                    )
                except ActionError as error:
                    form_error(days_form, error)
                else:
                    messages.success(request, _("The desk's days for leads are saved."))
                    return redirect("outreach:lead_settings")
        status = 422
    context = {
        "days_form": days_form if settable else None,
        "single_desk": settable[0] if len(settable) == 1 else None,
        "rule_form": rule_form if may_rule else None,
        "desk_rows": queries.desk_settings(desks),
        "regions": queries.region_table(desks),
    }
    return render(request, "outreach/leads/settings.html", context, status=status)

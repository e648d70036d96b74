"""The case record: summary, personal details, household, vulnerability, needs, phase,
closing, assignment and the timeline."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.audit.queries import events_for_target
from retorno.cases import access, actions, rules
from retorno.cases.forms import (
    AssessmentForm,
    AssignForm,
    CloseForm,
    HouseholdMemberForm,
    IdentityDocumentForm,
    PersonDetailsForm,
    PhaseForm,
    ReasonForm,
    VulnerabilityForm,
    WorkExperienceForm,
    desk_staff,
)
from retorno.cases.models import (
    Consent,
    HouseholdMember,
    NeedsAssessment,
    Phase,
    Task,
    Vulnerability,
)
from retorno.cases.timeline import describe_events
from retorno.cases.timeline import groups as timeline_groups
from retorno.cases.views.common import case_context
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error


def _conflict(request, case, form, template, **extra):
    """Re-show the form after a refused out-of-date change: what the user chose stays, the
    changes made meanwhile are listed, and the form now carries the current version."""
    case.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = case.version
    context = case_context(request, case, "summary", record_view=False)
    events = access.timeline_visible_to(request.user, case).order_by("-occurred_at")[:5]
    context.update({"form": form, "recent": describe_events(events, viewer=request.user), **extra})
    return render(request, template, context, status=409)


@capability_required(Capability.WORK_CASES)
def summary(request, case_id):
    case = access.get_case_for_user(request.user, case_id, summary=True)
    context = case_context(request, case, "summary")
    if case.access == access.SUMMARY:
        context.update({"handover": context["latest_handover"]})
        return render(request, "cases/summary_readonly.html", context)
    assessments = list(access.of_case(case, NeedsAssessment).order_by("-assessed_on", "-pk")[:2])
    latest = assessments[0] if assessments else None
    previous = assessments[1] if len(assessments) > 1 else None
    needs = []
    if latest:
        for code, label in NeedsAssessment.DIMENSIONS:
            now = getattr(latest, code)
            before = getattr(previous, code) if previous else None
            needs.append(
                {
                    "label": label,
                    "level": NeedsAssessment.Level(now).label,
                    "value": now,
                    "change": None if before is None else now - before,
                }
            )
    every_consent = list(
        access.of_case(case, Consent)
        .select_related("partner")
        .order_by("decided_on", "recorded_at", "pk")
    )
    consents = {}
    for consent in every_consent:
        consents[(consent.purpose, consent.partner_id)] = consent
    handover = context["latest_handover"]
    context.update(
        {
            "latest_assessment": latest,
            "previous_assessment": previous,
            "needs": needs,
            "open_tasks": access.of_case(case, Task)
            .filter(status=Task.Status.OPEN)
            .select_related("assignee")
            .only("public_id", "title", "due_on", "assignee__first_name", "assignee__last_name")
            .order_by("due_on")[:10],
            "consents": sorted(consents.values(), key=lambda c: (c.purpose, c.pk)),
            "documents": case.person.documents.all(),
            "work": case.person.work_experiences.all(),
            "vulnerabilities": [Vulnerability(c).label for c in case.vulnerability_codes],
            "handover": handover,
            "receiving": handover is not None
            and handover.to_desk_id == request.user.organisation.pk,
            "today": timezone.localdate(),
            "phase_choices": _phase_choices(case, consents=every_consent),
            "transfer_consent": rules.consent_in_force(
                case, Consent.Purpose.TRANSFER, consents=every_consent
            ),
        }
    )
    return render(request, "cases/summary.html", context)


def _phase_choices(case, *, consents=None):
    choices = []
    for phase in rules.TRANSITIONS.get(case.phase, set()):
        problem = rules.phase_problem(case, phase, consents=consents)
        choices.append((phase, Phase(phase).label, problem))
    return sorted(choices, key=lambda c: list(Phase.values).index(c[0]))


@capability_required(Capability.WORK_CASES)
def person_edit(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    person = case.person
    form = PersonDetailsForm(
        request.POST or None, initial=PersonDetailsForm.initial_for(person), desk=case.owning_desk
    )
    conflicts = []
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version")
        try:
            actions.update_person(
                person, actor=request.user, expected_version=expected, **form.person_fields()
            )
        except ActionError as error:
            form_error(form, error)
            if error.code == "conflict":
                person.refresh_from_db()
                conflicts = list(
                    events_for_target(person)
                    .filter(verb="person.updated")
                    .order_by("-occurred_at")[: max(1, person.version - (expected or 0))]
                )
                form.data = form.data.copy()
                form.data["version"] = person.version
        else:
            messages.success(request, _("The personal details are saved."))
            return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=request.method == "GET")
    context.update({"form": form, "conflicts": conflicts})
    return render(request, "cases/person_edit.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def document_number_add(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = IdentityDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_identity_document(
            case.person,
            actor=request.user,
            type=data["type"],
            number=data["number"],
            issuing_country=data.get("issuing_country") or "",
            expires_on=data.get("expires_on"),
            verified=data.get("verified", False),
        )
        messages.success(request, _("The identity document is added."))
        return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context.update({"form": form})
    return render(
        request, "cases/document_number_form.html", context, status=422 if form.errors else 200
    )


@capability_required(Capability.WORK_CASES)
def work_add(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = WorkExperienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_work_experience(case.person, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The work experience is added."))
        return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context.update({"form": form})
    return render(request, "cases/work_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def household(request, case_id):
    case = access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "household")
    context["members"] = access.of_case(case, HouseholdMember).select_related("person")
    return render(request, "cases/household.html", context)


@capability_required(Capability.WORK_CASES)
def household_add(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = HouseholdMemberForm(request.POST or None, initial={"returning": True})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_household_member(
                case,
                actor=request.user,
                relationship=form.cleaned_data["relationship"],
                person=form.person_fields(),
                returning=form.cleaned_data["returning"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The household member is added."))
            return redirect("cases:household", case_id=case.public_id)
    context = case_context(request, case, "household", record_view=False)
    context["form"] = form
    return render(request, "cases/household_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def household_remove(request, case_id, member_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    member = (
        access.of_case(case, HouseholdMember)
        .filter(public_id=member_id)
        .select_related("person")
        .first()
    )
    if member is None:
        raise Http404
    if request.method == "POST":
        actions.remove_household_member(member, actor=request.user)
        messages.success(request, _("The household member is removed from the case."))
        return redirect("cases:household", case_id=case.public_id)
    context = case_context(request, case, "household", record_view=False)
    context["member"] = member
    return render(request, "cases/household_remove.html", context)


@capability_required(Capability.WORK_CASES)
def vulnerability(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = VulnerabilityForm(
        request.POST or None,
        initial={"categories": case.vulnerability_codes, "version": case.version},
    )
    if request.method == "POST" and form.is_valid():
        was_sensitive = case.sensitive
        try:
            case = actions.record_vulnerability(
                case,
                actor=request.user,
                categories=form.cleaned_data["categories"],
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        except ActionError as error:
            form_error(form, error)
            return _conflict(
                request,
                case,
                form,
                "cases/vulnerability.html",
                history=case.vulnerability_profiles.select_related("recorded_by")[:10],
            )
        if case.sensitive and not was_sensitive:
            messages.success(
                request,
                _(
                    "The vulnerability profile is saved. The case is now sensitive: only its "
                    "assigned caseworkers and the desk's coordinators can see it."
                ),
            )
        else:
            messages.success(request, _("The vulnerability profile is saved."))
        return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=request.method == "GET")
    context["form"] = form
    context["history"] = case.vulnerability_profiles.select_related("recorded_by")[:10]
    return render(request, "cases/vulnerability.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def assessment_add(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_assessment(
                case,
                actor=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                summary=form.cleaned_data["summary"],
                **form.scores(),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The needs assessment is saved."))
            return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context["form"] = form
    return render(
        request, "cases/assessment_form.html", context, status=422 if form.errors else 200
    )


@capability_required(Capability.WORK_CASES)
def phase(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    choices = [(p, label) for p, label, problem in _phase_choices(case) if not problem]
    blocked = [(label, problem) for p, label, problem in _phase_choices(case) if problem]
    form = PhaseForm(request.POST or None, choices=choices, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_phase(
                case,
                actor=request.user,
                to=form.cleaned_data["phase"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ActionError as error:
            form_error(form, error)
            if error.code == "conflict":
                return _conflict(request, case, form, "cases/phase_form.html", blocked=blocked)
        else:
            messages.success(
                request,
                _("The case is now in the phase: %(phase)s.")
                % {"phase": Phase(form.cleaned_data["phase"]).label},
            )
            return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context.update({"form": form, "blocked": blocked})
    return render(request, "cases/phase_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def close(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    if case.phase == Phase.CLOSED:
        messages.info(request, _("This case is already closed."))
        return redirect("cases:case", case_id=case.public_id)
    form = CloseForm(request.POST or None, initial={"version": case.version})
    # Scheduled tasks (follow-ups) end with the case without a confirmation.
    open_tasks = access.of_case(case, Task).filter(status=Task.Status.OPEN, scheduled=False).count()
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_case(
                case,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                cancel_open_tasks=form.cleaned_data["cancel_open_tasks"],
                expected_version=form.cleaned_data["version"],
            )
        except ActionError as error:
            form_error(form, error)
            if error.code == "conflict":
                return _conflict(request, case, form, "cases/close.html", open_tasks=open_tasks)
        else:
            messages.success(
                request, _("Case %(reference)s is closed.") % {"reference": case.reference}
            )
            return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context.update({"form": form, "open_tasks": open_tasks})
    return render(request, "cases/close.html", context, status=422 if form.errors else 200)


@capability_required(Capability.MANAGE_CASES)
def reopen(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    if request.method != "POST":
        return redirect("cases:case", case_id=case.public_id)
    try:
        actions.reopen_case(case, actor=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The case is open again."))
    return redirect("cases:case", case_id=case.public_id)


@capability_required(Capability.WORK_CASES)
def assign(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = AssignForm(request.POST or None, desk=case.owning_desk)
    if not request.user.can(Capability.MANAGE_CASES):
        # A caseworker may only take a case on themselves.
        form.fields["caseworker"].queryset = form.fields["caseworker"].queryset.filter(
            pk=request.user.pk
        )
    if request.method == "POST":
        if request.POST.get("remove") and request.user.can(Capability.MANAGE_CASES):
            user = desk_staff(case.owning_desk).filter(public_id=request.POST["remove"]).first()
            if user is not None:
                actions.unassign_caseworker(case, actor=request.user, user=user)
                messages.success(
                    request, _("%(name)s is no longer assigned.") % {"name": user.get_full_name()}
                )
            return redirect("cases:assign", case_id=case.public_id)
        if form.is_valid():
            try:
                actions.assign_caseworker(
                    case, actor=request.user, user=form.cleaned_data["caseworker"]
                )
            except ActionError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is assigned to the case.")
                    % {"name": form.cleaned_data["caseworker"].get_full_name()},
                )
                return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context["form"] = form
    return render(request, "cases/assign.html", context, status=422 if form.errors else 200)


@capability_required(Capability.MANAGE_CASES)
def sensitive_remove(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_sensitive_flag(
                case, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The case is no longer sensitive: everyone at %(desk)s can see it.")
                % {"desk": case.owning_desk.local_name},
            )
            return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context["form"] = form
    return render(
        request, "cases/sensitive_remove.html", context, status=422 if form.errors else 200
    )


@capability_required(Capability.WORK_CASES)
def timeline(request, case_id):
    case = access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "timeline")
    events = access.timeline_visible_to(request.user, case).select_related(
        "actor_desk", "journal_entry"
    )
    kind = request.GET.get("type", "")

    groups = timeline_groups()
    if kind in groups:
        events = events.filter(kind__in=groups[kind][1])
    page = Paginator(events.order_by("-occurred_at", "-pk"), 30).get_page(request.GET.get("page"))
    context.update(
        {
            "events": describe_events(page.object_list, viewer=request.user),
            "page": page,
            "groups": [(code, label) for code, (label, _kinds) in groups.items()],
            "type": kind,
        }
    )
    return render(request, "cases/timeline.html", context)

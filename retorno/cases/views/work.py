"""Consent, journal, tasks and documents of a case."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.cases import access, actions
from retorno.cases.forms import (
    AmendForm,
    ConsentForm,
    DocumentForm,
    JournalEntryForm,
    ReasonForm,
    TaskForm,
)
from retorno.cases.models import Consent
from retorno.cases.views.common import case_context
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error

# Consent


def consent_snapshot(case):
    """The consent in force (or refused, or withdrawn) per purpose and partner, latest first."""
    latest = {}
    for consent in (
        access.of_case(case, Consent)
        .select_related("partner", "recorded_by", "document")
        .order_by("decided_on", "recorded_at", "pk")
    ):
        latest[(consent.purpose, consent.partner_id)] = consent
    return sorted(
        latest.values(), key=lambda c: (list(Consent.Purpose.values).index(c.purpose), c.pk)
    )


@capability_required(Capability.WORK_CASES)
def consent(request, case_id):
    case = access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "consent")
    context["current"] = consent_snapshot(case)
    context["history"] = (
        access.of_case(case, Consent)
        .select_related("partner", "recorded_by")
        .order_by("-recorded_at")
    )
    context["missing"] = [
        purpose
        for purpose in Consent.Purpose
        if purpose != Consent.Purpose.PARTNER_SHARING
        and not any(c.purpose == purpose for c in context["current"])
    ]
    return render(request, "cases/consent.html", context)


@capability_required(Capability.WORK_CASES)
def consent_record(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    initial = {
        "decided_on": timezone.localdate(),
        "purpose": request.GET.get("purpose", ""),
        "partner": request.GET.get("partner", ""),
    }
    form = ConsentForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_consent(
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
            messages.success(request, _("The consent is recorded."))
            return redirect("cases:consent", case_id=case.public_id)
    context = case_context(request, case, "consent", record_view=False)
    context["form"] = form
    return render(request, "cases/consent_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def consent_withdraw(request, case_id, consent_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    item = (
        access.of_case(case, Consent).filter(public_id=consent_id).select_related("partner").first()
    )
    if item is None:
        raise Http404
    if item.withdrawn_at is not None:
        messages.info(request, _("This consent was already withdrawn."))
        return redirect("cases:consent", case_id=case.public_id)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = False
    form.fields["reason"].label = _("Note")
    if request.method == "POST" and form.is_valid():
        try:
            stopped = actions.withdraw_consent(
                item, actor=request.user, note=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form_error(form, error)
        else:
            message = _("The consent is withdrawn. It took effect at once.")
            if stopped:
                message += " " + " ".join(stopped)
            messages.success(request, message)
            return redirect("cases:consent", case_id=case.public_id)
    context = case_context(request, case, "consent", record_view=False)
    context.update({"form": form, "item": item})
    return render(
        request, "cases/consent_withdraw.html", context, status=422 if form.errors else 200
    )


# Journal


@capability_required(Capability.WORK_CASES)
def journal(request, case_id):
    case = access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "journal")
    entries = (
        access.journal_visible_to(request.user, case)
        .select_related("author", "author_desk", "amends")
        .order_by("-occurred_on", "-created_at")
    )
    context["entries"] = entries
    return render(request, "cases/journal.html", context)


@capability_required(Capability.WORK_CASES)
def journal_add(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = JournalEntryForm(
        request.POST or None,
        initial={"occurred_on": timezone.localdate(), "kind": "counselling"},
        desk_name=case.owning_desk.local_name,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_journal_entry(case, actor=request.user, **form.cleaned_data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The journal entry is saved."))
            return redirect("cases:journal", case_id=case.public_id)
    context = case_context(request, case, "journal", record_view=False)
    context["form"] = form
    return render(request, "cases/journal_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def journal_amend(request, case_id, entry_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    entry = access.get_journal_entry_for_user(request.user, case, entry_id)
    form = AmendForm(request.POST or None, initial={"summary": entry.summary})
    if request.method == "POST" and form.is_valid():
        try:
            actions.amend_journal_entry(
                entry,
                actor=request.user,
                summary=form.cleaned_data["summary"],
                reason=form.cleaned_data["reason"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The correction is saved. The original stays in the journal.")
            )
            return redirect("cases:journal", case_id=case.public_id)
    context = case_context(request, case, "journal", record_view=False)
    context.update({"form": form, "entry": entry})
    return render(request, "cases/journal_amend.html", context, status=422 if form.errors else 200)


# Tasks


@capability_required(Capability.WORK_CASES)
def task_add(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = TaskForm(
        request.POST or None, desk=case.owning_desk, initial={"assignee": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_task(case, actor=request.user, **form.cleaned_data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The task is added."))
            return redirect("cases:case", case_id=case.public_id)
    context = case_context(request, case, "summary", record_view=False)
    context["form"] = form
    return render(request, "cases/task_form.html", context, status=422 if form.errors else 200)


@capability_required(Capability.WORK_CASES)
def task_done(request, task_id):
    task = access.get_task_for_user(request.user, task_id, write=True)
    if request.method == "POST":
        try:
            actions.complete_task(task, actor=request.user)
        except ActionError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Task marked as done."))
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("cases:case", case_id=task.case.public_id)


# Documents


@capability_required(Capability.WORK_CASES)
def documents(request, case_id):
    case = access.get_case_for_user(request.user, case_id)
    context = case_context(request, case, "documents")
    context["documents"] = access.documents_visible_to(request.user, case).select_related(
        "uploaded_by"
    )
    context["numbers"] = case.person.documents.all()
    context["form"] = DocumentForm()
    return render(request, "cases/documents.html", context)


@capability_required(Capability.WORK_CASES)
def document_upload(request, case_id):
    case = access.get_case_for_user(request.user, case_id, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.upload_document(
                case,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("cases:documents", case_id=case.public_id)
    if request.method == "GET":
        return redirect("cases:documents", case_id=case.public_id)
    context = case_context(request, case, "documents", record_view=False)
    context["documents"] = access.documents_visible_to(request.user, case).select_related(
        "uploaded_by"
    )
    context["numbers"] = case.person.documents.all()
    context["form"] = form
    return render(request, "cases/documents.html", context, status=422)


@capability_required(Capability.WORK_CASES)
def document_download(request, case_id, document_id):
    case = access.get_case_for_user(request.user, case_id)
    document = access.get_document_for_user(request.user, case, document_id)
    actions.record_document_download(document, actor=request.user)
    extension = actions.ALLOWED_DOCUMENT_TYPES.get(document.content_type, "bin")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{case.reference}-{document.kind}-{document.public_id.hex[:8]}.{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

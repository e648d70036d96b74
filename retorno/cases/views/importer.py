"""Importing persons from a spreadsheet: upload, preview with every bad row, then one
transaction with a progress bar that needs no JavaScript (the page streams)."""

from django import forms
from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.roles import Capability
from retorno.cases import actions, import_files, importing, rules
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required

SESSION_KEY = "retorno_import"
# 20,000 persons (importing.MAX_ROWS) take 3 to 5 MB as CSV, less as XLSX.
MAX_MEGABYTES = 5
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet of persons"),
        help_text=gettext_lazy("CSV or XLSX, with the header row described below, up to 5 MB"),
        error_messages={"required": gettext_lazy("Choose a file")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file must be smaller than %(max)s MB; split it into files of fewer "
                    "persons and import them one after the other"
                )
                % {"max": MAX_MEGABYTES}
            )
        return upload


def _stored(request):
    """The session's checked import and its result, read from where the upload kept it."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None, None
    path = import_files.path_of(data.get("token", ""))
    if path is None:
        return None, None
    return data, importing.load_result(path.read_bytes())


def _forget(request) -> None:
    """Delete the session's checked import, if any: nothing of it stays on disk."""
    data = request.session.pop(SESSION_KEY, None)
    if data:
        import_files.discard(data.get("token", ""))


def _parse(request, name: str, content: bytes):
    desk = request.user.organisation
    return importing.parse_import(
        name,
        content,
        default_phone_region=rules.phone_country(rules.phone_field_at(desk), desk=desk),
    )


@capability_required(Capability.MANAGE_CASES)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    result = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        _forget(request)  # a new upload replaces the one checked before
        import_files.purge_expired()  # and what others left behind goes
        try:
            result = _parse(request, upload.name, upload.read())
        except importing.ImportFileError as error:
            file_error = error.message
            form.add_error("file", file_error)
        else:
            if result.ok:
                # The checked rows are kept, not the file: the run imports what was checked
                # without reading the file again.
                token = import_files.store(importing.dump_result(result))
                request.session[SESSION_KEY] = {"token": token, "name": upload.name[:200]}
                return redirect("cases:import_preview")
    context = {
        "form": form,
        "result": result,
        "columns": importing.COLUMNS,
        "desk": request.user.organisation,
        "has_errors": bool(form.errors or (result and not result.ok)),
    }
    return render(
        request, "cases/import.html", context, status=422 if context["has_errors"] else 200
    )


@capability_required(Capability.MANAGE_CASES)
def preview(request):
    data, result = _stored(request)
    if data is None:
        return redirect("cases:import")
    return render(
        request,
        "cases/import_preview.html",
        {
            "result": result,
            "name": data["name"],
            "sample": result.rows[:20],
            "desk": request.user.organisation,
        },
    )


@capability_required(Capability.MANAGE_CASES)
def run(request):
    if request.method != "POST":
        return redirect("cases:import_preview")
    data, result = _stored(request)
    if data is None:
        messages.info(request, _("There is nothing to import. Upload a file first."))
        return redirect("cases:import")
    # The checked rows are consumed: a second click (or going back and posting again) imports
    # nothing, and they are no longer on disk.
    _forget(request)
    request.session.save()
    steps = actions.iter_import_persons(
        actor=request.user, desk=request.user.organisation, rows=result.rows, file_name=data["name"]
    )
    total = len(result.rows)

    def stream():
        yield render_to_string("cases/import_progress_start.html", {"total": total}, request)
        done = 0
        try:
            for done in steps:
                yield render_to_string(
                    "cases/import_progress_step.html", {"done": done, "total": total}
                )
        except ActionError as error:
            yield render_to_string(
                "cases/import_progress_end.html", {"error": error.message, "done": 0}, request
            )
            return
        yield render_to_string(
            "cases/import_progress_end.html",
            {"done": done, "list_url": reverse("cases:list")},
            request,
        )

    response = StreamingHttpResponse(stream(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"
    return response


@capability_required(Capability.MANAGE_CASES)
def cancel(request):
    if request.method != "POST":
        return redirect("cases:import_preview")
    if request.session.get(SESSION_KEY):
        _forget(request)
        messages.success(request, _("The import is cancelled. Nothing was imported."))
    return redirect("cases:import")

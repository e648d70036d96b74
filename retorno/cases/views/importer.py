"""Importing persons from a spreadsheet: upload, preview with every bad row, then one
transaction with a progress bar that needs no JavaScript (the page streams)."""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.roles import Capability
from retorno.cases import actions, importing
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required

SESSION_KEY = "retorno_import"
MAX_BYTES = 15 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet of persons"),
        help_text=gettext_lazy("CSV or XLSX, with the header row described below, up to 15 MB"),
        error_messages={"required": gettext_lazy("Choose a file")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 15 MB"))
        return upload


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored(request):
    data = request.session.get(SESSION_KEY)
    if not data:
        return None, None
    path = _upload_dir() / data["token"]
    if not path.exists():
        return None, None
    return data, path


def _parse(request, name: str, content: bytes):
    desk = request.user.organisation
    return importing.parse_import(name, content, default_phone_region=desk.country.code)


@capability_required(Capability.MANAGE_CASES)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    result = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = _parse(request, upload.name, content)
        except importing.ImportFileError as error:
            file_error = error.message
            form.add_error("file", file_error)
        else:
            if result.ok:
                token = secrets.token_hex(16)
                (_upload_dir() / token).write_bytes(content)
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
    data, path = _stored(request)
    if data is None:
        return redirect("cases:import")
    result = _parse(request, data["name"], path.read_bytes())
    if not result.ok:
        messages.error(request, _("The file has errors now. Upload it again."))
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
    data, path = _stored(request)
    if data is None:
        messages.info(request, _("There is nothing to import. Upload a file first."))
        return redirect("cases:import")
    result = _parse(request, data["name"], path.read_bytes())
    if not result.ok:
        messages.error(request, _("The file has errors now. Upload it again."))
        return redirect("cases:import")
    # The file is consumed: a second click (or going back and posting again) imports nothing.
    request.session.pop(SESSION_KEY, None)
    request.session.save()
    path.unlink(missing_ok=True)
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

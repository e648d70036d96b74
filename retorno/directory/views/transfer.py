"""Importing and exporting a country's directory: upload, a preview that lists every problem
(nothing is imported while there is one), then one transaction; and the export files."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries

from retorno.audit.events import record
from retorno.directory import access, actions, exchange, hsds, reading, tabular
from retorno.directory.forms import UploadForm
from retorno.directory.views.common import reader_required
from retorno.lib.errors import ActionError

SESSION_KEY = "retorno_directory_import"
FORMATS = {
    "hsds": ("application/json; charset=utf-8", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "directory-imports"
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


@reader_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    country = access.require_maintainer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    dataset = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = reading.read_file(upload.name, content, country)
        except exchange.FileError as error:
            form.add_error("file", error.message)
        else:
            if dataset.ok:
                token = secrets.token_hex(16)
                (_upload_dir() / token).write_bytes(content)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "name": upload.name[:200],
                    "country": country,
                }
                return redirect("directory:import_preview")
    has_errors = bool(form.errors or (dataset is not None and not dataset.ok))
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "dataset": dataset,
            "country_name": countries.name(country),
            "has_errors": has_errors,
        },
        status=422 if has_errors else 200,
    )


def _reread(request, country):
    data, path = _stored(request)
    if data is None or data.get("country") != country:
        return None, None
    try:
        dataset = reading.read_file(data["name"], path.read_bytes(), country)
    except exchange.FileError:
        return data, None
    return data, dataset


@reader_required
def import_preview(request):
    country = access.require_maintainer(request.user)
    data, dataset = _reread(request, country)
    if data is None:
        return redirect("directory:import")
    if dataset is None or not dataset.ok:
        messages.error(request, _("The file has problems now. Upload it again."))
        return redirect("directory:import")
    return render(
        request,
        "directory/import_preview.html",
        {
            "name": data["name"],
            "counts": dataset.counts(),
            "country_name": countries.name(country),
        },
    )


@reader_required
@require_POST
def import_run(request):
    country = access.require_maintainer(request.user)
    data, dataset = _reread(request, country)
    if data is None:
        messages.info(request, _("There is nothing to import. Upload a file first."))
        return redirect("directory:import")
    if dataset is None or not dataset.ok:
        messages.error(request, _("The file has problems now. Upload it again."))
        return redirect("directory:import")
    # The file is consumed: going back and posting again imports nothing twice.
    request.session.pop(SESSION_KEY, None)
    (_upload_dir() / data["token"]).unlink(missing_ok=True)
    try:
        counts = actions.import_directory(
            actor=request.user, country=country, dataset=dataset, file_name=data["name"]
        )
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("directory:import")
    added = sum(v for k, v in counts.items() if k.endswith("_created"))
    changed = sum(v for k, v in counts.items() if k.endswith("_updated"))
    messages.success(
        request,
        _("The directory is imported: %(added)s entries added, %(changed)s changed.")
        % {"added": added, "changed": changed},
    )
    return redirect(reverse("directory:services") + f"?country={country}")


@reader_required
def export_page(request):
    country = access.require_maintainer(request.user)
    return render(
        request,
        "directory/export.html",
        {
            "country": country,
            "country_name": countries.name(country),
            "organizations": access.organizations_visible_to(request.user)
            .filter(country=country)
            .count(),
            "services": access.services_visible_to(request.user)
            .filter(organization__country=country)
            .count(),
        },
    )


@reader_required
def export_download(request, file_format):
    country = access.require_maintainer(request.user)
    if file_format not in FORMATS:
        return redirect("directory:export")
    content_type, extension = FORMATS[file_format]
    writer = hsds.write if file_format == "hsds" else tabular.write
    body = writer(country)
    record(
        "directory.exported",
        actor=request.user,
        detail={"country": country, "format": file_format},
    )
    response = HttpResponse(body, content_type=content_type)
    name = f"directory-{country}-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

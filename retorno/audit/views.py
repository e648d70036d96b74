import datetime
import json

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.audit import verbs
from retorno.audit.access import events_visible_to
from retorno.audit.events import record
from retorno.audit.forms import EventFilterForm
from retorno.audit.queries import filter_events
from retorno.lib import spreadsheets
from retorno.lib.views import capability_required


def _filtered(request, data):
    form = EventFilterForm(data)
    qs = events_visible_to(request.user)
    if form.is_valid():
        qs = filter_events(qs, form.cleaned_data)
    return form, qs.order_by("-occurred_at", "-id")


@capability_required(Capability.VIEW_AUDIT)
def events(request):
    form, qs = _filtered(request, request.GET or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.verb_label = verbs.label(event.verb)
    applied = [
        (form.fields[name].label, value)
        for name, value in (form.cleaned_data.items() if form.is_bound and form.is_valid() else [])
        if value
    ]
    return render(
        request,
        "audit/events.html",
        {"page": page, "filter_form": form, "applied": applied, "has_errors": bool(form.errors)},
    )


@capability_required(Capability.VIEW_AUDIT)
def export(request):
    """GET: say what the file holds and that exporting is recorded. POST: the CSV itself."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    form, qs = _filtered(request, data)
    if request.method != "POST" or form.errors:
        return render(
            request,
            "audit/export.html",
            {"filter_form": form, "count": qs.count(), "query": request.GET.urlencode()},
        )
    count = qs.count()
    filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    record("audit.exported", actor=request.user, detail={"filters": filters, "rows": count})
    filename = f"audit-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_rows(qs):
    header = [
        _("When (UTC)"),
        _("Who"),
        _("Organisation"),
        _("Role"),
        _("What"),
        _("Action code"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Person id"),
        _("Changes"),
        _("Detail"),
        _("Request id"),
        _("IP address"),
    ]
    rows = (
        [
            event.occurred_at.astimezone(datetime.UTC).isoformat(),
            event.actor_username,
            event.organisation_code,
            event.role,
            verbs.label(event.verb),
            event.verb,
            event.target_type,
            event.target_id,
            event.target_label,
            event.person_id,
            json.dumps(event.changes, ensure_ascii=False) if event.changes else "",
            json.dumps(event.detail, ensure_ascii=False) if event.detail else "",
            event.request_id,
            event.ip_address,
        ]
        for event in qs.iterator(chunk_size=2000)
    )
    return spreadsheets.csv_lines(header, rows)

"""The campaign's pages for staff: campaigns and their sessions, a session with its materials,
sign-ups, attendance, counts and organisations, the local organisations, and the campaign's
figures. Each view: access -> form -> action -> redirect or render.

Sessions and campaigns hold no person: the staff of every European desk (and those who read the
figures) read them; only the desk that runs a session changes it (403 for the others). The names
of those who signed up are for the staff of that desk only: anyone else gets 404 on that page.
"""

import functools
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.access import get_or_404
from retorno.lib import spreadsheets
from retorno.lib.errors import ActionError
from retorno.lib.views import form_error
from retorno.outreach import access, queries, regions
from retorno.outreach.actions import sessions as actions
from retorno.outreach.forms.sessions import (
    AGE_BANDS,
    CampaignForm,
    CountFormSet,
    FiguresForm,
    LocalOrganisationForm,
    MaterialForm,
    OrganisationsForm,
    SessionFilterForm,
    SessionForm,
    VersionForm,
    count_initial,
)
from retorno.outreach.models import Audience, InfoSession, LocalOrganisation, SignUp
from retorno.programmes.models import Cycle

PAGE_SIZE = 50


def staff_required(view):
    """Signed in under a membership (404 otherwise) and one of the campaign's staff (403)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request.user, "membership", None) is None:
            raise Http404
        if not access.may_read_campaign(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _posted(request):
    return request.POST if request.method == "POST" else None


def _status(*forms) -> int:
    return 422 if any(f is not None and f.errors for f in forms) else 200


def _to_session(session):
    return redirect("outreach:session", session_id=session.public_id)


def _cycles():
    return Cycle.objects.select_related("programme").order_by("-starts_on", "pk")


# --- Campaigns ---------------------------------------------------------------------------------


@staff_required
def campaign(request):
    user = request.user
    form = SessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    campaigns = access.campaigns_for_staff(user)
    listing = queries.campaign_sessions(
        campaigns,
        access.sessions_for_staff(user),
        region=filters.get("region", ""),
        status=filters.get("status", ""),
    )
    context = {
        "listing": listing,
        "filter_form": form,
        "may_run": access.may_run_campaign(user),
        "may_read_figures": access.may_read_figures(user),
        "status_labels": dict(InfoSession.Status.choices),
    }
    return render(request, "outreach/sessions/campaign.html", context)


@staff_required
def campaign_create(request):
    if not access.may_run_campaign(request.user):
        raise PermissionDenied
    form = CampaignForm(_posted(request), cycles=_cycles())
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_campaign(
                form.cleaned_data["cycle"],
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The campaign is created."))
            return redirect("outreach:campaign")
    context = {"form": form, "heading": _("New campaign")}
    return render(request, "outreach/sessions/campaign_form.html", context, status=_status(form))


@staff_required
def campaign_edit(request, campaign_id):
    found = access.get_campaign_for_user(request.user, campaign_id, write=True)
    initial = {
        "cycle": found.cycle,
        "name": found.name,
        "description": found.description,
        "version": found.version,
    }
    form = CampaignForm(_posted(request), cycles=_cycles(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_campaign(
                found,
                actor=request.user,
                cycle=form.cleaned_data["cycle"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                version=form.cleaned_data["version"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("outreach:campaign")
    context = {"form": form, "heading": _("Change the campaign"), "campaign": found}
    return render(request, "outreach/sessions/campaign_form.html", context, status=_status(form))


# --- A session ---------------------------------------------------------------------------------


@staff_required
def session_create(request):
    user = request.user
    if not access.may_run_campaign(user):
        raise PermissionDenied
    campaigns = access.campaigns_for_staff(user).select_related("cycle")
    initial = {"language": "es", "capacity": 30, "audience": "migrants"}
    chosen = request.GET.get("campaign")
    if chosen:
        initial["campaign"] = (
            campaigns.filter(public_id=chosen).first() if _is_uuid(chosen) else None
        )
    form = SessionForm(_posted(request), campaigns=campaigns, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(
                form.cleaned_data["campaign"], actor=user, **form.action_fields()
            )
        except ActionError as error:
            form.action_error(error)
        else:
            messages.success(request, _("The session is created."))
            return _to_session(session)
    context = {
        "form": form,
        "heading": _("New info session"),
        "cancel_url": reverse("outreach:campaign"),
        "no_campaign": not campaigns.exists(),
    }
    return render(request, "outreach/sessions/session_form.html", context, status=_status(form))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@staff_required
def session(request, session_id):
    user = request.user
    found = access.get_session_for_user(user, session_id)
    found = (
        access.sessions_for_staff(user)
        .select_related("campaign__cycle", "desk")
        .prefetch_related("partners", "organisations_reached")
        .get(pk=found.pk)
    )
    counts = list(found.counts.all())
    may_change = access.may_run_campaign(user) and access.may_see_signups(user, found)
    context = {
        "session": found,
        "region_name": regions.region_name(found.region),
        "materials": list(found.materials.all()),
        "counted": sum(c.count for c in counts),
        "counts": counts,
        "may_change": may_change,
        "may_see_signups": access.may_see_signups(user, found),
        "scheduled": found.status == InfoSession.Status.SCHEDULED,
        "started": _started(found),
    }
    if context["may_see_signups"]:
        signups = access.signups_visible_to(user).filter(session=found)
        context["attended_named"] = signups.filter(attended=True).count()
    return render(request, "outreach/sessions/session.html", context)


def _started(session) -> bool:
    return session.starts_at <= timezone.now()


@staff_required
def session_edit(request, session_id):
    found = access.get_session_for_user(request.user, session_id, write=True)
    if found.status == InfoSession.Status.CANCELLED:
        messages.info(request, _("A cancelled session cannot be changed."))
        return _to_session(found)
    form = SessionForm(_posted(request), initial=SessionForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_session(
                found,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.action_fields(),
            )
        except ActionError as error:
            form.action_error(error)
        else:
            messages.success(request, _("The session is saved."))
            return _to_session(found)
    context = {
        "form": form,
        "session": found,
        "heading": _("Change the session"),
        "cancel_url": reverse("outreach:session", args=[found.public_id]),
    }
    return render(request, "outreach/sessions/session_form.html", context, status=_status(form))


@staff_required
def session_cancel(request, session_id):
    found = access.get_session_for_user(request.user, session_id, write=True)
    form = VersionForm(_posted(request), initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_session(
                found, actor=request.user, version=form.cleaned_data.get("version")
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The session is cancelled."))
            return _to_session(found)
    context = {"form": form, "session": found}
    return render(request, "outreach/sessions/cancel.html", context, status=_status(form))


@staff_required
def session_held(request, session_id):
    found = access.get_session_for_user(request.user, session_id, write=True)
    if request.method != "POST":
        return _to_session(found)
    try:
        actions.mark_held(found, actor=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The session is marked as held."))
    return _to_session(found)


# --- Materials ---------------------------------------------------------------------------------


@staff_required
def materials(request, session_id):
    found = access.get_session_for_user(request.user, session_id, write=True)
    form = MaterialForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            material = get_or_404(found.materials.all(), remove)
            actions.remove_material(material, actor=request.user)
            messages.success(request, _("The file is removed."))
            return redirect("outreach:materials", session_id=found.public_id)
        if form.is_valid():
            try:
                actions.add_material(
                    found,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                )
            except ActionError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The file is added."))
                return redirect("outreach:materials", session_id=found.public_id)
    context = {"form": form, "session": found, "materials": list(found.materials.all())}
    return render(request, "outreach/sessions/materials.html", context, status=_status(form))


@staff_required
def material(request, session_id, material_id):
    found = access.get_session_for_user(request.user, session_id)
    item = get_or_404(found.materials.all(), material_id)
    actions.record_material_download(item, actor=request.user)
    extension = item.file.name.rsplit(".", 1)[-1] if "." in item.file.name else ""
    name = f"{item.title}.{extension}" if extension else item.title
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = item.content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Sign-ups and attendance -------------------------------------------------------------------


@staff_required
def signups(request, session_id):
    user = request.user
    found = access.get_session_for_user(user, session_id)
    access.require(access.may_see_signups(user, found))
    listed = list(access.signups_visible_to(user).filter(session=found))
    may_change = access.may_run_campaign(user)
    error = None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        cancel = request.POST.get("cancel")
        try:
            if cancel:
                actions.cancel_place(access.get_signup_for_user(user, found, cancel), actor=user)
                messages.success(request, _("The place is cancelled."))
            else:
                attended = {
                    str(s.public_id): f"attended_{s.public_id}" in request.POST
                    for s in listed
                    if s.consent_attendance and s.status != SignUp.Status.CANCELLED
                }
                actions.record_attendance(found, actor=user, attended=attended)
                messages.success(request, _("The attendance is saved."))
        except ActionError as problem:
            error = problem.message
        else:
            return redirect("outreach:signups", session_id=found.public_id)
    else:
        actions.record_signups_view(found, actor=user)
    active = [s for s in listed if s.status != SignUp.Status.CANCELLED]
    context = {
        "session": found,
        "signups": listed,
        "may_change": may_change,
        "error": error,
        "has_errors": bool(error),
        "started": _started(found),
        "not_named": sum(1 for s in active if not s.consent_attendance),
        "status_labels": dict(SignUp.Status.choices),
    }
    return render(request, "outreach/sessions/signups.html", context, status=422 if error else 200)


@staff_required
def counts(request, session_id):
    found = access.get_session_for_user(request.user, session_id, write=True)
    initial = count_initial(found.counts.all())
    extra = 3
    if request.method == "POST":
        formset = CountFormSet(request.POST, initial=initial)
    else:
        formset = CountFormSet(initial=initial + [{}] * extra)
    error = None
    if request.method == "POST" and formset.is_valid():
        rows = [row for form in formset.forms for row in form.rows()]
        try:
            actions.set_counts(found, actor=request.user, rows=rows)
        except ActionError as problem:
            error = problem.message
        else:
            messages.success(request, _("The counts are saved."))
            return _to_session(found)
    has_errors = bool(error) or (request.method == "POST" and not formset.is_valid())
    context = {
        "session": found,
        "formset": formset,
        "error": error,
        "has_errors": has_errors,
        "age_bands": [label for _code, label in AGE_BANDS],
    }
    return render(
        request, "outreach/sessions/counts.html", context, status=422 if has_errors else 200
    )


# --- Organisations -----------------------------------------------------------------------------


def _organisations():
    return LocalOrganisation.objects.order_by("name")


@staff_required
def session_organisations(request, session_id):
    found = access.get_session_for_user(request.user, session_id, write=True)
    adding = request.method == "POST" and "add_organisation" in request.POST
    initial = {
        "partners": list(found.partners.all()),
        "reached": list(found.organisations_reached.all()),
    }
    form = OrganisationsForm(
        None if adding else _posted(request),
        organisations=_organisations(),
        initial=initial,
        with_reached=found.audience != Audience.MIGRANTS,
    )
    new = LocalOrganisationForm(
        request.POST if adding else None,
        prefix="new",
        initial={"region": found.region, "province": found.province},
    )
    if adding and new.is_valid():
        try:
            actions.create_local_organisation(actor=request.user, **new.cleaned_data)
        except ActionError as error:
            form_error(new, error)
        else:
            messages.success(request, _("The organisation is added to the list."))
            return redirect("outreach:session_organisations", session_id=found.public_id)
    elif request.method == "POST" and not adding and form.is_valid():
        try:
            actions.set_organisations(
                found,
                actor=request.user,
                partners=form.cleaned_data["partners"],
                reached=form.cleaned_data.get("reached", []),
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The organisations are saved."))
            return _to_session(found)
    context = {"session": found, "form": form, "new": new}
    return render(
        request, "outreach/sessions/organisations.html", context, status=_status(form, new)
    )


@staff_required
def organisations(request):
    user = request.user
    may_add = access.may_run_campaign(user)
    form = LocalOrganisationForm(_posted(request))
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.create_local_organisation(actor=user, **form.cleaned_data)
            except ActionError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The organisation is added to the list."))
                return redirect("outreach:organisations")
    page = Paginator(_organisations(), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(LocalOrganisation.Kind.choices)
    for item in page.object_list:
        item.kind_label = kinds.get(item.kind, item.kind)
        item.region_name = regions.region_name(item.region)
    context = {"page": page, "form": form, "may_add": may_add}
    return render(
        request, "outreach/sessions/organisations_list.html", context, status=_status(form)
    )


# --- Figures -----------------------------------------------------------------------------------


def _figures(request):
    user = request.user
    if not access.may_read_figures(user):
        raise PermissionDenied
    cycles = _cycles()
    form = FiguresForm(request.GET or None, cycles=cycles)
    cycle, region = None, ""
    if form.is_bound and form.is_valid():
        cycle, region = form.cleaned_data["cycle"], form.cleaned_data.get("region") or ""
    if cycle is None:
        cycle = cycles.first()
        form = FiguresForm(initial={"cycle": cycle}, cycles=cycles)
    if cycle is None:
        raise Http404
    return form, cycle, region


@staff_required
def figures(request):
    form, cycle, region = _figures(request)
    context = {
        "form": form,
        "figures": queries.campaign_figures(cycle, region=region),
        "region": region,
        "export_url": reverse("outreach:figures_export")
        + f"?cycle={cycle.public_id}&region={region}",
        "has_errors": bool(form.errors),
    }
    return render(request, "outreach/sessions/figures.html", context)


@staff_required
def figures_export(request):
    _form, cycle, region = _figures(request)
    figures = queries.campaign_figures(cycle, region=region)
    actions.record_figures_export(cycle, actor=request.user, region=region)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{cycle.pk}.csv"'
    writer = spreadsheets.CsvWriter(response)
    writer.writerow(
        [
            _("Region"),
            _("Sessions held"),
            _("Attendees by name"),
            _("Attendees counted"),
            _("Attendees"),
            _("Organisations reached"),
            _("Leads from the site"),
            _("Leads from organisations"),
            _("Leads from sessions"),
            _("Leads"),
            _("Became inquiries"),
            _("Departures"),
            _("Reintegrations"),
        ]
    )
    for row in [*figures.rows, figures.total]:
        writer.writerow(
            [
                row.name if row.region else _("Total"),
                row.sessions_held,
                row.attended_named,
                row.attended_counted,
                row.attendees,
                row.organisations_reached,
                row.leads_site,
                row.leads_organisation,
                row.leads_session,
                row.leads,
                row.inquiries,
                row.departures,
                row.reintegrations,
            ]
        )
    writer.writerow([])
    writer.writerow([_("Public site page views"), figures.page_views])
    writer.writerow([_("Public site forms completed"), figures.forms_completed])
    return response

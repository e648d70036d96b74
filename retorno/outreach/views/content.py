"""The public site's editors: every page and guide with the state of its four languages, the
editor (the source language beside the one being translated), the preview of a draft, publishing
a version, and the versions of a page in one language with restoring an old one.

Only outreach officers (Capability.RUN_OUTREACH) come here; anyone else signed in gets 403, and
an unknown page 404. Pages and their texts hold no person: they are read straight from the
models; every change goes through actions/content.py."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.access import get_or_404
from retorno.accounts.roles import Capability
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error
from retorno.outreach import editorial, rendering
from retorno.outreach.actions import content
from retorno.outreach.forms.content import PageCreateForm, PublishForm, RestoreForm, VersionForm
from retorno.outreach.models import LANGUAGES, PageVersion, PublicPage

editor_required = capability_required(Capability.RUN_OUTREACH)


def _page(page_id) -> PublicPage:
    return get_or_404(PublicPage.objects.all(), page_id)


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404
    return language


def _posted(request):
    return request.POST if request.method == "POST" else None


def _editor_url(page, language) -> str:
    return reverse("outreach:content_page", args=[page.public_id]) + f"?lang={language}"


def _title(page, cells) -> str:
    """The page's name for the editors: its source title when there is one, else its key."""
    source = next(c for c in cells if c.is_source)
    return source.translation.latest.title if source.translation else page.key


@editor_required
def content_list(request):
    context = {"overview": editorial.overview(), "languages": settings.LANGUAGES}
    return render(request, "outreach/content/list.html", context)


@editor_required
def content_create(request):
    form = PageCreateForm(_posted(request), initial={"kind": "page", "source_language": "it"})
    if request.method == "POST" and form.is_valid():
        try:
            page = content.create_page(actor=request.user, **form.cleaned_data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The page is created: write its text in its source language.")
            )
            return redirect(_editor_url(page, page.source_language))
    status = 422 if form.errors else 200
    return render(request, "outreach/content/create.html", {"form": form}, status=status)


def _chosen(request, page, cells) -> str:
    """The language being edited beside the source: asked for, else the first translation that
    is missing or older than the source, else the first other language."""
    asked = request.GET.get("lang")
    if asked in LANGUAGES:
        return asked
    others = [c for c in cells if not c.is_source]
    wanting = [c for c in others if c.state == editorial.MISSING or c.is_stale]
    return (wanting or others)[0].language


def _initial(cell, source_cell) -> dict:
    initial = {}
    if cell.translation is not None:
        latest = cell.translation.latest
        initial = {
            "title": latest.title,
            "description": latest.description,
            "body": latest.body,
            "based_on": latest.number,
        }
    if not cell.is_source and source_cell.translation is not None:
        initial["source_number"] = source_cell.translation.latest.number
    return initial


@editor_required
def content_page(request, page_id):
    page = _page(page_id)
    cells = editorial.cells_of_page(page)
    by_language = {c.language: c for c in cells}
    source = by_language[page.source_language]
    chosen = _chosen(request, page, cells)
    shown = [source] if chosen == page.source_language else [source, by_language[chosen]]
    posted = request.POST.get("language", chosen) if request.method == "POST" else None
    if posted is not None and posted not in {c.language for c in shown}:
        raise Http404
    forms, conflicts = {}, {}
    for cell in shown:
        data = request.POST if cell.language == posted else None
        forms[cell.language] = VersionForm(
            data, language=cell.language, initial=_initial(cell, source)
        )
    if posted is not None:
        form = forms[posted]
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = content.save_version(
                    page,
                    actor=request.user,
                    language=posted,
                    title=data["title"],
                    description=data["description"],
                    body=data["body"],
                    based_on=data["based_on"],
                    source_number=data["source_number"],
                )
            except ActionError as error:
                form_error(form, error)
                if error.code == "conflict":
                    conflicts[posted] = _after_conflict(page, posted, form)
            else:
                messages.success(
                    request,
                    _("Version %(number)s is saved as a draft. Preview it, then publish it.")
                    % {"number": version.number},
                )
                return redirect(_editor_url(page, chosen))
    columns = []
    for cell in shown:
        changes = []
        if not cell.is_source and cell.translation and source.translation:
            newest = source.translation.latest.number
            if cell.follows is None or cell.follows < newest:
                changes = editorial.source_changes(page, cell.follows, newest)
        columns.append(
            {
                "cell": cell,
                "form": forms[cell.language],
                "changes": changes,
                "conflict": conflicts.get(cell.language),
            }
        )
    context = {
        "page": page,
        "title": _title(page, cells),
        "cells": cells,
        "chosen": chosen,
        "columns": columns,
        "has_errors": any(f.errors for f in forms.values()),
    }
    status = 422 if context["has_errors"] else 200
    return render(request, "outreach/content/editor.html", context, status=status)


def _after_conflict(page, language, form) -> PageVersion | None:
    """The version saved meanwhile, to show beside what was typed; the form now starts from it,
    so that saving again (after checking) is a deliberate choice."""
    latest = (
        PageVersion.objects.filter(page=page, language=language)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )
    if latest is not None:
        form.data = form.data.copy()
        form.data[form.add_prefix("based_on")] = str(latest.number)
    return latest


def _translation_or_404(page, language):
    cell = next(c for c in editorial.cells_of_page(page) if c.language == _language(language))
    if cell.translation is None:
        raise Http404
    return cell


@editor_required
def content_preview(request, page_id, language):
    page = _page(page_id)
    cell = _translation_or_404(page, language)
    version = PageVersion.objects.select_related("created_by").get(pk=cell.translation.latest_id)
    context = {
        "page": page,
        "cell": cell,
        "version": version,
        "body": rendering.render(version.body),
        "editor_url": _editor_url(page, language),
    }
    response = render(request, "outreach/content/preview.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@editor_required
def content_publish(request, page_id, language):
    page = _page(page_id)
    cell = _translation_or_404(page, language)
    form = PublishForm(_posted(request), initial={"number": cell.translation.latest.number})
    if request.method == "POST" and form.is_valid():
        try:
            version = content.publish(
                page, actor=request.user, language=language, number=form.cleaned_data["number"]
            )
        except ActionError as error:
            # Someone saved (or published) meanwhile: show what is latest now, to check first.
            cell = _translation_or_404(page, language)
            form = PublishForm({"number": cell.translation.latest.number})
            form.is_valid()
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Version %(number)s is published: the public reads it now.")
                % {"number": version.number},
            )
            return redirect(_editor_url(page, language))
    latest = PageVersion.objects.select_related("created_by").get(pk=cell.translation.latest_id)
    context = {
        "page": page,
        "cell": cell,
        "latest": latest,
        "form": form,
        "editor_url": _editor_url(page, language),
    }
    return render(
        request, "outreach/content/publish.html", context, status=422 if form.errors else 200
    )


def _versions_page(request, page, language, *, shown_number=None, form=None, status=200):
    versions = list(
        PageVersion.objects.filter(page=page, language=language)
        .select_related("created_by")
        .order_by("-number")
    )
    if not versions:
        raise Http404
    shown = next((v for v in versions if v.number == shown_number), None)
    context = {
        "page": page,
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
        "versions": versions,
        "latest": versions[0],
        "shown": shown,
        "shown_body": rendering.render(shown.body) if shown else "",
        "form": form or RestoreForm(initial={"based_on": versions[0].number}),
        "editor_url": _editor_url(page, language),
        "published_id": next((v.pk for v in versions if v.published_at), None),
    }
    return render(request, "outreach/content/versions.html", context, status=status)


@editor_required
def content_versions(request, page_id, language):
    page = _page(page_id)
    shown = request.GET.get("show", "")
    number = int(shown) if shown.isdigit() else None
    return _versions_page(request, page, _language(language), shown_number=number)


@editor_required
@require_POST
def content_restore(request, page_id, language, number):
    page = _page(page_id)
    language = _language(language)
    form = RestoreForm(request.POST)
    if form.is_valid():
        try:
            version = content.restore_version(
                page,
                actor=request.user,
                language=language,
                number=number,
                based_on=form.cleaned_data["based_on"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The text of version %(old)s is saved as version %(new)s, a draft. Check "
                    "it, then publish it."
                )
                % {"old": number, "new": version.number},
            )
            return redirect(_editor_url(page, language))
    return _versions_page(request, page, language, shown_number=number, form=form, status=422)

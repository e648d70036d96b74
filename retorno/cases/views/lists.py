"""The case list (search, filters, sort, pagination) and the tasks list."""

import secrets

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django_countries import countries

from retorno.accounts.roles import Capability
from retorno.cases import access, queries
from retorno.cases.forms import CaseFilterForm
from retorno.cases.models import Phase
from retorno.lib.views import capability_required

SEARCHES_KEY = "retorno_searches"


def remember_search(request, text: str) -> str:
    """Free text about people never goes in a URL: keep it in the session under an opaque id."""
    searches = request.session.get(SEARCHES_KEY, {})
    token = secrets.token_urlsafe(6)
    searches = dict(list(searches.items())[-9:])
    searches[token] = text[:200]
    request.session[SEARCHES_KEY] = searches
    return token


def recall_search(request, token: str) -> str:
    return request.session.get(SEARCHES_KEY, {}).get(token or "", "")


@capability_required(Capability.WORK_CASES)
def case_list(request):
    if request.method == "POST":
        text = (request.POST.get("q") or "").strip()
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("search", None)
        if text:
            params["search"] = remember_search(request, text)
        return redirect(reverse("cases:list") + (f"?{params.urlencode()}" if params else ""))
    user = request.user
    search_text = recall_search(request, request.GET.get("search", ""))
    form = CaseFilterForm(request.GET or None, desk=user.organisation)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = access.cases_for_list(
        user,
        handed_over=bool(filters.get("handed_over")),
        search=search_text,
        desks=filters.get("desk") or (),
    )
    qs = queries.filter_cases(qs, filters, user=user)
    qs = queries.search_cases(qs, search_text)
    sort = request.GET.get("sort") or queries.DEFAULT_SORT
    if sort not in queries.SORTS:
        sort = queries.DEFAULT_SORT
    page = queries.page_of_cases(qs, sort=sort, number=request.GET.get("page"), user=user)
    _prepare_rows(page.object_list)
    applied = _applied_filters(request, form, filters)
    context = {
        "page": page,
        "filter_form": form,
        "search_text": search_text,
        "applied": applied,
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        "today": _today(),
        "has_errors": bool(form.errors),
        "case_url_prefix": reverse("cases:list"),
    }
    # htmx refreshes only the results; a history restore needs the whole page.
    partial = bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
    context["is_htmx"] = partial
    template = "cases/_results.html" if partial else "cases/list.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _prepare_rows(cases) -> None:
    """What each row shows, computed once per page rather than in template tags per cell."""

    names = {}
    phase_labels = {code: str(label) for code, label in Phase.choices}
    months = {n: str(name).capitalize() for n, name in MONTHS_3.items()}

    def short(day):  # "3 Jun 2026", as the |date:"j M Y" filter writes it, without its cost
        return f"{day.day} {months[day.month]} {day.year}"

    for case in cases:
        case.updated_label = short(timezone.localtime(case.updated_at).date())
        case.next_due_label = short(case.next_due) if case.next_due else ""
        code = case.person.return_country.code
        if code and code not in names:
            names[code] = countries.name(code)
        case.return_country_name = names.get(code, "")
        case.phase_label = phase_labels[case.phase]
        person = case.person
        if case.sensitive:  # initials only, on every list
            case.list_name = person.initials
        else:
            surnames = f"{person.first_surname} {person.second_surname}".strip()
            case.list_name = f"{surnames}, {person.given_names}"
        if not hasattr(case, "caseworker_names"):
            case.caseworker_names = ", ".join(
                a.user.get_full_name() or a.user.username for a in case.assignments.all()
            )


def _today():
    return timezone.localdate()


def _applied_filters(request, form, filters) -> list[dict]:
    """Chosen filters as removal links ("Remove filter: Reception")."""
    applied = []
    for name, value in filters.items():
        if name == "sort" or value in (None, "", [], False):
            continue
        field = form.fields[name]
        values = value if isinstance(value, list) else [value]
        for item in values:
            params = request.GET.copy()
            params.pop("page", None)
            if isinstance(value, list):
                remaining = [v for v in params.getlist(name) if v != str(item)]
                params.setlist(name, remaining)
            else:
                params.pop(name, None)
            label = (
                dict(field.choices).get(item, item)
                if hasattr(field, "choices") and not isinstance(value, bool)
                else field.label
            )
            if hasattr(item, "get_full_name"):
                label = item.get_full_name() or item.username
            applied.append({"label": label, "url": "?" + params.urlencode()})
    return applied


def _sort_links(request, sort: str) -> dict:
    links = {}
    for column in ("reference", "name", "phase", "due", "updated"):
        params = request.GET.copy()
        params.pop("page", None)
        descending = sort == f"-{column}"
        ascending = sort == column
        params["sort"] = column if descending or not ascending else f"-{column}"
        if column == "updated" and not (ascending or descending):
            params["sort"] = "-updated"
        links[column] = {
            "url": "?" + params.urlencode(),
            "aria": "ascending" if ascending else ("descending" if descending else None),
        }
    return links


@capability_required(Capability.WORK_CASES)
def task_list(request):
    user = request.user
    status = request.GET.get("status", "open")
    tasks = access.tasks_visible_to(user).select_related("case", "case__person", "assignee")
    if request.GET.get("who") != "desk":
        tasks = tasks.filter(assignee=user)
    if status in ("open", "done", "cancelled"):
        tasks = tasks.filter(status=status)
    tasks = (
        tasks.order_by("due_on", "pk")
        if status == "open"
        else tasks.order_by("-completed_at", "-pk")
    )
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/tasks.html",
        {
            "page": page,
            "status": status,
            "who": request.GET.get("who", "me"),
            "today": _today(),
            "title": _("Tasks"),
        },
    )

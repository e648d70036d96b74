"""What the directory's pages share: who may open them, filters shown as removal links, sort
links, the links that switch the language a form writes in, and edit conflicts."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from retorno.audit.queries import events_for_target
from retorno.directory import access
from retorno.directory.models import language_name, text_languages


def reader_required(view):
    """Signed in, acting under a membership whose role reads the directory; 403 otherwise."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request.user, "membership", None) is None:
            raise Http404
        if not access.may_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def applied_filters(request, form, filters: dict, *, query=None) -> list[dict]:
    """Chosen filters as removal links ("Remove filter: Housing")."""
    query = request.GET if query is None else query
    applied = []
    for name, value in filters.items():
        if name in ("sort", "q") or value in (None, "", [], False):
            continue
        field = form.fields[name]
        values = value if isinstance(value, list) else [value]
        for item in values:
            params = query.copy()
            params.pop("page", None)
            if isinstance(value, list):
                params.setlist(name, [v for v in params.getlist(name) if v != str(item)])
                label = dict(field.choices).get(item, item)
            elif isinstance(value, bool):
                params.pop(name, None)
                label = field.label
            else:
                params.pop(name, None)
                label = _("%(filter)s: %(value)s") % {"filter": field.label, "value": item}
            applied.append({"label": label, "url": "?" + params.urlencode()})
    return applied


def sort_links(request, sort: str, columns, *, query=None) -> dict:
    links = {}
    for column in columns:
        params = (request.GET if query is None else query).copy()
        params.pop("page", None)
        ascending, descending = sort == column, sort == f"-{column}"
        params["sort"] = f"-{column}" if ascending else column
        links[column] = {
            "url": "?" + params.urlencode(),
            "aria": "ascending" if ascending else ("descending" if descending else None),
        }
    return links


def with_home_countries(request, default_sort: str):
    """The filters of a directory list: as asked, or, when nothing is asked (a page number
    aside), the user's own country (`access.home_countries`). The default carries the sort, so
    removing the country filter shows every country instead of coming back."""
    if set(request.GET) - {"page"}:
        return request.GET
    countries = access.home_countries(request.user)
    if not countries:
        return request.GET
    query = request.GET.copy()
    query.setlist("country", countries)
    query["sort"] = default_sort
    return query


def language_links(current: str) -> list[dict]:
    return [
        {
            "code": code,
            "name": language_name(code),
            "url": f"?language={code}",
            "current": code == current,
        }
        for code in text_languages()
    ]


def conflicts_for(obj, expected: int | None) -> list:
    """The changes others saved since the version the form was built from."""
    missed = max(1, obj.version - (expected or 0))
    return list(events_for_target(obj).exclude(changes={}).order_by("-occurred_at")[:missed])[::-1]

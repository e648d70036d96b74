"""The two yardsticks the benchmark measures beside the real pages.

- `bare`: "ok" through the whole middleware stack: the ceiling of the server and the framework.
- `static_list`: the real case list template (cases/list.html in base.html, the same filter form,
  50 rows, the same pagination) rendered from objects built in memory, with no database query:
  what the case list could reach if its queries cost nothing.

Both are requested without a session cookie, so no middleware reads the session or the user
from the database; the list view then puts an in-memory user (Ana, caseworker at Milan) on the
request so that the navigation, the header and the footer render as for a signed-in user.
`self_check()` proves that neither makes a single query.
"""

import datetime
import os
import random
import zoneinfo
from types import SimpleNamespace

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from retorno.accounts.models import Membership, Organisation, User
from retorno.cases.forms import CaseFilterForm
from retorno.cases.models import Assignment, Case, Person, Phase
from retorno.cases.views import lists
from retorno.demo.foundation import ORGANISATIONS

# How many cases the yardstick's pagination pretends to have: load.py sets it to the number of
# cases the benchmark user sees, so the page-number links are the same as on the real list.
TOTAL = int(os.environ.get("BENCH_YARDSTICK_TOTAL", "17000"))
ROWS = 50

NAMES = [
    ("María José", "González", "Quispe"),
    ("João", "Gonçalves", "Araújo"),
    ("Lucía", "Fernández", ""),
    ("Óscar", "Núñez", "Mamani"),
    ("Ana Paula", "Silva", "Conceição"),
    ("Julián", "Ríos", "Peña"),
]


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


class _Rows:
    """A sequence of TOTAL cases whose every slice is the same 50 in-memory rows."""

    def __init__(self, rows, total):
        self.rows, self.total = rows, total

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        return self.rows


def _user_and_desk():
    desk = Organisation(
        pk=1,
        code="MIL",
        name="Milan desk",
        kind=Organisation.Kind.EUROPEAN_DESK,
        country="IT",
        city="Milano",
        time_zone="Europe/Rome",
        help_email="help.mil@retorno.example",
    )
    user = User(pk=1, username="ana.milano", first_name="Ana", last_name="Rossi", is_active=True)
    user.membership = Membership(pk=1, user=user, organisation=desk, role="caseworker")
    user.all_memberships = [user.membership]
    return user, desk


def _rows(user, desk):
    rng = random.Random(1)  # noqa: S311 (fake rows)
    other = Organisation(pk=2, code="LIM", name="Lima national desk", kind="national_desk")
    colleague = User(pk=2, username="bench.mil.1", first_name="Giulia", last_name="Bianchi")
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for i in range(ROWS):
        given, first, second = NAMES[i % len(NAMES)]
        person = Person(
            pk=i + 1,
            given_names=given,
            first_surname=first,
            second_surname=second,
            return_country=rng.choice(["PE", "BO", "CO", "EC", "BR"]),
        )
        owned = i % 5 != 4
        case = Case(
            pk=i + 1,
            reference=f"MIL-2026-{9000 - i:04d}",
            person=person,
            owning_desk=desk if owned else other,
            phase=rng.choice(Phase.values),
            priority="high" if i % 9 == 0 else "normal",
            sensitive=i % 20 == 7,
            updated_at=now - datetime.timedelta(hours=i * 3),
        )
        case.next_due = today + datetime.timedelta(days=rng.randint(-5, 20)) if i % 3 else None
        case.children_returning = i % 4 if i % 7 == 0 else None
        case.owned_here = owned
        case.phase_rank = Phase.values.index(case.phase)
        assigned = Assignment.objects.all()
        assigned._result_cache = [Assignment(case=case, user=user if i % 2 else colleague)]
        assigned._prefetch_done = True
        case._prefetched_objects_cache = {"assignments": assigned}
        rows.append(case)
    return rows


# In-memory choices for the filter form's database-backed fields, as many as the benchmark's
# database has (eleven desks, one programme and two cycles, the desk's six caseworkers).
FAKE_CHOICES = {
    "caseworker": [(f"u{n}", f"Caseworker {n}") for n in range(6)],
    "desk": [(code, name) for code, name, kind, *_rest in ORGANISATIONS if kind.endswith("desk")],
    "programme": [("p1", "Retorno sostenibile")],
    "cycle": [("c2", "RETORNO · 2026"), ("c1", "RETORNO · 2025")],
}


def _form_without_queries():
    """The real filter form, its model choice fields swapped for the same choices in memory."""
    import time

    from retorno.cases.forms import _FILTER_CHOICES

    # The form reads its desk, staff, programme and cycle choices once a minute per process
    # (retorno.cases.forms.filter_choices): here they are always already read.
    # Desks are read as objects, named in the reader's language (local_name).
    read = {k: list(v) for k, v in FAKE_CHOICES.items()}
    read["desk"] = [SimpleNamespace(pk=pk, local_name=name) for pk, name in FAKE_CHOICES["desk"]]
    _FILTER_CHOICES[None] = (time.monotonic(), read)
    form = CaseFilterForm(None)
    for name, f in list(form.fields.items()):
        if not isinstance(f, forms.ModelChoiceField):
            continue
        choices = FAKE_CHOICES.get(name, [(f"x{n}", f"Choice {n}") for n in range(5)])
        widget = type(f.widget)()
        if isinstance(f, forms.ModelMultipleChoiceField):
            form.fields[name] = forms.MultipleChoiceField(
                label=f.label, required=False, choices=choices, widget=widget
            )
        else:
            choices = [("", f.empty_label), *choices] if f.empty_label is not None else choices
            form.fields[name] = forms.ChoiceField(
                label=f.label, required=False, choices=choices, widget=widget
            )
    return form


def static_list(request):
    """What lists.case_list renders for the first page, from memory."""
    user, desk = _user_and_desk()
    request.user = user
    timezone.activate(zoneinfo.ZoneInfo(desk.time_zone))
    form = _form_without_queries()
    page = Paginator(_Rows(_rows(user, desk), TOTAL), 50).get_page(request.GET.get("page"))
    lists._prepare_rows(page.object_list)
    sort = "-updated"
    context = {
        "page": page,
        "filter_form": form,
        "search_text": "",
        "applied": [],
        "sort": sort,
        "sort_links": lists._sort_links(request, sort),
        "today": timezone.localdate(),
        "has_errors": False,
        "is_htmx": False,
        "case_url_prefix": "/cases/",
    }
    response = render(request, "cases/list.html", context)
    response["Vary"] = "HX-Request"
    return response


def self_check() -> dict:
    """Both yardsticks through the full middleware stack: status 200, 50 rows, 0 queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    result = {}
    for name, path in (("bare", "/bench/bare/"), ("static-list", "/bench/static-list/")):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        body = response.content.decode()
        assert response.status_code == 200, (path, response.status_code)
        assert len(queries) == 0, (path, [q["sql"] for q in queries])
        if name == "static-list":
            assert body.count('<td data-label="') == ROWS * 8, "expected 50 rows of 8 cells"
        result[name] = {"queries": len(queries), "bytes": len(response.content)}
    return result

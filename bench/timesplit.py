"""Where the time of a page goes: queries, building rows, template rendering, the rest.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python bench/timesplit.py

Runs each page in this process (Django's test client, the full middleware stack, DEBUG off)
signed in as ana.milano (the grants list, the budget page and the desk monitoring page as
mateo.lima, a coordinator of the Lima desk; a page that answers 404, or whose URL name does not
exist yet, is left out with a note), REPEAT times after a warm-up,
and splits each request's wall time, exclusively, into:

- db: executing SQL and fetching its rows (SQLCompiler.execute_sql, less compiling);
- compile: turning querysets into SQL (SQLCompiler.as_sql);
- rows: building model instances and prefetching (QuerySet._fetch_all, less the two above);
- template: rendering (the template backend's render, less any query it triggers);
- other: middleware, sessions, the view's own Python.

Then it lists the slowest queries of each page with their query plan (EXPLAIN QUERY PLAN on
SQLite, EXPLAIN ANALYZE on PostgreSQL) and, with --cprofile, the functions that cost most.
Output goes to stdout and to var/bench-profile-<vendor>.txt.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import gc
import io
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.benchsite.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "RETORNO_MFA_REQUIRED_ROLES": "",
    "LOG_LEVEL": "WARNING",
}


class Split:
    """Exclusive wall time per category, with a stack for nesting."""

    def __init__(self):
        self.totals: dict[str, float] = defaultdict(float)
        self.stack = ["other"]
        self.last = time.perf_counter()
        self.queries: list[tuple[float, str, tuple]] = []

    def reset(self):
        self.totals.clear()
        self.stack = ["other"]
        self.last = time.perf_counter()
        self.queries = []

    def push(self, category: str) -> None:
        now = time.perf_counter()
        self.totals[self.stack[-1]] += now - self.last
        self.stack.append(category)
        self.last = now

    def pop(self) -> None:
        now = time.perf_counter()
        self.totals[self.stack.pop()] += now - self.last
        self.last = now


SPLIT = Split()


class GcTime:
    """Time spent in the garbage collector (inside the other categories, not beside them)."""

    def __init__(self):
        self.total = 0.0
        self.collections = 0
        self.started = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self.started
            self.collections += 1


GC = GcTime()


def instrument() -> None:
    from django.db.models import query
    from django.db.models.sql import compiler
    from django.template.backends import django as django_backend

    def wrap(owner, name, category, record_sql=False):
        original = owner.__dict__[name]

        @functools.wraps(original)
        def wrapper(self, *args, **kwargs):
            SPLIT.push(category)
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                if record_sql:
                    with contextlib.suppress(Exception):
                        SPLIT.push("overhead")
                        try:
                            sql, params = self.as_sql()
                        finally:
                            SPLIT.pop()
                        SPLIT.queries.append((time.perf_counter() - started, sql, params))
                SPLIT.pop()

        setattr(owner, name, wrapper)

    for cls in (
        compiler.SQLCompiler,
        compiler.SQLInsertCompiler,
        compiler.SQLUpdateCompiler,
        compiler.SQLDeleteCompiler,
    ):
        if "execute_sql" in cls.__dict__:
            wrap(cls, "execute_sql", "db", record_sql=cls is compiler.SQLCompiler)
    for cls in (
        compiler.SQLCompiler,
        compiler.SQLInsertCompiler,
        compiler.SQLUpdateCompiler,
        compiler.SQLDeleteCompiler,
        compiler.SQLAggregateCompiler,
    ):
        if "as_sql" in cls.__dict__:
            wrap(cls, "as_sql", "compile")
    wrap(query.QuerySet, "_fetch_all", "rows")
    wrap(django_backend.Template, "render", "template")


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(r[0] for r in rows)
    return "\n".join(f"{'  ' * (r[1] and 1)}{r[-1]}" for r in rows)


def monitoring_desk_path(desk) -> str:
    """The desk's monitoring page (monitoring:desk answers with a redirect to it)."""
    from django.urls import reverse

    return reverse("monitoring:desk_of", args=[desk.public_id])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", help="comma-separated page keys")
    parser.add_argument("--cprofile", action="store_true", help="also list the costliest calls")
    parser.add_argument("--explain", type=int, default=3, help="slowest queries to EXPLAIN")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the benchmark database")
    os.environ.update(ENV)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from retorno.accounts.middleware import active_memberships
    from retorno.accounts.models import Organisation, User
    from retorno.cases import access, matching
    from retorno.cases.models import IdentityDocument

    call_command("migrate", interactive=False, verbosity=0)  # the code measured may need one
    user = User.objects.get(username="ana.milano")
    user.membership = active_memberships(user)[0]
    full = access.cases_visible_to(user)
    rng = random.Random(5)  # noqa: S311
    case_ids = list(full.order_by("?").values_list("public_id", flat=True)[: args.repeat + 5])
    person = full.filter(sensitive=False).select_related("person").order_by("?").first().person
    name_text = f"{matching.normalise_text(person.given_names.split()[0])} {person.first_surname}"
    document = IdentityDocument.objects.filter(person__cases__in=full).order_by("?").first()

    client = Client(HTTP_HOST="127.0.0.1")
    client.login(username="ana.milano", password="retorno-demo")
    grants_client = Client(HTTP_HOST="127.0.0.1")
    grants_client.login(username="mateo.lima", password="retorno-demo")
    lima = Organisation.objects.get(code="LIM")

    def searched(text):
        response = client.post("/cases/", {"q": text})
        return response["Location"]

    pages = {
        "static-list": ["/bench/static-list/"],
        "case-list": ["/cases/"],
        "search-name": [searched(name_text)],
        "search-document": [searched(document.number)],
        "case-page": [f"/cases/{pk}/" for pk in case_ids],
        "my-work": ["/"],
        "api-list": ["/api/v1/cases/?page_size=50"],
        "grants-list": ["/grants/"],
        "budget-page": [f"/grants/budget/{lima.public_id}/"],
        "monitoring-page": [monitoring_desk_path(lima)],
    }
    token = None
    only = set(args.only.split(",")) if args.only else set(pages)
    instrument()
    gc.callbacks.append(GC)
    lines = [
        f"{connection.vendor}: {connection.settings_dict['NAME']} · repeat {args.repeat}",
        f"search by name: {name_text!r}; by document: {document.number!r}",
        "",
    ]
    header = (
        f"{'page':<16} {'ms/req':>7} {'queries':>7} {'db':>6} {'compile':>7} {'rows':>6} "
        f"{'template':>8} {'other':>6} {'(gc)':>6}"
    )
    table = [header, "-" * len(header)]
    details = []
    for key, paths in pages.items():
        if key not in only:
            continue
        headers = {}
        if key == "api-list":
            if token is None:
                out = io.StringIO()
                call_command("issue_token", "ana.milano", "--name", "profile", stdout=out)
                token = out.getvalue().strip()
            headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
            get = functools.partial(Client(HTTP_HOST="127.0.0.1").get, **headers)
        elif key == "static-list":
            get = Client(HTTP_HOST="127.0.0.1").get
        elif key in ("grants-list", "budget-page", "monitoring-page"):
            get = grants_client.get
        else:
            get = client.get
        for path in paths[:3]:  # warm-up: templates compiled, caches filled
            assert get(path).status_code == 200, (key, path)
        order = [paths[i % len(paths)] for i in range(args.repeat)]
        rng.shuffle(order)
        SPLIT.reset()
        GC.total = 0.0
        queries_total = 0
        profiler = cProfile.Profile() if args.cprofile else None
        started = time.perf_counter()
        for path in order:
            with CaptureQueriesContext(connection) as captured:
                if profiler:
                    profiler.enable()
                response = get(path)
                if profiler:
                    profiler.disable()
            assert response.status_code == 200, (key, path, response.status_code)
            queries_total += len(captured)
        SPLIT.push("other")
        SPLIT.pop()
        t = {k: v / args.repeat * 1000 for k, v in SPLIT.totals.items()}
        # The profiler's own work (compiling each query again to record it) is not the page's.
        wall = (time.perf_counter() - started) / args.repeat * 1000 - t.get("overhead", 0)
        table.append(
            f"{key:<16} {wall:7.1f} {queries_total / args.repeat:7.1f} {t.get('db', 0):6.1f} "
            f"{t.get('compile', 0):7.1f} {t.get('rows', 0):6.1f} {t.get('template', 0):8.1f} "
            f"{t.get('other', 0):6.1f} {GC.total / args.repeat * 1000:6.1f}"
        )
        # The slowest queries of the page (per request), with their plans.
        by_sql: dict[str, list] = {}
        for elapsed, sql, params in SPLIT.queries:
            entry = by_sql.setdefault(sql, [0.0, 0, params])
            entry[0] += elapsed
            entry[1] += 1
        slowest = sorted(by_sql.items(), key=lambda kv: -kv[1][0])[: args.explain]
        details.append(f"== {key} ({paths[0] if len(paths) == 1 else paths[0] + ' …'})")
        for sql, (elapsed, count, params) in slowest:
            per_request = elapsed / args.repeat * 1000
            details.append(
                f"-- {per_request:.2f} ms a request, run {count / args.repeat:g}× a request:"
            )
            details.append(sql[:1500] + (" …" if len(sql) > 1500 else ""))
            try:
                details.append("plan:\n" + explain(sql, params))
            except Exception as error:
                details.append(f"plan: not available ({error})")
            details.append("")
        if profiler:
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(
                int(os.environ.get("BENCH_TOP", "25"))
            )
            details.append(buffer.getvalue())
    legend = (
        "(ms a request; db + compile + rows + template + other = ms/req; gc is the garbage\n"
        "collector's share of them)"
    )
    text = "\n".join([*lines, *table, "", legend])
    text += "\n\n" + "\n".join(details)
    print(text)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / f"bench-profile-{connection.vendor}.txt").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

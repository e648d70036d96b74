"""Measure Retorno under concurrent load, served by gunicorn with DEBUG off.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python bench/load.py

Starts gunicorn on 127.0.0.1 with bench.benchsite (Retorno plus two yardsticks), signs in USERS
sessions as ana.milano (and USERS as mateo.lima, a coordinator of the Lima desk, for the grants
list and the budget page; a row whose page answers 404 is left out with a note), and for each
endpoint lets USERS clients (one process each, a small raw
HTTP/1.1 client) send requests back to back for WARMUP + DURATION seconds. Reports requests per
second, p50 / p95 / p99 latency and errors for the requests completed after the warm-up, checks
the targets of the issue against the yardstick page, and writes the table into bench/README.md
between the markers of the database (sqlite or postgresql). Raw figures go to var/bench-*.json.

The load generator runs on the same 2 cores as the server, as a person's browser would not: its
share is small (no parsing beyond the status line and Content-Length) and the same for every row.
"""

from __future__ import annotations

import argparse
import array
import datetime
import http.cookies
import io
import json
import multiprocessing
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
USERNAME = "ana.milano"
PASSWORD = "retorno-demo"
# The grants list and the budget page are measured as a coordinator of a national desk: he sees
# every grant of his desk's cases and may read its budget (grants.rules.may_read_budget).
GRANTS_USERNAME = "mateo.lima"
GRANTS_PATH = "/grants/"
BUDGET_PATH = "/grants/budget/{desk}/"
# The desk monitoring page, as the same coordinator (monitoring.rules.may_read_desk_monitoring):
# reversed at run time, left out with a note when this version has no such page.
MONITORING_URL_NAME = "monitoring:desk_of"

# The list API: the first of these that the URLconf knows is measured. /api/v1/cases/ is the real
# one; organisations stand in while it does not exist.
API_LIST_CANDIDATES = ["/api/v1/cases/?page_size=50", "/api/v1/organisations/?page_size=50"]

# What the issue asks of each page, against the yardstick page's throughput, at p95 < 100 ms.
TARGETS = {
    "case-list": 0.5,
    "my-work": 0.5,
    "case-page": 0.5,
    "search-name": 0.25,
    "grants-list": 0.5,
    "budget-page": 0.5,
    "monitoring-page": 0.5,
}
P95_LIMIT_MS = 100.0

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.benchsite.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    # Two-factor setup would block the sign-in of roles that require it; the caseworker does not
    # need it, but the benchmark must not depend on that.
    "RETORNO_MFA_REQUIRED_ROLES": "",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Endpoint:
    key: str
    label: str
    paths: list[str] = field(default_factory=list)
    auth: str | None = None  # None (no cookie), "session", "grants-session" or "token"
    note: str = ""


# --------------------------------------------------------------------------------------------
# A minimal HTTP/1.1 client: enough for gunicorn, cheap enough not to be what is measured
# --------------------------------------------------------------------------------------------


class Http:
    def __init__(self, port: int):
        self.port = port
        self.sock: socket.socket | None = None

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b""):
        """(status, headers as a list of (lower name, value), body)."""
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.sock.sendall(data)
                return self._read()
            except (ConnectionError, BrokenPipeError):
                # A kept-alive connection the server closed in between: once more, afresh.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _read(self):
        sock = self.sock
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before the headers")
            buf += chunk
        head, _sep, rest = buf.partition(b"\r\n\r\n")
        header_lines = head.decode("latin-1").split("\r\n")
        status = int(header_lines[0].split(" ", 2)[1])
        headers = []
        length = None
        close = False
        for line in header_lines[1:]:
            name, _c, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            headers.append((name, value))
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.lower() == "close":
                close = True
        body = rest
        if length is not None:
            while len(body) < length:
                chunk = sock.recv(max(65536, length - len(body)))
                if not chunk:
                    raise ConnectionError("closed in the body")
                body += chunk
        else:
            while chunk := sock.recv(65536):
                body += chunk
            close = True
        if close:
            self.close()
        return status, headers, body


class Session:
    """Cookies of one signed-in browser."""

    def __init__(self, port: int):
        self.http = Http(port)
        self.cookies: dict[str, str] = {}

    def _headers(self, extra=None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _remember(self, headers) -> None:
        for name, value in headers:
            if name == "set-cookie":
                jar = http.cookies.SimpleCookie()
                jar.load(value)
                for key, morsel in jar.items():
                    if morsel.value:
                        self.cookies[key] = morsel.value
                    else:
                        self.cookies.pop(key, None)

    def get(self, path):
        status, headers, body = self.http.request("GET", path, self._headers())
        self._remember(headers)
        return status, headers, body

    def post(self, path, fields: dict[str, str]):
        body = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        ).encode()
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        status, resp_headers, resp_body = self.http.request("POST", path, headers, body)
        self._remember(resp_headers)
        return status, resp_headers, resp_body

    def sign_in(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        status, _headers, _body = self.post(
            "/accounts/login/", {"login": username, "password": password}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in as {username} failed: HTTP {status}")

    def search(self, text: str) -> str:
        """POST the search form; the answer redirects to ?search=<opaque token>."""
        status, headers, _body = self.post("/cases/", {"q": text})
        location = dict(headers).get("location", "")
        if status != 302 or "search=" not in location:
            raise RuntimeError(f"search POST answered {status} {location!r}")
        return location


# --------------------------------------------------------------------------------------------
# Load
# --------------------------------------------------------------------------------------------


def _client(port, paths, headers, warm_until, stop_at, seed, conn):
    """One user: requests back to back until stop_at; records what completes after warm-up."""
    http = Http(port)
    rng = random.Random(seed)  # noqa: S311 (order of the case pages)
    order = list(paths)
    rng.shuffle(order)
    latencies = array.array("d")
    errors, sizes, statuses = 0, 0, {}
    i = 0
    while True:
        started = time.time()
        if started >= stop_at:
            break
        path = order[i % len(order)]
        i += 1
        t0 = time.perf_counter()
        try:
            status, _headers, body = http.request("GET", path, headers)
        except OSError:
            status, body = 0, b""
            http.close()
        elapsed = time.perf_counter() - t0
        finished = time.time()
        if started < warm_until or finished > stop_at:
            continue
        latencies.append(elapsed)
        statuses[status] = statuses.get(status, 0) + 1
        if status != 200:
            errors += 1
        sizes += len(body)
    http.close()
    conn.send((latencies.tobytes(), errors, sizes, statuses))
    conn.close()


def run_round(port, endpoint: Endpoint, user_headers, *, users, warmup, duration) -> dict:
    """USERS clients on one endpoint for WARMUP + DURATION seconds; the raw measurements."""
    ctx = multiprocessing.get_context("fork")
    start = time.time() + 0.3
    warm_until, stop_at = start + warmup, start + warmup + duration
    procs, pipes = [], []
    for n in range(users):
        parent, child = ctx.Pipe(duplex=False)
        paths = endpoint.paths[n] if isinstance(endpoint.paths[0], list) else endpoint.paths
        proc = ctx.Process(
            target=_client,
            args=(port, paths, user_headers[n], warm_until, stop_at, n, child),
        )
        proc.start()
        procs.append(proc)
        pipes.append(parent)
    raw = {"latencies": [], "errors": 0, "bytes": 0, "statuses": {}, "seconds": duration}
    for parent, proc in zip(pipes, procs, strict=True):
        data, errors, size, statuses = parent.recv()
        proc.join()
        values = array.array("d")
        values.frombytes(data)
        raw["latencies"].extend(values)
        raw["errors"] += errors
        raw["bytes"] += size
        for k, v in statuses.items():
            raw["statuses"][k] = raw["statuses"].get(k, 0) + v
    return raw


def summarise(endpoint: Endpoint, rounds: list[dict]) -> dict:
    latencies = sorted(x for r in rounds for x in r["latencies"])
    count = len(latencies)
    seconds = sum(r["seconds"] for r in rounds)
    statuses: dict[str, int] = {}
    for r in rounds:
        for k, v in r["statuses"].items():
            statuses[str(k)] = statuses.get(str(k), 0) + v

    def pct(p):
        if not latencies:
            return float("nan")
        return latencies[min(count - 1, round(p / 100 * count + 0.5) - 1)] * 1000

    return {
        "key": endpoint.key,
        "label": endpoint.label,
        "path": endpoint.note or (endpoint.paths[0] if isinstance(endpoint.paths[0], str) else ""),
        "requests": count,
        "rps": count / seconds,
        "rps_by_round": [len(r["latencies"]) / r["seconds"] for r in rounds],
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "errors": sum(r["errors"] for r in rounds),
        "statuses": statuses,
        "kb": (sum(r["bytes"] for r in rounds) / count / 1024) if count else 0,
    }


# --------------------------------------------------------------------------------------------
# Preparation (in this process, with Django, before the server starts)
# --------------------------------------------------------------------------------------------


def prepare(out) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.urls import Resolver404, resolve

    from bench.benchsite.views import self_check
    from retorno.accounts.middleware import active_memberships
    from retorno.accounts.models import User
    from retorno.cases import access, matching, queries
    from retorno.cases.models import Case, IdentityDocument
    from retorno.grants.access import grants_visible_to
    from retorno.grants.models import Instalment
    from retorno.monitoring.models import CaseMonitoring

    total_cases = Case.objects.count()
    if total_cases == 0:
        raise SystemExit("no cases: run bench/fill.py first")
    # The code measured may have new migrations (an index, say) since the fill: migrate, then
    # give the planner its statistics for what they created (as a deployment's ANALYZE would).
    plan = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    call_command("migrate", interactive=False, verbosity=0)
    if plan:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    user = User.objects.get(username=USERNAME)
    user.membership = active_memberships(user)[0]
    visible = access.case_summaries_visible_to(user)
    visible_count = visible.count()
    full = access.cases_visible_to(user)
    listed_count = full.count()  # what the list shows unless handed-over cases are asked for
    rng = random.Random(11)  # noqa: S311
    ids = list(full.order_by("?").values_list("public_id", flat=True)[:400])
    case_paths = [f"/cases/{pk}/" for pk in ids]
    # Someone the caseworker looks for: a returnee of one of her desk's cases, by given name and
    # surname, typed with other accents and case; a document number typed with other separators.
    person = (
        full.filter(sensitive=False, person__second_surname__gt="")
        .select_related("person")
        .order_by("?")
        .first()
        .person
    )
    given = person.given_names.split()[0]
    name_text = f"{matching.normalise_text(given)} {person.first_surname.upper()}"
    name_hits = queries.search_cases(visible, name_text).count()
    document = (
        IdentityDocument.objects.filter(person__cases__in=full.filter(sensitive=False))
        .exclude(type="passport")
        .order_by("?")
        .first()
    )
    compact = document.number_compact
    doc_text = " ".join(compact[i : i + 3] for i in range(0, len(compact), 3)).lower()
    doc_hits = queries.search_cases(visible, doc_text).count()
    # Does finding the persons by name use an index? (The issue: never a table scan.) The
    # app's own name lookup is explained; on SQLite an FTS5 trigram lookup shows as a SCAN of
    # the virtual table *through its index* ("VIRTUAL TABLE INDEX"), which is not a scan.
    plan = queries.name_search(name_text).order_by().values("pk").explain()
    scan = re.search(r"\bSCAN (?!\S+ VIRTUAL TABLE INDEX)|Seq Scan", plan)
    name_plan = "table scan" if scan else "index"
    api_path = None
    for candidate in API_LIST_CANDIDATES:
        try:
            resolve(candidate.split("?")[0])
        except Resolver404:
            continue
        api_path = candidate
        break
    token_out = io.StringIO()
    call_command("issue_token", USERNAME, "--name", "bench", stdout=token_out)
    token = token_out.getvalue().strip()
    checks = self_check()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("select sqlite_version()")
            db_version = "SQLite " + cursor.fetchone()[0]
    else:
        with connection.cursor() as cursor:
            cursor.execute("show server_version")
            db_version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    grants_user = User.objects.get(username=GRANTS_USERNAME)
    grants_user.membership = active_memberships(grants_user)[0]
    grants_desk = grants_user.membership.organisation
    counts = {
        "grants": _count("grants_grant"),
        "payments": Instalment.objects.filter(paid_on__isnull=False).count(),
        "grants_listed": grants_visible_to(grants_user).count(),
        "grants_desk": grants_desk.code,
        "follow_ups": _count("monitoring_followup"),
        "surveys": _count("monitoring_survey"),
        "at_risk": CaseMonitoring.objects.filter(at_risk=True).count(),
        "cases": total_cases,
        "visible": visible_count,
        "listed": listed_count,
        "journal": _count("cases_journalentry"),
        "persons": _count("cases_person"),
        "tasks": _count("cases_task"),
    }
    rng.shuffle(case_paths)
    connection.close()
    out(
        f"{db_version}: {total_cases:,} cases, {visible_count:,} visible to {USERNAME}; "
        f"yardsticks: {checks}"
    )
    return {
        "vendor": connection.vendor,
        "db_version": db_version,
        "counts": counts,
        "case_paths": case_paths,
        "name_text": name_text,
        "name_hits": name_hits,
        "doc_text": doc_text,
        "doc_hits": doc_hits,
        "name_plan": name_plan,
        "name_plan_text": plan,
        "api_path": api_path,
        "budget_path": BUDGET_PATH.format(desk=grants_desk.public_id),
        "grants_desk_id": str(grants_desk.public_id),
        "monitoring_path": monitoring_desk_path(grants_desk),
        "token": token,
        "yardstick": checks,
    }


def monitoring_desk_path(desk) -> str | None:
    """The desk's monitoring page (monitoring:desk answers with a redirect to it)."""
    from django.urls import reverse

    return reverse(MONITORING_URL_NAME, args=[desk.public_id])


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own table names)
        return cursor.fetchone()[0]


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------


def start_server(port: int, args, env) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "bench.benchsite.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own command)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _h, _b = Http(port).request("GET", "/bench/bare/", {})
            if status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def cpu_idle(seconds: float = 1.5) -> float:
    """Share of the machine's CPU time that was idle over the next few seconds."""

    def sample():
        with open("/proc/stat") as f:
            values = [int(x) for x in f.readline().split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total

    idle0, total0 = sample()
    time.sleep(seconds)
    idle1, total1 = sample()
    return (idle1 - idle0) / max(1, total1 - total0)


def wait_until_quiet(out, *, idle: float, patience: float) -> float:
    """The machine is shared: wait (at most PATIENCE s) until others leave IDLE of it free.
    Returns the idle share seen last, which the report keeps."""
    deadline = time.time() + patience
    seen = cpu_idle()
    while seen < idle and time.time() < deadline:
        out(f"  machine busy ({100 * (1 - seen):.0f} % CPU used by others), waiting")
        time.sleep(5)
        seen = cpu_idle()
    return seen


def command_line(args) -> str:
    return "gunicorn bench.benchsite.wsgi:application --workers {} --worker-class {}{}".format(
        args.workers,
        args.worker_class,
        f" --threads {args.threads}" if args.worker_class == "gthread" else "",
    )


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    import django
    import gunicorn

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "kernel": platform.release(),
        "load_before": os.getloadavg(),
    }


def ratio_and_verdict(row, yard_rps, name_plan=""):
    """The issue's targets: list, My work and case page at half the yardstick page's
    throughput with p95 under 100 ms; search by name at a quarter, through an index."""
    ratio = row["rps"] / yard_rps if yard_rps else float("nan")
    target = TARGETS.get(row["key"])
    if target is None:
        return ratio, ""
    ok = ratio >= target and row["errors"] == 0
    if row["key"] == "search-name":
        ok = ok and name_plan == "index"
        wanted = f"≥ {target:g}× and an index; here: {name_plan or '?'}"
    else:
        ok = ok and row["p95"] < P95_LIMIT_MS
        wanted = f"≥ {target:g}×, p95 < {P95_LIMIT_MS:.0f} ms"
    return ratio, f"{'yes' if ok else '**no**'} ({wanted})"


def markdown(report) -> str:
    m, prep = report["machine"], report["prep"]
    rows = report["results"]
    yard = next((r for r in rows if r["key"] == "static-list"), None)
    yard_rps = yard["rps"] if yard else 0
    lines = [
        f"Run on {report['date']} · {prep['db_version']} · {m['nproc']} cores ({m['cpu']}), "
        f"{m['ram_gib']} GiB RAM · Python {m['python']}, Django {m['django']}, "
        f"gunicorn {m['gunicorn']} · load average before the run "
        f"{' / '.join(f'{x:.2f}' for x in m['load_before'])}",
        "",
        f"Data: {prep['counts']['cases']:,} cases, {prep['counts']['persons']:,} persons, "
        f"{prep['counts']['journal']:,} journal entries, {prep['counts']['tasks']:,} tasks; "
        f"the case list shows {USERNAME} the {prep['counts']['listed']:,} cases of her desk she "
        f"may open ({prep['counts']['visible']:,} with the summaries of cases handed over). "
        f"{grants_data(prep['counts'])}"
        f"{monitoring_data(prep['counts'])}"
        f"Server: `{report['server']}`, DEBUG off. Load: {report['users']} users, "
        f"{report['duration']:g} s measured per row, in {report['rounds']} rounds taken in "
        f"turn (each after {report['warmup']:g} s of warm-up). Load average after the run "
        f"{' / '.join(f'{x:.2f}' for x in report['load_after'])}.",
        "",
        "| What | Request | req/s | p50 ms | p95 ms | p99 ms | errors | KB | × yardstick page "
        "| Target met |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        ratio, verdict = ratio_and_verdict(row, yard_rps, prep.get("name_plan", ""))
        lines.append(
            f"| {row['label']} | `{row['path']}` | {row['rps']:,.0f} | {row['p50']:.1f} | "
            f"{row['p95']:.1f} | {row['p99']:.1f} | {row['errors']} | {row['kb']:.1f} | "
            f"{ratio:.2f} | {verdict} |"
        )
    if report.get("idle_before_rounds") is not None:
        lines += [
            "",
            "Least idle CPU seen just before a round (other work on the machine): "
            f"{100 * report['idle_before_rounds']:.0f} %.",
        ]
    if report.get("command"):
        lines += ["", f"Command: `{report['command']}`"]
    lines += [
        "",
        f"Search by name typed `{prep['name_text']}` ({prep['name_hits']} cases found; persons "
        f"found by name through: {prep.get('name_plan', '?')}); by "
        f"document number typed `{prep['doc_text']}` ({prep['doc_hits']} found). The case page "
        f"rotates over {len(prep['case_paths'])} cases of the desk.",
    ]
    for key, note in report.get("skipped", {}).items():
        lines.append(f"Not measured: {key}, {note}.")
    if prep["api_path"] and "organisations" in prep["api_path"]:
        lines.append(
            "The cases list API does not exist yet: the List API row measures "
            "`/api/v1/organisations/` as a stand-in (token authentication, same pagination)."
        )
    return "\n".join(lines) + "\n"


def grants_data(counts) -> str:
    if not counts.get("grants"):
        return ""
    return (
        f"Grants: {counts['grants']:,}, with {counts['payments']:,} instalments paid; the grants "
        f"list shows {GRANTS_USERNAME} the {counts['grants_listed']:,} grants of his desk "
        f"({counts['grants_desk']}); the budget page is that desk's. "
    )


def monitoring_data(counts) -> str:
    if not counts.get("follow_ups"):
        return ""
    return (
        f"Monitoring: {counts['follow_ups']:,} follow-ups, {counts['surveys']:,} surveys, "
        f"{counts['at_risk']:,} cases at risk; the monitoring page is that desk's, as "
        f"{GRANTS_USERNAME}. "
    )


def write_readme(label: str, text: str) -> None:
    start, end = f"<!-- results:{label} -->", f"<!-- /results:{label} -->"
    block = f"{start}\n{text}{end}"
    content = README.read_text() if README.exists() else "# Benchmark\n"
    if start in content and end in content:
        before, rest = content.split(start, 1)
        _old, after = rest.split(end, 1)
        content = before + block + after
    else:
        content = content.rstrip("\n") + f"\n\n### Results: {label}\n\n{block}\n"
    README.write_text(content)


# --------------------------------------------------------------------------------------------


def grants_sessions(args, prep, out):
    """USERS sessions of the grants user, and the grant rows to skip: a page that answers 404
    does not exist in this version of the code (the grants pages came after the grants core)."""
    sessions = []
    for _n in range(args.users):
        session = Session(args.port)
        session.sign_in(GRANTS_USERNAME, PASSWORD)
        sessions.append(session)
    skipped = {}
    if prep["monitoring_path"] is None:
        skipped["monitoring-page"] = (
            f"the URL `{MONITORING_URL_NAME}` does not exist in this version"
        )
        out(f"skipping monitoring-page: no URL named {MONITORING_URL_NAME} in this version")
    pages = [("grants-list", GRANTS_PATH), ("budget-page", prep["budget_path"])]
    if prep["monitoring_path"] is not None:
        pages.append(("monitoring-page", prep["monitoring_path"]))
    for key, path in pages:
        status, _headers, _body = sessions[0].get(path)
        if status == 404:
            skipped[key] = f"`{path}` answers 404 (no such page in this version)"
            out(f"skipping {key}: {path} answers 404 (no such page in this version)")
        elif status != 200:
            out(f"warning: {key}: {path} answers {status} to {GRANTS_USERNAME}")
    for s in sessions:
        s.http.close()
    headers = [{"Cookie": "; ".join(f"{k}={v}" for k, v in s.cookies.items())} for s in sessions]
    return headers, skipped


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--duration", type=float, default=24, help="seconds measured per row")
    parser.add_argument("--rounds", type=int, default=3, help="rounds the duration is split in")
    parser.add_argument("--warmup", type=float, default=2, help="seconds not measured, per round")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)  # gunicorn.conf.py
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="with --worker-class gthread")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.85,
        help="before each round, wait (5 min in all) until this share of CPU is idle; 0: never",
    )
    parser.add_argument("--only", help="comma-separated keys of the rows to run")
    parser.add_argument("--label", help="README section (default: the database vendor)")
    parser.add_argument("--no-readme", action="store_true", help="print, do not write README")
    args = parser.parse_args(argv)

    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the benchmark database (make bench does)")
    for key, value in SERVER_ENV.items():
        os.environ[key] = value

    def out(message):
        print(message, flush=True)

    sys.path.insert(0, str(ROOT))
    prep = prepare(out)
    os.environ["BENCH_YARDSTICK_TOTAL"] = str(prep["counts"]["listed"])
    info = machine()
    server = start_server(args.port, args, dict(os.environ))
    try:
        sessions = []
        for _n in range(args.users):
            session = Session(args.port)
            session.sign_in(USERNAME, PASSWORD)
            sessions.append(session)
        name_paths = [[s.search(prep["name_text"])] for s in sessions]
        doc_paths = [[s.search(prep["doc_text"])] for s in sessions]
        for s in sessions:
            s.http.close()
        cookie_headers = [
            {"Cookie": "; ".join(f"{k}={v}" for k, v in s.cookies.items())} for s in sessions
        ]
        grants_headers, skipped = grants_sessions(args, prep, out)
        endpoints = [
            Endpoint("bare", "Bare view (yardstick)", ["/bench/bare/"]),
            Endpoint("static-list", "List page, no query (yardstick)", ["/bench/static-list/"]),
            Endpoint("case-list", "Case list", ["/cases/"], "session"),
            Endpoint("search-name", "Search by name", name_paths, "session", "/cases/?search=…"),
            Endpoint(
                "search-document",
                "Search by document number",
                doc_paths,
                "session",
                "/cases/?search=…",
            ),
            Endpoint("case-page", "Case page", prep["case_paths"], "session", "/cases/<uuid>/"),
            Endpoint("my-work", "My work", ["/"], "session"),
            Endpoint("grants-list", "Grants list", [GRANTS_PATH], "grants-session"),
            Endpoint(
                "budget-page",
                "Budget page",
                [prep["budget_path"]],
                "grants-session",
                "/grants/budget/<desk uuid>/",
            ),
            Endpoint(
                "monitoring-page",
                "Monitoring page",
                [prep["monitoring_path"]] if prep["monitoring_path"] else [],
                "grants-session",
                (prep["monitoring_path"] or "").replace(str(prep["grants_desk_id"]), "<desk uuid>"),
            ),
        ]
        if prep["api_path"]:
            endpoints.append(Endpoint("api-list", "List API", [prep["api_path"]], "token"))
        only = set(args.only.split(",")) if args.only else None
        endpoints = [e for e in endpoints if (not only or e.key in only) and e.key not in skipped]
        # Every endpoint is measured in each of ROUNDS rounds, in turn, so that anything else
        # the machine does meanwhile weighs on the yardsticks and the pages alike.
        raw: dict[str, list] = {e.key: [] for e in endpoints}
        idle_seen: list[float] = []
        budget = 300.0  # seconds of waiting for a quiet machine, over the whole run
        for number in range(1, args.rounds + 1):
            for endpoint in endpoints:
                if args.quiet:
                    started_wait = time.time()
                    idle_seen.append(wait_until_quiet(out, idle=args.quiet, patience=budget))
                    budget = max(0.0, budget - (time.time() - started_wait))
                if endpoint.auth == "session":
                    headers = cookie_headers
                elif endpoint.auth == "grants-session":
                    headers = grants_headers
                elif endpoint.auth == "token":
                    headers = [{"Authorization": f"Token {prep['token']}"}] * args.users
                else:
                    headers = [{}] * args.users
                measured = run_round(
                    args.port,
                    endpoint,
                    headers,
                    users=args.users,
                    warmup=args.warmup,
                    duration=args.duration / args.rounds,
                )
                raw[endpoint.key].append(measured)
                rps = len(measured["latencies"]) / measured["seconds"]
                out(f"round {number}: {endpoint.label:<34} {rps:7.1f} req/s")
        results = []
        for endpoint in endpoints:
            row = summarise(endpoint, raw[endpoint.key])
            results.append(row)
            out(
                f"{row['label']:<34} {row['rps']:7.1f} req/s  p50 {row['p50']:6.1f}  "
                f"p95 {row['p95']:6.1f}  p99 {row['p99']:6.1f} ms  errors {row['errors']}  "
                f"{row['kb']:.1f} KB  {row['statuses']}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    label = args.label or prep["vendor"]
    database_url = re.sub(r"(//[^:@/]*):[^@/]*@", r"\1@", os.environ["DATABASE_URL"])
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": info,
        "prep": {k: v for k, v in prep.items() if k != "token"},
        "server": command_line(args),
        "command": "DATABASE_URL={} .venv/bin/python bench/load.py {}".format(
            database_url.replace(str(ROOT), "$PWD"),
            " ".join(argv if argv is not None else sys.argv[1:]),
        ).strip(),
        "users": args.users,
        "warmup": args.warmup,
        "duration": args.duration,
        "rounds": args.rounds,
        "idle_before_rounds": min(idle_seen) if idle_seen else None,
        "load_after": os.getloadavg(),
        "results": results,
        "skipped": skipped,
    }
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / f"bench-{label}.json").write_text(json.dumps(report, indent=2, default=str))
    text = markdown(report)
    print()
    print(text)
    if not args.no_readme and not only:
        write_readme(label, text)
        out(f"results written to {README.relative_to(ROOT)} (section {label})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

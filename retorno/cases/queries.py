"""Named reads of cases: the case list, "My work", counts. Each takes a visible queryset."""

import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from retorno.cases import access, matching
from retorno.cases.access import persons_visible_to, tasks_visible_to
from retorno.cases.models import (
    Assignment,
    Case,
    HouseholdMember,
    IdentityDocument,
    MatchKey,
    NotDuplicate,
    Person,
    Phase,
    Task,
)
from retorno.lib.text import normalise_text

SORTS = {
    "reference": ("reference",),
    "-reference": ("-reference",),
    "name": ("person__first_surname", "person__second_surname", "person__given_names"),
    "-name": ("-person__first_surname", "-person__second_surname", "-person__given_names"),
    "phase": ("phase_rank", "-updated_at"),
    "-phase": ("-phase_rank", "-updated_at"),
    "due": (F("next_due").asc(nulls_last=True), "-updated_at"),
    "-due": (F("next_due").desc(nulls_last=True), "-updated_at"),
    "updated": ("updated_at",),
    "-updated": ("-updated_at",),
}
DEFAULT_SORT = "-updated"


SEARCH_ID_LIMIT = 2000


def _has_fts(connection) -> bool:
    if connection.vendor != "sqlite":
        return False
    cached = getattr(connection, "_retorno_fts", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases_person_fts'"
            )
            cached = cursor.fetchone() is not None
        connection._retorno_fts = cached
    return cached


def matching_person_ids(text: str, *, limit: int) -> list[int] | None:
    """Ids of the persons a free-text search names: by the desk's own reference, a document
    number, or the name (accents, case and word order ignored). Each branch is its own index
    lookup (the reference, the compact document number, the name through a trigram index: GIN
    on PostgreSQL, FTS5 on SQLite), run separately so no database plans them as one scan.
    None when the name matches more than `limit` persons (search_cases then uses a subquery)."""

    ids = set(Person.objects.filter(desk_reference=text).order_by().values_list("pk", flat=True))
    if _looks_like_document(text):
        compact = matching.normalise_document(text)
        ids.update(
            IdentityDocument.objects.filter(number_compact=compact)
            .order_by()
            .values_list("person_id", flat=True)
        )
    names = name_search(text)
    if names is not None:
        found = list(names.order_by().values_list("pk", flat=True)[: limit + 1])
        if len(found) > limit:
            return None
        ids.update(found)
    return sorted(ids)


def _looks_like_document(text: str) -> bool:
    compact = matching.normalise_document(text)
    return len(compact) >= 4 and sum(c.isdigit() for c in compact) * 2 >= len(compact)


def name_search(text: str):
    """Persons whose normalised name contains every word of `text` that has no digit ("118
    718 889" is a number, not a name); None when there is no such word.

    Words of one or two letters cannot use a trigram index. Beside a document number they
    are its suffix ("3246941 LP", "4032550 CB") and are left out; with a longer word they
    only narrow what the longer word found."""

    tokens = [t for t in normalise_text(text).split() if not any(c.isdigit() for c in t)]
    if _looks_like_document(text):
        tokens = [t for t in tokens if len(t) >= 3]
    if not tokens:
        return None
    tokens.sort(key=len, reverse=True)  # the most selective words first
    by_name = Q()
    for token in tokens:
        if _has_fts(connection) and len(token) >= 3:
            by_name &= Q(
                pk__in=RawSQL(
                    "SELECT rowid FROM cases_person_fts WHERE search_name LIKE %s",
                    [f"%{token}%"],
                )
            )
        else:
            by_name &= Q(search_name__contains=token)
    return Person.objects.filter(by_name)


def search_cases(qs: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Name (accents, case and word order ignored), document number or case reference.

    The matching persons are looked up first (a handful of ids through indexes), then the
    cases: one plan the database cannot turn into a walk over every case."""
    text = (text or "").strip()
    if not text:
        return qs
    ids = matching_person_ids(text, limit=SEARCH_ID_LIMIT)
    condition = Q(reference=text.upper())
    if ids is None:
        names = name_search(text)
        condition |= Q(person__in=names.order_by().values("pk"))
    elif ids:
        condition |= Q(person_id__in=ids)
    # Then the cases of those persons (by the person and reference indexes), and only then
    # the visibility rule on that short list.
    candidates = Case.objects.filter(condition).order_by().values_list("pk", flat=True)
    case_ids = list(candidates[: SEARCH_ID_LIMIT + 1])
    if len(case_ids) > SEARCH_ID_LIMIT:
        return qs.filter(pk__in=candidates)
    return qs.filter(pk__in=case_ids)


def filter_cases(qs: QuerySet[Case], data: dict, *, user=None) -> QuerySet[Case]:
    if data.get("phase"):
        qs = qs.filter(phase__in=data["phase"])
    if data.get("return_country"):
        qs = qs.filter(person__return_country__in=data["return_country"])
    if data.get("desk"):
        qs = qs.filter(owning_desk__in=data["desk"])
    if data.get("caseworker"):
        qs = qs.filter(
            Exists(Assignment.objects.filter(case=OuterRef("pk"), user_id=data["caseworker"]))
        )
    if data.get("mine") and user is not None:
        qs = qs.filter(Exists(Assignment.objects.filter(case=OuterRef("pk"), user=user)))
    for code in data.get("vulnerability") or []:
        qs = qs.filter(vulnerabilities__contains=f",{code},")
    if data.get("overdue"):
        overdue = Task.objects.filter(
            case=OuterRef("pk"), status=Task.Status.OPEN, due_on__lt=timezone.localdate()
        )
        qs = qs.filter(Exists(overdue))
    if data.get("cycle"):
        qs = qs.filter(cycle=data["cycle"])
    if data.get("programme"):
        qs = qs.filter(cycle__programme=data["programme"])
    if data.get("priority"):
        qs = qs.filter(priority="high")
    return qs


def annotate_rows(qs: QuerySet[Case], *, user) -> QuerySet[Case]:
    """What a list row shows, in a constant number of queries: the returnee, desk, next due
    date, children returning, and (one prefetch) the assigned caseworkers."""
    children = (
        HouseholdMember.objects.filter(
            case=OuterRef("pk"), relationship=HouseholdMember.Relationship.CHILD, returning=True
        )
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    owned = Q(owning_desk=user.organisation) if getattr(user, "organisation", None) else Q(pk=None)
    return (
        qs.select_related("person", "owning_desk")
        .annotate(
            next_due=_next_due(),
            children_returning=Subquery(children),
            owned_here=_bool(owned),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("user").order_by("assigned_at"),
            )
        )
    )


def _bool(q: Q):
    return ExpressionWrapper(q, output_field=BooleanField())


def sort_cases(qs: QuerySet[Case], sort: str) -> QuerySet[Case]:
    if sort in ("phase", "-phase"):
        # The journey's order, only when asked for: it is not free to compute on every list.

        qs = qs.annotate(
            phase_rank=When_(
                *[When(phase=phase, then=Value(i)) for i, phase in enumerate(Phase.values)],
                output_field=IntegerField(),
            )
        )
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]), "-pk")


def counts_by_phase(qs: QuerySet[Case]) -> dict[str, int]:
    rows = qs.values("phase").annotate(n=Count("pk"))
    counts = dict.fromkeys(Phase.values, 0)
    for row in rows:
        counts[row["phase"]] = row["n"]
    return counts


def tasks_due(*, user, within_days: int = 7, limit: int = 20) -> tuple[list[Task], int]:
    """Open tasks of the user due within the next week or overdue, on the cases the user
    works on: the `limit` most urgent, and how many there are in all (up to 500).

    One query finds the ids: the user's open tasks (`task_assignee_due`) on visible cases, the
    access rule written on the task (tasks_visible_to). A second reads the tasks shown."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    ids = list(
        tasks_visible_to(user)
        .filter(assignee=user, status=Task.Status.OPEN, due_on__lte=horizon)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:500]
    )
    shown = (
        Task.objects.filter(pk__in=ids[:limit])
        .select_related("case")
        .only("title", "due_on", "case__public_id", "case__reference")
        .order_by("due_on", "pk")
    )
    return list(shown), len(ids)


def case_counts(case: Case, *, today) -> dict[str, int]:
    """What every page of a case shows about it in counts: household members returning with
    the person (children, others) and, with full access, overdue open tasks. One query, each
    count read through the case's own access (access.of_case)."""

    def count(qs):
        return Coalesce(Subquery(qs.values("case").annotate(n=Count("pk")).values("n")), 0)

    members = access.of_case(case, HouseholdMember, summary_ok=True).filter(returning=True)
    child = HouseholdMember.Relationship.CHILD
    counts = {
        "children": count(members.filter(relationship=child)),
        "others": count(members.exclude(relationship=child)),
    }
    if case.access == access.FULL:
        overdue = access.of_case(case, Task).filter(status=Task.Status.OPEN, due_on__lt=today)
        counts["overdue"] = count(overdue)
    row = Case.objects.filter(pk=case.pk).values(**counts).get()
    return {"children": row["children"], "others": row["others"], "overdue": row.get("overdue", 0)}


def assigned_counts_by_phase(user) -> dict[str, int]:
    """How many cases of each phase the user is assigned to at their desk, counted from the
    user's assignments (an assigned caseworker sees the case, sensitive or not, while the desk
    owns it: the rule of cases.access)."""
    desk = getattr(user, "organisation", None)
    counts = dict.fromkeys(Phase.values, 0)
    if desk is None:
        return counts
    rows = (
        Assignment.objects.filter(user=user, case__owning_desk=desk)
        .values("case__phase")
        .annotate(n=Count("case_id"))
    )
    for row in rows:
        counts[row["case__phase"]] = row["n"]
    return counts


NEWLY_ASSIGNED_DAYS = 14


def newly_assigned(user, *, limit: int = 10) -> list[Assignment]:
    """The open cases someone else assigned to the user in the last two weeks, newest first,
    with who assigned them: "Newly assigned to you" on My work. One query; visibility as in
    assigned_counts_by_phase (an assigned user sees the case while her desk owns it)."""
    desk = getattr(user, "organisation", None)
    if desk is None:
        return []
    since = timezone.now() - datetime.timedelta(days=NEWLY_ASSIGNED_DAYS)
    return list(
        Assignment.objects.filter(
            user=user, case__owning_desk=desk, assigned_at__gte=since, assigned_by__isnull=False
        )
        .exclude(assigned_by=user)
        .exclude(case__phase=Phase.CLOSED)
        .select_related("case", "assigned_by")
        .only(
            "assigned_at",
            "case__public_id",
            "case__reference",
            "case__phase",
            "assigned_by__first_name",
            "assigned_by__last_name",
            "assigned_by__username",
        )
        .order_by("-assigned_at", "-pk")[:limit]
    )


def page_of_cases(qs: QuerySet[Case], *, sort: str, number, user, per_page: int = 50):
    """One page of a case list. The page's 50 ids are found first, on the plain visible
    queryset; only those rows then get what a row shows (next due date, children returning,
    caseworkers): computing that for every visible case before sorting would cost the
    database a scan of the whole list."""

    ordered = sort_cases(qs, sort)
    if sort in ("due", "-due"):
        ordered = ordered.annotate(next_due=_next_due())
    page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    # The ids come from the visible queryset above: the rows need not test visibility again.
    rows = annotate_rows(Case.objects.filter(pk__in=ids), user=user).only(*ROW_FIELDS)
    rows = {c.pk: c for c in rows.prefetch_related(None)}
    # The caseworkers' names as plain values: no user objects to build for a list.
    names: dict[int, list[str]] = {}
    for case_id, first, last, username in (
        Assignment.objects.filter(case_id__in=ids)
        .order_by("assigned_at")
        .values_list("case_id", "user__first_name", "user__last_name", "user__username")
    ):
        names.setdefault(case_id, []).append(f"{first} {last}".strip() or username)
    for case in rows.values():
        case.caseworker_names = ", ".join(names.get(case.pk, []))
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


# What a row of the case list reads, and no more (fewer columns, fewer conversions).
ROW_FIELDS = (
    "public_id",
    "reference",
    "phase",
    "priority",
    "sensitive",
    "updated_at",
    "owning_desk__name",
    "owning_desk__name_it",
    "owning_desk__name_es",
    "owning_desk__name_pt",
    "owning_desk__code",
    "person__given_names",
    "person__first_surname",
    "person__second_surname",
    "person__return_country",
)


def _next_due():
    return Subquery(
        Task.objects.filter(case=OuterRef("pk"), status=Task.Status.OPEN)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def similar_persons(user, record, *, exclude=()) -> tuple[list, bool]:
    """Persons who look like `record` (a matching.PersonRecord). Returns the matches the user
    may see, as (person, match) pairs best first, and whether a likely match exists that the
    user may not see (reported without any detail). Persons whose every case is sensitive are
    left out of both: for others they do not exist."""

    keys = matching.blocking_keys(record)
    if not keys:
        return [], False
    candidate_ids = list(
        MatchKey.objects.filter(key__in=keys)
        .exclude(person_id__in=exclude)
        .values_list("person_id", flat=True)
        .distinct()[:500]
    )
    candidates = Person.objects.filter(
        pk__in=candidate_ids, merged_into__isnull=True
    ).prefetch_related("documents")
    by_key = {}
    pool = []
    for person in candidates:
        rec = matching.record_of(person, documents=[d.number for d in person.documents.all()])
        by_key[rec.key] = person
        pool.append(rec)
    found = matching.find_matches_for(record, pool)
    matched = {}
    for match in found:
        other = match.b if match.a == record.key else match.a
        if other in by_key:
            matched[by_key[other].pk] = (by_key[other], match)
    if not matched:
        return [], False
    visible = set(persons_visible_to(user).filter(pk__in=matched).values_list("pk", flat=True))
    hidden = set(matched) - visible
    hidden_exists = False
    if hidden:
        not_only_sensitive = Case.objects.filter(person_id__in=hidden, sensitive=False)
        member_of_open = HouseholdMember.objects.filter(person_id__in=hidden, case__sensitive=False)
        hidden_exists = not_only_sensitive.exists() or member_of_open.exists()
    shown = [matched[pk] for pk in matched if pk in visible]
    shown.sort(key=lambda pm: -pm[1].score)
    return shown, hidden_exists


def desk_duplicates(desk, *, persons=None):
    """Pairs of persons of a desk that look like the same person, best first, leaving out
    pairs a coordinator marked as not the same. Returns (matches, persons by key)."""

    if persons is None:
        persons = Person.objects.filter(
            Q(cases__owning_desk=desk) | Q(households__case__owning_desk=desk),
            merged_into__isnull=True,
        ).distinct()
    persons = persons.prefetch_related("documents")
    by_key, records = {}, []
    for person in persons.iterator(chunk_size=2000):
        record = matching.record_of(person, documents=[d.number for d in person.documents.all()])
        by_key[record.key] = person
        records.append(record)
    matches = matching.find_duplicates(records)
    ruled_out = {
        tuple(sorted((str(a), str(b))))
        for a, b in NotDuplicate.objects.filter(
            person_a__in=[p.pk for p in by_key.values()]
        ).values_list("person_a__public_id", "person_b__public_id")
    }
    matches = [m for m in matches if tuple(sorted((m.a, m.b))) not in ruled_out]
    return matches, by_key

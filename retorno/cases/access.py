"""Who may see which case, person, journal entry, task, document and handover.

The rules (ARCHITECTURE.md, "Who sees what"):

- Caseworkers and coordinators see the cases their desk owns.
- A sensitive case is seen only by the caseworkers assigned to it and the coordinators of the
  owning desk: for everyone else it does not exist (404, absent from lists, search and counts).
- After a handover the sending desk keeps a read-only view of the case *summary* while the case
  is open, if the person consented to the transfer (never for a sensitive case).
- While a handover waits, the receiving desk's coordinators see the summary to decide on it.
- Confidential journal entries are read only by their author and the owning desk's coordinators.

`cases_visible_to` gives the cases a user works on (every sub-page); `case_summaries_visible_to`
adds those they may only read the summary of.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from retorno.accounts.access import get_or_404
from retorno.accounts.roles import Capability
from retorno.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    Document,
    Handover,
    HouseholdMember,
    JournalEntry,
    Person,
    Phase,
    Task,
)

FULL = "full"
SUMMARY = "summary"


def _desk(user):
    membership = getattr(user, "membership", None)
    if not user.is_authenticated or membership is None or not user.can(Capability.WORK_CASES):
        return None
    # Cases are worked on at desks: a coordinator of programme coordination owns none.
    if not membership.organisation.is_desk:
        return None
    return membership.organisation


def case_ids_assigned_to(user) -> QuerySet:
    """The ids of the cases the user is assigned to, as a subquery: looked up once, not probed
    for every case of the desk."""
    return Assignment.objects.filter(user=user).values("case_id")


def _full_q(user) -> Q | None:
    desk = _desk(user)
    if desk is None:
        return None
    q = Q(owning_desk=desk)
    if not user.can(Capability.MANAGE_CASES):
        q &= Q(sensitive=False) | Q(pk__in=case_ids_assigned_to(user))
    return q


def _summary_q(user) -> Q | None:
    desk = _desk(user)
    if desk is None:
        return None
    q = Q(origin_desk=desk, sensitive=False, transfer_consent=True) & ~Q(owning_desk=desk)
    q &= ~Q(phase=Phase.CLOSED)
    if user.can(Capability.MANAGE_CASES):
        waiting = Handover.objects.filter(
            case=OuterRef("pk"), to_desk=desk, status=Handover.Status.PENDING
        )
        q |= Q(Exists(waiting))
    return q


def case_full_access_q(user, related: str) -> Q | None:
    """The cases_visible_to condition on the case of a related row (`related` is the path to
    it, "case" for a grant), as a join rather than a list of case ids: for the lists of the apps
    built on a case. None when the user works on no case."""
    desk = _desk(user)
    if desk is None:
        return None
    q = Q(**{f"{related}__owning_desk": desk})
    if not user.can(Capability.MANAGE_CASES):
        q &= Q(**{f"{related}__sensitive": False}) | Q(
            **{f"{related}__in": case_ids_assigned_to(user)}
        )
    return q


def cases_visible_to(user) -> QuerySet[Case]:
    q = _full_q(user)
    return Case.objects.filter(q) if q is not None else Case.objects.none()


def case_summaries_visible_to(user) -> QuerySet[Case]:
    full, summary = _full_q(user), _summary_q(user)
    if full is None:
        return Case.objects.none()
    return Case.objects.filter(full | summary)


def cases_for_list(user, *, handed_over: bool = False, search: str = "", desks=()) -> QuerySet:
    """The cases a list of cases starts from, for the page and the API alike: the cases the user
    works on; with the summaries of the cases their desk handed over only when asked for, by the
    handed-over filter, a search, or a choice of another desk than theirs. (Sorting both together
    costs the database a sort of every visible case; the desk's own come sorted from an index.)"""
    own = user.organisation.pk if user.organisation is not None else None
    if handed_over or search or any(pk != own for pk in desks or ()):
        return case_summaries_visible_to(user)
    return cases_visible_to(user)


def list_access(user, cases) -> None:
    """Set `case.access` (full or summary) on the cases of a list's page, in one query."""
    full = set(
        cases_visible_to(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    for case in cases:
        case.access = FULL if case.pk in full else SUMMARY


def get_case_for_user(user, public_id, *, write: bool = False, summary: bool = False) -> Case:
    """The one decision on a case. 404 when the user cannot see it at all. Reading needs full
    access (the desk works on the case), or only a read-only summary view with summary=True;
    `case.access` then says which the user has. Writing needs full access (the owning desk, with
    a role that works on cases): a user who may read only the summary (the sending desk after a
    handover, the receiving desk while it waits) gets 403."""
    full = _full_q(user)
    if full is None:
        raise Http404
    qs = case_summaries_visible_to(user).select_related(*CASE_RELATED)
    # Which of the two the user has, in the same query.
    qs = qs.annotate(full_access=ExpressionWrapper(full, output_field=BooleanField()))
    case = get_or_404(qs, public_id)
    case.access = FULL if case.full_access else SUMMARY
    if write and not may_change_case(user, case):
        raise PermissionDenied
    if case.access == SUMMARY and not summary:
        raise Http404
    return case


def may_change_case(user, case: Case) -> bool:
    """Whether the user may change a case read through get_case_for_user: with full access, that
    is at the desk that owns it, in a role that works on cases (what pages offer follows it)."""
    return getattr(case, "access", None) == FULL and case.owning_desk_id == _desk(user).pk


CASE_RELATED = ("person", "owning_desk", "origin_desk", "cycle__programme")


# Persons: visible through a case the user works on, as the returnee or a household member.


def persons_visible_to(user) -> QuerySet[Person]:
    cases = cases_visible_to(user)
    as_returnee = cases.filter(person=OuterRef("pk"))
    as_member = HouseholdMember.objects.filter(person=OuterRef("pk"), case__in=cases)
    return Person.objects.filter(Q(Exists(as_returnee)) | Q(Exists(as_member)))


def get_person_for_user(user, public_id, *, write: bool = False) -> Person:
    person = get_or_404(persons_visible_to(user), public_id)
    if write and not user.can(Capability.WORK_CASES):
        raise PermissionDenied
    return person


# Journal entries: a confidential entry exists only for its author and the desk's coordinators.


def journal_visible_to(user, case: Case) -> QuerySet[JournalEntry]:
    qs = JournalEntry.objects.filter(case=case)
    if not user.can(Capability.MANAGE_CASES) or case.owning_desk_id != _desk(user).pk:
        qs = qs.filter(Q(confidential=False) | Q(author=user))
    return qs


def may_read_confidential(user, case: Case) -> bool:
    desk = _desk(user)
    return desk is not None and user.can(Capability.MANAGE_CASES) and case.owning_desk_id == desk.pk


def get_journal_entry_for_user(user, case: Case, public_id) -> JournalEntry:
    return get_or_404(journal_visible_to(user, case), public_id)


def tasks_visible_to(user) -> QuerySet[Task]:
    """The tasks of the cases the user works on, by the same rule as cases_visible_to, written
    on the task so the database starts from the (indexed) tasks rather than every case."""
    desk = _desk(user)
    if desk is None:
        return Task.objects.none()
    qs = Task.objects.filter(case__owning_desk=desk)
    if not user.can(Capability.MANAGE_CASES):
        qs = qs.filter(Q(case__sensitive=False) | Q(case_id__in=case_ids_assigned_to(user)))
    return qs


def get_task_for_user(user, public_id, *, write: bool = False) -> Task:
    task = get_or_404(tasks_visible_to(user).select_related("case", "assignee"), public_id)
    if write and not user.can(Capability.WORK_CASES):
        raise PermissionDenied
    return task


def documents_visible_to(user, case: Case) -> QuerySet[Document]:
    return Document.objects.filter(case=case)


def get_document_for_user(user, case: Case, public_id) -> Document:
    return get_or_404(documents_visible_to(user, case), public_id)


# Handovers: the sending desk sees those it sent; the receiving desk's coordinators those sent
# to it (caseworkers of the receiving desk see them once the case is theirs).


def handovers_visible_to(user) -> QuerySet[Handover]:
    desk = _desk(user)
    if desk is None:
        return Handover.objects.none()
    visible_cases = case_summaries_visible_to(user)
    q = Q(case__in=visible_cases) & (Q(from_desk=desk) | Q(to_desk=desk))
    return Handover.objects.filter(q)


def handovers_waiting_for(user) -> QuerySet[Handover]:
    """The receiving desk's inbox: pending handovers to the user's desk, for coordinators."""
    desk = _desk(user)
    if desk is None or not user.can(Capability.MANAGE_CASES):
        return Handover.objects.none()
    return Handover.objects.filter(to_desk=desk, status=Handover.Status.PENDING)


def get_handover_for_user(user, public_id, *, write: bool = False) -> Handover:
    handover = get_or_404(
        handovers_visible_to(user).select_related("case__person", "from_desk", "to_desk"),
        public_id,
    )
    if write and (not user.can(Capability.MANAGE_CASES) or handover.to_desk_id != _desk(user).pk):
        raise PermissionDenied
    return handover


# The records of a case (household, consent, assessments, tasks, handovers, timeline) are read
# through the case: only a case obtained from get_case_for_user (which sets `case.access`) opens
# them, and only with full access, except the handovers a summary reader may see.


def of_case(case: Case, model, *, summary_ok: bool = False) -> QuerySet:
    level = getattr(case, "access", None)
    if level == FULL or (summary_ok and level == SUMMARY):
        return model.objects.filter(case=case)
    raise Http404


def timeline_visible_to(user, case: Case) -> QuerySet:
    """The case's timeline; events of confidential journal entries only for those who may
    read the entries."""

    events = of_case(case, CaseEvent)
    if not may_read_confidential(user, case):
        events = events.filter(
            Q(journal_entry__isnull=True)
            | Q(journal_entry__confidential=False)
            | Q(journal_entry__author=user)
        )
    return events


def cases_of_person_visible_to(user, person: Person) -> QuerySet[Case]:
    return cases_visible_to(user).filter(person=person)

"""Who may see and change monitoring. Follow-ups, attempts, surveys and a case's monitoring are
part of the case: the staff of the desk that works on the case see them as they see the case
(cases.access, sensitive cases included), and only they change them. A desk's monitoring page
is for its coordinators; programme coordination reads every desk's, counting the cases it may
see and naming them by reference only. Instrument versions and schedules hold no person: every
member of staff reads them; programme coordination changes them (monitoring.rules)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.accounts.access import get_or_404
from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.cases.access import FULL, case_full_access_q, may_change_case
from retorno.monitoring.models import (
    CaseMonitoring,
    ContactAttempt,
    FollowUp,
    InstrumentVersion,
    Survey,
)
from retorno.monitoring.rules import is_programme_coordination, may_read_desk_monitoring


def _staff(user) -> bool:
    return user.is_authenticated and getattr(user, "membership", None) is not None


def _case_q(user, related: str) -> Q | None:
    if not _staff(user):
        return None
    return case_full_access_q(user, related)


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    q = _case_q(user, "case")
    return FollowUp.objects.filter(q) if q is not None else FollowUp.objects.none()


def surveys_visible_to(user) -> QuerySet[Survey]:
    q = _case_q(user, "case")
    return Survey.objects.filter(q) if q is not None else Survey.objects.none()


def of_case(case, model) -> QuerySet:
    """A case's follow-ups, attempts or surveys; the case must come from cases.access with full
    access."""
    if getattr(case, "access", None) != FULL:
        raise Http404
    return model.objects.filter(case=case)


def monitoring_of(case) -> CaseMonitoring | None:
    if getattr(case, "access", None) != FULL:
        raise Http404
    return CaseMonitoring.objects.filter(case=case).select_related("latest_survey").first()


def get_follow_up_for_user(user, case, public_id, *, write: bool = False) -> FollowUp:
    """One follow-up of a case read through cases.access; 403 to write it for whoever may not
    change the case."""
    follow_up = get_or_404(of_case(case, FollowUp).select_related("task"), public_id)
    if write and not may_change_case(user, case):
        raise PermissionDenied
    return follow_up


def get_survey_for_user(user, case, public_id, *, write: bool = False) -> Survey:
    survey = get_or_404(
        of_case(case, Survey).select_related("instrument__instrument", "follow_up"), public_id
    )
    if write and not may_change_case(user, case):
        raise PermissionDenied
    return survey


def attempts_of(case) -> QuerySet[ContactAttempt]:
    return of_case(case, ContactAttempt).select_related("by", "follow_up")


def instrument_versions_visible_to(user) -> QuerySet[InstrumentVersion]:
    if not _staff(user):
        return InstrumentVersion.objects.none()
    return InstrumentVersion.objects.select_related("instrument")


def get_instrument_version_for_user(user, public_id) -> InstrumentVersion:
    return get_or_404(instrument_versions_visible_to(user), public_id)


def monitoring_desks_visible_to(user) -> QuerySet[Organisation]:
    """The desks whose monitoring page the user may read."""
    desks = Organisation.objects.filter(
        kind=Organisation.Kind.NATIONAL_DESK, is_active=True
    ).order_by("name")
    if not _staff(user):
        return desks.none()
    if is_programme_coordination(user):
        return desks
    organisation = user.organisation
    if organisation is not None and may_read_desk_monitoring(user, organisation):
        return desks.filter(pk=organisation.pk)
    return desks.none()


def get_monitoring_desk_for_user(user, public_id) -> Organisation:
    return get_or_404(monitoring_desks_visible_to(user), public_id)


def monitoring_visible_to(user) -> QuerySet[CaseMonitoring]:
    """The monitoring of the cases the user works on (cases.access), read by the desk that
    follows them: the condition on the desk lets the database start from this table's own
    indexes (a case at risk, a lost-contact proposal) rather than from every case of the
    desk."""
    q = _case_q(user, "case")
    if q is None:
        return CaseMonitoring.objects.none()
    return CaseMonitoring.objects.filter(q, desk=user.organisation)


@dataclass(frozen=True)
class Counted:
    """What a desk's monitoring page counts for a user: the monitoring of the desk's cases and
    their follow-ups."""

    monitoring: QuerySet
    follow_ups: QuerySet


def counted_for(user, desk) -> Counted:
    """The desk's cases its monitoring page counts for the user: for its coordinators every case
    of the desk (cases.access shows them all of them, sensitive ones included); for programme
    coordination the desk's cases that are not sensitive; for anyone else none."""
    if is_programme_coordination(user):
        return Counted(
            CaseMonitoring.objects.filter(desk=desk, case__sensitive=False),
            FollowUp.objects.filter(desk=desk, case__sensitive=False),
        )
    if may_read_desk_monitoring(user, desk) and user.can(Capability.MANAGE_CASES):
        return Counted(CaseMonitoring.objects.filter(desk=desk), FollowUp.objects.filter(desk=desk))
    return Counted(CaseMonitoring.objects.none(), FollowUp.objects.none())


def sees_persons_of(user, desk) -> bool:
    """Whether the desk's monitoring page may name people (its own staff) or shows references
    only (programme coordination)."""
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.pk == desk.pk

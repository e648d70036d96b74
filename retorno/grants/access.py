"""Who may see and change grants. A grant is part of its case: the staff of the desk that works
on the case see its grants as they see the case (cases.access, sensitive cases included), and
only they change them. Programme coordination sees every desk's grants, for the approvals above
the policy's amount and the budgets, but never who the person is: its pages show the case
reference only. Partners, M&E officers and everyone else see no grant at all (M&E officers read
the budgets, which hold no person)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.accounts.access import get_or_404
from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.cases.access import FULL, case_full_access_q, cases_visible_to
from retorno.cases.models import Document
from retorno.grants.models import Grant, GrantDocument, Instalment, Receipt
from retorno.grants.rules import is_programme_coordination, may_read_budget


def grants_visible_to(user) -> QuerySet[Grant]:
    if not user.is_authenticated or getattr(user, "membership", None) is None:
        return Grant.objects.none()
    if is_programme_coordination(user):
        return Grant.objects.all()
    q = case_full_access_q(user, "case")
    return Grant.objects.filter(q) if q is not None else Grant.objects.none()


def sees_person(user, grant: Grant) -> bool:
    """Whether the user may see who the grant is for (coordination sees the reference only)."""
    return may_change_grant(user, grant) or (
        user.can(Capability.WORK_CASES) and cases_visible_to(user).filter(pk=grant.case_id).exists()
    )


def may_change_grant(user, grant: Grant) -> bool:
    """Drafting, submitting, planning and recording payments: the staff of the desk that owns
    the case (approving is a decision of its own, grants.rules.approval_problem)."""
    desk = getattr(user, "organisation", None)
    return (
        user.can(Capability.WORK_CASES)
        and desk is not None
        and grant.case.owning_desk_id == desk.pk
        and grant.desk_id == desk.pk
    )


GRANT_RELATED = ("case", "case__person", "case__owning_desk", "desk", "cycle", "drafted_by")


def get_grant_for_user(user, public_id, *, write: bool = False) -> Grant:
    """One grant, or 404 when the user may not see it; 403 when write and they may not change
    it."""
    grant = get_or_404(grants_visible_to(user).select_related(*GRANT_RELATED), public_id)
    if write and not may_change_grant(user, grant):
        raise PermissionDenied
    return grant


def grants_of_case(case) -> QuerySet[Grant]:
    """A case's grants; the case must come from cases.access with full access."""
    if getattr(case, "access", None) != FULL:
        raise Http404
    return Grant.objects.filter(case=case)


def get_instalment_for_user(user, grant: Grant, public_id) -> Instalment:
    return get_or_404(Instalment.objects.filter(grant=grant), public_id)


def get_quote_for_user(user, grant: Grant, document_id) -> GrantDocument:
    """One of the grant's quotes, by its document's public id; 404 for anything else."""
    quote = (
        GrantDocument.objects.filter(grant=grant, document__public_id=_uuid(document_id))
        .select_related("document")
        .first()
    )
    if quote is None:
        raise Http404
    return quote


def get_grant_document_for_user(user, grant: Grant, document_id) -> Document:
    """A quote or a receipt attached to the grant (the grant comes from get_grant_for_user):
    no other document of the case is reached through a grant."""
    attached = Q(pk__in=GrantDocument.objects.filter(grant=grant).values("document")) | Q(
        pk__in=Receipt.objects.filter(instalment__grant=grant).values("document")
    )
    return get_or_404(Document.objects.filter(attached, case=grant.case_id), document_id)


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def budget_desks_visible_to(user) -> QuerySet[Organisation]:
    """The national desks whose budget the user may read (grants.rules.may_read_budget)."""
    desks = Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_DESK, is_active=True)
    if not user.is_authenticated or getattr(user, "membership", None) is None:
        return desks.none()
    if is_programme_coordination(user) or user.can(Capability.VIEW_STATISTICS):
        return desks
    organisation = user.organisation
    if organisation is not None and may_read_budget(user, organisation):
        return desks.filter(pk=organisation.pk)
    return desks.none()


def get_budget_desk_for_user(user, public_id) -> Organisation:
    return get_or_404(budget_desks_visible_to(user), public_id)

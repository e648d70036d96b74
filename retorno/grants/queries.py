"""Reads of grants that deserve a name: My work's items, the grants list, the budget summary.
Each runs a fixed number of queries, whatever the number of rows."""

from decimal import Decimal

from django.db.models import Q, Sum

from retorno.accounts.roles import Capability
from retorno.grants import rules
from retorno.grants.access import grants_visible_to
from retorno.grants.models import Envelope, Grant, GrantType, Instalment

MY_WORK_ROWS = 20


def waiting_for(user):
    """The grants waiting for a decision the user may take (rules.approval_problem): at her desk
    for a coordinator, above the policy's amount for programme coordination."""
    if rules.is_programme_coordination(user):
        return grants_visible_to(user).filter(status=Grant.Status.COORDINATION)
    if user.can(Capability.MANAGE_CASES) and user.organisation is not None:
        return (
            grants_visible_to(user)
            .filter(status=Grant.Status.SUBMITTED, desk=user.organisation)
            .exclude(drafted_by=user)
            .exclude(submitted_by=user)
        )
    return Grant.objects.none()


def my_approvals(user, today):
    grants = list(
        waiting_for(user)
        .select_related("case", "desk")
        .order_by("submitted_at", "pk")[:MY_WORK_ROWS]
    )
    return {"grants": grants} if grants else None


def instalments_due(user, today):
    """Unpaid instalments of approved grants due by today: of the cases the user is assigned to,
    or, for a coordinator, of her desk. Only the desk that owns a grant pays it, so the grants
    are looked for at the user's desk first (an index), and their instalments then: a desk
    with no grant being paid costs one small query."""
    desk = getattr(user, "organisation", None)
    if desk is None:
        return Instalment.objects.none()
    grants = grants_visible_to(user).filter(desk=desk, status__in=rules.PAYABLE)
    if not user.can(Capability.MANAGE_CASES):
        grants = grants.filter(case__assignments__user=user)
    ids = list(grants.values_list("pk", flat=True))
    if not ids:
        return Instalment.objects.none()
    return Instalment.objects.filter(grant__in=ids, paid_on__isnull=True, planned_on__lte=today)


def my_instalments(user, today):
    if not user.can(Capability.WORK_CASES) or rules.is_programme_coordination(user):
        return None
    due = list(
        instalments_due(user, today)
        .select_related("grant__case")
        .order_by("planned_on", "pk")[:MY_WORK_ROWS]
    )
    return {"instalments": due, "today": today} if due else None


def budget_rows(cycle, desk) -> list[dict]:
    """The budget of a desk in a cycle, per grant type and in all: envelope, committed, paid and
    remaining in euros, and what waits for approval. Two queries."""
    envelopes = {e.grant_type: e for e in Envelope.objects.filter(cycle=cycle, desk=desk)}
    per_type = {
        row["grant_type"]: row
        for row in Grant.objects.filter(cycle=cycle, desk=desk)
        .values("grant_type")
        .annotate(
            committed=Sum("committed_eur", filter=Q(status__in=rules.HOLDING)),
            paid=Sum("paid_eur"),
            waiting=Sum("amount_eur", filter=Q(status__in=rules.WAITING)),
        )
    }
    zero = Decimal(0)
    rows = []
    for value, label in GrantType.choices:
        found = per_type.get(value, {})
        envelope = envelopes.get(value)
        committed = found.get("committed") or zero
        rows.append(
            {
                "grant_type": value,
                "label": label,
                "envelope": envelope.amount_eur if envelope else None,
                "committed": committed,
                "paid": found.get("paid") or zero,
                "waiting": found.get("waiting") or zero,
                "remaining": envelope.amount_eur - committed if envelope else None,
            }
        )
    whole = envelopes.get("")
    total = {
        "grant_type": "",
        "envelope": whole.amount_eur if whole else None,
        "committed": whole.committed_eur if whole else sum(r["committed"] for r in rows),
        "paid": whole.paid_eur if whole else sum(r["paid"] for r in rows),
        "waiting": sum(r["waiting"] for r in rows),
        "remaining": whole.remaining_eur if whole else None,
    }
    return rows, total

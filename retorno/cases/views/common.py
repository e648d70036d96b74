"""What every case sub-page shares: the identity bar, the phase tracker, the sub-navigation,
and the audit event that records the read."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.cases import access, actions, queries
from retorno.cases.models import PHASE_ORDER, Case, Handover, Phase
from retorno.lib.plugins import registry


def tabs_for(case: Case) -> list[tuple]:
    """The case page's tabs, as the apps declare them in their plugin.py (cases' own among
    them), by position: (code, label, url name)."""
    return [
        (tab.key, tab.label, tab.url_name)
        for tab in registry().tabs
        if tab.visible is None or tab.visible(case)
    ]


def case_context(request, case: Case, tab: str, *, record_view: bool = True) -> dict:
    user = request.user
    if record_view:
        actions.record_case_view(case, actor=user, page=tab)
    counts = queries.case_counts(case, today=_today())
    caseworkers = [
        a.user
        for a in case.assignments.select_related("user")
        .only("case", "user__public_id", "user__username", "user__first_name", "user__last_name")
        .order_by("assigned_at")
    ]
    # The latest handover; a pending one is always the latest (one at a time). A pending or
    # accepted handover leaves its date on the case (hand_over_case, return_handover): without
    # one there is nothing to read.
    latest_handover = None
    if case.handed_over_at is not None:
        latest_handover = (
            access.of_case(case, Handover, summary_ok=True)
            .select_related("from_desk", "to_desk")
            .order_by("-sent_at", "-pk")
            .first()
        )
    pending = (
        latest_handover
        if latest_handover is not None and latest_handover.status == Handover.Status.PENDING
        else None
    )
    is_owner = access.may_change_case(user, case)
    tabs = []
    if case.access == access.FULL:
        for code, label, url_name in tabs_for(case):
            tabs.append(
                {
                    "code": code,
                    "label": label,
                    "url": reverse(url_name, args=[case.public_id]),
                    "current": code == tab,
                }
            )
    phases = [
        {"code": code, "label": Phase(code).label, "number": i + 1, "current": code == case.phase}
        for i, code in enumerate(PHASE_ORDER)
    ]
    return {
        "case": case,
        "person": case.person,
        "tab": tab,
        "tabs": tabs,
        "phases": phases,
        "children": counts["children"],
        "other_members": counts["others"],
        "caseworkers": caseworkers,
        "pending_handover": pending,
        "latest_handover": latest_handover,
        "is_owner": is_owner and case.access == access.FULL,
        "is_coordinator": user.can(Capability.MANAGE_CASES),
        "overdue_tasks": counts["overdue"],
        "read_only": not is_owner,
        "primary_action": _primary_action(case, user, is_owner, pending),
    }


def _today():
    return timezone.localdate()


def _primary_action(case, user, is_owner, pending):
    """The one action that fits the phase, as (label, url), or None."""
    if pending is not None:
        if user.can(Capability.MANAGE_CASES) and pending.to_desk_id == user.organisation.pk:
            return (_("Accept handover"), reverse("cases:handover", args=[pending.public_id]))
        return None
    if not is_owner:
        return None
    if case.phase == Phase.READY_TO_DEPART:
        return (_("Hand over case"), reverse("cases:handover_start", args=[case.public_id]))
    if case.phase == Phase.CLOSED:
        return None
    if case.phase == Phase.FOLLOW_UP:
        return (_("Close case"), reverse("cases:close", args=[case.public_id]))
    return (_("Change phase"), reverse("cases:phase", args=[case.public_id]))

"""Who sees which referral, and what of the person.

- Desk staff see the referrals of the cases they work on (cases.access decides).
- A partner sees only the referrals sent to its organisation, only the fields each shares,
  and only while the referral is open; after it closes, its history (the thread) without the
  person's data. Nothing else of the case exists for a partner.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts.access import get_or_404
from retorno.accounts.roles import Capability
from retorno.cases.access import FULL, cases_visible_to
from retorno.referrals import sharing
from retorno.referrals.models import Referral

RELATED = ("case__person", "case__owning_desk", "service__organization", "recipient", "from_desk")


def referrals_visible_to(user) -> QuerySet[Referral]:
    membership = getattr(user, "membership", None)
    if not user.is_authenticated or membership is None:
        return Referral.objects.none()
    if user.can(Capability.WORK_CASES):
        return Referral.objects.filter(case__in=cases_visible_to(user))
    if user.can(Capability.ANSWER_REFERRALS):
        return Referral.objects.filter(recipient=membership.organisation)
    return Referral.objects.none()


def get_referral_for_user(user, public_id, *, write: bool = False) -> Referral:
    referral = get_or_404(referrals_visible_to(user).select_related(*RELATED), public_id)
    if write and not may_answer(user, referral) and not may_manage(user, referral):
        raise PermissionDenied
    return referral


def is_partner_of(user, referral: Referral) -> bool:
    membership = getattr(user, "membership", None)
    return (
        membership is not None
        and user.can(Capability.ANSWER_REFERRALS)
        and referral.recipient_id == membership.organisation.pk
    )


def may_manage(user, referral: Referral) -> bool:
    """The desk that owns the case: it sends, adds updates, and answers on behalf of an
    organisation that is not on Retorno."""
    membership = getattr(user, "membership", None)
    return (
        membership is not None
        and user.can(Capability.WORK_CASES)
        and referral.case.owning_desk_id == membership.organisation.pk
    )


def may_answer(user, referral: Referral) -> bool:
    """Accept, decline, progress, complete: the receiving partner, or the desk on its behalf
    when the organisation is not on Retorno."""
    if referral.on_retorno:
        return is_partner_of(user, referral)
    return may_manage(user, referral)


def shared_with(user, referral: Referral) -> list[dict] | None:
    """What the user may see of the person through this referral: everything shared, for the
    desk; for the partner, the shared fields while the referral is open, nothing after."""
    if may_manage(user, referral) or (
        user.can(Capability.WORK_CASES)
        and cases_visible_to(user).filter(pk=referral.case_id).exists()
    ):
        return sharing.shared_values(referral.case, referral.shared_fields, referral)
    if is_partner_of(user, referral) and referral.is_open:
        return sharing.shared_values(referral.case, referral.shared_fields, referral)
    return None


def inbox_for(user) -> QuerySet[Referral]:
    if not user.can(Capability.ANSWER_REFERRALS):
        return Referral.objects.none()
    return referrals_visible_to(user).select_related("service", "from_desk", "case")


def referrals_of_case(case) -> QuerySet[Referral]:
    if getattr(case, "access", None) != FULL:
        raise Http404
    return Referral.objects.filter(case=case).select_related(
        "service__organization", "recipient", "plan_action"
    )

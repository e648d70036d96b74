"""Recording and withdrawing consent."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Organisation
from retorno.cases import hooks
from retorno.cases.actions.common import event, touch_case
from retorno.cases.actions.handover import send_back_handover
from retorno.cases.models import (
    Case,
    Consent,
    Document,
    Handover,
)
from retorno.cases.rules import (
    audit_case,
    consent_in_force,
    require_case_owner,
)
from retorno.lib.errors import ActionError


@transaction.atomic
def record_consent(
    case: Case,
    *,
    actor,
    purpose: str,
    given: bool,
    decided_on,
    method: str,
    witness: str = "",
    partner: Organisation | None = None,
    document: Document | None = None,
) -> Consent:
    require_case_owner(actor, case)
    if purpose == Consent.Purpose.PARTNER_SHARING and partner is None:
        raise ActionError(_("Choose the partner organisation"), field="partner")
    if purpose != Consent.Purpose.PARTNER_SHARING:
        partner = None
    if method == Consent.Method.VERBAL_WITH_WITNESS and not witness.strip():
        raise ActionError(_("Enter the name of the witness"), field="witness")
    if decided_on > timezone.localdate():
        raise ActionError(_("The date of the consent cannot be in the future"), field="decided_on")
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        partner=partner,
        given=given,
        decided_on=decided_on,
        method=method,
        witness=witness.strip(),
        document=document,
        recorded_by=actor,
    )
    _sync_transfer_consent(case)
    touch_case(case)
    audit_case(
        "consent.recorded",
        actor=actor,
        case=case,
        detail={
            "purpose": purpose,
            "given": given,
            "method": method,
            "partner": partner.code if partner else "",
        },
    )
    event(
        case,
        "consent_given" if given else "consent_refused",
        actor=actor,
        purpose=purpose,
        partner=partner.name if partner else "",
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor, note: str = "") -> list[str]:
    """Withdrawal takes effect at once. Returns what stopped, as sentences for the page."""
    case = consent.case
    require_case_owner(actor, case)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ActionError(_("This consent was already withdrawn."), code="already_done")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    _sync_transfer_consent(case)
    stopped = []
    if consent.purpose == Consent.Purpose.TRANSFER:
        pending = Handover.objects.filter(case=case, status=Handover.Status.PENDING).first()
        if pending is not None:
            send_back_handover(
                pending, actor=actor, reason=str(_("The person withdrew consent to the transfer."))
            )
            stopped.append(
                str(
                    _("The handover to %(desk)s was withdrawn.")
                    % {"desk": pending.to_desk.local_name}
                )
            )
    # Later apps (referrals) stop what depended on this consent.

    for effect in hooks.run_consent_withdrawn(consent, actor=actor):
        stopped.append(effect)
    audit_case(
        "consent.withdrawn",
        actor=actor,
        case=case,
        detail={"purpose": consent.purpose, "note": note, "stopped": stopped},
    )
    event(case, "consent_withdrawn", actor=actor, purpose=consent.purpose, stopped=stopped)
    return stopped


def _sync_transfer_consent(case: Case) -> None:
    in_force = consent_in_force(case, Consent.Purpose.TRANSFER) is not None
    Case.objects.filter(pk=case.pk).update(transfer_consent=in_force)
    case.transfer_consent = in_force

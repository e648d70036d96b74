"""The rules a change to a case checks, for the actions of cases and of the apps built on a case
(plans, referrals...): who may change it, and whether it is still open."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.cases.models import NATIONAL_PHASES, Case, Consent, Phase
from retorno.lib.errors import ActionError


def require_capability(actor, capability: str) -> None:
    if not actor.can(capability):
        raise ActionError(_("Your role does not allow this."), code="forbidden")


def require_case_owner(actor, case: Case) -> None:
    """Changing a case needs a role that works on cases, at the desk that owns it."""
    require_capability(actor, Capability.WORK_CASES)
    if actor.organisation is None or case.owning_desk_id != actor.organisation.pk:
        raise ActionError(_("Only the desk that owns this case can change it."), code="forbidden")


def require_case_open(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        raise ActionError(_("This case is closed. Reopen it first."), code="closed")


def audit_case(verb, *, actor, case=None, person=None, target=None, **kwargs):
    """The audit event of a change to a case or a person, tied to the person it is about."""
    person = person or (case.person if case is not None else None)
    return record(
        verb,
        actor=actor,
        target=target or case or person,
        person_id=person.public_id if person is not None else None,
        **kwargs,
    )


def phone_field_at(desk) -> str:
    """Which of a person's two phones a desk records when it is given one number (an imported
    row): the number in Europe at a European desk, the number at home at a national desk."""
    european = desk is not None and desk.kind == Organisation.Kind.EUROPEAN_DESK
    return "phone_europe" if european else "phone_home"


def phone_country(field: str, *, desk, return_country: str = "") -> str | None:
    """The country a phone number typed without its country code is read in, for the pages, the
    API and the import alike: a number in Europe (`phone_europe`) is one of a European desk's
    country (a national desk does not guess a European country); a number at home
    (`phone_home`) is one of the country of return, or else of the desk's country."""
    desk_country = desk.country.code if desk is not None and desk.country else None
    if field == "phone_europe":
        european = desk is not None and desk.kind == Organisation.Kind.EUROPEAN_DESK
        return desk_country if european else None
    return return_country or desk_country


def consent_in_force(case: Case, purpose: str, partner=None, *, consents=None) -> Consent | None:
    """The consent in force for `purpose` (and `partner`): the latest decision not withdrawn,
    if it was given. `consents`, every consent of the case already read, saves a query."""
    if consents is not None:
        candidates = [
            c
            for c in consents
            if c.purpose == purpose
            and c.withdrawn_at is None
            and (partner is None or c.partner_id == partner.pk)
        ]
        latest = max(candidates, key=lambda c: (c.decided_on, c.recorded_at, c.pk), default=None)
        return latest if latest is not None and latest.given else None
    qs = Consent.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True)
    if partner is not None:
        qs = qs.filter(partner=partner)
    latest = qs.order_by("-decided_on", "-recorded_at", "-pk").first()
    return latest if latest is not None and latest.given else None


# Which phase may follow which, by an ordinary change of phase. Handover, acceptance, return
# and closing have their own actions.
TRANSITIONS = {
    Phase.INQUIRY: {Phase.INTAKE},
    Phase.INTAKE: {Phase.INQUIRY, Phase.PREPARATION},
    Phase.PREPARATION: {Phase.INTAKE, Phase.READY_TO_DEPART},
    Phase.READY_TO_DEPART: {Phase.PREPARATION},
    Phase.HANDED_OVER: set(),
    Phase.RECEPTION: {Phase.REINTEGRATION},
    Phase.REINTEGRATION: {Phase.RECEPTION, Phase.FOLLOW_UP},
    Phase.FOLLOW_UP: {Phase.REINTEGRATION},
    Phase.CLOSED: set(),
}


def phase_problem(case: Case, to: str, *, consents=None):
    """Why the case cannot move to `to` now, as a translated sentence; None when it can.
    `consents`: every consent of the case, when the caller has already read them."""
    if case.phase == Phase.HANDED_OVER:
        return _("The case is waiting for the receiving desk to accept or return it.")
    if to == Phase.HANDED_OVER:
        return _("Hand the case over with its own page, which checks consent and the summary.")
    if to == Phase.CLOSED:
        return _("Close the case with its own page, which asks for the reason.")
    if to not in TRANSITIONS.get(case.phase, set()):
        return _("A case cannot go from %(from)s to %(to)s.") % {
            "from": Phase(case.phase).label,
            "to": Phase(to).label,
        }
    needs_consent = to in (Phase.INTAKE, Phase.PREPARATION, Phase.READY_TO_DEPART)
    if (needs_consent or to in NATIONAL_PHASES) and consent_in_force(
        case, Consent.Purpose.CASE_MANAGEMENT, consents=consents
    ) is None:
        return _("Record the person's consent to case management first.")
    if to == Phase.READY_TO_DEPART and not case.person.return_country:
        return _("Record the country the person returns to first.")
    return None

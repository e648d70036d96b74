"""Handing a case over to a national desk, and the receiving desk's answer."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Membership, Organisation
from retorno.accounts.roles import Capability, Role
from retorno.cases import hooks, notifications
from retorno.cases.actions.common import event
from retorno.cases.models import (
    Assignment,
    Case,
    Consent,
    Handover,
    Phase,
)
from retorno.cases.rules import (
    audit_case,
    consent_in_force,
    require_capability,
    require_case_owner,
)
from retorno.lib.errors import ActionError


def handover_problem(case: Case) -> ActionError | None:
    """Why the case cannot be handed over now, whatever is written in the handover; None when
    it can. The handover page says it before anything is typed, and hand_over_case refuses
    with it. (Consent to the transfer is checked apart: the page offers to record it.)"""
    if case.phase == Phase.HANDED_OVER:
        return ActionError(
            _("This case was already handed over on %(date)s.")
            % {"date": format_date(case.handed_over_at)},
            code="already_done",
        )
    if case.owning_desk.kind != Organisation.Kind.EUROPEAN_DESK:
        return ActionError(
            _(
                "Only a European desk hands a case over to a national desk. This case is "
                "already at %(desk)s."
            )
            % {"desk": case.owning_desk.local_name},
            code="forbidden",
        )
    if case.phase == Phase.CLOSED:
        return ActionError(_("This case is closed. Reopen it first."), code="closed")
    if case.phase != Phase.READY_TO_DEPART:
        return ActionError(
            _(
                "This case is in %(phase)s. Move it to Ready to depart before handing it over: "
                "that needs the person's consent to case management and the country they "
                "return to."
            )
            % {"phase": Phase(case.phase).label},
            code="not_ready",
        )
    return None


@transaction.atomic
def hand_over_case(
    case: Case,
    *,
    actor,
    to_desk: Organisation,
    situation: str,
    needs: str,
    travel_date,
    plan_so_far: str = "",
    risks: str = "",
    promises: str = "",
) -> Handover:
    require_case_owner(actor, case)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "owning_desk")
        .get(pk=case.pk)
    )
    problem = handover_problem(case)
    if problem is not None:
        raise ActionError(problem.message, code=problem.code)
    consent = consent_in_force(case, Consent.Purpose.TRANSFER)
    if consent is None:
        raise ActionError(
            _("Record the person's consent to transfer the case to the national desk first."),
            code="no_consent",
        )
    if to_desk.kind != Organisation.Kind.NATIONAL_DESK or not to_desk.is_active:
        raise ActionError(_("Choose a national desk"), field="to_desk")
    if case.person.return_country and to_desk.country != case.person.return_country:
        raise ActionError(
            _("Choose the national desk of the country the person returns to (%(country)s).")
            % {"country": case.person.return_country.name},
            field="to_desk",
        )
    if not situation.strip():
        raise ActionError(_("Describe the person's situation"), field="situation")
    if not needs.strip():
        raise ActionError(_("Describe the person's needs"), field="needs")
    handover = Handover.objects.create(
        case=case,
        from_desk=case.owning_desk,
        to_desk=to_desk,
        situation=situation.strip(),
        needs=needs.strip(),
        plan_so_far=plan_so_far.strip(),
        risks=risks.strip(),
        promises=promises.strip(),
        travel_date=travel_date,
        consent=consent,
        sent_by=actor,
    )
    previous = case.phase
    case.phase = Phase.HANDED_OVER
    case.phase_changed_at = timezone.now()
    case.handed_over_at = case.phase_changed_at
    case.travel_date = travel_date
    case.version += 1
    case.save(
        update_fields=[
            "phase",
            "phase_changed_at",
            "handed_over_at",
            "travel_date",
            "updated_at",
            "version",
        ]
    )
    audit_case(
        "case.handed_over",
        actor=actor,
        case=case,
        changes={"phase": [previous, Phase.HANDED_OVER]},
        detail={"to": to_desk.code, "handover": str(handover.public_id)},
    )
    event(case, "handed_over", actor=actor, to_desk=to_desk.name, travel_date=str(travel_date))
    transaction.on_commit(lambda: _notify_receiving_desk(handover))
    return handover


def format_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def _notify_receiving_desk(handover: Handover) -> None:
    """Emails the receiving coordinators; no names, only the reference and a link."""
    coordinators = Membership.objects.filter(
        organisation=handover.to_desk,
        role=Role.COORDINATOR,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    link = notifications.link(reverse("cases:handover", args=[handover.public_id]))
    for membership in coordinators:
        notifications.email_user(
            membership.user,
            "cases/email/handover",
            {"handover": handover, "link": link},
            desk=handover.to_desk,
        )


def notify_assigned(case: Case, user, *, actor) -> None:
    """Tell a caseworker, after commit, that a case was assigned to her; not when she assigned
    it to herself."""
    if actor is None or actor.pk == user.pk:
        return
    desk = case.owning_desk
    link = notifications.link(reverse("cases:case", args=[case.public_id]))

    def send():
        notifications.email_user(
            user, "cases/email/assigned", {"case": case, "desk": desk, "link": link}, desk=desk
        )

    transaction.on_commit(send)


@transaction.atomic
def accept_handover(handover: Handover, *, actor, caseworker) -> Case:
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("case", "to_desk")
        .get(pk=handover.pk)
    )
    case = handover.case
    require_capability(actor, Capability.MANAGE_CASES)
    if actor.organisation is None or handover.to_desk_id != actor.organisation.pk:
        raise ActionError(_("Only the receiving desk's coordinators decide."), code="forbidden")
    if handover.status != Handover.Status.PENDING:
        raise ActionError(
            _("This handover was already decided on %(date)s.")
            % {"date": format_date(handover.decided_at)},
            code="already_done",
        )
    works_here = Membership.objects.filter(
        user=caseworker,
        organisation=handover.to_desk,
        role__in=[Role.CASEWORKER, Role.COORDINATOR],
        is_active=True,
        user__is_active=True,
    ).exists()
    if not works_here:
        raise ActionError(
            _("Choose a caseworker of %(desk)s.") % {"desk": handover.to_desk.local_name},
            field="caseworker",
        )
    handover.status = Handover.Status.ACCEPTED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_by", "decided_at"])
    from_desk = case.owning_desk
    Assignment.objects.filter(case=case).delete()
    Assignment.objects.create(case=case, user=caseworker, assigned_by=actor)
    case.owning_desk = handover.to_desk
    case.phase = Phase.RECEPTION
    case.phase_changed_at = handover.decided_at
    case.version += 1
    case.save(update_fields=["owning_desk", "phase", "phase_changed_at", "updated_at", "version"])
    audit_case(
        "case.handover_accepted",
        actor=actor,
        case=case,
        changes={
            "owning_desk": [from_desk.code, handover.to_desk.code],
            "phase": [Phase.HANDED_OVER, Phase.RECEPTION],
        },
        detail={"caseworker": caseworker.username, "handover": str(handover.public_id)},
    )
    event(
        case,
        "handover_accepted",
        actor=actor,
        to_desk=handover.to_desk.name,
        from_desk=from_desk.name,
        caseworker=caseworker.get_full_name() or caseworker.username,
    )
    hooks.run_phase_changed(case, actor=actor, previous=Phase.HANDED_OVER)
    notify_assigned(case, caseworker, actor=actor)
    return case


@transaction.atomic
def return_handover(handover: Handover, *, actor, reason: str) -> Case:
    handover = (
        Handover.objects.select_for_update(of=("self",)).select_related("case").get(pk=handover.pk)
    )
    require_capability(actor, Capability.MANAGE_CASES)
    if actor.organisation is None or handover.to_desk_id != actor.organisation.pk:
        raise ActionError(_("Only the receiving desk's coordinators decide."), code="forbidden")
    if handover.status != Handover.Status.PENDING:
        raise ActionError(
            _("This handover was already decided on %(date)s.")
            % {"date": format_date(handover.decided_at)},
            code="already_done",
        )
    if not reason.strip():
        raise ActionError(_("Say why the case is sent back"), field="reason")
    return send_back_handover(handover, actor=actor, reason=reason.strip())


def send_back_handover(handover: Handover, *, actor, reason: str) -> Case:
    case = handover.case
    handover.status = Handover.Status.RETURNED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.return_reason = reason
    handover.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    case.phase = Phase.READY_TO_DEPART
    case.phase_changed_at = handover.decided_at
    case.handed_over_at = None
    case.version += 1
    case.save(
        update_fields=["phase", "phase_changed_at", "handed_over_at", "updated_at", "version"]
    )
    audit_case(
        "case.handover_returned",
        actor=actor,
        case=case,
        changes={"phase": [Phase.HANDED_OVER, Phase.READY_TO_DEPART]},
        detail={"reason": reason, "handover": str(handover.public_id)},
    )
    event(case, "handover_returned", actor=actor, to_desk=handover.to_desk.name, reason=reason)
    return case

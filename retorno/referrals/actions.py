"""Every change to referrals. The desk sends; the partner (or the desk on behalf of an
organisation that is not on Retorno) accepts, declines, reports progress and closes."""

import datetime
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from retorno.accounts.models import Membership, Organisation
from retorno.accounts.roles import Capability, Role
from retorno.audit.events import record
from retorno.cases.actions import event
from retorno.cases.models import Consent
from retorno.cases.rules import audit_case, consent_in_force, require_case_open, require_case_owner
from retorno.lib.errors import ActionError
from retorno.referrals import access, sharing
from retorno.referrals.models import Referral, ReferralCounter, ReferralUpdate

DEFAULT_REPLY_DAYS = 10

# Which status may follow which, and who moves it.
NEXT = {
    Referral.Status.SENT: {Referral.Status.ACCEPTED, Referral.Status.DECLINED},
    Referral.Status.ACCEPTED: {
        Referral.Status.IN_PROGRESS,
        Referral.Status.COMPLETED,
        Referral.Status.NOT_DELIVERED,
        Referral.Status.DECLINED,
    },
    Referral.Status.IN_PROGRESS: {Referral.Status.COMPLETED, Referral.Status.NOT_DELIVERED},
}
NEEDS_REASON = {Referral.Status.DECLINED, Referral.Status.NOT_DELIVERED}


def _next_reference() -> str:
    year = timezone.localdate().year
    counter, _created = ReferralCounter.objects.select_for_update().get_or_create(year=year)
    ReferralCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"R-{year}-{counter.last:04d}"


def recipient_for(service) -> Organisation | None:
    # Read fresh: the link may have been made a moment ago (ensure_partner_organisation).
    return Organisation.objects.filter(directory_entries=service.organization_id).first()


def sharing_consent(case, service):
    """The consent in force to share with the service's organisation, or None."""
    partner = recipient_for(service)
    if partner is None:
        return None
    return consent_in_force(case, Consent.Purpose.PARTNER_SHARING, partner=partner)


@transaction.atomic
def ensure_partner_organisation(directory_organization, *, actor) -> Organisation:
    """An organisation of the directory that is not on Retorno gets a partner record, so the
    person's consent to share with it can name it (it has no users: referrals to it go by
    letter and the desk records the answers)."""
    directory_organization.refresh_from_db()
    if directory_organization.retorno_organisation_id:
        return directory_organization.retorno_organisation
    if not actor.can(Capability.WORK_CASES):
        raise ActionError(_("Your role does not allow this."), code="forbidden")
    base = re.sub(r"[^A-Z]", "", directory_organization.name.upper())[:6] or "ORG"
    code, n = base, 1
    while Organisation.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:9]}{n}"
    partner = Organisation.objects.create(
        code=code,
        name=directory_organization.name[:200],
        kind=Organisation.Kind.PARTNER,
        country=directory_organization.country,
        city=(directory_organization.locations.values_list("city", flat=True).first() or "")[:100],
    )
    type(directory_organization).objects.filter(pk=directory_organization.pk).update(
        retorno_organisation=partner
    )

    record(
        "organisation.created",
        actor=actor,
        target=partner,
        detail={"for_directory_entry": str(directory_organization.public_id)},
    )
    return partner


@transaction.atomic
def refer(
    case,
    *,
    actor,
    service,
    need: str,
    shared_fields: list[str],
    plan_action=None,
) -> Referral:
    require_case_owner(actor, case)
    require_case_open(case)
    if not need.strip():
        raise ActionError(_("Say what the person needs from this service"), field="need")
    unknown = set(shared_fields) - set(sharing.BY_CODE)
    if unknown:
        raise ActionError(_("Choose what to share from the list."), field="shared_fields")
    if (
        "name" not in shared_fields
        and "phone" not in shared_fields
        and "email" not in shared_fields
    ):
        raise ActionError(
            _("Share at least a name or a way to contact the person, or the service cannot help."),
            field="shared_fields",
        )
    if plan_action is not None and (
        plan_action.goal.plan.case_id != case.pk or plan_action.goal.plan.status != "approved"
    ):
        raise ActionError(_("Refer from an action of the approved plan."))
    if service.status != "active" or not service.organization.is_active:
        raise ActionError(_("This service is not active. Choose another one."), field="service")
    partner = recipient_for(service)
    consent = sharing_consent(case, service)
    if consent is None:
        raise ActionError(
            _(
                "The person has not agreed to share their data with %(organisation)s. Record "
                "their consent first."
            )
            % {"organisation": service.organization.name},
            code="no_consent",
        )
    if Referral.objects.filter(case=case, service=service, status__in=Referral.OPEN).exists():
        raise ActionError(
            _("There is already an open referral of this person to this service."),
            code="already_done",
        )
    days = getattr(case.owning_desk, "referral_reply_days", None) or DEFAULT_REPLY_DAYS
    ordered = [f.code for f in sharing.FIELDS if f.code in shared_fields]
    referral = Referral.objects.create(
        reference=_next_reference(),
        case=case,
        plan_action=plan_action,
        service=service,
        recipient=partner if partner.memberships.filter(is_active=True).exists() else None,
        from_desk=case.owning_desk,
        need=need.strip(),
        shared_fields=ordered,
        reply_by=timezone.localdate() + datetime.timedelta(days=days),
        sent_by=actor,
    )
    ReferralUpdate.objects.create(
        referral=referral,
        author=actor,
        author_name=actor.get_full_name() or actor.get_username(),
        author_organisation=actor.organisation,
        status=Referral.Status.SENT,
        text="",
    )
    sensitive = [c for c in ordered if sharing.BY_CODE[c].sensitive]
    audit_case(
        "referral.sent",
        actor=actor,
        case=case,
        detail={
            "referral": referral.reference,
            "service": service.name,
            "organisation": service.organization.name,
            "shared": ordered,
            "sensitive_shared": sensitive,
            "consent": str(consent.public_id),
        },
    )
    event(case, "referral_sent", actor=actor, reference=referral.reference, service=service.name)
    if plan_action is not None and plan_action.status == "planned":
        type(plan_action).objects.filter(pk=plan_action.pk).update(status="in_progress")
    if referral.recipient_id is not None:
        transaction.on_commit(lambda: _notify_partner(referral))
    return referral


def _notify_partner(referral: Referral) -> None:
    """Emails the receiving organisation's people, each in their language; no names, only the
    reference, the service and a link (as for handovers)."""
    members = Membership.objects.filter(
        organisation_id=referral.recipient_id,
        role=Role.PARTNER,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    link = settings.SITE_URL + reverse("referrals:inbox_detail", args=[referral.public_id])
    for membership in members:
        user = membership.user
        if not user.email:
            continue
        with translation.override(user.preferred_language or "es"):
            context = {"referral": referral, "link": link, "user": user}
            subject = render_to_string("referrals/email/referral_subject.txt", context).strip()
            body = render_to_string("referrals/email/referral_message.txt", context)
        send_mail(subject, body, None, [user.email])


def _may_answer(referral, actor) -> bool:
    return access.may_answer(actor, referral)


# What each outcome closes the referral as.
OUTCOME_STATUS = {
    Referral.Outcome.COMPLETED: Referral.Status.COMPLETED,
    Referral.Outcome.CERTIFICATE: Referral.Status.COMPLETED,
    Referral.Outcome.DROPPED_OUT: Referral.Status.NOT_DELIVERED,
    Referral.Outcome.NOT_DELIVERED: Referral.Status.NOT_DELIVERED,
}


@transaction.atomic
def change_status(referral: Referral, *, actor, status: str, text: str = "") -> Referral:
    """Accept, decline or start. Closing as completed or not delivered records the outcome
    (dated today), as `record_outcome` does."""
    if status in (Referral.Status.COMPLETED, Referral.Status.NOT_DELIVERED):
        return record_outcome(
            referral, actor=actor, outcome=status, outcome_on=timezone.localdate(), note=text
        )
    return _move(referral, actor=actor, status=status, text=text)


@transaction.atomic
def record_outcome(
    referral: Referral, *, actor, outcome: str, outcome_on: datetime.date | None, note: str = ""
) -> Referral:
    """The partner (or the desk for an organisation off Retorno) says how the service ended:
    completed, completed with a certificate, dropped out, or not delivered, and when."""
    if outcome not in Referral.Outcome.values:
        raise ActionError(_("Choose how the service ended"), field="outcome")
    if outcome_on is None:
        raise ActionError(_("Enter the date"), field="outcome_on")
    if outcome_on > timezone.localdate():
        raise ActionError(_("The date cannot be in the future"), field="outcome_on")
    sent_on = timezone.localtime(referral.sent_at).date()
    if outcome_on < sent_on:
        raise ActionError(
            _("The date cannot be before the referral was sent (%(date)s)")
            % {"date": date_format(sent_on, "DATE_FORMAT")},
            field="outcome_on",
        )
    if outcome == Referral.Outcome.NOT_DELIVERED and not note.strip():
        raise ActionError(_("Say why the service was not delivered"), field="note")
    return _move(
        referral,
        actor=actor,
        status=OUTCOME_STATUS[outcome],
        text=note,
        outcome=outcome,
        outcome_on=outcome_on,
    )


@transaction.atomic
def _move(
    referral: Referral, *, actor, status: str, text: str = "", outcome: str = "", outcome_on=None
) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "plan_action", "service")
        .get(pk=referral.pk)
    )
    if status not in Referral.Status.values:
        raise ActionError(_("Choose a status of the list."), field="status")
    if not _may_answer(referral, actor):
        raise ActionError(
            _("Only the receiving organisation answers this referral."), code="forbidden"
        )
    if referral.status == status:
        raise ActionError(
            _("This referral is already %(status)s.")
            % {"status": Referral.Status(status).label.lower()},
            code="already_done",
        )
    if status not in NEXT.get(referral.status, set()):
        raise ActionError(
            _("A referral cannot go from %(from)s to %(to)s.")
            % {"from": referral.get_status_display(), "to": Referral.Status(status).label},
            code="invalid",
        )
    if status == Referral.Status.DECLINED and not text.strip():
        raise ActionError(_("Give the reason"), field="reason")
    previous = referral.status
    changes = {"status": [previous, status]}
    referral.status = status
    referral.version += 1
    fields = ["status", "version", "updated_at"]
    if status in NEEDS_REASON and text.strip():
        referral.reason = text.strip()
        fields.append("reason")
    if status in Referral.CLOSED:
        referral.closed_at = timezone.now()
        fields.append("closed_at")
    if referral.opened_at is None and access.is_partner_of(actor, referral):
        referral.opened_at = timezone.now()  # answering it, they read it
        fields.append("opened_at")
    if outcome:
        changes["outcome"] = [referral.outcome, outcome]
        changes["outcome_on"] = [
            referral.outcome_on.isoformat() if referral.outcome_on else None,
            outcome_on.isoformat(),
        ]
        referral.outcome, referral.outcome_on = outcome, outcome_on
        fields += ["outcome", "outcome_on"]
    referral.save(update_fields=fields)
    ReferralUpdate.objects.create(
        referral=referral,
        author=actor,
        author_name=actor.get_full_name() or actor.get_username(),
        author_organisation=actor.organisation,
        status=status,
        text=text.strip(),
        on_behalf=not referral.on_retorno,
    )
    audit_case(
        f"referral.{status}",
        actor=actor,
        case=referral.case,
        changes=changes,
        detail={"referral": referral.reference, "on_behalf": not referral.on_retorno},
    )
    event(
        referral.case,
        "referral_status",
        actor=actor,
        reference=referral.reference,
        service=referral.service.name,
        status=status,
        outcome=outcome,
    )
    # The plan action follows the referral: done when the service is delivered.
    action = referral.plan_action
    if action is not None:
        if status == Referral.Status.COMPLETED:
            type(action).objects.filter(pk=action.pk).update(status="done")
        elif (
            status in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS)
            and action.status == "planned"
        ):
            type(action).objects.filter(pk=action.pk).update(status="in_progress")
    return referral


def accept_referral(referral, *, actor, text: str = "") -> Referral:
    return change_status(referral, actor=actor, status=Referral.Status.ACCEPTED, text=text)


def complete_referral(referral, *, actor, text: str = "") -> Referral:
    return change_status(referral, actor=actor, status=Referral.Status.COMPLETED, text=text)


def not_delivered(referral, *, actor, reason: str) -> Referral:
    return change_status(referral, actor=actor, status=Referral.Status.NOT_DELIVERED, text=reason)


@transaction.atomic
def add_update(referral: Referral, *, actor, text: str) -> ReferralUpdate:
    if not (access.may_answer(actor, referral) or access.may_manage(actor, referral)):
        raise ActionError(_("Your role does not allow this."), code="forbidden")
    if not text.strip():
        raise ActionError(_("Write the update"), field="text")
    update = ReferralUpdate.objects.create(
        referral=referral,
        author=actor,
        author_name=actor.get_full_name() or actor.get_username(),
        author_organisation=actor.organisation,
        text=text.strip(),
    )
    Referral.objects.filter(pk=referral.pk).update(updated_at=timezone.now())
    audit_case(
        "referral.updated", actor=actor, case=referral.case, detail={"referral": referral.reference}
    )
    event(referral.case, "referral_note", actor=actor, reference=referral.reference)
    return update


@transaction.atomic
def record_view(referral: Referral, *, actor) -> None:
    """A partner reading the shared data is a read of a person's record: audited. The first
    read by the receiving organisation marks the referral as opened there (no longer unread)."""
    if referral.opened_at is None and access.is_partner_of(actor, referral):
        referral.opened_at = timezone.now()
        Referral.objects.filter(pk=referral.pk, opened_at__isnull=True).update(
            opened_at=referral.opened_at
        )
    audit_case(
        "referral.viewed", actor=actor, case=referral.case, detail={"referral": referral.reference}
    )


def record_letter(referral: Referral, *, actor, language: str) -> None:
    audit_case(
        "referral.letter_printed",
        actor=actor,
        case=referral.case,
        detail={"referral": referral.reference, "language": language},
    )


def close_referrals_without_consent(consent, *, actor) -> list[str]:
    """Withdrawing consent to share with a partner closes the open referrals to it at once."""
    if consent.purpose != Consent.Purpose.PARTNER_SHARING or consent.partner_id is None:
        return []
    open_referrals = Referral.objects.filter(
        case=consent.case,
        status__in=Referral.OPEN,
        service__organization__retorno_organisation=consent.partner,
    )
    closed = 0
    for referral in open_referrals:
        referral.status = Referral.Status.NOT_DELIVERED
        referral.reason = str(_("The person withdrew consent to share their data."))
        referral.closed_at = timezone.now()
        referral.version += 1
        referral.save(update_fields=["status", "reason", "closed_at", "version", "updated_at"])
        ReferralUpdate.objects.create(
            referral=referral,
            author=actor,
            author_name=actor.get_full_name() or actor.get_username(),
            author_organisation=actor.organisation,
            status=Referral.Status.NOT_DELIVERED,
            text=referral.reason,
        )
        event(
            consent.case,
            "referral_status",
            actor=actor,
            reference=referral.reference,
            service=referral.service.name,
            status=Referral.Status.NOT_DELIVERED,
        )
        audit_case(
            "referral.not_delivered",
            actor=actor,
            case=consent.case,
            detail={"referral": referral.reference, "reason": "consent_withdrawn"},
        )
        closed += 1
    if not closed:
        return []

    return [
        ngettext("%(n)s open referral was closed.", "%(n)s open referrals were closed.", closed)
        % {"n": closed}
    ]

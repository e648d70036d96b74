"""The triage of leads by the staff of the desk they are for: contacted (the lead stays open and
is no longer flagged), not interested, a duplicate, or turned into an inquiry case with the
person's data carried over; a closed lead reopened; where each region's leads go and a desk's
days to answer and to keep; and the periodic erasure of leads closed without a case.

Every change is audited with the lead as its target and the desk as the organisation; two people
triaging one lead cannot overwrite each other (`Lead.version`).

What a conversion carries over to the person's record (and nothing else): the given names; the
surnames, split into a first and a second surname (the first word, with the particles before it
such as "de la" or "da", is the first surname; the rest is the second); the phone, as the phone
in Europe (in E.164 when it can be read, else as typed); the email address; the country of
return; the preferred language as the person's language; and where the person lives
("province (region)") as the address in Europe, which tells the caseworker where they are.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.audit.events import diff, record
from retorno.cases import actions as case_actions
from retorno.cases.rules import phone_country
from retorno.lib.errors import ActionError
from retorno.lib.validation import parse_phone
from retorno.outreach import regions
from retorno.outreach.access import european_desk_of
from retorno.outreach.actions.common import check_version
from retorno.outreach.actions.public import settings_of
from retorno.outreach.models import DeskOutreach, Lead, RegionRule

VERBS = {
    "lead.viewed": gettext_lazy("Lead read"),
    "lead.contacted": gettext_lazy("Lead marked as contacted"),
    "lead.not_interested": gettext_lazy("Lead closed: not interested"),
    "lead.duplicate": gettext_lazy("Lead closed: duplicate"),
    "lead.converted": gettext_lazy("Lead turned into an inquiry case"),
    "lead.reopened": gettext_lazy("Lead reopened"),
    "lead.erased": gettext_lazy("Expired leads erased"),
    "outreach.region_rule_set": gettext_lazy("Desk for a region's leads set"),
    "outreach.desk_settings_set": gettext_lazy("Desk's days for leads set"),
}

PARTICLES = {"de", "del", "della", "di", "da", "das", "do", "dos", "la", "las", "los", "y", "e"}


# --- Who may ----------------------------------------------------------------------------------


def require_lead_worker(actor, lead: Lead) -> None:
    desk = european_desk_of(actor)
    if desk is None or desk.pk != lead.desk_id:
        raise ActionError(
            _("Only the staff of the desk the lead is for can do this."), code="forbidden"
        )


def require_open(lead: Lead) -> None:
    if not lead.is_open:
        raise ActionError(
            _("This lead is closed already. Reopen it first if it needs more work."),
            code="closed",
        )


def may_set_region_rules(user) -> bool:
    """Where each region's leads go: programme coordination and administrators, who see every
    desk (a desk's coordinator would otherwise take another desk's regions)."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    if membership is None:
        return False
    if user.can(Capability.MANAGE_ORGANISATIONS):
        return True
    return (
        user.can(Capability.MANAGE_CASES)
        and membership.organisation.kind == Organisation.Kind.COORDINATION
    )


def desks_settable_by(user) -> list[Organisation]:
    """The European desks whose days for leads the user may set: their own desk for its
    coordinators; every active European desk for programme coordination and administrators."""
    if may_set_region_rules(user):
        return list(
            Organisation.objects.filter(
                kind=Organisation.Kind.EUROPEAN_DESK, is_active=True
            ).order_by("code")
        )
    desk = european_desk_of(user)
    if desk is not None and user.can(Capability.MANAGE_CASES):
        return [desk]
    return []


# --- Triage -----------------------------------------------------------------------------------


def _lock(lead: Lead, version) -> Lead:
    fresh = Lead.objects.select_for_update().get(pk=lead.pk)
    check_version(fresh, version, _("lead"))
    return fresh


def _close(lead: Lead, status: str, *, now) -> None:
    lead.status = status
    lead.closed_at = now
    if status == Lead.Status.CONVERTED:
        lead.erase_after = None
    else:
        days = settings_of(lead.desk).retention_days
        lead.erase_after = timezone.localdate(now) + datetime.timedelta(days=days)


def _save(lead: Lead, *, actor, now, fields: list[str]) -> Lead:
    lead.triaged_by = actor
    lead.triaged_at = now
    lead.version += 1
    lead.save(update_fields=[*fields, "triaged_by", "triaged_at", "version", "updated_at"])
    return lead


def _note(lead: Lead, note: str, now) -> str:
    note = (note or "").strip()
    if not note:
        return lead.note
    stamp = timezone.localtime(now).strftime("%Y-%m-%d")
    return f"{lead.note}\n\n{stamp}: {note}".strip() if lead.note else f"{stamp}: {note}"


def _audit(verb, lead: Lead, *, actor, changes=None, detail=None):
    return record(
        verb, actor=actor, target=lead, organisation=lead.desk, changes=changes, detail=detail
    )


@transaction.atomic
def mark_contacted(lead: Lead, *, actor, version, note: str = "") -> Lead:
    """The person was reached: the lead stays open, and is no longer flagged on My work."""
    require_lead_worker(actor, lead)
    lead = _lock(lead, version)
    require_open(lead)
    if not (note or "").strip():
        raise ActionError(_("Write what you agreed with the person."), field="note")
    now = timezone.now()
    changes = diff(lead, {"status": Lead.Status.CONTACTED})
    lead.status = Lead.Status.CONTACTED
    lead.note = _note(lead, note, now)
    _save(lead, actor=actor, now=now, fields=["status", "note"])
    # The note stays on the lead (erased with it), never in the audit trail, which is kept.
    _audit("lead.contacted", lead, actor=actor, changes=changes)
    return lead


@transaction.atomic
def mark_not_interested(lead: Lead, *, actor, version, note: str = "") -> Lead:
    require_lead_worker(actor, lead)
    lead = _lock(lead, version)
    require_open(lead)
    now = timezone.now()
    changes = diff(lead, {"status": Lead.Status.NOT_INTERESTED})
    lead.note = _note(lead, note, now)
    _close(lead, Lead.Status.NOT_INTERESTED, now=now)
    _save(lead, actor=actor, now=now, fields=["status", "note", "closed_at", "erase_after"])
    _audit("lead.not_interested", lead, actor=actor, changes=changes)
    return lead


@transaction.atomic
def mark_duplicate(lead: Lead, *, actor, version, note: str = "", case_reference: str = "") -> Lead:
    """The person asked already: another lead, or a case (its reference, when known)."""
    require_lead_worker(actor, lead)
    lead = _lock(lead, version)
    require_open(lead)
    case_reference = (case_reference or "").strip()
    if not (note or "").strip() and not case_reference:
        raise ActionError(
            _("Write which lead or case this one repeats, so that others can find it."),
            field="note",
        )
    now = timezone.now()
    changes = diff(lead, {"status": Lead.Status.DUPLICATE})
    text = note
    if case_reference:
        text = _("Duplicate of case %(reference)s. %(note)s") % {
            "reference": case_reference,
            "note": (note or "").strip(),
        }
    lead.note = _note(lead, text, now)
    _close(lead, Lead.Status.DUPLICATE, now=now)
    _save(lead, actor=actor, now=now, fields=["status", "note", "closed_at", "erase_after"])
    _audit("lead.duplicate", lead, actor=actor, changes=changes, detail={"case": case_reference})
    return lead


def split_surnames(surnames: str) -> tuple[str, str]:
    """("Quispe Huamán") -> ("Quispe", "Huamán"); ("De la Cruz Mendoza") -> ("De la Cruz",
    "Mendoza"); ("da Silva") -> ("da Silva", "")."""
    words = (surnames or "").split()
    first: list[str] = []
    while words:
        word = words.pop(0)
        first.append(word)
        if word.lower() not in PARTICLES:
            break
    return " ".join(first), " ".join(words)


def person_from(lead: Lead, desk: Organisation) -> dict:
    """The person's record as the lead tells it (see the module's docstring)."""
    first, second = split_surnames(lead.surnames)
    phone = ""
    if lead.phone:
        region = phone_country("phone_europe", desk=desk, return_country=str(lead.return_country))
        try:
            phone = parse_phone(lead.phone, region, strict=False)
        except ValidationError:
            phone = lead.phone
    place = regions.region_name(lead.region)
    return {
        "given_names": lead.given_names,
        "first_surname": first,
        "second_surname": second,
        "phone_europe": phone,
        "email": lead.email,
        "return_country": str(lead.return_country),
        "languages": [lead.language],
        "address_europe": f"{lead.province} ({place})" if lead.province else place,
    }


@transaction.atomic
def convert_to_inquiry(lead: Lead, *, actor, version, confirmed_not_duplicate=False) -> Lead:
    """Open an inquiry case at the desk for the person, with their data carried over and the
    registration's duplicate check (PossibleDuplicate: nothing saved until confirmed)."""
    require_lead_worker(actor, lead)
    lead = _lock(lead, version)
    require_open(lead)
    case = case_actions.register_inquiry(
        actor=actor,
        person=person_from(lead, lead.desk),
        confirmed_not_duplicate=confirmed_not_duplicate,
        source_note=lead.reference,
    )
    now = timezone.now()
    changes = diff(lead, {"status": Lead.Status.CONVERTED})
    lead.case = case
    _close(lead, Lead.Status.CONVERTED, now=now)
    _save(lead, actor=actor, now=now, fields=["status", "case", "closed_at", "erase_after"])
    _audit(
        "lead.converted",
        lead,
        actor=actor,
        changes=changes,
        detail={"case": case.reference, "confirmed_not_duplicate": bool(confirmed_not_duplicate)},
    )
    return lead


@transaction.atomic
def reopen_lead(lead: Lead, *, actor, version, note: str = "") -> Lead:
    """A lead closed without a case back to contacted, while it is still kept."""
    require_lead_worker(actor, lead)
    lead = _lock(lead, version)
    if lead.is_open:
        raise ActionError(_("This lead is open already."), code="open")
    if lead.status == Lead.Status.CONVERTED:
        raise ActionError(_("This lead became a case: work on the case instead."), code="converted")
    today = timezone.localdate()
    if lead.erase_after is not None and lead.erase_after <= today:
        raise ActionError(_("This lead is past its retention period and is being erased."))
    now = timezone.now()
    changes = diff(lead, {"status": Lead.Status.CONTACTED})
    lead.status = Lead.Status.CONTACTED
    lead.closed_at = None
    lead.erase_after = None
    lead.note = _note(lead, note, now)
    _save(lead, actor=actor, now=now, fields=["status", "closed_at", "erase_after", "note"])
    _audit("lead.reopened", lead, actor=actor, changes=changes)
    return lead


def record_lead_view(lead: Lead, *, actor) -> None:
    """Every read of a lead's page is an audit event, as every read of a person's record."""
    _audit("lead.viewed", lead, actor=actor)


# --- Settings ---------------------------------------------------------------------------------


@transaction.atomic
def set_region_rule(region: str, desk: Organisation, *, actor) -> RegionRule:
    """The European desk that answers the leads of people living in `region`. Leads already
    received stay where they are."""
    if not may_set_region_rules(actor):
        raise ActionError(
            _("Only programme coordination and administrators set where leads go."),
            code="forbidden",
        )
    if region not in regions.REGION_NAMES:
        raise ActionError(_("Choose a region."), field="region")
    if desk is None or desk.kind != Organisation.Kind.EUROPEAN_DESK or not desk.is_active:
        raise ActionError(_("Choose a European desk that is open."), field="desk")
    rule = RegionRule.objects.select_for_update().filter(region=region).first()
    before = rule.desk.code if rule is not None else ""
    if rule is None:
        rule = RegionRule.objects.create(region=region, desk=desk)
    elif rule.desk_id != desk.pk:
        rule.desk = desk
        rule.save(update_fields=["desk", "updated_at"])
    record(
        "outreach.region_rule_set",
        actor=actor,
        target=rule,
        changes={"desk": [before, desk.code]} if before != desk.code else {},
        detail={"region": region},
    )
    return rule


@transaction.atomic
def set_desk_outreach(desk: Organisation, *, actor, response_days, retention_days) -> DeskOutreach:
    """A desk's days to answer a new lead and to keep a lead closed without a case."""
    if desk is None or desk.pk not in {d.pk for d in desks_settable_by(actor)}:
        raise ActionError(
            _("Only the desk's coordinators and programme coordination set these days."),
            code="forbidden",
        )
    try:
        response_days, retention_days = int(response_days), int(retention_days)
    except (TypeError, ValueError):
        raise ActionError(_("Write the days as whole numbers."), field="response_days") from None
    if not 1 <= response_days <= 60:
        raise ActionError(_("Choose between 1 and 60 days to answer."), field="response_days")
    if not 30 <= retention_days <= 730:
        raise ActionError(
            _("Keep leads between 30 and 730 days after they are closed."), field="retention_days"
        )
    current, _created = DeskOutreach.objects.select_for_update().get_or_create(desk=desk)
    changes = diff(current, {"response_days": response_days, "retention_days": retention_days})
    current.response_days = response_days
    current.retention_days = retention_days
    current.save()
    record(
        "outreach.desk_settings_set",
        actor=actor,
        target=desk,
        organisation=desk,
        changes=changes,
    )
    return current


# --- Retention --------------------------------------------------------------------------------


@transaction.atomic
def erase_expired_leads(*, today: datetime.date | None = None) -> dict[str, int]:
    """Delete the leads closed without a case whose day to be erased has passed; one audit
    event per desk with how many. Returns {desk code: count}."""
    today = today or timezone.localdate()
    expired = Lead.objects.filter(
        status__in=(Lead.Status.NOT_INTERESTED, Lead.Status.DUPLICATE),
        case__isnull=True,
        erase_after__lte=today,
    )
    by_desk: dict[int, list[int]] = {}
    for pk, desk_id in expired.values_list("pk", "desk_id"):
        by_desk.setdefault(desk_id, []).append(pk)
    erased = {}
    desks = Organisation.objects.in_bulk(list(by_desk))
    for desk_id, pks in by_desk.items():
        Lead.objects.filter(pk__in=pks).delete()
        desk = desks[desk_id]
        record(
            "lead.erased",
            actor=None,
            target=desk,
            organisation=desk,
            detail={"count": len(pks), "before": today.isoformat()},
        )
        erased[desk.code] = len(pks)
    return erased

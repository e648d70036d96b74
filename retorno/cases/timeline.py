"""Turning CaseEvent rows into translated timeline items."""

import datetime
import time
import zoneinfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.models import Organisation
from retorno.cases.models import (
    ClosedReason,
    Consent,
    HouseholdMember,
    JournalEntry,
    Phase,
    Priority,
)
from retorno.lib.plugins import registry

GROUPS = {
    "phase": (
        gettext_lazy("Phases and handover"),
        [
            "case_opened",
            "phase_changed",
            "closed",
            "reopened",
            "handed_over",
            "handover_accepted",
            "handover_returned",
        ],
    ),
    "journal": (gettext_lazy("Journal"), ["journal_added", "journal_amended"]),
    "tasks": (gettext_lazy("Tasks"), ["task_created", "task_completed", "task_reopened"]),
    "consent": (gettext_lazy("Consent"), ["consent_given", "consent_refused", "consent_withdrawn"]),
    "plan": (gettext_lazy("Plan and referrals"), []),
    "follow_up": (gettext_lazy("Follow-up"), []),
    "record": (
        gettext_lazy("Record changes"),
        [
            "person_updated",
            "household_added",
            "household_removed",
            "assigned",
            "unassigned",
            "priority_changed",
            "vulnerability_recorded",
            "marked_sensitive",
            "sensitive_removed",
            "assessment_recorded",
            "document_uploaded",
            "persons_merged",
        ],
    ),
}


def _date(value) -> str:
    try:
        return date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return value or ""


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def groups() -> dict:
    """The timeline's filter groups: code -> (label, kinds), with the kinds other apps declare
    in their plugin.py (plans, referrals and grants write theirs in "plan", monitoring in
    "follow_up")."""
    declared = registry().timeline_kinds
    return {
        code: (label, [*kinds, *(k for k in declared.get(code, ()) if k not in kinds)])
        for code, (label, kinds) in GROUPS.items()
    }


_DESKS: dict = {}
DESK_NAMES_SECONDS = 60


def _desk_name(stored: str) -> str:
    """An event keeps the desk's name as it was written; shown in the reader's language when
    it is still a desk's main name. The desks are read once a minute per server process."""

    if not stored:
        return stored
    cached = _DESKS.get("desks")
    if cached is None or time.monotonic() - cached[0] >= DESK_NAMES_SECONDS:
        desks = Organisation.objects.exclude(kind=Organisation.Kind.PARTNER).only(
            "name", "name_it", "name_es", "name_pt"
        )
        cached = (time.monotonic(), {desk.name: desk for desk in desks})
        _DESKS["desks"] = cached
    desk = cached[1].get(stored)
    return desk.local_name if desk is not None else stored


def title_and_text(event) -> tuple[str, str]:
    p = event.params or {}
    kind = event.kind
    describers = registry().describers
    if kind in describers:
        return describers[kind](p)
    if kind == "case_opened":
        return _("Case opened"), _("Opened at %(desk)s in the phase %(phase)s.") % {
            "desk": _desk_name(p.get("desk", "")),
            "phase": _label(Phase, p.get("phase")),
        }
    if kind == "phase_changed":
        return _("Phase changed to %(phase)s") % {"phase": _label(Phase, p.get("phase"))}, p.get(
            "note", ""
        )
    if kind == "closed":
        text = _("Reason: %(reason)s.") % {"reason": _label(ClosedReason, p.get("reason"))}
        if p.get("note"):
            text += " " + p["note"]
        return _("Case closed"), text
    if kind == "reopened":
        return _("Case reopened"), _("Back in the phase %(phase)s.") % {
            "phase": _label(Phase, p.get("phase"))
        }
    if kind == "handed_over":
        return _("Case handed over"), _("To %(desk)s, travel on %(date)s.") % {
            "desk": _desk_name(p.get("to_desk", "")),
            "date": _date(p.get("travel_date")),
        }
    if kind == "handover_accepted":
        return _("Handover accepted"), _(
            "%(desk)s owns the case; %(caseworker)s is its caseworker."
        ) % {
            "desk": _desk_name(p.get("to_desk", "")),
            "caseworker": p.get("caseworker", ""),
        }
    if kind == "handover_returned":
        return _("Handover sent back"), _("By %(desk)s: %(reason)s") % {
            "desk": _desk_name(p.get("to_desk", "")),
            "reason": p.get("reason", ""),
        }
    if kind in ("journal_added", "journal_amended"):
        label = _label(JournalEntry.Kind, p.get("kind"))
        if kind == "journal_amended":
            return _("%(kind)s corrected") % {"kind": label}, ""
        return label, ""
    if kind == "task_created":
        return _("Task added: %(title)s") % {"title": p.get("title", "")}, _(
            "For %(who)s, due %(date)s."
        ) % {"who": p.get("assignee", ""), "date": _date(p.get("due"))}
    if kind == "task_completed":
        return _("Task done: %(title)s") % {"title": p.get("title", "")}, ""
    if kind == "task_reopened":
        return _("Task reopened: %(title)s") % {"title": p.get("title", "")}, ""
    if kind in ("consent_given", "consent_refused", "consent_withdrawn"):
        purpose = _label(Consent.Purpose, p.get("purpose"))
        if p.get("partner"):
            purpose = f"{purpose} ({p['partner']})"
        titles = {
            "consent_given": _("Consent given"),
            "consent_refused": _("Consent refused"),
            "consent_withdrawn": _("Consent withdrawn"),
        }
        text = purpose
        if p.get("stopped"):
            text += ". " + " ".join(p["stopped"])
        return titles[kind], text
    if kind == "person_updated":
        return _("Personal details changed"), ""
    if kind == "household_added":
        return _("Household member added"), _label(
            HouseholdMember.Relationship, p.get("relationship")
        )
    if kind == "household_removed":
        return _("Household member removed"), _label(
            HouseholdMember.Relationship, p.get("relationship")
        )
    if kind == "assigned":
        return _("Caseworker assigned"), p.get("caseworker", "")
    if kind == "unassigned":
        return _("Caseworker unassigned"), p.get("caseworker", "")
    if kind == "priority_changed":
        return _("Priority changed to %(priority)s") % {
            "priority": _label(Priority, p.get("priority"))
        }, ""
    if kind == "vulnerability_recorded":
        return _("Vulnerability profile updated"), (
            _("The case is now sensitive.") if p.get("became_sensitive") else ""
        )
    if kind == "marked_sensitive":
        return _("Marked sensitive"), ""
    if kind == "sensitive_removed":
        return _("Sensitive flag removed"), p.get("reason", "")
    if kind == "assessment_recorded":
        return _("Needs assessment recorded"), ""
    if kind == "document_uploaded":
        return _("Document uploaded"), p.get("title", "")
    if kind == "persons_merged":
        return _("Duplicate records merged"), ""
    return kind, ""


def describe_events(events, *, viewer) -> list[dict]:
    """Timeline items with the time in the viewer's desk time zone, naming the other zone
    when the actor's desk is elsewhere ("16:30 Lima time")."""
    viewer_zone = timezone.get_current_timezone()
    items = []
    for event in events:
        title, text = title_and_text(event)
        other_zone = None
        desk = event.actor_desk
        if desk is not None and desk.time_zone and desk.time_zone != str(viewer_zone):
            try:
                zone = zoneinfo.ZoneInfo(desk.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
            if zone is not None:
                local = event.occurred_at.astimezone(zone)
                if local.utcoffset() != timezone.localtime(event.occurred_at).utcoffset():
                    # Naive, so that the template's time filter does not convert it back
                    # to the viewer's zone.
                    other_zone = {"time": local.replace(tzinfo=None), "city": desk.city}
        items.append(
            {
                "event": event,
                "title": title,
                "text": text,
                "other_zone": other_zone,
                "entry": event.journal_entry,
            }
        )
    return items

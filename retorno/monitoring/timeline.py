"""How monitoring events read on a case's timeline."""

from django.utils.translation import gettext as _

from retorno.monitoring.models import ContactAttempt, Method, Survey


def _method(p) -> str:
    value = p.get("method", "")
    return str(Method(value).label) if value in Method.values else value


def _reason(p) -> str:
    value = p.get("reason", "")
    return (
        str(ContactAttempt.Reason(value).label) if value in ContactAttempt.Reason.values else value
    )


def _scores(p) -> str:
    return " · ".join(
        f"{label} {p.get(code, '—')}"
        for code, label in (
            ("economic", _("economic")),
            ("social", _("social")),
            ("psychosocial", _("psychosocial")),
            ("composite", _("composite")),
        )
    )


def _kind(p) -> str:
    value = p.get("kind", "")
    return str(Survey.Kind(value).label) if value in Survey.Kind.values else value


DESCRIBERS = {
    "follow_ups_planned": lambda p: (
        _("Follow-ups planned"),
        _("Arrived on %(date)s; follow-ups at %(months)s months")
        % {
            "date": p.get("arrived_on", ""),
            "months": ", ".join(str(m) for m in p.get("months", [])),
        },
    ),
    "follow_ups_replanned": lambda p: (_("Follow-ups planned again"), ""),
    "follow_up_done": lambda p: (
        _("Follow-up at %(months)s months: %(method)s")
        % {"months": p.get("month", ""), "method": _method(p)},
        p.get("note", ""),
    ),
    "contact_attempt_failed": lambda p: (
        _("Contact attempt failed: %(method)s") % {"method": _method(p)},
        _("%(reason)s · %(n)s in a row") % {"reason": _reason(p), "n": p.get("in_a_row", "")},
    ),
    "lost_contact_proposed": lambda p: (
        _("Proposed for closing as lost contact"),
        _("%(n)s failed attempts in a row") % {"n": p.get("in_a_row", "")},
    ),
    "lost_contact_decided": lambda p: (
        _("Closed as lost contact") if p.get("closed") else _("Contact to be tried again"),
        p.get("note", ""),
    ),
    "survey_submitted": lambda p: (
        _("Sustainability survey: %(kind)s") % {"kind": _kind(p)},
        _scores(p),
    ),
    "case_at_risk": lambda p: (
        _("At risk: the plan is to be reviewed"),
        "",
    ),
}

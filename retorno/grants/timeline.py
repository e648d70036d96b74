"""How grant events read on a case's timeline, with their amounts."""

from django.utils.translation import gettext as _

from retorno.grants.models import GrantType


def _type(p) -> str:
    value = p.get("type", "")
    return str(GrantType(value).label) if value in GrantType.values else value


DESCRIBERS = {
    "grant_drafted": lambda p: (
        _("Grant request started: %(type)s") % {"type": _type(p)},
        p.get("amount", ""),
    ),
    "grant_submitted": lambda p: (
        _("Grant request submitted: %(type)s") % {"type": _type(p)},
        p.get("amount", ""),
    ),
    "grant_to_coordination": lambda p: (
        _("Grant approved by the desk, sent to programme coordination"),
        p.get("amount", ""),
    ),
    "grant_approved": lambda p: (_("Grant approved"), p.get("amount", "")),
    "grant_rejected": lambda p: (
        _("Grant request rejected"),
        " · ".join(x for x in (p.get("amount", ""), p.get("reason", "")) if x),
    ),
    "grant_paid": lambda p: (
        _("Grant instalment %(number)s paid") % {"number": p.get("number", "")},
        " · ".join(x for x in (p.get("amount", ""), f"{p.get('amount_eur', '')} EUR") if x.strip()),
    ),
    "grant_cancelled": lambda p: (_("Grant cancelled"), p.get("reason", "")),
    "grant_closed": lambda p: (_("Grant closed early"), p.get("reason", "")),
}

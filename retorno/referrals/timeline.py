"""How referral and plan events read on a case's timeline."""

from django.utils.translation import gettext as _

from retorno.referrals.models import Referral


def _status(value) -> str:
    try:
        return str(Referral.Status(value).label)
    except ValueError:
        return value or ""


def _status_or_outcome(p) -> str:
    try:
        return str(Referral.Outcome(p.get("outcome")).label)
    except ValueError:
        return _status(p.get("status"))


DESCRIBERS = {
    "referral_sent": lambda p: (
        _("Referral sent: %(service)s") % {"service": p.get("service", "")},
        p.get("reference", ""),
    ),
    "referral_status": lambda p: (
        _("Referral %(reference)s: %(status)s")
        % {"reference": p.get("reference", ""), "status": _status_or_outcome(p).lower()},
        p.get("service", ""),
    ),
    "referral_note": lambda p: (
        _("Update on referral %(reference)s") % {"reference": p.get("reference", "")},
        "",
    ),
}

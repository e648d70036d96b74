"""How plan events read on a case's timeline."""

from django.utils.translation import gettext as _

DESCRIBERS = {
    "plan_drafted": lambda p: (_("Reintegration plan started"), ""),
    "plan_submitted": lambda p: (
        _("Plan version %(number)s submitted for approval") % {"number": p.get("number", "")},
        "",
    ),
    "plan_approved": lambda p: (
        _("Plan version %(number)s approved") % {"number": p.get("number", "")},
        "",
    ),
    "plan_sent_back": lambda p: (_("Plan sent back to draft"), p.get("reason", "")),
    "plan_agreed": lambda p: (
        _("The person agreed to plan version %(number)s") % {"number": p.get("number", "")},
        "",
    ),
    "plan_new_version": lambda p: (
        _("Plan version %(number)s started") % {"number": p.get("number", "")},
        "",
    ),
    "plan_action_status": lambda p: (_("Plan action updated"), p.get("action", "")),
}

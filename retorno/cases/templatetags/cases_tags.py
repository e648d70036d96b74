from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.cases import display, matching

register = template.Library()


@register.filter
def reason_label(code):
    return matching.REASONS.get(code, code)


@register.filter
def due_phrase(due, today):
    """ "Due 3 June · 2 days overdue", "Due today", "Due in 3 days" (MoJ contextual date)."""

    if due is None:
        return ""
    days = (due - today).days
    when = date_format(due, "MONTH_DAY_FORMAT")
    if days < 0:
        late = -days
        return ngettext(
            "Due %(date)s · %(n)s day overdue", "Due %(date)s · %(n)s days overdue", late
        ) % {"date": when, "n": late}
    if days == 0:
        return _("Due today")
    return ngettext("Due %(date)s · in %(n)s day", "Due %(date)s · in %(n)s days", days) % {
        "date": when,
        "n": days,
    }


register.filter("phone", display.phone)
register.filter("languages", display.languages)

"""Template helpers for the directory: texts in the reader's language, hours, phones."""

from django import template
from django.utils.dates import WEEKDAYS_ABBR

from retorno.directory.models import pick_text
from retorno.lib.validation import format_phone

register = template.Library()

_DAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


@register.simple_tag
def text_in(texts):
    """{% text_in service.description as d %}: d.text in the reader's language or another one,
    d.fallback and d.language_name say which."""
    return pick_text(texts)


@register.filter
def days(byday: str) -> str:
    """ "MO,TU,WE" -> "Mon, Tue, Wed" in the reader's language."""
    names = []
    for day in (byday or "").split(","):
        code = day[-2:]
        if code in _DAY_INDEX:
            prefix = day[:-2]
            names.append(f"{prefix} {WEEKDAYS_ABBR[_DAY_INDEX[code]]}".strip())
    return ", ".join(str(n) for n in names)


@register.filter
def phone(number: str) -> str:
    return format_phone(number) if number else ""

"""How a person's details read on a page, in a letter or in what a referral shares."""

from retorno.cases.forms import LANGUAGES
from retorno.lib.validation import format_phone


def phone(e164):
    """+51987654321 -> +51 987 654 321"""
    if not e164:
        return ""
    try:
        return format_phone(e164)
    except Exception:
        return e164


def languages(codes):
    names = dict(LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in codes or [])

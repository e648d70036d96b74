"""Amounts in templates: {% money amount currency %} writes it as the reader does."""

from babel.numbers import format_decimal
from django import template

from retorno.lib.money import babel_locale, format_amount

register = template.Library()


@register.simple_tag
def money(amount, currency):
    return format_amount(amount, currency) if amount is not None else "—"


@register.filter
def rate(value):
    """An exchange rate as the reader writes it, with as many decimals as it has: "4,3"."""
    if value is None:
        return "—"
    return format_decimal(
        value.normalize(), locale=babel_locale(), decimal_quantization=False, group_separator=False
    )

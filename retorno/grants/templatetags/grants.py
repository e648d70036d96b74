"""Amounts in templates: {% money amount currency %} writes it as the reader does."""

from django import template

from retorno.lib.money import format_amount

register = template.Library()


@register.simple_tag
def money(amount, currency):
    return format_amount(amount, currency) if amount is not None else "—"

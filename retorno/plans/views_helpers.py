"""Shared between the plan pages and the PDF."""

from collections import Counter

from django.utils.formats import number_format

from retorno.plans.models import Dimension


def grouped_for_print(plan) -> list[dict]:
    goals = list(
        plan.goals.prefetch_related(
            "actions__service__organization",
            "actions__service__locations",
            "actions__service__phones",
        )
    )
    return [
        {"code": code, "label": label, "goals": [g for g in goals if g.dimension == code]}
        for code, label in Dimension.choices
        if any(g.dimension == code for g in goals)
    ]


def cost_totals(groups) -> list[dict]:
    """The estimated cost of the plan's actions, one total per currency, from the goals already
    loaded (no query). Cancelled actions cost nothing; an action without a cost adds nothing."""

    totals = Counter()
    for group in groups:
        for goal in group["goals"]:
            for action in goal.actions.all():
                if action.estimated_cost is not None and action.status != "cancelled":
                    totals[action.currency] += action.estimated_cost
    return [
        {
            "currency": currency,
            "amount": total,
            "formatted": number_format(total, 2, use_l10n=True, force_grouping=True),
        }
        for currency, total in sorted(totals.items())
    ]

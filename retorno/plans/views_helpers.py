"""Shared between the plan pages and the PDF."""

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

"""Grants built through the actions: a policy and envelopes for the case's cycle at Lima, a
micro-enterprise request from the economic action of María's approved plan, with a quote."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from retorno.conftest import acting
from retorno.grants import actions
from retorno.grants.models import Grant
from retorno.plans.models import PlanAction
from retorno.plans.tests.factories import approved_plan, lima_case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CAPS = {
    "basic_needs": Decimal("800"),
    "self_employment": Decimal("2500"),
    "education": Decimal("1200"),
    "housing": Decimal("1000"),
    "health": Decimal("600"),
    "other": Decimal("400"),
}


def pdf(name="quote.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def policy(cycle, personas, *, household_cap="3000", threshold="1500", receipts=True, caps=None):
    return actions.save_policy(
        cycle,
        actor=acting(personas.irene),
        household_cap_eur=Decimal(household_cap),
        coordination_threshold_eur=Decimal(threshold),
        receipts_before_next=receipts,
        caps=caps or CAPS,
    )


def envelope(cycle, desk, personas, amount="50000", grant_type=""):
    return actions.set_envelope(
        cycle,
        desk,
        actor=acting(personas.irene),
        amount_eur=Decimal(amount),
        grant_type=grant_type,
    )


def funded_case(personas, *, envelope_eur="50000", **policy_kwargs):
    """María's case at Lima with an approved plan, the cycle's policy and Lima's envelope."""
    case = lima_case(personas)
    approved_plan(case, personas)
    policy(case.cycle, personas, **policy_kwargs)
    envelope(case.cycle, personas.org("LIM"), personas, envelope_eur)
    return case


def economic_action(case) -> PlanAction:
    return (
        PlanAction.objects.filter(goal__plan__case=case, goal__dimension="economic")
        .order_by("-goal__plan__number", "pk")
        .first()
    )


def draft(
    case,
    personas,
    *,
    grant_type="basic_needs",
    amount="1720",
    currency="PEN",
    rate="4.3",
    purpose="Rent and food for the first two months",
    actor=None,
    **fields,
):
    return actions.draft_grant(
        economic_action(case),
        actor=acting(actor or personas.lucia),
        grant_type=grant_type,
        currency=currency,
        amount=Decimal(amount) if amount is not None else None,
        rate=Decimal(rate) if rate is not None and currency != "EUR" else None,
        purpose=purpose,
        **fields,
    )


BUSINESS = {
    "business_activity": "A sewing workshop at home: repairs and school uniforms",
    "business_startup_costs": "Industrial sewing machine 3,800 PEN; fabric and thread 900 PEN",
    "business_monthly_income": Decimal("1800"),
    "business_monthly_costs": Decimal("700"),
    "business_assets": "A domestic sewing machine and a room at her sister's house",
}


def business_draft(case, personas, *, amount="8600", **kwargs):
    grant = draft(
        case,
        personas,
        grant_type="self_employment",
        amount=amount,
        purpose="Start a sewing workshop",
        **BUSINESS,
        **kwargs,
    )
    actions.add_quote(
        grant,
        actor=acting(personas.lucia),
        uploaded_file=pdf(),
        supplier="Máquinas del Sur SAC",
        amount=Decimal("3800"),
    )
    grant.refresh_from_db()
    return grant


def submitted(case, personas, **kwargs) -> Grant:
    grant = draft(case, personas, **kwargs)
    return actions.submit_grant(grant, actor=acting(personas.lucia))


def approved(case, personas, **kwargs) -> Grant:
    grant = submitted(case, personas, **kwargs)
    return actions.approve_grant(grant, actor=acting(personas.mateo))


def pay(
    instalment, personas, *, amount=None, rate="4.3", method="transfer", receipt=True, paid_on=None
):
    return actions.record_payment(
        instalment,
        actor=acting(personas.lucia),
        paid_on=paid_on or datetime.date.today(),
        amount=Decimal(amount) if amount is not None else instalment.planned_amount,
        rate=Decimal(rate),
        method=method,
        receipt_file=pdf("receipt.pdf") if receipt else None,
    )

"""What grants holds about a person (the grants of their cases) and how it anonymises it: the
texts that could say who the person is go; the amounts, types, dates and statuses stay, since
the budgets and the programme's results are made of them."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.audit.events import record
from retorno.grants.models import Grant, GrantDocument
from retorno.lib.money import format_amount
from retorno.lib.plugins import PersonDataSection


def _grants(person):
    return Grant.objects.filter(case__person=person)


def person_data(person) -> list[PersonDataSection]:
    sections = []
    grants = _grants(person).select_related("case").prefetch_related("instalments", "quotes")
    for grant in grants.order_by("case_id", "created_at", "pk"):
        rows = [
            (str(_("case")), grant.case.reference),
            (str(_("grant type")), str(grant.get_grant_type_display())),
            (str(_("status")), str(grant.get_status_display())),
        ]
        if grant.amount is not None:
            rows.append((str(_("amount")), format_amount(grant.amount, grant.currency)))
        if grant.purpose:
            rows.append((str(_("purpose")), grant.purpose))
        for label, value in (
            (_("activity"), grant.business_activity),
            (_("start-up costs"), grant.business_startup_costs),
            (_("what the person already has"), grant.business_assets),
            (_("reason"), grant.decision_reason),
        ):
            if value:
                rows.append((str(label), value))
        for quote in grant.quotes.all():
            rows.append((str(_("supplier")), quote.supplier))
        for instalment in grant.instalments.all():
            if instalment.is_paid:
                rows.append(
                    (
                        str(_("paid on")),
                        f"{instalment.paid_on} · "
                        f"{format_amount(instalment.amount_paid, grant.currency)}",
                    )
                )
        sections.append(PersonDataSection(_("Reintegration grant"), tuple(rows)))
    return sections


def anonymise_person(person, *, actor) -> int:
    """Blank the texts of the person's grants; atomic, audited (`grant.anonymised`)."""
    with transaction.atomic():
        grants = _grants(person)
        changed = {
            "grants": grants.update(
                purpose="",
                business_activity="",
                business_startup_costs="",
                business_assets="",
                decision_reason="",
            ),
            "quotes": GrantDocument.objects.filter(grant__in=grants).update(supplier=""),
        }
        if changed["grants"]:
            record(
                "grant.anonymised",
                actor=actor,
                target=person,
                person_id=person.public_id,
                detail=changed,
            )
    return sum(changed.values())

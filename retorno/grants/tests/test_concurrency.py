"""No overspending, ever: two approvals (or two payments) competing for the last part of an
envelope, in two real concurrent transactions on two connections. The first holds its
transaction open after taking the envelope; the second must wait for it, then find the envelope
spent and be refused with its figures. On PostgreSQL the wait is the envelope row's lock
(SELECT … FOR UPDATE); on SQLite it is the database's write lock, taken at BEGIN IMMEDIATE."""

import threading
from decimal import Decimal

import pytest
from django.db import connections, transaction

from retorno.conftest import acting
from retorno.grants import actions
from retorno.grants.models import Envelope, Grant
from retorno.grants.tests import factories as f
from retorno.lib.errors import ActionError

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10  # seconds: far more than either transaction needs


def race(first_step, second_step):
    """Run first_step in a transaction held open until the second has started and is seen
    waiting; return (what the second did, whether it was still waiting when the first ended)."""
    first_done, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def first():
        try:
            with transaction.atomic():
                outcome["first"] = first_step()
                first_done.set()
                release.wait(WAIT)
        except Exception as error:  # pragma: no cover - reported by the assertions below
            outcome["first"] = error
            first_done.set()
        finally:
            connections.close_all()

    def second():
        first_done.wait(WAIT)
        try:
            outcome["second"] = second_step()
        except Exception as error:
            outcome["second"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_done.wait(WAIT)
    threads[1].join(1.0)  # the second cannot finish while the first holds the envelope
    waited = threads[1].is_alive()
    release.set()
    for thread in threads:
        thread.join(WAIT)
    return outcome, waited


def test_two_approvals_cannot_both_take_the_last_part_of_the_envelope(personas):
    case = f.funded_case(personas, envelope_eur="600")
    one = f.submitted(case, personas)  # 400 EUR
    two = f.submitted(case, personas, amount="1290")  # 300 EUR: 700 in all, over 600
    mateo = acting(personas.mateo)

    outcome, waited = race(
        lambda: actions.approve_grant(Grant.objects.get(pk=one.pk), actor=mateo),
        lambda: actions.approve_grant(Grant.objects.get(pk=two.pk), actor=mateo),
    )

    assert isinstance(outcome["first"], Grant), outcome["first"]
    assert waited, ("the second approval did not wait for the first", outcome)
    assert isinstance(outcome["second"], ActionError), outcome["second"]
    assert outcome["second"].code == "over_budget"
    assert str(outcome["second"]) == (
        "€300.00 is more than what remains in the desk's envelope: €200.00 of €600.00."
    )
    envelope = Envelope.objects.get(desk=personas.org("LIM"), grant_type="")
    assert envelope.committed_eur == Decimal("400.00")
    assert list(Grant.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "submitted",
    ]


def test_two_payments_cannot_both_overspend_through_the_rate(personas):
    # Two grants of 200 EUR each leave 45 EUR in the envelope; paid at a weaker sol each costs
    # 29.95 EUR more than it committed: only one of the two fits.
    case = f.funded_case(personas, envelope_eur="445")
    one = f.approved(case, personas, amount="860")
    two = f.approved(case, personas, amount="860")
    lucia = acting(personas.lucia)

    def pay(grant):
        instalment = Grant.objects.get(pk=grant.pk).instalments.get()
        return actions.record_payment(
            instalment,
            actor=lucia,
            paid_on=instalment.planned_on,
            amount=Decimal("860"),
            rate=Decimal("3.74"),  # 229.95 EUR instead of 200
            method="transfer",
        )

    outcome, waited = race(lambda: pay(one), lambda: pay(two))

    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert waited, ("the second payment did not wait for the first", outcome)
    assert isinstance(outcome["second"], ActionError), outcome["second"]
    assert outcome["second"].code == "over_budget"
    envelope = Envelope.objects.get(desk=personas.org("LIM"), grant_type="")
    assert (envelope.committed_eur, envelope.paid_eur) == (Decimal("429.95"), Decimal("229.95"))
    assert str(outcome["second"]).endswith(
        "€29.95 is more than what remains in the desk's envelope: €15.05 of €445.00."
    )

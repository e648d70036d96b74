"""The rules of grants, through the actions: caps, the household's cap, the envelope, four eyes,
programme coordination's approval, instalments in order with their receipts, exchange rates,
cancelling and closing, versions and double submissions. Each refusal says the figures."""

import datetime
from decimal import Decimal

import pytest

from retorno.audit.models import AuditEvent
from retorno.cases.models import CaseEvent
from retorno.conftest import acting
from retorno.grants import actions, queries, rules
from retorno.grants.models import Envelope, Grant
from retorno.grants.tests import factories as f
from retorno.lib.errors import ActionError
from retorno.plans.models import Goal, PlanAction
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def refused(call, *args, **kwargs) -> ActionError:
    with pytest.raises(ActionError) as error:
        call(*args, **kwargs)
    return error.value


def envelope_of(case, personas, grant_type=""):
    return Envelope.objects.get(cycle=case.cycle, desk=personas.org("LIM"), grant_type=grant_type)


# ── Policy and envelopes ────────────────────────────────────────────────────────────────────


def test_programme_coordination_sets_the_policy_and_it_is_audited(personas):
    case = f.lima_case(personas)
    policy = f.policy(case.cycle, personas)
    assert {c.grant_type: c.cap_eur for c in policy.caps.all()} == f.CAPS
    assert_audited(
        "grant_policy.created",
        actor=personas.irene,
        target=policy,
        detail={"cycle": str(case.cycle.public_id), "version": 1},
    )
    policy = f.policy(case.cycle, personas, household_cap="2800", caps={**f.CAPS, "other": None})
    assert policy.version == 2
    assert_audited(
        "grant_policy.changed",
        actor=personas.irene,
        target=policy,
        changes={"household_cap_eur": ["3000.00", "2800.00"], "cap_other": ["400.00", None]},
    )
    assert rules.offered_types(policy) == [
        "basic_needs",
        "self_employment",
        "education",
        "housing",
        "health",
    ]


def test_only_programme_coordination_or_an_administrator_edits_the_policy(personas):
    case = f.lima_case(personas)
    for user in (personas.mateo, personas.lucia, personas.eva):
        error = refused(
            actions.save_policy,
            case.cycle,
            actor=acting(user),
            household_cap_eur=Decimal(3000),
            coordination_threshold_eur=Decimal(1500),
            receipts_before_next=True,
            caps=f.CAPS,
        )
        assert error.code == "forbidden"
    actions.save_policy(
        case.cycle,
        actor=acting(personas.admin),
        household_cap_eur=Decimal(3000),
        coordination_threshold_eur=Decimal(1500),
        receipts_before_next=True,
        caps=f.CAPS,
    )


def test_a_cap_above_the_household_cap_is_refused(personas):
    case = f.lima_case(personas)
    error = refused(f.policy, case.cycle, personas, household_cap="700")
    assert error.message == "A grant's cap cannot be more than the cap per household (€700.00)."
    assert error.field == "cap_basic_needs"


def test_an_envelope_cannot_go_below_what_is_committed(personas):
    case = f.funded_case(personas, envelope_eur="1000")
    f.approved(case, personas)  # 400 EUR
    assert_audited(
        "envelope.set",
        actor=personas.irene,
        target=envelope_of(case, personas),
        changes={"amount_eur": [None, "1000"]},
        detail={"desk": "LIM"},
    )
    error = refused(f.envelope, case.cycle, personas.org("LIM"), personas, "399.99")
    assert error.message == "€400.00 is already committed: the envelope cannot be less."
    assert refused(f.envelope, case.cycle, personas.org("MIL"), personas, "10").field == "desk"
    error = refused(
        actions.set_envelope,
        case.cycle,
        personas.org("LIM"),
        actor=acting(personas.mateo),
        amount_eur=Decimal(5000),
    )
    assert error.message == "Only programme coordination sets the budgets."


def test_parts_by_type_fit_in_the_desks_envelope(personas):
    case = f.funded_case(personas, envelope_eur="1000")
    f.envelope(case.cycle, personas.org("LIM"), personas, "600", grant_type="basic_needs")
    error = refused(
        f.envelope, case.cycle, personas.org("LIM"), personas, "500", grant_type="housing"
    )
    assert error.message == (
        "The parts set aside by grant type would add up to €1,100.00, more than the desk's "
        "envelope of €1,000.00."
    )


# ── A request ───────────────────────────────────────────────────────────────────────────────


def test_a_draft_is_saved_incomplete_and_submitted_once_complete(personas):
    case = f.funded_case(personas)
    grant = f.draft(case, personas, amount=None, purpose="")
    assert grant.status == Grant.Status.DRAFT
    assert grant.amount_eur is None
    assert_audited("grant.drafted", actor=personas.lucia, target=grant, person=case.person)
    error = refused(actions.submit_grant, grant, actor=acting(personas.lucia))
    assert error.message == "Before submitting, add the amount, the purpose."
    grant = actions.update_grant(
        grant,
        actor=acting(personas.lucia),
        version=grant.version,
        amount=Decimal("1720"),
        purpose="Rent and food",
    )
    assert grant.amount_eur == Decimal("400.00")
    assert_audited(
        "grant.changed",
        actor=personas.lucia,
        target=grant,
        changes={"amount": [None, "1720"], "purpose": ["", "Rent and food"]},
    )
    grant = actions.submit_grant(grant, actor=acting(personas.lucia))
    assert grant.status == Grant.Status.SUBMITTED
    assert [(i.number, i.planned_amount) for i in grant.instalments.all()] == [
        (1, Decimal("1720.00"))
    ]
    assert_audited(
        "grant.submitted",
        actor=personas.lucia,
        target=grant,
        detail={"amount": "1720.00", "currency": "PEN", "rate": "4.300000", "amount_eur": "400.00"},
    )


def test_a_business_grant_needs_its_plan_and_a_quote(personas):
    case = f.funded_case(personas)
    grant = f.draft(case, personas, grant_type="self_employment", amount="8600")
    error = refused(actions.submit_grant, grant, actor=acting(personas.lucia))
    assert error.message == (
        "Before submitting, add the activity, the start-up costs, the expected monthly income, "
        "the expected monthly costs, what the person already has, at least one supplier quote."
    )
    grant = f.business_draft(case, personas)
    quote = grant.quotes.get()
    assert (quote.supplier, quote.document.kind) == ("Máquinas del Sur SAC", "quote")
    assert_audited("grant.quote_added", actor=personas.lucia, target=grant)
    actions.submit_grant(grant, actor=acting(personas.lucia))
    other = f.business_draft(case, personas)
    actions.remove_quote(other.quotes.get(), actor=acting(personas.lucia))
    assert_audited("grant.quote_removed", actor=personas.lucia, target=other)
    assert not other.quotes.exists()


def test_a_grant_comes_from_an_action_of_the_economic_part_of_the_plan(personas):
    case = f.funded_case(personas)
    plan = f.economic_action(case).goal.plan
    social = Goal.objects.create(plan=plan, dimension="social", description="Family")
    action = PlanAction.objects.create(goal=social, description="Visit", responsible="desk")
    error = refused(
        actions.draft_grant,
        action,
        actor=acting(personas.lucia),
        grant_type="other",
        currency="PEN",
    )
    assert error.message == "A grant is requested from an action of the economic part of the plan."


def test_the_desk_pays_in_its_local_currency_or_in_euros(personas):
    case = f.funded_case(personas)
    assert rules.currencies_at(personas.org("LIM")) == ["PEN", "EUR"]
    assert rules.currencies_at(personas.org("SCL")) == ["CLP", "EUR"]
    assert rules.currencies_at(personas.org("UIO")) == ["USD", "EUR"]
    error = refused(f.draft, case, personas, currency="CLP", amount="100000", rate="1080")
    assert (error.message, error.field) == ("This desk pays in PEN, EUR.", "currency")
    grant = f.draft(case, personas, currency="EUR", amount="350.50", rate=None)
    assert (grant.rate, grant.amount_eur) == (Decimal(1), Decimal("350.50"))


def test_amounts_keep_their_currencys_minor_units(personas):
    case = f.funded_case(personas)
    error = refused(f.draft, case, personas, amount="1720.005")
    assert (error.message, error.field) == ("PEN has 2 decimals at most.", "amount")
    assert refused(f.draft, case, personas, amount="-5").field == "amount"
    grant = f.draft(case, personas, amount="1000.01", rate="4.3")
    assert grant.amount_eur == Decimal("232.56")  # 232.5604… rounded half up to the cent


def test_the_type_cap_is_checked_with_its_figures(personas):
    case = f.funded_case(personas)
    grant = f.draft(case, personas, amount="3870")  # 900 EUR of basic needs, cap 800
    error = refused(actions.submit_grant, grant, actor=acting(personas.lucia))
    assert error.code == "over_cap"
    assert error.message == (
        "€900.00 is over the cap of €800.00 for a grant of the type “Basic needs on arrival”."
    )


def test_the_household_cap_counts_the_households_other_grants_in_the_cycle(personas):
    case = f.funded_case(
        personas,
        household_cap="1000",
        caps={"basic_needs": Decimal(800), "education": Decimal(900)},
    )
    first = f.submitted(case, personas)  # 400 EUR of basic needs
    grant = f.submitted(case, personas, grant_type="education", amount="3010")  # 700 EUR
    actions.approve_grant(first, actor=acting(personas.mateo))
    error = refused(actions.approve_grant, grant, actor=acting(personas.mateo))
    assert error.code == "over_cap"
    assert error.message == (
        "The household already has €400.00 in grants this cycle; with €700.00 it would have "
        "€1,100.00, over the cap of €1,000.00 per household."
    )


# ── Approval ────────────────────────────────────────────────────────────────────────────────


def test_four_eyes_the_desks_coordinator_who_did_not_prepare_it_approves(personas):
    case = f.funded_case(personas)
    grant = f.submitted(case, personas)
    assert rules.approval_problem(grant, acting(personas.lucia)) == (
        "Only a coordinator of the desk approves a grant."
    )
    assert rules.approval_problem(grant, acting(personas.rosa)) == (
        "Only a coordinator of the desk that made the request approves it."
    )
    own = f.submitted(case, personas, actor=personas.mateo)
    error = refused(actions.approve_grant, own, actor=acting(personas.mateo))
    assert error.message == "You prepared this request, so another coordinator must approve it."
    assert [g.pk for g in queries.waiting_for(acting(personas.mateo))] == [grant.pk]
    grant = actions.approve_grant(grant, actor=acting(personas.mateo))
    assert (grant.status, grant.committed_eur) == (Grant.Status.APPROVED, Decimal("400.00"))
    assert envelope_of(case, personas).committed_eur == Decimal("400.00")
    assert_audited(
        "grant.approved",
        actor=personas.mateo,
        target=grant,
        detail={"stage": "desk", "committed_eur": "400.00", "amount": "1720.00"},
    )
    event = CaseEvent.objects.filter(case=case, kind="grant_approved").get()
    assert event.params["amount"] == "1720.00 PEN (400.00 EUR)"


def test_above_the_policys_amount_programme_coordination_approves_too(personas):
    case = f.funded_case(personas)
    grant = f.business_draft(case, personas)  # 8,600 PEN = 2,000 EUR, over 1,500
    grant = actions.submit_grant(grant, actor=acting(personas.lucia))
    grant = actions.approve_grant(grant, actor=acting(personas.mateo))
    assert grant.status == Grant.Status.COORDINATION
    assert envelope_of(case, personas).committed_eur == 0  # committed by the last approval
    assert queries.waiting_for(acting(personas.mateo)).count() == 0
    assert [g.pk for g in queries.waiting_for(acting(personas.irene))] == [grant.pk]
    error = refused(actions.approve_grant, grant, actor=acting(personas.mateo))
    assert error.message == (
        "Programme coordination approves this grant too: it is over the amount."
    )
    grant = actions.approve_grant(grant, actor=acting(personas.irene))
    assert (grant.status, grant.committed_eur) == (Grant.Status.APPROVED, Decimal("2000.00"))
    assert envelope_of(case, personas).committed_eur == Decimal("2000.00")
    assert_audited(
        "grant.approved", actor=personas.irene, target=grant, detail={"stage": "coordination"}
    )


def test_a_rejection_says_why(personas):
    case = f.funded_case(personas)
    grant = f.submitted(case, personas)
    assert refused(actions.reject_grant, grant, actor=acting(personas.mateo), reason=" ").field == (
        "reason"
    )
    grant = actions.reject_grant(grant, actor=acting(personas.mateo), reason="Covered by SIS")
    assert (grant.status, grant.decision_reason) == (Grant.Status.REJECTED, "Covered by SIS")
    assert_audited(
        "grant.rejected",
        actor=personas.mateo,
        target=grant,
        detail={"reason": "Covered by SIS", "stage": "desk"},
    )


def test_the_envelope_is_never_overspent(personas):
    case = f.funded_case(personas, envelope_eur="500")
    f.approved(case, personas)  # 400 of 500
    grant = f.submitted(case, personas, amount="860")  # 200 EUR
    error = refused(actions.approve_grant, grant, actor=acting(personas.mateo))
    assert error.code == "over_budget"
    assert error.message == (
        "€200.00 is more than what remains in the desk's envelope: €100.00 of €500.00."
    )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED
    assert envelope_of(case, personas).committed_eur == Decimal("400.00")


def test_a_part_set_aside_for_a_type_limits_that_type(personas):
    case = f.funded_case(personas, envelope_eur="5000")
    f.envelope(case.cycle, personas.org("LIM"), personas, "300", grant_type="basic_needs")
    grant = f.submitted(case, personas)  # 400 EUR of basic needs
    error = refused(actions.approve_grant, grant, actor=acting(personas.mateo))
    assert error.message == (
        "€400.00 is more than what remains for “Basic needs on arrival” in the desk's "
        "envelope: €300.00 of €300.00."
    )


def test_an_approval_sent_twice_records_one_event(personas):
    case = f.funded_case(personas)
    grant = f.submitted(case, personas)
    version = grant.version
    actions.approve_grant(grant, actor=acting(personas.mateo), version=version)
    again = Grant.objects.get(pk=grant.pk)
    error = refused(actions.approve_grant, again, actor=acting(personas.mateo), version=version)
    assert error.code == "conflict"
    error = refused(actions.approve_grant, again, actor=acting(personas.mateo))
    assert error.code == "already_done"
    assert AuditEvent.objects.filter(verb="grant.approved").count() == 1
    assert envelope_of(case, personas).committed_eur == Decimal("400.00")


def test_a_change_from_an_out_of_date_page_is_refused(personas):
    case = f.funded_case(personas)
    grant = f.draft(case, personas)
    stale = grant.version
    actions.update_grant(grant, actor=acting(personas.lucia), version=stale, purpose="Food")
    error = refused(
        actions.update_grant,
        Grant.objects.get(pk=grant.pk),
        actor=acting(personas.lucia),
        version=stale,
        purpose="Rent",
    )
    assert error.code == "conflict"
    assert Grant.objects.get(pk=grant.pk).purpose == "Food"


def test_a_policy_change_leaves_approved_grants_as_they_were(personas):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    waiting = f.submitted(case, personas, amount="1720")
    f.policy(case.cycle, personas, caps={**f.CAPS, "basic_needs": Decimal("300")})
    grant.refresh_from_db()
    assert (grant.status, grant.committed_eur, grant.policy_version) == (
        Grant.Status.APPROVED,
        Decimal("400.00"),
        1,
    )
    assert refused(actions.approve_grant, waiting, actor=acting(personas.mateo)).code == (
        "over_cap"
    )


# ── Payments ────────────────────────────────────────────────────────────────────────────────


def two_instalments(case, personas, **kwargs):
    grant = f.approved(case, personas, **kwargs)
    actions.plan_instalments(
        grant,
        actor=acting(personas.lucia),
        instalments=[
            (TODAY, Decimal("860")),
            (TODAY + datetime.timedelta(days=30), Decimal("860")),
        ],
    )
    assert_audited("grant.instalments_planned", actor=personas.lucia, target=grant)
    return grant, list(grant.instalments.order_by("number"))


def test_instalments_add_up_to_the_grant(personas):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    error = refused(
        actions.plan_instalments,
        grant,
        actor=acting(personas.lucia),
        instalments=[(TODAY, Decimal("800"))],
    )
    assert error.message == (
        "The instalments add up to PEN\xa0800.00; with PEN\xa00.00 already paid they must add "
        "up to PEN\xa01,720.00, what is left of the grant's PEN\xa01,720.00."
    )


def test_instalments_are_paid_in_order_with_the_previous_receipts(personas):
    case = f.funded_case(personas)
    grant, (first, second) = two_instalments(case, personas)
    error = refused(f.pay, second, personas)
    assert error.message == "Pay instalment 1 first."
    f.pay(first, personas, receipt=False)
    assert_audited(
        "grant.payment_recorded",
        actor=personas.lucia,
        target=grant,
        detail={"instalment": 1, "amount": "860.00", "rate": "4.300000", "amount_eur": "200.00"},
    )
    error = refused(f.pay, second, personas)
    assert error.message == (
        "The policy asks for the receipts of instalment 1 before the next is paid: add them first."
    )
    actions.add_receipt(first, actor=acting(personas.lucia), uploaded_file=f.pdf("r.pdf"))
    assert_audited("grant.receipt_added", actor=personas.lucia, target=grant)
    f.pay(second, personas)
    grant.refresh_from_db()
    assert (grant.status, grant.paid, grant.paid_eur) == (
        Grant.Status.PAID,
        Decimal("1720.00"),
        Decimal("400.00"),
    )
    envelope = envelope_of(case, personas)
    assert (envelope.committed_eur, envelope.paid_eur) == (Decimal("400.00"), Decimal("400.00"))
    assert refused(f.pay, second, personas).code == "already_done"


def test_without_the_receipts_rule_the_next_instalment_is_paid(personas):
    case = f.funded_case(personas, receipts=False)
    grant, (first, second) = two_instalments(case, personas)
    f.pay(first, personas, receipt=False)
    f.pay(second, personas, receipt=False)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PAID


def test_a_payment_records_its_rate_and_the_euros_move_with_it(personas):
    case = f.funded_case(personas)
    grant, (first, second) = two_instalments(case, personas)
    f.pay(first, personas, rate="4.0")  # 860 PEN = 215.00 EUR, 15 more than planned
    grant.refresh_from_db()
    assert (grant.paid_eur, grant.committed_eur) == (Decimal("215.00"), Decimal("400.00"))
    f.pay(second, personas, rate="4.6")  # 860 PEN = 186.96 EUR: 401.96 in all, 1.96 more
    grant.refresh_from_db()
    assert (grant.paid_eur, grant.committed_eur) == (Decimal("401.96"), Decimal("401.96"))
    envelope = envelope_of(case, personas)
    assert (envelope.committed_eur, envelope.paid_eur) == (Decimal("401.96"), Decimal("401.96"))


def test_a_rate_that_would_overspend_the_envelope_is_refused(personas):
    case = f.funded_case(personas, envelope_eur="400")
    grant = f.approved(case, personas)
    instalment = grant.instalments.get()
    error = refused(f.pay, instalment, personas, rate="4.0")  # 430 EUR of a 400 envelope
    assert error.code == "over_budget"
    assert error.message == (
        "At this rate the grant costs €30.00 more than was committed. €30.00 is more than what "
        "remains in the desk's envelope: €0.00 of €400.00."
    )


def test_payments_refuse_bad_figures(personas):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    instalment = grant.instalments.get()
    assert refused(f.pay, instalment, personas, amount="1720.001").message == (
        "PEN has 2 decimals at most."
    )
    assert refused(f.pay, instalment, personas, amount="2000").message == (
        "PEN\xa02,000.00 is more than what is left to pay of this grant: PEN\xa01,720.00."
    )
    future = TODAY + datetime.timedelta(days=1)
    assert refused(f.pay, instalment, personas, paid_on=future).field == "paid_on"
    assert refused(f.pay, instalment, personas, method="crypto").field == "method"


# ── Ending ──────────────────────────────────────────────────────────────────────────────────


def test_cancelling_gives_back_what_was_committed(personas):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    error = refused(actions.cancel_grant, grant, actor=acting(personas.lucia), reason="Moved")
    assert error.message == "Only a coordinator cancels an approved grant."
    grant = actions.cancel_grant(grant, actor=acting(personas.mateo), reason="Moved away")
    assert (grant.status, grant.committed_eur) == (Grant.Status.CANCELLED, 0)
    assert envelope_of(case, personas).committed_eur == 0
    assert_audited(
        "grant.cancelled", actor=personas.mateo, target=grant, detail={"released_eur": "400.00"}
    )


def test_a_grant_being_paid_is_closed_early_and_the_unpaid_part_returns(personas):
    case = f.funded_case(personas)
    grant, (first, _second) = two_instalments(case, personas)
    f.pay(first, personas)
    error = refused(actions.cancel_grant, grant, actor=acting(personas.mateo), reason="x")
    assert error.message == "Part of this grant was paid: close it early instead."
    grant = actions.close_grant(grant, actor=acting(personas.mateo), reason="Business closed")
    assert (grant.status, grant.committed_eur, grant.paid_eur) == (
        Grant.Status.CLOSED,
        Decimal("200.00"),
        Decimal("200.00"),
    )
    assert list(grant.instalments.values_list("number", flat=True)) == [1]
    envelope = envelope_of(case, personas)
    assert (envelope.committed_eur, envelope.paid_eur) == (Decimal("200.00"), Decimal("200.00"))
    assert_audited(
        "grant.closed", actor=personas.mateo, target=grant, detail={"released_eur": "200.00"}
    )


def test_the_budget_adds_up(personas):
    case = f.funded_case(personas)
    f.approved(case, personas)
    f.submitted(case, personas, grant_type="health", amount="860")
    rows, total = queries.budget_rows(case.cycle, personas.org("LIM"))
    basic = next(r for r in rows if r["grant_type"] == "basic_needs")
    assert (basic["committed"], basic["paid"], basic["waiting"]) == (Decimal("400.00"), 0, 0)
    assert (total["envelope"], total["committed"], total["remaining"], total["waiting"]) == (
        Decimal("50000.00"),
        Decimal("400.00"),
        Decimal("49600.00"),
        Decimal("200.00"),
    )


def test_what_grants_holds_about_a_person_and_anonymising_it(personas):
    from retorno.grants import personal_data

    case = f.funded_case(personas)
    f.business_draft(case, personas)
    [section] = personal_data.person_data(case.person)
    rows = dict(section.rows)
    assert rows["activity"] == f.BUSINESS["business_activity"]
    assert rows["amount"] == "PEN\xa08,600.00"
    assert personal_data.anonymise_person(case.person, actor=acting(personas.admin)) == 2
    assert_audited("grant.anonymised", actor=personas.admin, person=case.person)
    grant = Grant.objects.get(case=case)
    assert (grant.business_activity, grant.purpose, grant.amount) == ("", "", Decimal("8600.00"))


def test_programme_coordination_sees_grants_but_works_on_no_case(personas):
    from retorno.cases import access as case_access
    from retorno.cases.actions import register_returnee
    from retorno.grants import access

    case = f.funded_case(personas)
    grant = f.submitted(case, personas)
    irene = acting(personas.irene)
    assert case_access.cases_visible_to(irene).count() == 0
    assert [g.pk for g in access.grants_visible_to(irene)] == [grant.pk]
    assert not access.sees_person(irene, grant)
    error = refused(
        register_returnee,
        actor=irene,
        person={"given_names": "Ana", "first_surname": "Quispe", "return_country": "PE"},
    )
    assert error.message == "Cases are opened at a desk."
    for outsider in (personas.eva, personas.carla, personas.ana, personas.rosa):
        assert access.grants_visible_to(acting(outsider)).count() == 0

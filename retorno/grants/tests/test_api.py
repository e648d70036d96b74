"""The JSON API for grants, policies, envelopes and budgets: what a client sees, on the same
access policy, rules and audited actions as the pages. Amounts travel as strings."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.conftest import acting
from retorno.grants import actions
from retorno.grants.models import Grant
from retorno.grants.tests import factories as f
from retorno.plans.tests.factories import lima_case
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(personas):
    """María's case at Lima with an approved plan, the policy (basic needs up to 800 EUR,
    coordination above 1500 EUR) and Lima's envelope of 50,000 EUR."""
    return f.funded_case(personas)


def grant_url(grant, path=""):
    return f"{API}/grants/{grant.public_id}/{path}"


def error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def draft_body(case, **fields):
    return {
        "plan_action": str(f.economic_action(case).public_id),
        "grant_type": "basic_needs",
        "currency": "PEN",
        "amount": "1720",
        "rate": "4.3",
        "purpose": "Rent and food for the first two months",
        **fields,
    }


def pdf(name="receipt.pdf"):
    return SimpleUploadedFile(name, f.PDF, content_type="application/pdf")


# Drafting, changing, submitting


def test_lucia_drafts_a_grant_and_reads_it_with_exact_figures(api_as, personas, case):
    api = api_as(personas.lucia)
    response = api.post(f"{API}/cases/{case.public_id}/grants/", draft_body(case), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["case"] == {"id": str(case.public_id), "reference": case.reference}
    assert data["desk"]["code"] == "LIM"
    assert data["plan_action"] == str(f.economic_action(case).public_id)
    assert (data["grant_type"], data["status"], data["currency"]) == ("basic_needs", "draft", "PEN")
    assert (data["amount"], data["rate"], data["amount_eur"]) == ("1720.00", "4.300000", "400.00")
    assert (data["committed_eur"], data["paid"], data["paid_eur"]) == ("0.00", "0.00", "0.00")
    assert data["remaining"] == "1720.00"
    assert data["version"] == 1
    assert data["drafted_by"]["id"] == str(personas.lucia.public_id)
    assert data["may_approve"] is False and data["approval_problem"]
    assert data["quotes"] == [] and data["instalments"] == []
    assert "person" not in data and "name" not in data["case"]
    grant = Grant.objects.get(public_id=data["id"])
    assert_audited(
        "grant.drafted",
        actor=personas.lucia,
        target=grant,
        detail={"amount": "1720.00", "currency": "PEN", "amount_eur": "400.00"},
    )
    again = api.get(grant_url(grant))
    assert again.status_code == 200 and again.json() == data
    assert_audited("case.viewed", actor=personas.lucia, detail={"page": "grant"})


def test_a_draft_can_be_saved_incomplete_and_submission_names_what_is_missing(
    api_as, personas, case
):
    api = api_as(personas.lucia)
    body = draft_body(case, grant_type="self_employment", purpose="")
    del body["amount"]
    response = api.post(f"{API}/cases/{case.public_id}/grants/", body, format="json")
    assert response.status_code == 201
    assert response.json()["amount"] is None and response.json()["amount_eur"] is None
    grant = Grant.objects.get(public_id=response.json()["id"])
    problem = error(api.post(grant_url(grant, "submit/"), {}, format="json"), 400)
    assert problem["code"] == "incomplete"
    assert (
        "the amount" in problem["message"] and "at least one supplier quote" in problem["message"]
    )


def test_a_stale_version_answers_409_and_the_current_one_changes_the_draft(api_as, personas, case):
    grant = f.draft(case, personas)
    api = api_as(personas.lucia)
    changed = api.patch(grant_url(grant), {"amount": "2150", "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    data = changed.json()
    assert (data["amount"], data["amount_eur"], data["version"]) == ("2150.00", "500.00", 2)
    assert_audited(
        "grant.changed",
        actor=personas.lucia,
        target=grant,
        changes={"amount": ["1720.00", "2150.00"]},
    )
    stale = error(
        api.patch(grant_url(grant), {"purpose": "Rent", "version": 1}, format="json"), 409
    )
    assert stale["code"] == "conflict"
    missing = error(api.patch(grant_url(grant), {"purpose": "Rent"}, format="json"), 400)
    assert list(missing["fields"]) == ["version"]


def test_lucia_adds_a_quote_to_a_micro_enterprise_draft(api_as, personas, case):
    grant = f.draft(case, personas, grant_type="self_employment", amount="8600", **f.BUSINESS)
    api = api_as(personas.lucia)
    response = api.post(
        grant_url(grant, "quotes/"),
        {"file": pdf("quote.pdf"), "supplier": "Máquinas del Sur SAC", "amount": "3800"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    quote = response.json()
    assert (quote["supplier"], quote["amount"]) == ("Máquinas del Sur SAC", "3800.00")
    detail = api.get(grant_url(grant)).json()
    assert [q["document"] for q in detail["quotes"]] == [quote["document"]]
    assert detail["business_plan"] == {
        "activity": f.BUSINESS["business_activity"],
        "startup_costs": f.BUSINESS["business_startup_costs"],
        "monthly_income": "1800.00",
        "monthly_costs": "700.00",
        "assets": f.BUSINESS["business_assets"],
    }
    assert_audited(
        "grant.quote_added",
        actor=personas.lucia,
        target=grant,
        detail={"document": quote["document"]},
    )
    submitted = api.post(grant_url(grant, "submit/"), {"version": detail["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert_audited("grant.submitted", actor=personas.lucia, target=grant)


# Bad amounts: 400 in the one shape, the field named, a translated reason


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"amount": 1720.5},
            "amount",
            'Write the amount as text, for example "1500.00", not as a number.',
        ),
        (
            {"amount": 1720},
            "amount",
            'Write the amount as text, for example "1500.00", not as a number.',
        ),
        ({"amount": "-5"}, "amount", "The amount must be more than zero."),
        ({"amount": "abc"}, "amount", "Enter an amount as a number, for example 1500."),
        ({"amount": "1720.505"}, "amount", "PEN has 2 decimals at most."),
        (
            {"currency": "CLP", "amount": "150000.50", "rate": "1080"},
            "amount",
            "CLP has no decimals: write a whole number.",
        ),
        ({"rate": 4.3}, "rate", 'Write the rate as text, for example "4.3", not as a number.'),
        ({"rate": "0"}, "rate", "The exchange rate must be more than zero."),
    ],
)
def test_a_bad_amount_answers_400_naming_the_field(api_as, personas, case, fields, field, message):
    response = api_as(personas.lucia).post(
        f"{API}/cases/{case.public_id}/grants/", draft_body(case, **fields), format="json"
    )
    problem = error(response, 400)
    assert problem["code"] == "invalid"
    assert problem["fields"] == {field: [message]}


def test_an_absurd_rate_answers_400_with_the_usual_rate(api_as, personas, case):
    response = api_as(personas.lucia).post(
        f"{API}/cases/{case.public_id}/grants/", draft_body(case, rate="1"), format="json"
    )
    problem = error(response, 400)
    assert list(problem["fields"]) == ["rate"]
    assert "not a plausible rate: it is usually about 4.3" in problem["fields"]["rate"][0]


def test_the_reasons_are_in_the_readers_language(api_as, personas, case):
    response = api_as(personas.lucia).post(
        f"{API}/cases/{case.public_id}/grants/",
        draft_body(case, amount=1720),
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    problem = error(response, 400)
    assert problem["fields"] == {
        "amount": ['Escriba el importe como texto, por ejemplo "1500.00", no como número.']
    }


def test_an_action_of_another_part_of_the_plan_or_case_is_refused(api_as, personas, case):
    body = draft_body(case, plan_action="00000000-0000-0000-0000-000000000000")
    problem = error(
        api_as(personas.lucia).post(f"{API}/cases/{case.public_id}/grants/", body, format="json"),
        400,
    )
    assert problem["fields"] == {"plan_action": ["Choose an action of this case's plan."]}


# Rules: caps, envelope, four eyes, second approval


def test_a_request_over_the_types_cap_is_refused_with_the_figures(api_as, personas, case):
    grant = f.draft(case, personas, amount="4300")  # 1,000 EUR of basic needs; the cap is 800
    problem = error(
        api_as(personas.lucia).post(grant_url(grant, "submit/"), {}, format="json"), 400
    )
    assert problem["code"] == "over_cap"
    assert "€1,000.00 is over the cap of €800.00" in problem["message"]


def test_an_approval_over_the_envelope_is_refused_with_the_figures(api_as, personas):
    case = f.funded_case(personas, envelope_eur="300")
    grant = f.submitted(case, personas)
    problem = error(
        api_as(personas.mateo).post(grant_url(grant, "approve/"), {}, format="json"), 400
    )
    assert problem["code"] == "over_budget"
    assert (
        "€400.00 is more than what remains in the desk's envelope: €300.00 of €300.00"
        in (problem["message"])
    )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED


def test_four_eyes_the_drafter_may_not_approve_and_a_second_approval_is_409(api_as, personas, case):
    grant = f.submitted(case, personas)
    refused = error(
        api_as(personas.lucia).post(grant_url(grant, "approve/"), {}, format="json"), 403
    )
    assert refused["code"] == "forbidden"
    assert refused["message"] == "Only a coordinator of the desk approves a grant."
    irene = error(api_as(personas.irene).post(grant_url(grant, "approve/"), {}, format="json"), 403)
    assert irene["code"] == "forbidden"
    mateo = api_as(personas.mateo)
    approved = mateo.post(grant_url(grant, "approve/"), {"version": 2, "note": "OK"}, format="json")
    assert approved.status_code == 200, approved.content
    data = approved.json()
    assert (data["status"], data["committed_eur"]) == ("approved", "400.00")
    assert data["desk_approved_by"]["id"] == str(personas.mateo.public_id)
    assert data["decided_by"]["id"] == str(personas.mateo.public_id)
    assert_audited(
        "grant.approved",
        actor=personas.mateo,
        target=grant,
        detail={"stage": "desk", "note": "OK", "committed_eur": "400.00"},
    )
    twice = error(mateo.post(grant_url(grant, "approve/"), {}, format="json"), 409)
    assert twice["code"] == "already_done"
    stale = error(mateo.post(grant_url(grant, "approve/"), {"version": 2}, format="json"), 409)
    assert stale["code"] == "conflict"


def test_above_the_policys_amount_programme_coordination_approves_too(api_as, personas, case):
    grant = f.business_draft(case, personas)  # 8,600 PEN: 2,000 EUR, above 1,500 EUR
    actions.submit_grant(grant, actor=acting(personas.lucia))
    first = api_as(personas.mateo).post(grant_url(grant, "approve/"), {}, format="json")
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["needs_coordination"]) == ("coordination", True)
    assert first.json()["committed_eur"] == "0.00"
    irene = api_as(personas.irene)
    seen = irene.get(grant_url(grant)).json()
    assert seen["may_approve"] is True and seen["approval_problem"] is None
    second = irene.post(grant_url(grant, "approve/"), {}, format="json")
    assert second.status_code == 200, second.content
    data = second.json()
    assert (data["status"], data["committed_eur"], data["amount_eur"]) == (
        "approved",
        "2000.00",
        "2000.00",
    )
    assert data["coordination_approved_by"]["id"] == str(personas.irene.public_id)
    assert_audited(
        "grant.approved", actor=personas.irene, target=grant, detail={"stage": "coordination"}
    )


def test_a_coordinator_rejects_with_a_reason(api_as, personas, case):
    grant = f.submitted(case, personas)
    mateo = api_as(personas.mateo)
    no_reason = error(mateo.post(grant_url(grant, "reject/"), {}, format="json"), 400)
    assert list(no_reason["fields"]) == ["reason"]
    rejected = mateo.post(
        grant_url(grant, "reject/"), {"reason": "No rent contract"}, format="json"
    )
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["decision_reason"]) == (
        "rejected",
        "No rent contract",
    )
    assert_audited(
        "grant.rejected", actor=personas.mateo, target=grant, detail={"reason": "No rent contract"}
    )


# Instalments, payments, receipts, cancelling, closing


def test_instalments_are_planned_paid_with_a_receipt_and_the_budget_follows(api_as, personas, case):
    grant = f.approved(case, personas)
    lucia = api_as(personas.lucia)
    today = timezone.localdate()
    later = today + datetime.timedelta(days=30)
    wrong = error(
        lucia.put(
            grant_url(grant, "instalments/"),
            {"instalments": [{"planned_on": str(today), "amount": "1000"}]},
            format="json",
        ),
        400,
    )
    assert "add up to PEN\xa01,000.00" in wrong["fields"]["instalments"][0]
    planned = lucia.put(
        grant_url(grant, "instalments/"),
        {
            "instalments": [
                {"planned_on": str(today), "amount": "1000"},
                {"planned_on": str(later), "amount": "720"},
            ]
        },
        format="json",
    )
    assert planned.status_code == 200, planned.content
    instalments = planned.json()["instalments"]
    assert [(i["number"], i["planned_amount"], i["payment"]) for i in instalments] == [
        (1, "1000.00", None),
        (2, "720.00", None),
    ]
    assert_audited("grant.instalments_planned", actor=personas.lucia, target=grant)
    first = grant_url(grant, f"instalments/{instalments[0]['id']}/")
    second = grant_url(grant, f"instalments/{instalments[1]['id']}/")
    payment = {"paid_on": str(today), "amount": "1000", "rate": "4.0", "method": "transfer"}
    paid = lucia.post(first + "payment/", payment, format="json")
    assert paid.status_code == 200, paid.content
    data = paid.json()
    assert (data["status"], data["paid"], data["paid_eur"]) == ("paying", "1000.00", "250.00")
    assert data["instalments"][0]["payment"] | {"paid_by": None, "recorded_at": None} == {
        "paid_on": str(today),
        "amount": "1000.00",
        "rate": "4.000000",
        "amount_eur": "250.00",
        "method": "transfer",
        "paid_by": None,
        "recorded_at": None,
        "receipts": [],
    }
    assert_audited(
        "grant.payment_recorded",
        actor=personas.lucia,
        target=grant,
        detail={"amount": "1000.00", "rate": "4.000000", "amount_eur": "250.00"},
    )
    again = error(lucia.post(first + "payment/", payment, format="json"), 409)
    assert again["code"] == "already_done"
    no_receipt = error(
        lucia.post(second + "payment/", payment | {"amount": "720"}, format="json"), 400
    )
    assert "receipts of instalment 1" in no_receipt["message"]
    receipt = lucia.post(first + "receipts/", {"file": pdf()}, format="multipart")
    assert receipt.status_code == 201, receipt.content
    assert receipt.json()["kind"] == "receipt"
    assert_audited(
        "grant.receipt_added", actor=personas.lucia, target=grant, detail={"instalment": 1}
    )
    detail = lucia.get(grant_url(grant)).json()
    assert detail["instalments"][0]["payment"]["receipts"] == [receipt.json()["id"]]
    budget = api_as(personas.mateo).get(
        f"{API}/budget/", {"cycle": str(case.cycle.public_id), "desk": "LIM"}
    )
    assert budget.status_code == 200
    assert budget.json()["total"] == {
        "grant_type": None,
        "envelope_eur": "50000.00",
        "committed_eur": "400.00",
        "paid_eur": "250.00",
        "waiting_eur": "0.00",
        "remaining_eur": "49600.00",
    }


def test_a_payment_in_local_currency_needs_its_rate(api_as, personas, case):
    grant = f.approved(case, personas)
    instalment = grant.instalments.get()
    problem = error(
        api_as(personas.lucia).post(
            grant_url(grant, f"instalments/{instalment.public_id}/payment/"),
            {"paid_on": str(timezone.localdate()), "amount": "1720", "method": "cash"},
            format="json",
        ),
        400,
    )
    assert problem["fields"] == {"rate": ["Enter the exchange rate."]}


def test_cancelling_returns_the_commitment_and_closing_needs_a_payment(api_as, personas, case):
    grant = f.approved(case, personas)
    mateo = api_as(personas.mateo)
    not_paying = error(
        mateo.post(grant_url(grant, "close/"), {"reason": "Moved"}, format="json"), 400
    )
    assert not_paying["message"] == "Only a grant being paid can be closed early."
    cancelled = mateo.post(grant_url(grant, "cancel/"), {"reason": "She moved away"}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    assert (cancelled.json()["status"], cancelled.json()["committed_eur"]) == ("cancelled", "0.00")
    assert_audited(
        "grant.cancelled", actor=personas.mateo, target=grant, detail={"released_eur": "400.00"}
    )


def test_a_coordinator_closes_a_grant_being_paid(api_as, personas, case):
    grant = f.approved(case, personas)
    instalment = grant.instalments.get()
    actions.plan_instalments(
        grant,
        actor=acting(personas.lucia),
        instalments=[
            (timezone.localdate(), Decimal("860")),
            (timezone.localdate(), Decimal("860")),
        ],
    )
    instalment = grant.instalments.order_by("number").first()
    f.pay(instalment, personas)
    closed = api_as(personas.mateo).post(
        grant_url(grant, "close/"), {"reason": "Gave up"}, format="json"
    )
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["committed_eur"]) == ("closed", "200.00")
    assert_audited(
        "grant.closed", actor=personas.mateo, target=grant, detail={"released_eur": "200.00"}
    )


# Who sees what


@pytest.mark.parametrize("who", ["carla", "eva", "dario", "ana"])
def test_a_partner_an_me_officer_and_an_outsider_get_404_on_a_grant(api_as, personas, case, who):
    grant = f.submitted(case, personas)
    if who not in personas:
        pytest.skip(f"{who} is not a persona")
    api = api_as(personas[who])
    assert error(api.get(grant_url(grant)), 404)["code"] == "not_found"
    assert api.post(grant_url(grant, "approve/"), {}, format="json").status_code == 404


def test_roles_without_grants_get_403_on_the_list(api_as, personas):
    assert error(api_as(personas.carla).get(f"{API}/grants/"), 403)["code"] == "permission_denied"
    assert error(api_as(personas.eva).get(f"{API}/grants/"), 403)["code"] == "permission_denied"


def test_programme_coordination_lists_every_desks_grants_without_person_data(
    api_as, personas, case
):
    grant = f.submitted(case, personas)
    response = api_as(personas.irene).get(f"{API}/grants/", {"status": "submitted"})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(grant.public_id)
    assert row["case"] == {"id": str(case.public_id), "reference": case.reference}
    assert set(row) == {
        "id",
        "case",
        "desk",
        "cycle",
        "grant_type",
        "status",
        "currency",
        "amount",
        "amount_eur",
        "committed_eur",
        "paid",
        "paid_eur",
        "created_at",
        "submitted_at",
        "updated_at",
        "version",
    }
    lucia = api_as(personas.lucia)
    assert lucia.get(f"{API}/grants/", {"status": "draft"}).json()["count"] == 0
    assert lucia.get(f"{API}/grants/", {"desk": "LIM"}).json()["count"] == 1
    assert lucia.get(f"{API}/grants/", {"case": str(case.public_id)}).json()["count"] == 1
    assert lucia.get(f"{API}/grants/", {"grant_type": "housing"}).json()["count"] == 0
    assert lucia.get(f"{API}/grants/", {"cycle": str(case.cycle.public_id)}).json()["count"] == 1
    bad = error(lucia.get(f"{API}/grants/", {"status": "lost"}), 400)
    assert list(bad["fields"]) == ["status"]
    # Ana's desk sent the case and reads its summary: not its grants.
    assert api_as(personas.ana).get(f"{API}/grants/").json()["count"] == 0


def test_the_grants_list_runs_a_constant_number_of_queries(
    api_as, personas, case, django_assert_max_num_queries
):
    for _n in range(5):
        f.draft(case, personas)
    api = api_as(personas.lucia)
    api.get(f"{API}/grants/")  # the token's first use is written down once
    with django_assert_max_num_queries(10) as few:
        assert api.get(f"{API}/grants/").json()["count"] == 5
    for _n in range(25):
        f.draft(case, personas)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(f"{API}/grants/").json()["results"]) == 30


# Policies, envelopes and the budget


def test_the_policy_is_read_by_case_workers_and_set_by_programme_coordination(
    api_as, personas, case
):
    url = f"{API}/cycles/{case.cycle.public_id}/grant-policy/"
    read = api_as(personas.lucia).get(url)
    assert read.status_code == 200
    policy = read.json()
    assert (policy["household_cap_eur"], policy["coordination_threshold_eur"]) == (
        "3000.00",
        "1500.00",
    )
    assert {"grant_type": "basic_needs", "cap_eur": "800.00"} in policy["caps"]
    assert error(api_as(personas.carla).get(url), 403)["code"] == "permission_denied"
    body = {
        "household_cap_eur": "3500",
        "coordination_threshold_eur": "1500",
        "receipts_before_next": False,
        "caps": [{"grant_type": "basic_needs", "cap_eur": "900"}],
        "version": policy["version"],
    }
    assert error(api_as(personas.lucia).put(url, body, format="json"), 403)
    changed = api_as(personas.irene).put(url, body, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["caps"] == [{"grant_type": "basic_needs", "cap_eur": "900.00"}]
    assert changed.json()["version"] == policy["version"] + 1
    assert_audited("grant_policy.changed", actor=personas.irene)
    stale = error(api_as(personas.irene).put(url, body, format="json"), 409)
    assert stale["code"] == "conflict"
    floats = error(
        api_as(personas.irene).put(url, body | {"household_cap_eur": 3500.0}, format="json"), 400
    )
    assert list(floats["fields"]) == ["household_cap_eur"]


def test_a_cycle_without_a_policy_answers_404_no_policy(api_as, personas):
    case = lima_case(personas)
    response = api_as(personas.lucia).get(f"{API}/cycles/{case.cycle.public_id}/grant-policy/")
    assert error(response, 404)["code"] == "no_policy"
    created = api_as(personas.admin).put(
        f"{API}/cycles/{case.cycle.public_id}/grant-policy/",
        {
            "household_cap_eur": "3000",
            "coordination_threshold_eur": "1500",
            "receipts_before_next": True,
            "caps": [{"grant_type": "housing", "cap_eur": "1000"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert_audited("grant_policy.created", actor=personas.admin)


def test_programme_coordination_sets_envelopes_and_others_read_their_own(api_as, personas, case):
    irene = api_as(personas.irene)
    body = {"cycle": str(case.cycle.public_id), "desk": "LIM", "amount_eur": "60000"}
    set_ = irene.put(f"{API}/envelopes/", body, format="json")
    assert set_.status_code == 200, set_.content
    assert (set_.json()["amount_eur"], set_.json()["remaining_eur"], set_.json()["grant_type"]) == (
        "60000.00",
        "60000.00",
        None,
    )
    assert_audited(
        "envelope.set", actor=personas.irene, changes={"amount_eur": ["50000.00", "60000.00"]}
    )
    part = irene.put(
        f"{API}/envelopes/", body | {"grant_type": "housing", "amount_eur": "70000"}, format="json"
    )
    problem = error(part, 400)
    assert list(problem["fields"]) == ["amount_eur"]
    assert "€70,000.00" in problem["message"] and "€60,000.00" in problem["message"]
    assert error(api_as(personas.mateo).put(f"{API}/envelopes/", body, format="json"), 403)
    unknown = error(irene.put(f"{API}/envelopes/", body | {"desk": "NOPE"}, format="json"), 400)
    assert list(unknown["fields"]) == ["desk"]
    mine = api_as(personas.mateo).get(f"{API}/envelopes/")
    assert [e["desk"]["code"] for e in mine.json()["results"]] == ["LIM"]
    assert error(api_as(personas.mateo).get(f"{API}/envelopes/", {"desk": "BOG"}), 404)
    assert error(api_as(personas.lucia).get(f"{API}/envelopes/"), 403)


def test_the_me_officer_reads_the_budget_and_a_caseworker_may_not(api_as, personas, case):
    f.approved(case, personas)
    f.submitted(case, personas, amount="860")
    query = {"cycle": str(case.cycle.public_id), "desk": "LIM"}
    response = api_as(personas.eva).get(f"{API}/budget/", query)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["desk"]["code"] == "LIM" and data["cycle"]["id"] == str(case.cycle.public_id)
    basic = next(r for r in data["rows"] if r["grant_type"] == "basic_needs")
    assert basic == {
        "grant_type": "basic_needs",
        "envelope_eur": None,
        "committed_eur": "400.00",
        "paid_eur": "0.00",
        "waiting_eur": "200.00",
        "remaining_eur": None,
    }
    assert data["total"]["remaining_eur"] == "49600.00"
    assert len(data["rows"]) == 6
    assert error(api_as(personas.lucia).get(f"{API}/budget/", query), 403)
    assert error(api_as(personas.mateo).get(f"{API}/budget/", query | {"desk": "BOG"}), 404)
    assert list(error(api_as(personas.eva).get(f"{API}/budget/"), 400)["fields"]) == [
        "cycle",
        "desk",
    ]

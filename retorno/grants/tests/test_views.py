"""The grant pages: what each user sees and may do, amounts in the reader's language, refusals
that say the figures, forms that keep what was typed, and double submissions that count once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from retorno.audit.models import AuditEvent
from retorno.conftest import acting
from retorno.grants import actions
from retorno.grants.models import Grant
from retorno.grants.tests import factories as f
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"grants:{name}", args=args)


@pytest.fixture
def as_user(client):
    """as_user(personas.lucia) -> the test client signed in as her, reading Spanish (Lima's
    language) unless told otherwise."""

    def sign_in(user, language="es"):
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return sign_in


def test_smoke_every_page_renders(as_user, personas):
    case = f.funded_case(personas)
    grant = f.business_draft(case, personas)
    lucia = as_user(personas.lucia)
    for page in (
        url("list"),
        url("case", case.public_id),
        url("create", f.economic_action(case).public_id),
        url("detail", grant.public_id),
        url("edit", grant.public_id),
        url("quote_add", grant.public_id),
        url("instalments", grant.public_id),
        url("cancel", grant.public_id),
        reverse("plans:plan", args=[case.public_id]),
    ):
        response = lucia.get(page)
        assert response.status_code == 200, page


def test_the_whole_life_of_a_grant_through_the_pages_in_spanish(as_user, personas, settings):
    case = f.funded_case(personas)
    lucia = as_user(personas.lucia)
    action = f.economic_action(case)
    # A draft saved incomplete: no amount yet.
    response = lucia.post(
        url("create", action.public_id),
        {"grant_type": "basic_needs", "currency": "PEN", "amount": "", "rate": "", "purpose": ""},
    )
    assert response.status_code == 302
    grant = Grant.objects.get(case=case)
    assert grant.amount is None and grant.status == Grant.Status.DRAFT
    page = lucia.get(url("detail", grant.public_id)).content.decode()
    assert "el importe" in page  # "Before submitting, add: the amount", in Spanish
    # Completed with amounts typed the Spanish way.
    response = lucia.post(
        url("edit", grant.public_id),
        {
            "version": grant.version,
            "grant_type": "basic_needs",
            "currency": "PEN",
            "amount": "1.720,00",
            "rate": "4,3",
            "purpose": "Alquiler y comida",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    grant.refresh_from_db()
    assert grant.amount == Decimal("1720.00") and grant.rate == Decimal("4.3")
    page = lucia.get(url("detail", grant.public_id)).content.decode()
    assert "1.720,00\xa0PEN" in page or "1.720,00 PEN" in page
    assert lucia.post(url("submit", grant.public_id), {"version": grant.version}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED
    mateo = as_user(personas.mateo)
    page = mateo.get(url("decide", grant.public_id))
    assert page.status_code == 200
    response = mateo.post(
        url("decide", grant.public_id), {"version": grant.version, "decision": "approve"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED
    instalment = grant.instalments.get()
    lucia = as_user(personas.lucia)
    response = lucia.post(
        url("pay", grant.public_id, instalment.public_id),
        {
            "version": grant.version,
            "paid_on": datetime.date.today().isoformat(),
            "amount": "1.720",
            "rate": "4,3",
            "method": "transfer",
            "receipt": f.pdf("recibo.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PAID
    assert instalment.receipts.count() == 1
    page = lucia.get(url("detail", grant.public_id)).content.decode()
    assert "400,00" in page  # 1720 PEN at 4.3 = 400 EUR


def test_figures_are_formatted_for_the_readers_language(as_user, personas):
    case = f.funded_case(personas)
    grant = f.submitted(case, personas)
    page = as_user(personas.lucia).get(url("detail", grant.public_id)).content.decode()
    assert "1.720,00\xa0PEN" in page
    assert "400,00\xa0€" in page


def test_a_request_over_the_cap_is_refused_with_the_figures(as_user, personas):
    case = f.funded_case(personas)
    # 4.300 PEN at 4,3 is 1.000 EUR: over the 800 EUR cap of basic needs.
    grant = f.draft(case, personas, amount="4300")
    lucia = as_user(personas.lucia)
    response = lucia.post(url("submit", grant.public_id), {"version": grant.version}, follow=True)
    page = response.content.decode()
    assert "1.000,00\xa0€" in page and "800,00\xa0€" in page
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DRAFT


def test_a_request_over_the_household_cap_is_refused_at_approval(as_user, personas):
    case = f.funded_case(personas, household_cap="2500")
    f.approved(case, personas, amount="3440")  # 800 EUR
    f.approved(case, personas, amount="3440")  # 1.600 EUR
    grant = f.submitted(case, personas)  # 400 EUR more: 2.000, within the cap
    other = f.submitted(case, personas, amount="3440")  # 800 EUR more: 2.800, over
    mateo = as_user(personas.mateo)
    form = {"version": grant.version, "decision": "approve"}
    assert mateo.post(url("decide", grant.public_id), form).status_code == 302
    response = mateo.post(
        url("decide", other.public_id), {"version": other.version, "decision": "approve"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "2.000,00\xa0€" in page and "2.800,00\xa0€" in page and "2.500,00\xa0€" in page


def test_a_request_over_the_envelope_is_refused_with_the_figures(as_user, personas):
    case = f.funded_case(personas, envelope_eur="300")
    grant = f.submitted(case, personas)
    response = as_user(personas.mateo).post(
        url("decide", grant.public_id), {"version": grant.version, "decision": "approve"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "300,00\xa0€" in page and "400,00\xa0€" in page


def test_the_form_shows_back_what_was_typed(as_user, personas):
    case = f.funded_case(personas)
    response = as_user(personas.lucia).post(
        url("create", f.economic_action(case).public_id),
        {
            "grant_type": "basic_needs",
            "currency": "PEN",
            "amount": "12,345",
            "rate": "4,3",
            "purpose": "Comida para dos meses",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="12,345"' in page
    assert "Comida para dos meses" in page
    assert not Grant.objects.exists()


def test_a_change_from_a_stale_page_is_refused(as_user, personas):
    case = f.funded_case(personas)
    grant = f.draft(case, personas)
    stale = grant.version
    actions.update_grant(grant, actor=acting(personas.lucia), purpose="Otra cosa")
    response = as_user(personas.lucia).post(
        url("edit", grant.public_id),
        {
            "version": stale,
            "grant_type": "basic_needs",
            "currency": "PEN",
            "amount": "1000",
            "rate": "4,3",
            "purpose": "Mi versión",
        },
    )
    assert response.status_code == 422
    assert "Alguien más" in response.content.decode() or "cambió" in response.content.decode()
    grant.refresh_from_db()
    assert grant.purpose == "Otra cosa"


def test_approving_twice_records_one_event(as_user, personas):
    case = f.funded_case(personas)
    grant = f.submitted(case, personas)
    mateo = as_user(personas.mateo)
    form = {"version": grant.version, "decision": "approve"}
    assert mateo.post(url("decide", grant.public_id), form).status_code == 302
    assert mateo.post(url("decide", grant.public_id), form).status_code == 302
    assert AuditEvent.objects.filter(verb="grant.approved").count() == 1


def test_paying_twice_records_one_payment(as_user, personas):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    instalment = grant.instalments.get()
    lucia = as_user(personas.lucia)
    form = {
        "version": grant.version,
        "paid_on": datetime.date.today().isoformat(),
        "amount": "1720",
        "rate": "4,3",
        "method": "cash",
    }
    assert lucia.post(url("pay", grant.public_id, instalment.public_id), form).status_code == 302
    assert lucia.post(url("pay", grant.public_id, instalment.public_id), form).status_code == 302
    assert AuditEvent.objects.filter(verb="grant.payment_recorded").count() == 1


def test_the_drafter_cannot_approve_and_the_page_says_why(as_user, personas):
    case = f.funded_case(personas)
    grant = f.submitted(case, personas, actor=personas.mateo)
    # Mateo drafted it; Lucía submitted it (the factory): Mateo cannot approve his own request.
    page = as_user(personas.mateo).get(url("decide", grant.public_id))
    assert page.status_code == 200
    assert "otro coordinador" in page.content.decode()
    assert 'name="decision"' not in page.content.decode()


@pytest.mark.parametrize("who", ["carla", "eva", "dario"])
def test_partner_me_officer_and_outsider_get_404_on_grant_pages(as_user, personas, who):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    instalment = grant.instalments.get()
    client = as_user(personas[who])
    for page in (
        url("detail", grant.public_id),
        url("decide", grant.public_id),
        url("edit", grant.public_id),
        url("pay", grant.public_id, instalment.public_id),
        url("cancel", grant.public_id),
    ):
        assert client.get(page).status_code == 404, (who, page)


def test_programme_coordination_never_sees_the_persons_name(as_user, personas):
    case = f.funded_case(personas, threshold="300")
    grant = f.submitted(case, personas)
    actions.approve_grant(grant, actor=acting(personas.mateo))
    grant.refresh_from_db()
    assert grant.status == Grant.Status.COORDINATION
    irene = as_user(personas.irene)
    name = case.person.given_names
    for page in (url("list"), url("detail", grant.public_id), url("decide", grant.public_id)):
        response = irene.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert case.reference in content
        assert name not in content, page
    response = irene.post(
        url("decide", grant.public_id), {"version": grant.version, "decision": "approve"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED


def test_coordination_lands_on_what_waits_for_its_approval(as_user, personas):
    case = f.funded_case(personas, threshold="300")
    waiting = f.submitted(case, personas)
    actions.approve_grant(waiting, actor=acting(personas.mateo))
    f.draft(case, personas, amount="430")
    page = as_user(personas.irene).get(url("list"))
    assert len(page.context["page"].object_list) == 1
    page = as_user(personas.irene).get(url("list") + "?status=")
    assert len(page.context["page"].object_list) == 2


def test_the_list_runs_the_same_queries_for_5_and_30_grants(as_user, personas):
    case = f.funded_case(personas)
    lucia = as_user(personas.lucia)
    lucia.get(url("list"))  # the session and the plugins, read once

    def queries_for_the_list(expected):
        with CaptureQueriesContext(connection) as queries:
            response = lucia.get(url("list") + "?status=")
        assert len(response.context["page"].object_list) == expected
        return len(queries)

    for _ in range(5):
        f.draft(case, personas, amount="43")
    five = queries_for_the_list(5)
    for _ in range(25):
        f.draft(case, personas, amount="43")
    assert queries_for_the_list(30) == five


def test_the_budget_page_shows_committed_and_paid_and_exports_an_audited_xlsx(as_user, personas):
    case = f.funded_case(personas, envelope_eur="10000")
    grant = f.approved(case, personas)
    f.pay(grant.instalments.get(), personas)
    mateo = as_user(personas.mateo)
    response = mateo.get(url("budget"))
    assert response.status_code == 302
    page = mateo.get(response["Location"]).content.decode()
    assert "10.000,00\xa0€" in page and "400,00\xa0€" in page
    assert "<svg" in page and "style=" not in page.split("<main")[1]
    desk = personas.org("LIM")
    export = mateo.get(url("budget_export", desk.public_id) + f"?cycle={case.cycle.public_id}")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_audited(
        "budget.exported",
        actor=personas.mateo,
        target=desk,
        detail={"desk": "LIM", "cycle": str(case.cycle.public_id)},
    )


def test_the_me_officer_reads_budgets_but_sets_nothing(as_user, personas):
    case = f.funded_case(personas)
    eva = as_user(personas.eva)
    desk = personas.org("LIM")
    assert eva.get(url("budget_desk", desk.public_id)).status_code == 200
    assert eva.get(url("envelopes", desk.public_id)).status_code == 403
    assert eva.get(url("policy", case.cycle.public_id)).status_code == 200
    assert eva.post(url("policy", case.cycle.public_id), {}).status_code == 403
    assert eva.get(url("list")).status_code == 403


def test_programme_coordination_sets_the_envelope_and_the_policy(as_user, personas):
    case = f.funded_case(personas)
    irene = as_user(personas.irene)
    desk = personas.org("LIM")
    cycle = f"?cycle={case.cycle.public_id}"
    response = irene.post(
        url("envelopes", desk.public_id) + cycle, {"amount_eur": "60.000", "part_housing": "5.000"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = irene.get(url("budget_desk", desk.public_id) + cycle).content.decode()
    assert "60.000,00" in page and "5.000,00" in page
    form = {
        "household_cap_eur": "3.500",
        "coordination_threshold_eur": "1.500",
        "receipts_before_next": "on",
        "cap_basic_needs": "900",
        "cap_self_employment": "2.500",
    }
    policy = case.cycle.grant_policy
    form["version"] = policy.version
    response = irene.post(url("policy", case.cycle.public_id), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert policy.household_cap_eur == Decimal("3500")
    assert {c.grant_type for c in policy.caps.all()} == {"basic_needs", "self_employment"}


def test_the_plan_shows_each_economic_actions_grants_and_the_request_link(as_user, personas):
    case = f.funded_case(personas)
    grant = f.draft(case, personas)
    page = as_user(personas.lucia).get(reverse("plans:plan", args=[case.public_id]))
    content = page.content.decode()
    assert url("detail", grant.public_id) in content
    assert url("create", f.economic_action(case).public_id) in content


def test_my_work_shows_grants_to_approve_and_instalments_due(as_user, personas):
    case = f.funded_case(personas)
    waiting = f.submitted(case, personas)
    page = as_user(personas.mateo).get(reverse("home")).content.decode()
    assert url("decide", waiting.public_id) in page
    approved = f.approved(case, personas, amount="430")  # its instalment is due today
    # Lucía, to whom the case is assigned, sees the instalment due.
    page = as_user(personas.lucia).get(reverse("home")).content.decode()
    assert url("detail", approved.public_id) in page


def test_a_quote_is_downloaded_only_through_its_grant_and_audited(as_user, personas):
    case = f.funded_case(personas)
    grant = f.business_draft(case, personas)
    quote = grant.quotes.get()
    lucia = as_user(personas.lucia)
    response = lucia.get(url("document", grant.public_id, quote.document.public_id))
    assert response.status_code == 200
    assert_audited("document.downloaded", actor=personas.lucia)
    other = f.draft(case, personas)
    assert lucia.get(url("document", other.public_id, quote.document.public_id)).status_code == 404


def test_instalments_are_planned_row_by_row_and_paid_in_order_with_receipts(as_user, personas):
    case = f.funded_case(personas)
    grant = f.approved(case, personas)
    lucia = as_user(personas.lucia)
    today = datetime.date.today()
    form = {
        "version": grant.version,
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",  # as the page sends it: every row shown is an initial one
        "form-0-planned_on": today.isoformat(),
        "form-0-amount": "1.000,00",
        "form-1-planned_on": (today + datetime.timedelta(days=30)).isoformat(),
        "form-1-amount": "720",
        "form-2-planned_on": "",
        "form-2-amount": "",
    }
    response = lucia.post(url("instalments", grant.public_id), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    first, second = grant.instalments.order_by("number")
    assert (first.planned_amount, second.planned_amount) == (Decimal("1000"), Decimal("720"))
    # Rows that do not add up to the grant are refused with the figures, as typed.
    form["form-1-amount"] = "700"
    grant.refresh_from_db()
    form["version"] = grant.version
    response = lucia.post(url("instalments", grant.public_id), form)
    assert response.status_code == 422
    assert "1.700,00\xa0PEN" in response.content.decode()
    assert 'value="700"' in response.content.decode()
    # The first is paid without its receipt: the second waits for it.
    f.pay(first, personas, receipt=False)
    page = lucia.get(url("pay", grant.public_id, second.public_id)).content.decode()
    assert "recibos de la cuota 1" in page
    response = lucia.post(
        url("receipt", grant.public_id, first.public_id), {"file": f.pdf("recibo.pdf")}
    )
    assert response.status_code == 302
    page = lucia.get(url("pay", grant.public_id, second.public_id)).content.decode()
    assert "recibos de la cuota 1" not in page


def test_cancelling_returns_the_commitment_and_closing_needs_a_coordinator(as_user, personas):
    case = f.funded_case(personas, envelope_eur="10000")
    grant = f.approved(case, personas)
    lucia = as_user(personas.lucia)
    # A caseworker cannot cancel an approved grant: the action says so beside the form.
    response = lucia.post(url("cancel", grant.public_id), {"reason": "Se mudó"})
    assert response.status_code == 422
    mateo = as_user(personas.mateo)
    response = mateo.post(
        url("cancel", grant.public_id), {"reason": "Se mudó a Arequipa", "version": grant.version}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CANCELLED and grant.committed_eur == 0
    paying = f.approved(case, personas, amount="1720")
    actions.plan_instalments(
        paying,
        actor=acting(personas.lucia),
        instalments=[
            (datetime.date.today(), Decimal("860")),
            (datetime.date.today(), Decimal("860")),
        ],
    )
    f.pay(paying.instalments.order_by("number").first(), personas)
    assert as_user(personas.lucia).get(url("close", paying.public_id)).status_code == 403
    response = as_user(personas.mateo).post(
        url("close", paying.public_id), {"reason": "Abandonó el negocio"}
    )
    assert response.status_code == 302
    paying.refresh_from_db()
    assert paying.status == Grant.Status.CLOSED
    assert paying.committed_eur == paying.paid_eur == Decimal("200.00")

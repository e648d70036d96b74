"""The outreach API: the public part answers without a token and never about a person; leads
answer only the staff of the desk they are for."""

import pytest
from rest_framework.test import APIClient

from retorno.accounts.middleware import act_as
from retorno.outreach.actions import content
from retorno.outreach.models import SignUp
from retorno.testing.audit import assert_audited


@pytest.fixture
def published_faq(personas):
    olga = act_as(personas.olga)
    page = content.create_page(actor=olga, key="faq", kind="page", source_language="it")
    content.save_version(
        page,
        actor=olga,
        language="it",
        title="Domande frequenti",
        description="Le risposte alle domande più frequenti.",
        body="## Costa qualcosa?\n\nNo, è **gratuito**.\n\n<script>x()</script>",
    )
    content.publish(page, actor=olga, language="it")
    content.save_version(
        page,
        actor=olga,
        language="it",
        title="Bozza mai pubblicata",
        description="Bozza.",
        body="Bozza.",
        based_on=1,
    )
    return page


def test_a_page_comes_in_the_language_available_and_never_as_a_draft(published_faq):
    api = APIClient()
    answer = api.get("/api/v1/public/pages/faq/?language=es")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["language"], data["is_fallback"]) == ("it", True)
    assert data["title"] == "Domande frequenti"
    assert "<h2>Costa qualcosa?</h2>" in data["body_html"]
    assert "<strong>gratuito</strong>" in data["body_html"]
    assert "<script" not in data["body_html"]
    listed = api.get("/api/v1/public/pages/?language=it").json()
    assert [(p["key"], p["title"]) for p in listed] == [("faq", "Domande frequenti")]
    assert api.get("/api/v1/public/pages/offer/").status_code == 404
    refused = api.get("/api/v1/public/pages/faq/?language=fr")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["language"]


def test_a_partner_site_signs_a_person_up_and_cancels(make_session):
    session = make_session(capacity=1)
    api = APIClient()
    listed = api.get("/api/v1/public/sessions/").json()
    assert [s["id"] for s in listed["results"]] == [str(session.public_id)]
    assert listed["results"][0]["region_name"] == "Lombardia"
    first = api.post(
        f"/api/v1/public/sessions/{session.public_id}/signups/",
        {"name": "Rosa Quispe", "email": "rosa@example.org", "language": "es"},
        format="json",
    )
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    second = api.post(
        f"/api/v1/public/sessions/{session.public_id}/signups/",
        {"name": "Luis Mamani", "phone": "+39 333 000 1111", "language": "es"},
        format="json",
    )
    assert second.json()["status"] == "waiting"
    detail = api.get(f"/api/v1/public/sessions/{session.public_id}/").json()
    assert (detail["places_left"], detail["waiting_list"]) == (0, True)
    assert "Rosa" not in str(detail)
    wrong = api.post(
        f"/api/v1/public/signups/{first.json()['id']}/cancel/", {"secret": "x"}, format="json"
    )
    assert wrong.status_code == 404
    cancelled = api.post(
        f"/api/v1/public/signups/{first.json()['id']}/cancel/",
        {"secret": first.json()["cancel_secret"]},
        format="json",
    )
    assert cancelled.json()["status"] == "cancelled"
    assert SignUp.objects.get(public_id=second.json()["id"]).status == "confirmed"


def test_a_sign_up_needs_a_way_to_reach_the_person(make_session):
    session = make_session()
    answer = APIClient().post(
        f"/api/v1/public/sessions/{session.public_id}/signups/",
        {"name": "Rosa", "language": "es"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {
        "email": ["Write an email address or a phone number."]
    }


def test_too_many_sign_ups_from_one_address_are_refused(make_session):
    session = make_session(capacity=50)
    api = APIClient(REMOTE_ADDR="203.0.113.7")
    body = {"name": "Rosa", "email": "rosa@example.org", "language": "es"}
    url = f"/api/v1/public/sessions/{session.public_id}/signups/"
    statuses = [api.post(url, body, format="json").status_code for _ in range(6)]
    assert statuses == [201, 201, 201, 201, 201, 429]
    assert SignUp.objects.count() == 5


def test_leads_answer_only_the_desk_they_are_for(personas, make_lead, api_as):
    lead = make_lead()
    olga = api_as(personas.olga)
    listed = olga.get("/api/v1/leads/").json()
    assert [row["reference"] for row in listed["results"]] == [lead.reference]
    assert "given_names" not in listed["results"][0]
    detail = olga.get(f"/api/v1/leads/{lead.public_id}/").json()
    assert (detail["given_names"], detail["phone"]) == ("Rosa Elena", "+39 333 123 4567")
    assert_audited("lead.viewed", actor=personas.olga, target=lead)
    dario = api_as(personas.dario)
    assert dario.get("/api/v1/leads/").json()["count"] == 0
    assert dario.get(f"/api/v1/leads/{lead.public_id}/").status_code == 404
    assert api_as(personas.eva).get("/api/v1/leads/").status_code == 403
    assert APIClient().get("/api/v1/leads/").status_code == 401
    filtered = olga.get("/api/v1/leads/?status=converted").json()
    assert filtered["count"] == 0


def test_the_public_api_sets_no_cookie(published_faq):
    answer = APIClient().get("/api/v1/public/pages/faq/")
    assert answer.cookies == {}

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


def test_a_lead_is_triaged_and_converted_through_the_api(personas, make_lead, api_as):
    from retorno.cases.access import cases_visible_to

    lead = make_lead()
    olga = api_as(personas.olga)
    url = f"/api/v1/leads/{lead.public_id}/"
    contacted = olga.post(url + "contacted/", {"version": 1, "note": "Llamada"}, format="json")
    assert contacted.status_code == 200
    assert (contacted.json()["status"], contacted.json()["version"]) == ("contacted", 2)
    stale = olga.post(url + "not-interested/", {"version": 1}, format="json")
    assert stale.status_code == 409
    converted = olga.post(url + "convert/", {"version": 2}, format="json")
    assert converted.status_code == 200
    reference = converted.json()["case"]
    assert converted.json()["status"] == "converted"
    case = cases_visible_to(act_as(personas.ana)).get(reference=reference)
    assert (case.phase, case.person.first_surname) == ("inquiry", "Quispe")
    closed = olga.post(url + "contacted/", {"version": 3}, format="json")
    assert closed.status_code == 403
    assert api_as(personas.dario).post(url + "contacted/", {"version": 3}).status_code == 404


def test_attendance_through_the_api(personas, make_session, api_as):
    import datetime

    from django.utils import timezone

    session = make_session(days=-1)
    session.starts_at = timezone.now() - datetime.timedelta(hours=1)
    session.ends_at = timezone.now() + datetime.timedelta(hours=1)
    session.save()
    named = SignUp.objects.create(
        session=session,
        name="Ana",
        email="a@example.org",
        language="es",
        status="confirmed",
        consent_attendance=True,
        cancel_digest="x" * 64,
    )
    olga = api_as(personas.olga)
    url = f"/api/v1/outreach/sessions/{session.public_id}/attendance/"
    answer = olga.put(
        url,
        {
            "attended": [{"id": str(named.public_id), "attended": True}],
            "counts": [{"sex": "female", "age_band": "30-44", "nationality": "PE", "count": 4}],
        },
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "attended": [{"id": str(named.public_id), "attended": True}],
        "counts": [{"sex": "female", "age_band": "30-44", "nationality": "PE", "count": 4}],
    }
    assert api_as(personas.dario).get(url).status_code == 404
    assert api_as(personas.dario).put(url, {}, format="json").status_code == 403

"""The JSON API for referrals and the partner's inbox: the same access policy, actions and audit
as the pages; a partner reads the person only through what was shared, while it is open."""

import pytest
from rest_framework.test import APIClient

from retorno.accounts.actions import invite_user
from retorno.audit.models import AuditEvent
from retorno.cases import actions as case_actions
from retorno.cases.tests.factories import consent
from retorno.conftest import acting
from retorno.directory.tests import factories as directory
from retorno.plans.models import PlanAction
from retorno.plans.tests.factories import (
    approved_plan,
    lima_case,
    offline_service,
    sharing_consent,
    training_service,
)
from retorno.referrals import actions, sharing
from retorno.referrals.models import Referral

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def setup(personas):
    """María's case at Lima, her approved plan with a sewing course at a partner on Retorno."""
    case = lima_case(personas)
    service = training_service(personas)
    plan = approved_plan(case, personas, service=service)
    return case, service, PlanAction.objects.get(goal__plan=plan)


def refer(case, service, personas, *, action=None, shared_fields=("name", "phone", "need")):
    return actions.refer(
        case,
        actor=acting(personas.lucia),
        service=service,
        plan_action=action,
        need="A sewing course",
        shared_fields=list(shared_fields),
    )


def partner_of(personas, code="PSILIM", username="pilar"):
    return invite_user(
        personas.org(code),
        actor=acting(personas.admin),
        username=username,
        email=f"{username}@retorno.example",
        first_name=username.title(),
        last_name="Test",
        role="partner",
    )


def referral_url(referral, path=""):
    return f"{API}/referrals/{referral.public_id}/{path}"


# The permission matrix


def test_every_referral_endpoint_refuses_whoever_may_not_use_it(api_as, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, personas, action=action)
    new = {"service": str(service.public_id), "need": "Work", "shared_fields": ["name"]}
    on_case = [
        ("get", f"{API}/cases/{case.public_id}/referrals/", None),
        ("post", f"{API}/cases/{case.public_id}/referrals/", new),
    ]
    on_referral = [
        ("get", referral_url(referral), None),
        ("post", referral_url(referral, "status/"), {"status": "accepted"}),
        ("post", referral_url(referral, "updates/"), {"text": "Hello"}),
    ]
    letter = [("get", referral_url(referral, "letter/"), None)]
    lists = [("get", f"{API}/inbox/", None), ("get", f"{API}/referrals/shareable-fields/", None)]

    def status(api, method, target, body):
        return getattr(api, method)(target, body, format="json").status_code

    for method, target, body in on_case + on_referral + letter + lists:
        response = getattr(APIClient(), method)(target, body, format="json")
        assert response.status_code == 401, target
        assert response.json()["error"]["code"] == "not_authenticated"

    carla = api_as(personas.carla)  # the partner the referral went to
    pilar = api_as(partner_of(personas))  # another partner
    for partner in (carla, pilar):
        for method, target, body in on_case + letter:
            assert status(partner, method, target, body) == 403, target
    for method, target, body in on_referral:
        assert status(pilar, method, target, body) == 404, target
        assert pilar.get(referral_url(referral)).json()["error"]["code"] == "not_found"
    assert pilar.get(f"{API}/inbox/").json()["count"] == 0

    sofia = api_as(personas.sofia)  # a coordinator of another desk
    for method, target, body in on_case + on_referral + letter:
        assert status(sofia, method, target, body) == 404, target
    assert status(sofia, "get", f"{API}/inbox/", None) == 403

    eva = api_as(personas.eva)  # M&E: no referrals at all
    for method, target, body in on_case + on_referral + letter + lists:
        assert status(eva, method, target, body) == 403, target

    assert Referral.objects.get().status == "sent"
    assert not AuditEvent.objects.filter(verb__in=["case.viewed", "referral.viewed"]).exists()


def test_a_partner_never_reaches_a_referral_to_another_organisation(api_as, personas, setup):
    case, _service, _action = setup
    other = offline_service(personas)
    partner = actions.ensure_partner_organisation(other.organization, actor=acting(personas.lucia))
    case_actions.record_consent(
        case,
        actor=acting(personas.lucia),
        purpose="partner_sharing",
        partner=partner,
        given=True,
        decided_on=case.created_at.date(),
        method="signed_form",
    )
    referral = refer(case, other, personas)
    carla = api_as(personas.carla)
    assert carla.get(referral_url(referral)).status_code == 404
    answer = carla.post(referral_url(referral, "status/"), {"status": "accepted"}, format="json")
    assert answer.status_code == 404
    assert carla.get(f"{API}/inbox/").json()["count"] == 0


# Sending


def test_no_referral_without_consent_to_share_with_that_organisation(api_as, personas, setup):
    case, service, action = setup
    response = api_as(personas.lucia).post(
        f"{API}/cases/{case.public_id}/referrals/",
        {
            "service": str(service.public_id),
            "plan_action": str(action.public_id),
            "need": "A sewing course",
            "shared_fields": ["name", "phone"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "no_consent",
        "message": "The person has not agreed to share their data with Centro de Formación "
        "Profesional Lima. Record their consent first.",
        "fields": {},
    }
    assert not Referral.objects.exists()


def test_a_referral_is_sent_with_what_was_chosen_and_audited(api_as, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    lucia = api_as(personas.lucia)
    target = f"{API}/cases/{case.public_id}/referrals/"
    body = {
        "service": str(service.public_id),
        "plan_action": str(action.public_id),
        "need": "A sewing course",
        "shared_fields": ["need", "name", "vulnerability"],
    }
    wrong = lucia.post(
        target,
        {**body, "service": str(case.public_id), "plan_action": str(case.public_id)},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"] == {"service": ["Choose the service"]}
    wrong = lucia.post(target, {**body, "plan_action": str(case.public_id)}, format="json")
    assert wrong.json()["error"]["fields"] == {
        "plan_action": ["Choose an action of this case's plan."]
    }
    wrong = lucia.post(target, {**body, "shared_fields": ["passport"]}, format="json")
    assert set(wrong.json()["error"]["fields"]) == {"shared_fields"}
    anonymous = lucia.post(target, {**body, "shared_fields": ["need"]}, format="json")
    assert anonymous.status_code == 400
    assert anonymous.json()["error"]["fields"] == {
        "shared_fields": [
            "Share at least a name or a way to contact the person, or the service cannot help."
        ]
    }
    response = lucia.post(target, body, format="json")
    assert response.status_code == 201
    sent = response.json()
    assert sent["status"] == "sent" and sent["reference"].startswith("R-")
    assert sent["recipient"]["code"] == "CFPLIM" and sent["on_retorno"] is True
    assert sent["plan_action"] == str(action.public_id)
    assert sent["case"] == {"id": str(case.public_id), "reference": case.reference}
    assert sent["shared_fields"] == ["name", "need", "vulnerability"]  # in the list's order
    assert [row["code"] for row in sent["shared"]] == ["name", "need", "vulnerability"]
    assert sent["may_answer"] is False and sent["may_manage"] is True
    event = AuditEvent.objects.get(verb="referral.sent")
    assert event.detail["sensitive_shared"] == ["vulnerability"]
    assert PlanAction.objects.get(pk=action.pk).status == "in_progress"
    again = lucia.post(target, body, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_done"
    listed = lucia.get(target).json()
    assert [r["reference"] for r in listed["results"]] == [sent["reference"]]
    assert listed["results"][0]["service"]["id"] == str(service.public_id)


def test_the_shareable_fields_are_the_one_list_the_form_reads(api_as, personas):
    api = api_as(personas.lucia)
    fields = api.get(f"{API}/referrals/shareable-fields/").json()
    assert [f["code"] for f in fields] == [f.code for f in sharing.FIELDS]
    assert fields[0] == {"code": "name", "label": "Name", "default": True, "sensitive": False}
    assert [f["code"] for f in fields if f["default"]] == sharing.DEFAULT
    assert [f["code"] for f in fields if f["sensitive"]] == ["vulnerability"]
    assert api_as(personas.carla).get(f"{API}/referrals/shareable-fields/").status_code == 200


# Reading


def test_the_desk_reads_everything_and_the_read_is_audited(api_as, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, personas, action=action, shared_fields=["name", "need"])
    body = api_as(personas.lucia).get(referral_url(referral)).json()
    assert body["need"] == "A sewing course"
    assert body["shared"] == [
        {"code": "name", "value": "María Quispe Huamán"},
        {"code": "need", "value": "A sewing course"},
    ]
    assert body["updates"][0]["status"] == "sent"
    assert body["updates"][0]["text"] == ""  # the need is a shared field, not thread text
    assert body["updates"][0]["author_organisation"]["code"] == "LIM"
    assert body["next_statuses"] == []  # the partner answers, not the desk
    event = AuditEvent.objects.get(verb="case.viewed", actor=personas.lucia)
    assert event.detail == {"page": "referrals"}


def test_carla_sees_only_the_shared_fields_and_the_read_is_audited(api_as, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    case_actions.update_person(case.person, actor=acting(personas.lucia), email="maria@example.org")
    referral = refer(case, service, personas, action=action, shared_fields=["name", "need"])
    carla = api_as(personas.carla)
    response = carla.get(referral_url(referral))
    assert response.status_code == 200
    body = response.json()
    assert body["shared"] == [
        {"code": "name", "value": "María Quispe Huamán"},
        {"code": "need", "value": "A sewing course"},
    ]
    assert "email" in body["not_shared"] and "vulnerability" in body["not_shared"]
    assert not {"case", "need", "plan_action", "shared_fields"} & set(body)
    assert "maria@example.org" not in response.content.decode()
    assert case.reference not in response.content.decode()
    assert sorted(body["next_statuses"]) == ["accepted", "declined"]
    assert AuditEvent.objects.filter(verb="referral.viewed", actor=personas.carla).count() == 1
    assert not AuditEvent.objects.filter(verb="case.viewed", actor=personas.carla).exists()

    # What the person needs is a field like any other: not shared, not shown, even in the thread.
    second = directory.service(service.organization, personas, name="Curso de cocina")
    quiet = refer(case, second, personas, shared_fields=["name", "phone"])
    body = carla.get(referral_url(quiet)).json()
    assert [row["code"] for row in body["shared"]] == ["name", "phone"]
    assert body["updates"][0]["status"] == "sent" and body["updates"][0]["text"] == ""
    assert "A sewing course" not in str(body)

    inbox = carla.get(f"{API}/inbox/").json()
    assert inbox["count"] == 2
    assert set(inbox["results"][0]) == {
        "id",
        "reference",
        "status",
        "service",
        "from_desk",
        "reply_by",
        "sent_at",
        "updated_at",
        "closed_at",
        "opened_at",
    }
    assert "María" not in str(inbox)


def test_carla_accepts_and_completes_and_the_plan_action_is_done(api_as, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, personas, action=action)
    carla, lucia = api_as(personas.carla), api_as(personas.lucia)
    status_url = referral_url(referral, "status/")
    skipped = carla.post(status_url, {"status": "in_progress"}, format="json")
    assert skipped.status_code == 400
    assert skipped.json()["error"]["message"] == (
        "A referral cannot go from Sent, waiting for a reply to In progress."
    )
    desk = lucia.post(status_url, {"status": "accepted"}, format="json")
    assert desk.status_code == 403
    assert (
        desk.json()["error"]["message"] == "Only the receiving organisation answers this referral."
    )

    accepted = carla.post(
        status_url, {"status": "accepted", "text": "Starts Monday"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["shared"] is not None
    assert carla.post(status_url, {"status": "accepted"}, format="json").status_code == 409
    no_reason = carla.post(status_url, {"status": "declined"}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["fields"] == {"text": ["Give the reason"]}
    note = carla.post(referral_url(referral, "updates/"), {"text": "She came"}, format="json")
    assert note.status_code == 201 and note.json()["author_organisation"]["code"] == "CFPLIM"
    thanks = lucia.post(referral_url(referral, "updates/"), {"text": "Thanks"}, format="json")
    assert thanks.status_code == 201

    completed = carla.post(status_url, {"status": "completed"}, format="json")
    assert completed.status_code == 200
    body = completed.json()
    assert body["status"] == "completed" and body["closed_at"] is not None
    assert body["shared"] is None and body["next_statuses"] == []
    assert [u["status"] for u in body["updates"]] == ["sent", "accepted", None, None, "completed"]
    assert AuditEvent.objects.filter(verb="referral.completed", actor=personas.carla).exists()
    plan = lucia.get(f"{API}/cases/{case.public_id}/plan/").json()
    assert plan["goals"][0]["actions"][0]["status"] == "done"
    assert lucia.get(f"{API}/cases/{case.public_id}/referrals/").json()["results"][0]["status"] == (
        "completed"
    )

    # Closed, the referral keeps its history for the partner, without the person.
    reads = AuditEvent.objects.filter(verb="referral.viewed").count()
    closed = carla.get(referral_url(referral))
    assert closed.json()["shared"] is None
    assert "María" not in closed.content.decode()
    assert AuditEvent.objects.filter(verb="referral.viewed").count() == reads
    assert carla.get(f"{API}/inbox/", {"status": "completed"}).json()["count"] == 1
    assert carla.get(f"{API}/inbox/", {"status": ["sent", "accepted"]}).json()["count"] == 0
    bad = carla.get(f"{API}/inbox/", {"status": "lost"})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"status"}


def test_an_organisation_off_retorno_gets_a_letter_and_the_desk_answers_for_it(
    api_as, personas, setup
):
    case, _service, _action = setup
    other = offline_service(personas)
    partner = actions.ensure_partner_organisation(other.organization, actor=acting(personas.lucia))
    consent(case, personas.lucia, "partner_sharing", partner=partner)
    lucia = api_as(personas.lucia)
    sent = lucia.post(
        f"{API}/cases/{case.public_id}/referrals/",
        {"service": str(other.public_id), "need": "Counselling", "shared_fields": ["name"]},
        format="json",
    ).json()
    assert sent["on_retorno"] is False and sent["recipient"] is None
    assert sent["may_answer"] is True
    letter = lucia.get(f"{API}/referrals/{sent['id']}/letter/", HTTP_ACCEPT="application/pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert f"referral-{sent['reference']}-es.pdf" in letter["Content-Disposition"]
    assert AuditEvent.objects.get(verb="referral.letter_printed").detail["language"] == "es"
    accepted = lucia.post(
        f"{API}/referrals/{sent['id']}/status/", {"status": "accepted"}, format="json"
    ).json()
    assert accepted["status"] == "accepted"
    assert accepted["updates"][-1]["on_behalf"] is True


# Lists run a constant number of queries


def test_the_inbox_and_the_case_list_run_a_constant_number_of_queries(
    api_as, personas, setup, django_assert_max_num_queries
):
    case, service, _action = setup
    sharing_consent(case, personas)
    services = [service] + [
        directory.service(service.organization, personas, name=f"Curso {n}") for n in range(19)
    ]
    for one in services[:2]:
        refer(case, one, personas)
    carla, lucia = api_as(personas.carla), api_as(personas.lucia)
    inbox, case_list = f"{API}/inbox/", f"{API}/cases/{case.public_id}/referrals/"
    carla.get(inbox)  # the token's first use is written down once
    lucia.get(case_list)
    with django_assert_max_num_queries(5) as inbox_few:
        assert carla.get(inbox).json()["count"] == 2
    with django_assert_max_num_queries(8) as case_few:
        assert lucia.get(case_list).json()["count"] == 2
    for one in services[2:]:
        refer(case, one, personas)
    with django_assert_max_num_queries(len(inbox_few.captured_queries)):
        assert len(carla.get(inbox).json()["results"]) == 20
    with django_assert_max_num_queries(len(case_few.captured_queries)):
        assert len(lucia.get(case_list).json()["results"]) == 20


def test_carla_records_a_dated_outcome_through_the_api(api_as, personas, setup):
    import datetime

    from django.utils import timezone

    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, personas, action=action)
    carla = api_as(personas.carla)
    status_url = referral_url(referral, "status/")
    carla.post(status_url, {"status": "accepted"}, format="json")
    assert carla.get(referral_url(referral)).json()["outcome"] is None
    mismatch = carla.post(
        status_url, {"status": "completed", "outcome": "dropped_out"}, format="json"
    )
    assert mismatch.status_code == 400 and set(mismatch.json()["error"]["fields"]) == {"outcome"}
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    late = carla.post(
        status_url,
        {"status": "completed", "outcome": "certificate", "outcome_on": future},
        format="json",
    )
    assert late.status_code == 400
    assert late.json()["error"]["fields"] == {"outcome_on": ["The date cannot be in the future"]}
    today = timezone.localdate().isoformat()
    done = carla.post(
        status_url,
        {"status": "completed", "outcome": "certificate", "outcome_on": today},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["outcome"] == "certificate" and done.json()["outcome_on"] == today
    row = api_as(personas.lucia).get(f"{API}/cases/{case.public_id}/referrals/").json()
    assert row["results"][0]["outcome"] == "certificate"
    event = AuditEvent.objects.get(verb="referral.completed")
    assert event.changes["outcome"] == ["", "certificate"]


def test_the_inbox_says_which_referrals_are_unread(api_as, personas, setup):
    case, service, action = setup
    sharing_consent(case, personas)
    referral = refer(case, service, personas, action=action)
    carla = api_as(personas.carla)
    assert carla.get(f"{API}/inbox/").json()["results"][0]["opened_at"] is None
    carla.get(referral_url(referral))
    assert carla.get(f"{API}/inbox/").json()["results"][0]["opened_at"] is not None

"""The JSON API for reintegration plans: the same access policy, actions and audit as the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.accounts.actions import invite_user
from retorno.audit.models import AuditEvent
from retorno.cases import actions as case_actions
from retorno.conftest import acting
from retorno.plans.models import PlanAction
from retorno.plans.tests.factories import approved_plan, lima_case, training_service

pytestmark = pytest.mark.django_db

API = "/api/v1"


def url(case, path=""):
    return f"{API}/cases/{case.public_id}/plan/{path}"


def coordinator(personas, username="teresa", desk="LIM"):
    return invite_user(
        personas.org(desk),
        actor=acting(personas.admin),
        username=username,
        email=f"{username}@retorno.example",
        first_name=username.title(),
        last_name="Test",
        role="coordinator",
    )


@pytest.fixture
def approved(personas):
    """María's case at Lima with version 1 of her plan approved: one goal, one action."""
    case = lima_case(personas)
    plan = approved_plan(case, personas)
    return case, plan, PlanAction.objects.select_related("goal").get(goal__plan=plan)


# The permission matrix: every endpoint, for the anonymous, a partner, the sending desk (which
# reads only the case's summary after the handover) and another desk.

ENDPOINTS = [
    ("get", "", None),
    ("post", "", {"summary": "A new start"}),
    ("patch", "", {"summary": "A new start"}),
    ("get", "versions/", None),
    ("get", "versions/1/", None),
    ("get", "versions/1/pdf/", None),
    ("get", "compare/", None),
    ("post", "goals/", {"dimension": "social", "description": "Friends in Lima"}),
    ("patch", "goals/{goal}/", {"description": "Work"}),
    ("delete", "goals/{goal}/", None),
    ("post", "goals/{goal}/actions/", {"description": "Call", "responsible": "desk"}),
    ("patch", "actions/{action}/", {"description": "Call"}),
    ("delete", "actions/{action}/", None),
    ("post", "actions/{action}/status/", {"status": "done"}),
    ("post", "submit/", None),
    ("post", "approve/", None),
    ("post", "send-back/", {"reason": "More detail"}),
    ("post", "agreement/", {"agreed_on": "2026-01-10", "how": "signed"}),
    ("post", "new-version/", None),
]
COORDINATORS_ONLY = {"approve/", "send-back/"}
WRITES = {"post", "patch", "delete"}


def call(api, case, method, path, body, ids):
    target = url(case, path.format(**ids))
    if body is None:
        return getattr(api, method)(target)
    return getattr(api, method)(target, body, format="json")


def test_every_plan_endpoint_refuses_whoever_may_not_use_it(api_as, personas, approved):
    case, _plan, action = approved
    ids = {"goal": action.goal.public_id, "action": action.public_id}
    carla = api_as(personas.carla)  # a partner
    sofia = api_as(personas.sofia)  # a coordinator of Madrid
    dario = api_as(personas.dario)  # a caseworker of Madrid
    ana = api_as(personas.ana)  # Milan sent the case to Lima: she reads its summary only
    for method, path, body in ENDPOINTS:
        where = (method, path)
        anonymous = call(APIClient(), case, method, path, body, ids)
        assert anonymous.status_code == 401, where
        assert anonymous.json()["error"]["code"] == "not_authenticated", where
        refused = call(carla, case, method, path, body, ids)
        assert refused.status_code == 403, where
        assert refused.json()["error"]["code"] == "permission_denied", where
        missing = call(sofia, case, method, path, body, ids)
        assert missing.status_code == 404, where
        assert missing.json()["error"]["code"] == "not_found", where
        coordinators_only = path in COORDINATORS_ONLY
        assert call(dario, case, method, path, body, ids).status_code == (
            403 if coordinators_only else 404
        ), where
        expected = 403 if method in WRITES else 404
        assert call(ana, case, method, path, body, ids).status_code == expected, where
    assert not AuditEvent.objects.filter(verb__in=["case.viewed", "plan.printed"]).exists()
    assert PlanAction.objects.get(pk=action.pk).status == "planned"


def test_the_plan_is_read_in_codes_and_the_read_is_audited(api_as, personas, approved):
    case, plan, action = approved
    response = api_as(personas.lucia).get(url(case))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(plan.public_id)
    assert body["number"] == 1 and body["status"] == "approved" and body["editable"] is False
    assert body["previous"] is None and body["agreed_how"] is None
    assert body["drafted_by"] == {"id": str(personas.lucia.public_id), "name": "Lucía Mendoza"}
    assert body["approved_by"]["name"] == "Mateo Rojas"
    assert body["drafted_at_desk"]["code"] == "LIM"
    assert body["may_approve"] is False
    assert body["approval_problem"] == "Only a coordinator of the desk approves a plan."
    [goal] = body["goals"]
    assert goal["dimension"] == "economic" and goal["description"] == "Work as a seamstress in Lima"
    assert goal["actions"] == [
        {
            "id": str(action.public_id),
            "goal": str(action.goal.public_id),
            "description": "Sewing course",
            "responsible": "desk",
            "service": None,
            "due_on": None,
            "status": "planned",
            "estimated_cost": None,
            "currency": "",
            "position": 0,
            "lineage": str(action.lineage),
        }
    ]
    event = AuditEvent.objects.get(verb="case.viewed", actor=personas.lucia)
    assert event.detail == {"page": "plan"}


def test_a_case_without_a_plan_says_so_and_the_desk_starts_one(api_as, personas):
    case = lima_case(personas)
    lucia = api_as(personas.lucia)
    missing = lucia.get(url(case))
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "no_plan"
    started = lucia.post(url(case), {"summary": "Work and a home in Lima"}, format="json")
    assert started.status_code == 201
    assert started.json()["number"] == 1 and started.json()["status"] == "draft"
    assert started.json()["summary"] == "Work and a home in Lima"
    assert AuditEvent.objects.filter(verb="plan.drafted", actor=personas.lucia).exists()
    again = lucia.post(url(case), {}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_done"


def test_the_draft_is_written_goal_by_goal_and_action_by_action(api_as, personas):
    case = lima_case(personas)
    service = training_service(personas)
    lucia = api_as(personas.lucia)
    lucia.post(url(case), {}, format="json")
    summary = lucia.patch(url(case), {"summary": "A job in Lima"}, format="json")
    assert summary.json()["summary"] == "A job in Lima"
    goal = lucia.post(
        url(case, "goals/"), {"dimension": "economic", "description": " Work "}, format="json"
    )
    assert goal.status_code == 201
    goal = goal.json()
    assert goal["description"] == "Work" and goal["actions"] == []
    changed = lucia.patch(
        url(case, f"goals/{goal['id']}/"), {"description": "Work as a seamstress"}, format="json"
    )
    assert changed.json()["dimension"] == "economic"
    assert changed.json()["description"] == "Work as a seamstress"
    actions_url = url(case, f"goals/{goal['id']}/actions/")
    without_service = lucia.post(
        actions_url, {"description": "Course", "responsible": "service"}, format="json"
    )
    assert without_service.status_code == 400
    assert without_service.json()["error"]["fields"] == {
        "service": ["Choose the service from the directory"]
    }
    unknown = lucia.post(
        actions_url,
        {"description": "Course", "responsible": "service", "service": str(goal["id"])},
        format="json",
    )
    assert unknown.json()["error"]["fields"] == {
        "service": ["Choose the service from the directory"]
    }
    created = lucia.post(
        actions_url,
        {
            "description": "Sewing course",
            "responsible": "service",
            "service": str(service.public_id),
            "estimated_cost": "250.50",
            "currency": "PEN",
        },
        format="json",
    )
    assert created.status_code == 201
    action = created.json()
    assert action["service"]["name"] == "Curso de costura"
    assert action["service"]["organization"]["name"] == "Centro de Formación Profesional Lima"
    assert action["estimated_cost"] == "250.50" and action["currency"] == "PEN"
    moved = lucia.patch(
        url(case, f"actions/{action['id']}/"), {"due_on": "2030-03-01"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["due_on"] == "2030-03-01"
    assert moved.json()["service"]["id"] == str(service.public_id)  # the rest stays
    plan = lucia.get(url(case)).json()
    assert [a["description"] for a in plan["goals"][0]["actions"]] == ["Sewing course"]
    assert lucia.delete(url(case, f"actions/{action['id']}/")).status_code == 204
    assert lucia.delete(url(case, f"goals/{goal['id']}/")).status_code == 204
    assert lucia.get(url(case)).json()["goals"] == []
    whats = [e.detail.get("what") for e in AuditEvent.objects.filter(verb="plan.changed")]
    assert {"goal_added", "action_added", "action_changed", "action_removed"} <= set(whats)


def test_only_a_draft_with_an_action_is_submitted_and_then_it_is_frozen(api_as, personas):
    case = lima_case(personas)
    lucia = api_as(personas.lucia)
    lucia.post(url(case), {}, format="json")
    empty = lucia.post(url(case, "submit/"))
    assert empty.status_code == 400
    assert empty.json()["error"]["message"] == (
        "Add at least one goal with an action before submitting the plan."
    )
    goal = lucia.post(
        url(case, "goals/"), {"dimension": "social", "description": "Friends"}, format="json"
    ).json()
    lucia.post(
        url(case, f"goals/{goal['id']}/actions/"),
        {"description": "Join a choir", "responsible": "person"},
        format="json",
    )
    submitted = lucia.post(url(case, "submit/"))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert lucia.post(url(case, "submit/")).json()["error"]["code"] == "already_done"
    frozen = lucia.patch(url(case, f"goals/{goal['id']}/"), {"description": "X"}, format="json")
    assert frozen.status_code == 400
    assert frozen.json()["error"]["code"] == "not_draft"


def test_four_eyes_nobody_approves_a_plan_they_wrote(api_as, personas):
    case = lima_case(personas)
    lucia, mateo = api_as(personas.lucia), api_as(personas.mateo)
    lucia.post(url(case), {}, format="json")
    goal = mateo.post(
        url(case, "goals/"), {"dimension": "economic", "description": "Work"}, format="json"
    ).json()
    lucia.post(
        url(case, f"goals/{goal['id']}/actions/"),
        {"description": "Course", "responsible": "desk"},
        format="json",
    )
    lucia.post(url(case, "submit/"))
    seen = mateo.get(url(case)).json()
    assert seen["may_approve"] is False
    assert seen["approval_problem"] == (
        "You wrote part of this plan, so another coordinator must approve it."
    )
    refused = mateo.post(url(case, "approve/"))
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "forbidden",
        "message": "You wrote part of this plan, so another coordinator must approve it.",
        "fields": {},
    }
    assert lucia.post(url(case, "approve/")).status_code == 403  # a caseworker never approves
    teresa = api_as(coordinator(personas))
    assert teresa.get(url(case)).json()["may_approve"] is True
    approved = teresa.post(url(case, "approve/"))
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"]["name"] == "Teresa Test"
    twice = teresa.post(url(case, "approve/"))
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == "This plan was already approved."
    assert AuditEvent.objects.filter(verb="plan.approved").count() == 1


def test_a_coordinator_sends_the_plan_back_saying_what_should_change(api_as, personas):
    case = lima_case(personas)
    lucia, mateo = api_as(personas.lucia), api_as(personas.mateo)
    lucia.post(url(case), {}, format="json")
    goal = lucia.post(
        url(case, "goals/"), {"dimension": "economic", "description": "Work"}, format="json"
    ).json()
    lucia.post(
        url(case, f"goals/{goal['id']}/actions/"),
        {"description": "Course", "responsible": "desk"},
        format="json",
    )
    lucia.post(url(case, "submit/"))
    silent = mateo.post(url(case, "send-back/"), {"reason": ""}, format="json")
    assert silent.status_code == 400 and "reason" in silent.json()["error"]["fields"]
    back = mateo.post(url(case, "send-back/"), {"reason": "Add the costs"}, format="json")
    assert back.status_code == 200 and back.json()["status"] == "draft"
    assert AuditEvent.objects.get(verb="plan.sent_back").detail == {"reason": "Add the costs"}


def test_an_approved_plan_changes_by_a_new_version_and_the_old_one_stays(
    api_as, personas, approved
):
    case, _plan, action = approved
    lucia, mateo = api_as(personas.lucia), api_as(personas.mateo)
    verbal = lucia.post(
        url(case, "agreement/"),
        {"agreed_on": str(timezone.localdate()), "how": "verbal"},
        format="json",
    )
    assert verbal.status_code == 400
    assert verbal.json()["error"]["fields"] == {"witness": ["Enter the name of the witness"]}
    agreed = lucia.post(
        url(case, "agreement/"),
        {"agreed_on": str(timezone.localdate()), "how": "signed"},
        format="json",
    )
    assert agreed.json()["agreed_how"] == "signed"
    assert agreed.json()["agreed_on"] == str(timezone.localdate())

    copy = lucia.post(url(case, "new-version/"))
    assert copy.status_code == 201
    draft = copy.json()
    assert (draft["number"], draft["status"], draft["previous"]) == (2, "draft", 1)
    [goal] = draft["goals"]
    assert goal["id"] != str(action.goal.public_id)
    assert goal["lineage"] == str(action.goal.lineage)
    assert lucia.post(url(case, "new-version/")).status_code == 409
    # The old version's goal is not the draft's to change.
    old_goal = url(case, f"goals/{action.goal.public_id}/")
    assert lucia.patch(old_goal, {"description": "X"}, format="json").status_code == 404
    lucia.patch(
        url(case, f"goals/{goal['id']}/"),
        {"description": "Open a sewing workshop"},
        format="json",
    )
    assert lucia.get(url(case)).json()["number"] == 2
    versions = lucia.get(url(case, "versions/")).json()
    assert [(v["number"], v["status"]) for v in versions["results"]] == [
        (2, "draft"),
        (1, "approved"),
    ]
    first = lucia.get(url(case, "versions/1/")).json()
    assert first["goals"][0]["description"] == "Work as a seamstress in Lima"
    assert lucia.get(url(case, "versions/3/")).status_code == 404

    comparison = lucia.get(url(case, "compare/"), {"a": 1, "b": 2}).json()
    assert (comparison["older"]["number"], comparison["newer"]["number"]) == (1, 2)
    rows = [(d["kind"], d["change"]) for d in comparison["differences"]]
    assert rows == [("goal", "changed"), ("action", "same")]
    changed = comparison["differences"][0]
    assert changed["old"]["description"] == "Work as a seamstress in Lima"
    assert changed["new"]["description"] == "Open a sewing workshop"
    assert changed["new"]["dimension"] == "economic"
    assert lucia.get(url(case, "compare/")).json()["differences"] == comparison["differences"]
    wrong = lucia.get(url(case, "compare/"), {"a": 7})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"] == {"a": ["Choose a version of this plan"]}

    lucia.post(url(case, "submit/"))
    assert mateo.post(url(case, "approve/")).json()["status"] == "approved"
    versions = lucia.get(url(case, "versions/")).json()["results"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "approved"), (1, "superseded")]


def test_progress_on_an_action_is_recorded_on_the_plan_in_force(api_as, personas, approved):
    case, _plan, action = approved
    lucia = api_as(personas.lucia)
    status_url = url(case, f"actions/{action.public_id}/status/")
    wrong = lucia.post(status_url, {"status": "finished"}, format="json")
    assert wrong.status_code == 400 and "status" in wrong.json()["error"]["fields"]
    # While a new version is written, the approved version stays in force and tracks progress.
    lucia.post(url(case, "new-version/"))
    started = lucia.post(status_url, {"status": "in_progress"}, format="json")
    assert started.status_code == 200
    assert started.json()["status"] == "in_progress"
    assert PlanAction.objects.get(pk=action.pk).status == "in_progress"
    event = AuditEvent.objects.filter(verb="plan.changed").latest("occurred_at")
    assert event.detail["what"] == "action_status"
    assert event.changes == {"status": ["planned", "in_progress"]}


def test_the_plan_prints_as_a_pdf_and_the_print_is_audited(api_as, personas, approved):
    case, _plan, _action = approved
    lucia = api_as(personas.lucia)
    response = lucia.get(url(case, "versions/1/pdf/"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"plan-{case.reference}-v1-es.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.get(verb="plan.printed").detail == {"number": 1, "language": "es"}
    missing = lucia.get(url(case, "versions/2/pdf/"), HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_a_closed_case_gets_no_new_version(api_as, personas, approved):
    case, _plan, _action = approved
    case_actions.close_case(case, actor=acting(personas.lucia), reason="withdrew")
    refused = api_as(personas.lucia).post(url(case, "new-version/"))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "closed"


def test_my_work_the_approve_page_and_the_api_agree_on_who_may_approve(api_as, as_user, personas):
    """One rule (plans.rules.approval_problem): the author of a submitted plan does not find it
    on My work, sees why on the approve page and in the API; another coordinator finds it."""
    from retorno.plans.plugin import approvals

    case = lima_case(personas)
    mateo = api_as(personas.mateo)
    mateo.post(url(case), {}, format="json")
    goal = mateo.post(
        url(case, "goals/"), {"dimension": "economic", "description": "Work"}, format="json"
    ).json()
    mateo.post(
        url(case, f"goals/{goal['id']}/actions/"),
        {"description": "Course", "responsible": "desk"},
        format="json",
    )
    assert mateo.post(url(case, "submit/")).status_code == 200
    teresa = coordinator(personas)
    today = datetime.date.today()
    assert approvals(acting(personas.mateo), today) is None
    assert [p.case for p in approvals(acting(teresa), today)["plans"]] == [case]
    problem = "You wrote part of this plan, so another coordinator must approve it."
    assert mateo.get(url(case)).json()["approval_problem"] == problem
    page = as_user(personas.mateo).get(reverse("plans:approve", args=[case.public_id]))
    assert page.status_code == 200 and problem in page.content.decode()
    assert api_as(teresa).get(url(case)).json()["may_approve"] is True
    page = as_user(teresa).get(reverse("plans:approve", args=[case.public_id]))
    assert page.status_code == 200 and problem not in page.content.decode()

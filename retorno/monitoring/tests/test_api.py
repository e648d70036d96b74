"""The JSON API for monitoring: what a client sees, on the same access policy, rules and audited
actions as the pages. Scores and margins travel as strings; Lima's Lucía works on María's case,
Mateo coordinates Lima, Irene is programme coordination, Madrid's Darío sees nothing of it."""

import copy
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from retorno.cases import actions as case_actions
from retorno.conftest import acting
from retorno.monitoring import actions, rules
from retorno.monitoring.models import FollowUp, InstrumentVersion
from retorno.monitoring.tests import factories as f
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def case(personas):
    """María's case accepted at Lima, assigned to Lucía: its follow-ups planned on arrival."""
    return f.lima_case(personas)


def error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def case_url(case, path=""):
    return f"{API}/cases/{case.public_id}/{path}"


def follow_up_url(case, month, path=""):
    return case_url(case, f"follow-ups/{f.follow_up(case, month).public_id}/{path}")


# A case's monitoring and its follow-ups


def test_lucia_reads_the_monitoring_and_the_follow_ups_of_her_case(api_as, personas, case):
    api = api_as(personas.lucia)
    response = api.get(case_url(case, "monitoring/"))
    assert response.status_code == 200, response.content
    data = response.json()
    arrived = timezone.localdate(case.phase_changed_at)
    assert data["case"] == {"id": str(case.public_id), "reference": case.reference}
    assert (data["monitored"], data["arrived_on"]) == (True, arrived.isoformat())
    assert (data["failed_in_row"], data["attempts_before_lost"]) == (0, 3)
    assert (data["lost_contact"], data["at_risk"], data["risk_reasons"]) == (None, False, [])
    assert data["latest"] is None and data["scores_over_time"] == []
    assert_audited("case.viewed", actor=personas.lucia, detail={"page": "monitoring"})

    listed = api.get(case_url(case, "follow-ups/")).json()
    assert listed["count"] == 5
    rows = listed["results"]
    assert [(r["month"], r["takes_survey"], r["status"]) for r in rows] == [
        (1, False, "planned"),
        (3, False, "planned"),
        (6, True, "planned"),
        (12, True, "planned"),
        (18, True, "planned"),
    ]
    assert rows[0]["due_on"] == rules.add_months(arrived, 1).isoformat()
    assert (rows[0]["method"], rows[0]["reached_by"], rows[0]["failed_attempts"]) == (None, None, 0)
    assert rows[0]["task"] and rows[0]["survey"] is None and rows[0]["overdue"] is False


@pytest.mark.parametrize(
    ("who", "status"), [("dario", 404), ("irene", 404), ("ana", 404), ("carla", 403)]
)
def test_who_does_not_work_on_the_case_reads_nothing_of_its_monitoring(
    api_as, personas, case, who, status
):
    api = api_as(personas[who])
    for path in ("monitoring/", "follow-ups/", "surveys/"):
        error(api.get(case_url(case, path)), status)
    error(api.get(follow_up_url(case, 1)), status)


def test_a_follow_up_is_recorded_with_its_version_and_only_once(api_as, personas, case):
    api = api_as(personas.lucia)
    detail = api.get(follow_up_url(case, 1)).json()
    assert (detail["month"], detail["attempts"], detail["version"]) == (1, [], 1)
    body = {
        "done_on": timezone.localdate().isoformat(),
        "method": "phone",
        "note": "She started the sewing course.",
        "new_needs": "",
        "version": detail["version"],
    }
    response = api.post(follow_up_url(case, 1, "record/"), body, format="json")
    assert response.status_code == 200, response.content
    done = response.json()
    assert (done["status"], done["method"], done["note"]) == (
        "done",
        "phone",
        "She started the sewing course.",
    )
    assert done["reached_by"]["id"] == str(personas.lucia.public_id)
    assert done["version"] == 2
    assert_audited(
        "follow_up.recorded",
        actor=personas.lucia,
        target=f.follow_up(case, 1),
        detail={"month": 1, "method": "phone"},
    )
    again = error(api.post(follow_up_url(case, 1, "record/"), body, format="json"), 409)
    assert again["code"] == "conflict"
    body["version"] = 2
    twice = error(api.post(follow_up_url(case, 1, "record/"), body, format="json"), 409)
    assert twice["code"] == "already_done"


def test_a_stale_follow_up_version_answers_409_and_changes_nothing(api_as, personas, case):
    api = api_as(personas.lucia)
    body = {"done_on": timezone.localdate().isoformat(), "method": "home_visit", "version": 7}
    stale = error(api.post(follow_up_url(case, 3, "record/"), body, format="json"), 409)
    assert stale["code"] == "conflict"
    assert "Someone else changed this follow-up" in stale["message"]
    assert f.follow_up(case, 3).status == FollowUp.Status.PLANNED


def test_a_bad_follow_up_answers_400_naming_the_field(api_as, personas, case):
    api = api_as(personas.lucia)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = {"done_on": tomorrow.isoformat(), "method": "phone", "version": 1}
    future = error(api.post(follow_up_url(case, 1, "record/"), body, format="json"), 400)
    assert future["fields"] == {"done_on": ["The contact cannot be in the future."]}
    body = {"done_on": timezone.localdate().isoformat(), "method": "pigeon", "version": 1}
    assert list(
        error(api.post(follow_up_url(case, 1, "record/"), body, format="json"), 400)["fields"]
    ) == ["method"]
    body = {
        "done_on": timezone.localdate().isoformat(),
        "method": "phone",
        "version": 1,
        "action_statuses": [{"action": str(case.public_id), "status": "done"}],
    }
    stranger = error(api.post(follow_up_url(case, 1, "record/"), body, format="json"), 400)
    assert list(stranger["fields"]) == ["action_statuses"]


def test_the_sending_desk_may_not_record_a_follow_up(api_as, personas, case):
    body = {"done_on": timezone.localdate().isoformat(), "method": "phone", "version": 1}
    assert error(
        api_as(personas.ana).post(follow_up_url(case, 1, "record/"), body, format="json"), 403
    )
    assert error(
        api_as(personas.dario).post(follow_up_url(case, 1, "record/"), body, format="json"), 404
    )


# Attempts and lost contact


def test_three_failed_attempts_propose_the_case_and_the_coordinator_decides(api_as, personas, case):
    api = api_as(personas.lucia)
    url = follow_up_url(case, 1, "attempts/")
    answers = [
        api.post(url, {"method": "phone", "reason": "no_answer"}, format="json") for _n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [(a.json()["failed_in_row"], a.json()["lost_contact"]) for a in answers] == [
        (1, None),
        (2, None),
        (3, "proposed"),
    ]
    attempt = answers[0].json()
    assert (attempt["method"], attempt["reason"]) == ("phone", "no_answer")
    assert attempt["by"]["id"] == str(personas.lucia.public_id)
    assert_audited("follow_up.attempt_failed", actor=personas.lucia, detail={"reason": "no_answer"})
    assert_audited("monitoring.lost_contact_proposed", actor=personas.lucia, detail={"in_a_row": 3})
    listed = api.get(url).json()
    assert listed["count"] == 3
    assert api.get(follow_up_url(case, 1)).json()["failed_attempts"] == 3
    monitoring = api.get(case_url(case, "monitoring/")).json()
    assert (monitoring["failed_in_row"], monitoring["lost_contact"]) == (3, "proposed")

    decide = case_url(case, "monitoring/lost-contact/")
    refused = error(api.post(decide, {"close": False}, format="json"), 403)
    assert refused["code"] == "permission_denied"
    error(api_as(personas.sofia).post(decide, {"close": False}, format="json"), 404)
    coordinator = api_as(personas.mateo)
    kept = coordinator.post(decide, {"close": False, "note": "Her sister answers."}, format="json")
    assert kept.status_code == 200, kept.content
    assert (kept.json()["failed_in_row"], kept.json()["lost_contact"]) == (0, None)
    assert_audited(
        "monitoring.lost_contact_decided",
        actor=personas.mateo,
        detail={"closed": False, "in_a_row": 3},
    )
    again = error(coordinator.post(decide, {"close": True}, format="json"), 409)
    assert again["code"] == "already_done"


def test_the_coordinator_closes_a_case_lost_contact(api_as, personas, case):
    for _n in range(3):
        actions.record_attempt(
            f.follow_up(case, 1), actor=acting(personas.lucia), method="phone", reason="no_answer"
        )
    coordinator = api_as(personas.mateo)
    closed = coordinator.post(
        case_url(case, "monitoring/lost-contact/"), {"close": True}, format="json"
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["lost_contact"] is None
    assert coordinator.get(case_url(case)).json()["phase"] == "closed"
    statuses = [
        r["status"] for r in coordinator.get(case_url(case, "follow-ups/")).json()["results"]
    ]
    assert statuses == ["cancelled"] * 5
    assert_audited("monitoring.lost_contact_decided", actor=personas.mateo, detail={"closed": True})
    late = error(
        api_as(personas.lucia).post(
            follow_up_url(case, 3, "attempts/"),
            {"method": "phone", "reason": "no_answer"},
            format="json",
        ),
        400,
    )
    assert (late["code"], late["message"]) == ("closed", "This case is closed. Reopen it first.")


def test_an_attempt_in_the_future_is_refused(api_as, personas, case):
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    body = {"method": "phone", "reason": "no_answer", "attempted_at": future}
    refused = error(
        api_as(personas.lucia).post(follow_up_url(case, 1, "attempts/"), body, format="json"),
        400,
    )
    assert refused["fields"] == {"attempted_at": ["An attempt cannot be in the future."]}


# Surveys


def mixed_answers():
    """Every question at its best but the household's income, occasional: economic 0.875."""
    return f.answers(f.default_definition(), eco_income="occasional")


def test_a_survey_is_saved_part_way_refused_incomplete_and_submitted_with_its_scores(
    api_as, personas, case
):
    api = api_as(personas.lucia)
    started = api.post(case_url(case, "surveys/"), {}, format="json")
    assert started.status_code == 201, started.content
    survey = started.json()
    assert (survey["kind"], survey["status"], survey["follow_up"]) == ("baseline", "draft", None)
    assert (survey["instrument"]["code"], survey["instrument"]["number"]) == ("rss", 1)
    assert survey["scores"] == {
        "economic": None,
        "social": None,
        "psychosocial": None,
        "composite": None,
    }
    assert "eco_income" in survey["missing_required"]
    assert "soc_education" not in survey["missing_required"]  # not required
    assert_audited("survey.started", actor=personas.lucia, detail={"kind": "baseline"})
    url = case_url(case, f"surveys/{survey['id']}/")

    saved = api.patch(
        url, {"answers": {"eco_income": "regular", "eco_debt": ""}, "version": 1}, format="json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["answers"] == {"eco_income": "regular"}
    assert "eco_income" not in saved.json()["missing_required"]
    assert saved.json()["version"] == 2
    assert_audited("survey.saved", actor=personas.lucia, detail={"answered": 1})
    stale = error(api.patch(url, {"answers": {}, "version": 1}, format="json"), 409)
    assert stale["code"] == "conflict"

    partial = {"eco_income": "regular", "eco_debt": "never"}
    refused = error(
        api.post(url + "submit/", {"answers": partial, "version": 2}, format="json"), 400
    )
    assert refused["code"] == "invalid"
    assert refused["message"].startswith("Answer every required question before submitting.")
    assert "In the last 30 days, how often did your household" in refused["message"]
    assert list(refused["fields"]) == ["answers"]
    assert api.get(url).json()["status"] == "draft"

    given = mixed_answers()
    given["soc_education"] = "declined"  # "Does not want to answer" is an answer
    submitted = api.post(url + "submit/", {"answers": given, "version": 2}, format="json")
    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert data["status"] == "submitted" and data["missing_required"] == []
    assert data["scores"] == {
        "economic": "0.875",
        "social": "1.000",
        "psychosocial": "1.000",
        "composite": "0.958",
    }
    assert data["submitted_by"]["id"] == str(personas.lucia.public_id)
    assert_audited(
        "survey.submitted",
        actor=personas.lucia,
        detail={"version": "rss v1", "at_risk": False},
    )
    monitoring = api.get(case_url(case, "monitoring/")).json()
    assert monitoring["latest"]["scores"]["composite"] == "0.958"
    assert monitoring["latest"]["instrument"] == data["instrument"]
    assert [s["id"] for s in monitoring["scores_over_time"]] == [data["id"]]
    late = error(api.post(url + "submit/", {"answers": given, "version": 3}, format="json"), 409)
    assert late["code"] == "already_done"


def test_a_survey_at_a_follow_up_under_the_threshold_puts_the_case_at_risk(api_as, personas, case):
    api = api_as(personas.lucia)
    six = f.follow_up(case, 6)
    started = api.post(case_url(case, "surveys/"), {"follow_up": str(six.public_id)}, format="json")
    assert started.status_code == 201, started.content
    assert (started.json()["kind"], started.json()["month"]) == ("follow_up", 6)
    url = case_url(case, f"surveys/{started.json()['id']}/submit/")
    worst = f.answers(f.default_definition(), pick="worst")
    submitted = api.post(url, {"answers": worst, "version": 1}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["scores"]["economic"] == "0.000"
    monitoring = api.get(case_url(case, "monitoring/")).json()
    assert monitoring["at_risk"] is True
    assert {
        "kind": "under",
        "dimension": "economic",
        "score": "0.000",
        "threshold": "0.500",
        "from": None,
        "to": None,
    } in monitoring["risk_reasons"]
    assert_audited("monitoring.at_risk", actor=personas.lucia)
    assert api.get(follow_up_url(case, 6)).json()["survey"] == started.json()["id"]
    other = error(
        api.post(case_url(case, "surveys/"), {"follow_up": str(case.public_id)}, format="json"),
        400,
    )
    assert other["fields"] == {"follow_up": ["Choose a follow-up of this case."]}


def test_surveys_are_listed_and_hidden_from_outsiders(api_as, personas, case):
    survey = actions.start_survey(case, actor=acting(personas.lucia))
    listed = api_as(personas.mateo).get(case_url(case, "surveys/")).json()
    assert [s["id"] for s in listed["results"]] == [str(survey.public_id)]
    url = case_url(case, f"surveys/{survey.public_id}/")
    assert api_as(personas.mateo).get(url).status_code == 200
    error(api_as(personas.dario).get(url), 404)
    error(api_as(personas.ana).patch(url, {"answers": {}, "version": 1}, format="json"), 403)


# The desk's figures


def test_the_desk_page_counts_for_its_coordinators_and_programme_coordination(
    api_as, personas, case
):
    f.submitted_survey(case, personas.lucia, f.answers(f.default_definition(), pick="worst"))
    url = f"{API}/monitoring/desks/{personas.org('LIM').public_id}/"
    for who in ("mateo", "irene"):
        response = api_as(personas[who]).get(url)
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["desk"]["code"] == "LIM"
        assert data["counts"] == {"overdue": 0, "due": 0, "done": 0}
        assert [r["month"] for r in data["reached"]] == [3, 6, 12]
        assert data["reached"][0] == {"month": 3, "expected": 0, "reached": 0, "share": None}
        assert data["at_risk_count"] == 1
        assert data["at_risk"][0]["case"] == {
            "id": str(case.public_id),
            "reference": case.reference,
        }
        assert data["at_risk"][0]["scores"]["economic"] == "0.000"
        assert "person" not in data["at_risk"][0]
        economic = next(d for d in data["distribution"] if d["figure"] == "economic")
        assert (economic["rows"][0]["low"], economic["rows"][0]["count"]) == ("0.0", 1)
        assert economic["total"] == 1
    assert error(api_as(personas.lucia).get(url), 403)["code"] == "permission_denied"
    error(api_as(personas.andres).get(url), 404)


def test_a_sensitive_case_counts_only_for_the_desk_that_sees_it(api_as, personas, case):
    case = case_actions.record_vulnerability(case, actor=acting(personas.mateo), categories=["gbv"])
    f.submitted_survey(case, personas.lucia, f.answers(f.default_definition(), pick="worst"))
    url = f"{API}/monitoring/desks/{personas.org('LIM').public_id}/"
    own = api_as(personas.mateo).get(url).json()
    assert own["at_risk_count"] == 1
    assert [r["case"]["reference"] for r in own["at_risk"]] == [case.reference]
    programme = api_as(personas.irene).get(url).json()
    assert (programme["at_risk_count"], programme["at_risk"]) == (0, [])
    assert all(d["total"] == 0 for d in programme["distribution"])


# Instruments and schedules


def test_instrument_versions_are_read_by_staff_and_loaded_by_programme_coordination(
    api_as, personas
):
    listed = api_as(personas.lucia).get(f"{API}/monitoring/instruments/")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    version = InstrumentVersion.objects.get(instrument__code="rss", number=1)
    assert [(r["code"], r["number"], r["checksum"]) for r in rows] == [("rss", 1, version.checksum)]
    detail = api_as(personas.lucia).get(f"{API}/monitoring/instruments/{version.public_id}/")
    assert detail.json()["definition"]["code"] == "rss"

    definition = f.default_definition()
    url = f"{API}/monitoring/instruments/"
    refused = error(api_as(personas.lucia).post(url, definition, format="json"), 403)
    assert refused["code"] == "permission_denied"
    irene = api_as(personas.irene)
    same = irene.post(url, definition, format="json")
    assert same.status_code == 200 and same.json()["id"] == str(version.public_id)
    changed = copy.deepcopy(definition)
    changed["questions"][0]["weight"] = "2"
    conflict = error(irene.post(url, changed, format="json"), 409)
    assert conflict["code"] == "conflict" and "next number (2)" in conflict["message"]
    changed["version"] = 2
    created = irene.post(url, changed, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["code"], created.json()["number"]) == ("rss", 2)
    assert created.json()["loaded_by"]["id"] == str(personas.irene.public_id)
    assert_audited("instrument.loaded", actor=personas.irene, detail={"version": 2})
    broken = error(irene.post(url, {"code": "rss"}, format="json"), 400)
    assert list(broken["fields"]) == ["definition"]
    assert error(irene.post(url, [1, 2], format="json"), 400)["fields"]["definition"]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("code", "r" * 31, "code: lowercase letters, digits and _, 30 at most"),
        ("version", 2**31, "version: a whole number from 1 to 2147483647"),
    ],
)
def test_a_definition_the_database_cannot_hold_answers_400(api_as, personas, field, value, problem):
    definition = {**f.default_definition(), field: value}
    refused = error(
        api_as(personas.irene).post(f"{API}/monitoring/instruments/", definition, format="json"),
        400,
    )
    assert problem in refused["fields"]["definition"][0]
    assert InstrumentVersion.objects.count() == 1


def test_a_schedule_is_read_by_staff_and_set_with_its_version(api_as, personas, case):
    programme = case.cycle.programme
    url = f"{API}/monitoring/schedules/{programme.public_id}/"
    read = api_as(personas.lucia).get(url)
    assert read.status_code == 200, read.content
    defaults = read.json()
    assert (defaults["months"], defaults["survey_months"]) == ([1, 3, 6, 12, 18], [6, 12, 18])
    assert (defaults["attempts_before_lost"], defaults["drop_margin"]) == (3, "0.150")
    assert (defaults["version"], defaults["instrument"]["code"]) == (0, "rss")
    body = {
        "months": [1, 3, 6, 12],
        "survey_months": [6, 12],
        "attempts_before_lost": 4,
        "drop_margin": "0.2",
        "version": 0,
    }
    refused = error(api_as(personas.mateo).put(url, body, format="json"), 403)
    assert refused["code"] == "permission_denied"
    irene = api_as(personas.irene)
    response = irene.put(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["months"], data["attempts_before_lost"], data["drop_margin"]) == (
        [1, 3, 6, 12],
        4,
        "0.200",
    )
    assert (data["version"], data["planned"], data["cancelled"]) == (1, 0, 1)
    assert f.follow_up(case, 18).status == FollowUp.Status.CANCELLED
    assert_audited(
        "monitoring.schedule_set",
        actor=personas.irene,
        detail={"programme": programme.code, "cancelled": 1},
    )
    stale = error(irene.put(url, body, format="json"), 409)
    assert stale["code"] == "conflict"
    number = error(irene.put(url, {**body, "version": 1, "drop_margin": 0.2}, format="json"), 400)
    assert number["fields"] == {
        "drop_margin": ['Write the margin as text, for example "0.15", not as a number.']
    }
    survey_only = {**body, "version": 1, "survey_months": [24]}
    months = error(irene.put(url, survey_only, format="json"), 400)
    assert list(months["fields"]) == ["survey_months"]
    error(irene.get(f"{API}/monitoring/schedules/{case.public_id}/"), 404)


# Lists stay cheap


def test_the_follow_ups_list_runs_a_constant_number_of_queries(
    api_as, personas, case, django_assert_max_num_queries
):
    api = api_as(personas.lucia)
    url = case_url(case, "follow-ups/")
    api.get(url)  # the token's first use is written down once
    with django_assert_max_num_queries(12) as few:
        assert api.get(url).json()["count"] == 5
    version = rules.default_instrument_version()
    actions.set_schedule(
        case.cycle.programme,
        actor=acting(personas.irene),
        months=list(range(1, 31)),
        survey_months=[6, 12],
        attempts_before_lost=3,
        drop_margin=Decimal("0.15"),
        instrument_version=version,
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(url).json()["results"]) == 30


def test_the_reasons_are_in_the_readers_language(api_as, personas, case):
    url = f"{API}/monitoring/schedules/{case.cycle.programme.public_id}/"
    body = {
        "months": [1, 3],
        "survey_months": [3],
        "attempts_before_lost": 3,
        "drop_margin": 0.2,
        "version": 0,
    }
    problem = error(
        api_as(personas.irene).put(url, body, format="json", HTTP_ACCEPT_LANGUAGE="es"), 400
    )
    assert problem["fields"] == {
        "drop_margin": ['Escriba el margen como texto, por ejemplo "0.15", no como número.']
    }
    stranger = {"follow_up": str(case.public_id)}
    refused = error(
        api_as(personas.lucia).post(
            case_url(case, "surveys/"), stranger, format="json", HTTP_ACCEPT_LANGUAGE="pt"
        ),
        400,
    )
    assert refused["fields"] == {"follow_up": ["Escolha um acompanhamento deste caso."]}

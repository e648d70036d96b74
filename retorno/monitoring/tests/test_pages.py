"""The monitoring pages: what lucia (caseworker, Lima), mateo (coordinator, Lima), irene
(programme coordination) and a Milan user see and may do; forms that keep what was typed; the
survey saved part-way and refused with the missing questions named; the scores as a chart and
a table; the desk page's figures; lists whose queries do not grow with their rows."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from retorno.conftest import acting
from retorno.monitoring import actions, rules
from retorno.monitoring.models import CaseMonitoring, ContactAttempt, FollowUp, Survey
from retorno.monitoring.tests import factories as f
from retorno.plans.tests.factories import approved_plan
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"monitoring:{name}", args=args)


@pytest.fixture
def as_user(client):
    """as_user(personas.lucia) -> the test client signed in as her, reading Spanish (Lima's
    language) unless told otherwise."""

    def sign_in(user, language="es"):
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return sign_in


def text(response) -> str:
    return response.content.decode()


def test_smoke_every_page_renders(as_user, personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    survey = actions.start_survey(case, actor=acting(personas.lucia))
    lucia = as_user(personas.lucia)
    for page in (
        url("case", case.public_id),
        url("record", case.public_id, fu.public_id),
        url("attempt", case.public_id, fu.public_id),
        url("survey", case.public_id, survey.public_id),
        url("instrument", survey.instrument.public_id),
    ):
        assert lucia.get(page).status_code == 200, page
    mateo = as_user(personas.mateo)
    response = mateo.get(url("desk"))
    assert response.status_code == 302
    assert mateo.get(response["Location"]).status_code == 200
    irene = as_user(personas.irene)
    assert irene.get(url("schedule", case.cycle.programme.public_id)).status_code == 200


def test_the_tab_shows_the_follow_ups_to_who_works_on_the_case_and_404_to_others(as_user, personas):
    case = f.lima_case(personas)
    arrived = CaseMonitoring.objects.get(case=case).arrived_on
    page = text(as_user(personas.lucia, "en").get(url("case", case.public_id)))
    assert "Arrived on" in page
    for months in ("1 month after arrival", "3 months after arrival", "18 months after arrival"):
        assert months in page
    assert page.count("Record the follow-up") == 5
    assert page.count("Record a failed attempt") == 5
    assert page.count("With the survey") == 3
    assert "Start the baseline survey" in page
    assert arrived.strftime("%Y") in page
    # The coordinator of the desk sees it too; Milan, who sent the case, and programme
    # coordination do not.
    assert as_user(personas.mateo).get(url("case", case.public_id)).status_code == 200
    assert as_user(personas.ana).get(url("case", case.public_id)).status_code == 404
    assert as_user(personas.irene).get(url("case", case.public_id)).status_code == 404
    fu = f.follow_up(case, 1)
    assert as_user(personas.ana).get(url("record", case.public_id, fu.public_id)).status_code == 404
    # The case's page lists the tab.
    summary = text(as_user(personas.lucia, "en").get(reverse("cases:case", args=[case.public_id])))
    assert url("case", case.public_id) in summary


def test_an_overdue_follow_up_is_marked(as_user, personas):
    case = f.lima_case(personas)
    FollowUp.objects.filter(case=case, month=1).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = text(as_user(personas.lucia, "en").get(url("case", case.public_id)))
    assert page.count(">Overdue<") == 1


def test_failed_attempts_lead_to_the_proposal_the_coordinator_decides(as_user, personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    lucia = as_user(personas.lucia, "en")
    for _ in range(3):
        response = lucia.post(
            url("attempt", case.public_id, fu.public_id),
            {"method": "phone", "reason": "no_answer", "note": "Buzón de voz"},
        )
        assert response.status_code == 302
    assert ContactAttempt.objects.filter(case=case).count() == 3
    assert_audited(
        "follow_up.attempt_failed",
        actor=personas.lucia,
        target=ContactAttempt.objects.filter(case=case).last(),
        detail={"method": "phone", "reason": "no_answer", "in_a_row": 3},
        person=case.person,
    )
    assert_audited(
        "monitoring.lost_contact_proposed",
        actor=personas.lucia,
        detail={"in_a_row": 3, "limit": 3},
        person=case.person,
    )
    page = text(lucia.get(url("case", case.public_id)))
    assert "Proposed for closing as lost contact" in page
    assert page.count("Phone call · No answer") == 3
    assert ">Decide<" not in page  # the caseworker does not decide
    assert lucia.get(url("decide", case.public_id)).status_code == 403
    mateo = as_user(personas.mateo, "en")
    assert ">Decide<" in text(mateo.get(url("case", case.public_id)))
    # Nothing chosen: the form says so.
    response = mateo.post(url("decide", case.public_id), {"note": "Llamar al hermano"})
    assert response.status_code == 422
    assert "Choose whether to close the case or keep following it." in text(response)
    assert "Llamar al hermano" in text(response)
    response = mateo.post(url("decide", case.public_id), {"decision": "keep", "note": ""})
    assert response.status_code == 302
    monitoring = CaseMonitoring.objects.get(case=case)
    assert monitoring.failed_in_row == 0 and monitoring.lost_contact == ""
    assert_audited(
        "monitoring.lost_contact_decided",
        actor=personas.mateo,
        detail={"closed": False, "in_a_row": 3},
        person=case.person,
    )


def test_an_attempt_form_with_errors_keeps_what_was_typed(as_user, personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    response = as_user(personas.lucia, "en").post(
        url("attempt", case.public_id, fu.public_id),
        {"method": "phone", "reason": "", "note": "Número equivocado"},
    )
    assert response.status_code == 422
    page = text(response)
    assert "Choose why it failed." in page and "Número equivocado" in page
    assert 'value="phone" id="id_method_2" checked' in page


def test_recording_a_follow_up_updates_the_plan_and_keeps_typed_values_on_error(as_user, personas):
    case = f.lima_case(personas)
    plan = approved_plan(case, personas)
    action = plan.goals.get().actions.get()
    fu = f.follow_up(case, 1)
    lucia = as_user(personas.lucia, "en")
    page = text(lucia.get(url("record", case.public_id, fu.public_id)))
    assert "Sewing course" in page and 'type="date"' in page
    future = timezone.localdate() + datetime.timedelta(days=3)
    form = {
        "version": fu.version,
        "done_on": future.isoformat(),
        "method": "home_visit",
        "note": "Va bien el curso",
        "new_needs": "",
        f"action_{action.public_id}": "in_progress",
    }
    response = lucia.post(url("record", case.public_id, fu.public_id), form)
    assert response.status_code == 422
    page = text(response)
    assert "The contact cannot be in the future." in page
    assert "Va bien el curso" in page and future.isoformat() in page
    assert '<option value="in_progress" selected>' in page
    form["done_on"] = timezone.localdate().isoformat()
    response = lucia.post(url("record", case.public_id, fu.public_id), form)
    assert response.status_code == 302
    assert response["Location"] == url("case", case.public_id)
    fu.refresh_from_db()
    action.refresh_from_db()
    assert fu.status == "done" and fu.method == "home_visit" and fu.reached_by == personas.lucia
    assert action.status == "in_progress"
    assert_audited(
        "follow_up.recorded",
        actor=personas.lucia,
        target=fu,
        detail={"month": 1, "method": "home_visit", "actions_changed": 1},
        person=case.person,
    )
    page = text(lucia.get(response["Location"]))
    assert "The follow-up is recorded." in page
    assert "Home visit · by Lucía" in page
    assert page.count("Record the follow-up") == 4
    # Sent again (a double click): the follow-up is done, nothing more is recorded.
    response = lucia.post(url("record", case.public_id, fu.public_id), form)
    assert response.status_code == 302


def test_a_stale_version_is_refused_without_losing_what_was_typed(as_user, personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    response = as_user(personas.lucia, "en").post(
        url("record", case.public_id, fu.public_id),
        {
            "version": fu.version + 5,
            "done_on": timezone.localdate().isoformat(),
            "method": "phone",
            "note": "Todo bien",
        },
    )
    assert response.status_code == 422
    assert "Someone else changed this follow-up" in text(response)
    assert "Todo bien" in text(response)


def test_a_follow_up_with_the_survey_offers_it_then_the_survey_saves_part_way(as_user, personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 6)
    lucia = as_user(personas.lucia, "en")
    response = lucia.post(
        url("record", case.public_id, fu.public_id),
        {
            "version": fu.version,
            "done_on": timezone.localdate().isoformat(),
            "method": "phone",
        },
    )
    assert response.status_code == 302 and "survey_for=" in response["Location"]
    page = text(lucia.get(response["Location"]))
    assert "Take the survey now" in page
    response = lucia.post(url("survey_start", case.public_id), {"follow_up": fu.public_id})
    survey = Survey.objects.get(case=case, follow_up=fu)
    assert response["Location"] == url("survey", case.public_id, survey.public_id)
    assert_audited(
        "survey.started",
        actor=personas.lucia,
        target=survey,
        detail={"kind": "follow_up", "version": "rss v1"},
        person=case.person,
    )
    page = text(lucia.get(response["Location"]))
    assert "<legend" in page and "Economic" in page and "Does not want to answer" in page
    # Saved part-way, with two answers (one declined): both kept, nothing submitted.
    definition = f.default_definition()
    second = definition["questions"][1]
    response = lucia.post(
        response["Location"],
        {
            "version": survey.version,
            "save": "1",
            "eco_income": "declined",
            second["code"]: second["options"][0]["code"],
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "draft"
    assert_audited(
        "survey.saved",
        actor=personas.lucia,
        target=survey,
        detail={"answered": 2, "changed": 2},
        person=case.person,
    )
    assert survey.answers == {
        "eco_income": "declined",
        second["code"]: second["options"][0]["code"],
    }
    page = text(lucia.get(url("survey", case.public_id, survey.public_id)))
    assert page.count(" checked") == 2
    assert "2 of 18 questions answered." in page
    assert "Continue the survey" in text(lucia.get(url("case", case.public_id)))


def test_submitting_names_the_missing_questions_and_keeps_every_answer(as_user, personas):
    case = f.lima_case(personas)
    survey = actions.start_survey(case, actor=acting(personas.lucia))
    definition = f.default_definition()
    given = f.answers(definition)
    del given["soc_housing"], given["psy_safety"]
    lucia = as_user(personas.lucia, "en")
    response = lucia.post(
        url("survey", case.public_id, survey.public_id),
        {"version": survey.version, "submit": "1", **given},
    )
    assert response.status_code == 422
    page = text(response)
    summary = page.split('id="error-summary-title"')[1].split("</div>")[0]
    assert summary.count("<li>") == 2
    assert "#id_soc_housing_0" in summary and "#id_psy_safety_0" in summary
    assert "Does not want to answer" in summary
    assert page.count(" checked") == len(given)
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_a_submitted_survey_shows_its_scores_in_the_chart_and_the_table(as_user, personas):
    case = f.lima_case(personas)
    definition = f.default_definition()
    f.submitted_survey(case, personas.lucia, f.answers(definition))
    survey = Survey.objects.get(case=case)
    lucia = as_user(personas.lucia, "en")
    response = lucia.post(
        url("survey_start", case.public_id), {"follow_up": f.follow_up(case, 6).public_id}
    )
    follow_up_survey = Survey.objects.get(case=case, follow_up__month=6)
    worst = f.answers(definition, "worst")
    response = lucia.post(
        response["Location"], {"version": follow_up_survey.version, "submit": "1", **worst}
    )
    assert response.status_code == 302
    follow_up_survey.refresh_from_db()
    assert_audited(
        "survey.submitted",
        actor=personas.lucia,
        target=follow_up_survey,
        detail={
            "at_risk": True,
            "scores": {
                "economic": "0.000",
                "social": "0.000",
                "psychosocial": "0.000",
                "composite": "0.000",
            },
        },
        person=case.person,
    )
    assert_audited("monitoring.at_risk", actor=personas.lucia, person=case.person)
    page = text(lucia.get(url("case", case.public_id)))
    assert "<figure" in page and "<figcaption" in page and 'aria-hidden="true"' in page
    assert page.count("<polyline") == 4
    table = page.split("Scores of each survey")[1].split("</table>")[0]
    assert "Baseline at reception" in table and "Follow-up at 6 months" in table
    assert table.count("rss v1") == 2
    assert "1.000" in table and "0.000" in table
    # The case is at risk, with its reasons in words.
    assert "The case is at risk" in page
    assert "Economic 0.000 is under the threshold 0.50" in page
    assert "Composite dropped from 1.000 to 0.000" in page
    # A submitted survey reads as answers and scores, and refuses a change.
    done = text(lucia.get(url("survey", case.public_id, survey.public_id)))
    assert "submitted on" in done and "<input" not in done.split("<main")[1].split("</main>")[0]
    response = lucia.post(url("survey", case.public_id, survey.public_id), {"submit": "1"})
    assert response.status_code == 302
    # My work names it.
    home = text(lucia.get(reverse("home")))
    assert "1 case at risk" in home and case.reference in home


def test_only_the_case_s_desk_changes_its_surveys(as_user, personas):
    case = f.lima_case(personas)
    survey = actions.start_survey(case, actor=acting(personas.lucia))
    assert as_user(personas.ana).post(url("survey_start", case.public_id)).status_code == 404
    assert (
        as_user(personas.ana).get(url("survey", case.public_id, survey.public_id)).status_code
        == 404
    )


def two_month_3_cases(personas):
    """Two Lima cases whose 3-month follow-up fell yesterday: the first reached (and its 1-month
    follow-up due in five days), the second not, and at risk after a poor baseline survey."""
    first, second = f.lima_case(personas), f.lima_case(personas)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    FollowUp.objects.filter(case__in=[first, second], month=3).update(due_on=yesterday)
    FollowUp.objects.filter(case=first, month=1).update(
        due_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    f.reached(f.follow_up(first, 3), personas.lucia)
    f.submitted_survey(second, personas.lucia, f.answers(f.default_definition(), "worst"))
    return first, second


def test_the_desk_page_counts_follow_ups_reached_scores_and_cases_at_risk(as_user, personas):
    first, second = two_month_3_cases(personas)
    lima = personas.org("LIM")
    mateo = as_user(personas.mateo, "en")
    response = mateo.get(url("desk_of", lima.public_id))
    assert response.status_code == 200
    counts = response.context["figures"]["counts"]
    assert counts == {"overdue": 1, "due": 1, "done": 1}
    page = text(response)
    assert "1 of 2 · 50 %" in page
    assert page.count("None due yet") == 2  # 6 and 12 months
    economic = response.context["figures"]["distribution"][0]
    assert [row["count"] for row in economic["rows"]] == [1, 0, 0, 0, 0]
    assert '<rect width="100%" height="14" fill="#0b5394"/>' in page
    assert "1 case at risk" in page
    at_risk = page.split('id="at-risk"')[1]
    assert second.reference in at_risk and second.person.full_name in at_risk
    assert "Economic 0.000 is under the threshold 0.50" in at_risk
    assert first.reference not in at_risk.split("Overdue follow-ups")[0]
    # Programme coordination: every desk, by reference only.
    irene = as_user(personas.irene, "en")
    response = irene.get(url("desk"))
    assert response.status_code == 302
    page = text(irene.get(url("desk_of", lima.public_id)))
    assert second.reference in page and second.person.full_name not in page
    assert 'aria-current="page">' in page and "Monitoring schedules" in page
    # A caseworker has no desk page; Milan's coordinator sees no national desk's.
    assert as_user(personas.lucia).get(url("desk")).status_code == 403
    assert as_user(personas.bruno).get(url("desk")).status_code == 403
    assert as_user(personas.bruno).get(url("desk_of", lima.public_id)).status_code == 404


def test_the_desk_page_in_spanish(as_user, personas):
    two_month_3_cases(personas)
    page = text(as_user(personas.mateo).get(url("desk_of", personas.org("LIM").public_id)))
    assert "1 de 2 · 50 %" in page
    assert "Económica 0,000 está por debajo del umbral 0,50" in page
    assert "1 caso en riesgo" in page


def test_the_desk_page_runs_the_same_queries_whatever_the_number_of_cases(as_user, personas):
    mateo = as_user(personas.mateo)
    desk_url = url("desk_of", personas.org("LIM").public_id)
    definition = f.default_definition()

    def queries_with(cases):
        for _ in range(cases):
            case = f.lima_case(personas)
            f.submitted_survey(case, personas.lucia, f.answers(definition, "worst"))
        FollowUp.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
        mateo.get(desk_url)  # the session saved once, before counting
        with CaptureQueriesContext(connection) as captured:
            response = mateo.get(desk_url)
        assert response.status_code == 200
        return len(captured), response.context["figures"]["at_risk_count"]

    few, at_risk = queries_with(1)
    assert at_risk == 1
    many, at_risk = queries_with(3)
    assert at_risk == 4
    assert many == few


def test_the_tab_runs_the_same_queries_whatever_the_number_of_attempts_and_surveys(
    as_user, personas
):
    case = f.lima_case(personas)
    lucia = as_user(personas.lucia)
    definition = f.default_definition()

    def queries_now():
        lucia.get(url("case", case.public_id))  # the session saved once, before counting
        with CaptureQueriesContext(connection) as captured:
            assert lucia.get(url("case", case.public_id)).status_code == 200
        return len(captured)

    actions.record_attempt(
        f.follow_up(case, 1), actor=acting(personas.lucia), method="phone", reason="no_answer"
    )
    f.submitted_survey(case, personas.lucia, f.answers(definition))
    few = queries_now()
    actions.record_attempt(
        f.follow_up(case, 1), actor=acting(personas.lucia), method="phone", reason="no_answer"
    )
    f.reached(f.follow_up(case, 1), personas.lucia)
    actions.record_attempt(
        f.follow_up(case, 3), actor=acting(personas.lucia), method="message", reason="other"
    )
    f.submitted_survey(case, personas.lucia, f.answers(definition), follow_up=f.follow_up(case, 6))
    assert queries_now() == few


def test_the_schedule_is_for_programme_coordination_and_says_what_it_re_planned(as_user, personas):
    case = f.lima_case(personas)
    programme = case.cycle.programme
    schedule_url = url("schedule", programme.public_id)
    assert as_user(personas.mateo).get(schedule_url).status_code == 403
    assert as_user(personas.lucia).get(schedule_url).status_code == 403
    irene = as_user(personas.irene, "en")
    page = text(irene.get(schedule_url))
    assert 'value="1, 3, 6, 12, 18"' in page and "rss v1" in page
    instrument_id = str(rules.default_instrument_version().public_id)
    form = {
        "version": 0,
        "months": "1, 3, 6, 24",
        "survey_months": "6, 12",
        "attempts_before_lost": "2",
        "drop_margin": "0,2",
        "instrument_version": instrument_id,
    }
    response = irene.post(schedule_url, form)
    assert response.status_code == 422
    page = text(response)
    assert "there is none at month 12" in page and 'value="1, 3, 6, 24"' in page
    form["survey_months"] = "6, 24"
    response = irene.post(schedule_url, form)
    assert response.status_code == 302
    page = text(irene.get(response["Location"]))
    assert "1 follow-ups planned, 2 cancelled" in page
    assert_audited(
        "monitoring.schedule_set",
        actor=personas.irene,
        detail={"planned": 1, "cancelled": 2},
    )
    assert list(
        FollowUp.objects.filter(case=case, status="planned").values_list("month", flat=True)
    ) == [1, 3, 6, 24]


def test_the_survey_version_page_lists_questions_options_and_scores(as_user, personas):
    version = rules.default_instrument_version()
    page = text(as_user(personas.lucia).get(url("instrument", version.public_id)))
    assert "Económica" in page and "en riesgo por debajo de 0,50" in page
    assert "Ningún ingreso · 0,00" in page
    assert page.count("<ol>") == 3


def test_a_newly_loaded_survey_version_is_offered_by_the_schedule_and_readable(as_user, personas):
    case = f.lima_case(personas)
    definition = f.default_definition()
    definition["version"] = 2
    definition["questions"][0]["text"]["es"] = "¿De qué vive su hogar este mes?"
    version, created = actions.load_instrument_version(definition, actor=acting(personas.irene))
    assert created
    assert_audited("instrument.loaded", actor=personas.irene, target=version, detail={"version": 2})
    irene = as_user(personas.irene)
    page = text(irene.get(url("schedule", case.cycle.programme.public_id)))
    # Without a schedule of its own, the programme follows the newest version.
    assert f'<option value="{version.public_id}" selected>rss v2</option>' in page
    page = text(irene.get(url("instrument", version.public_id)))
    assert "rss v2" in page and "¿De qué vive su hogar este mes?" in page


def test_anonymising_the_person_blanks_the_notes_the_tab_showed(as_user, personas):
    from retorno.monitoring.personal_data import anonymise_person

    case = f.lima_case(personas)
    f.reached(f.follow_up(case, 1), personas.lucia, note="Vive con su hermana en Comas")
    lucia = as_user(personas.lucia)
    assert "Vive con su hermana en Comas" in text(lucia.get(url("case", case.public_id)))
    assert anonymise_person(case.person, actor=acting(personas.mateo)) == 1
    assert_audited(
        "monitoring.anonymised",
        actor=personas.mateo,
        target=case.person,
        detail={"follow_ups": 1, "attempts": 0},
        person=case.person,
    )
    assert "Vive con su hermana en Comas" not in text(lucia.get(url("case", case.public_id)))


def test_an_attempt_dated_earlier_is_kept_at_its_time_and_one_in_the_future_refused(
    as_user, personas
):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    lucia = as_user(personas.lucia, "en")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = {"method": "message", "reason": "declined", "attempted_on": tomorrow.isoformat()}
    response = lucia.post(url("attempt", case.public_id, fu.public_id), form)
    assert response.status_code == 422
    assert "An attempt cannot be in the future." in text(response)
    assert f'value="{tomorrow.isoformat()}"' in text(response)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    form.update(attempted_on=yesterday.isoformat(), attempted_time="00:05")
    response = lucia.post(url("attempt", case.public_id, fu.public_id), form)
    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(case=case)
    # Typed in the time of the desk, Lima.
    moment = attempt.attempted_at.astimezone(zoneinfo.ZoneInfo(personas.org("LIM").time_zone))
    assert (moment.hour, moment.minute) == (0, 5)

"""The rules of monitoring, through the actions: planning on arrival and re-planning, attempts
and lost contact, surveys saved part-way and submitted, versions, thresholds and drops."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from retorno.cases.models import Case, Task
from retorno.conftest import acting
from retorno.lib.errors import ActionError
from retorno.monitoring import actions, instrument, rules
from retorno.monitoring.models import CaseMonitoring, FollowUp, InstrumentVersion, Survey
from retorno.monitoring.tests import factories as f
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> ActionError:
    with pytest.raises(ActionError) as error:
        call(*args, **kwargs)
    return error.value


def test_months_are_added_to_the_day_of_arrival_with_short_months_clamped():
    assert rules.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert rules.add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert rules.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)
    assert rules.add_months(datetime.date(2026, 7, 31), 18) == datetime.date(2028, 1, 31)


def test_a_case_accepted_at_lima_gets_its_follow_ups_as_tasks_of_its_caseworker(personas):
    case = f.lima_case(personas)
    arrived = timezone.localdate(case.phase_changed_at)
    follow_ups = list(FollowUp.objects.filter(case=case).select_related("task__assignee"))
    assert [(fu.month, fu.due_on, fu.takes_survey) for fu in follow_ups] == [
        (1, rules.add_months(arrived, 1), False),
        (3, rules.add_months(arrived, 3), False),
        (6, rules.add_months(arrived, 6), True),
        (12, rules.add_months(arrived, 12), True),
        (18, rules.add_months(arrived, 18), True),
    ]
    assert next(
        (fu.task.title, fu.task.assignee.username, fu.task.due_on) for fu in follow_ups
    ) == (
        "Follow-up 1 month after arrival",
        "lucia.lima",
        rules.add_months(arrived, 1),
    )
    assert all(fu.task.assignee == personas.lucia for fu in follow_ups)
    assert CaseMonitoring.objects.get(case=case).arrived_on == arrived
    assert_audited(
        "monitoring.planned",
        actor=personas.mateo,
        detail={"arrived_on": str(arrived), "months": [1, 3, 6, 12, 18]},
    )


def test_a_case_opened_at_a_national_desk_is_planned_at_once(personas):
    from retorno.cases.actions import register_returnee

    case = register_returnee(
        actor=acting(personas.lucia),
        person={"given_names": "Rosa", "first_surname": "Quispe", "return_country": "PE"},
    )
    assert FollowUp.objects.filter(case=case).count() == 5
    assert case.phase == "reception"


def schedule(personas, case, **kwargs):
    values = {
        "months": [1, 3, 6, 12, 18],
        "survey_months": [6, 12, 18],
        "attempts_before_lost": 3,
        "drop_margin": Decimal("0.15"),
        "instrument_version": rules.default_instrument_version(),
    }
    values.update(kwargs)
    return actions.set_schedule(case.cycle.programme, actor=acting(personas.irene), **values)


def test_changing_the_schedule_replans_only_the_follow_ups_not_yet_done(personas):
    case = f.lima_case(personas)
    f.reached(f.follow_up(case, 1), personas.lucia)
    # Month 1 is done; months 3 and 18 go, 9 and 24 come, 6 keeps its date but loses the survey.
    sched, counts = schedule(personas, case, months=[1, 6, 9, 12, 24], survey_months=[12, 24])
    assert counts == {"planned": 2, "cancelled": 2}
    assert_audited(
        "monitoring.schedule_set",
        actor=personas.irene,
        target=sched,
        changes={
            "months": [None, [1, 6, 9, 12, 24]],
            "survey_months": [None, [12, 24]],
            "attempts_before_lost": [None, 3],
            "drop_margin": [None, "0.15"],
            "instrument": [None, "rss v1"],
        },
        detail={"planned": 2, "cancelled": 2},
    )
    rows = {
        fu.month: (fu.status, fu.takes_survey, fu.task.status)
        for fu in FollowUp.objects.filter(case=case).select_related("task")
    }
    assert rows == {
        1: ("done", False, "done"),
        3: ("cancelled", False, "cancelled"),
        6: ("planned", False, "open"),
        9: ("planned", False, "open"),
        12: ("planned", True, "open"),
        18: ("cancelled", True, "cancelled"),
        24: ("planned", True, "open"),
    }
    # Month 3 comes back: the same follow-up is planned again with a new task.
    _sched, counts = schedule(
        personas, case, months=[1, 3, 6, 12], survey_months=[12], expected_version=sched.version
    )
    assert counts == {"planned": 1, "cancelled": 2}
    assert f.follow_up(case, 3).status == "planned"
    assert f.follow_up(case, 3).task.status == "open"


def test_only_programme_coordination_changes_the_schedule_and_months_are_checked(personas):
    case = f.lima_case(personas)
    for user in (personas.mateo, personas.lucia):
        error = actions.set_schedule
        error = refused(
            actions.set_schedule,
            case.cycle.programme,
            actor=acting(user),
            months=[1],
            survey_months=[],
            attempts_before_lost=3,
            drop_margin=Decimal("0.15"),
            instrument_version=rules.default_instrument_version(),
        )
        assert error.code == "forbidden"
    assert refused(schedule, personas, case, months=[3, 3]).message == "Each month once."
    assert refused(schedule, personas, case, months=[0, 3]).message == (
        "Write months between 1 and 60."
    )
    assert refused(schedule, personas, case, months=[3, 6], survey_months=[6, 9]).message == (
        "The survey can only be taken at a follow-up: there is none at month 9."
    )


def test_three_failed_attempts_in_a_row_propose_closing_as_lost_contact(personas):
    case = f.lima_case(personas)
    first = f.follow_up(case, 1)
    for _ in range(2):
        actions.record_attempt(
            first, actor=acting(personas.lucia), method="phone", reason="no_answer"
        )
    assert CaseMonitoring.objects.get(case=case).lost_contact == ""
    assert_audited(
        "follow_up.attempt_failed",
        actor=personas.lucia,
        detail={"method": "phone", "reason": "no_answer", "in_a_row": 2},
    )
    # A contact in between starts the count again.
    f.reached(first, personas.lucia, method="phone")
    assert CaseMonitoring.objects.get(case=case).failed_in_row == 0
    third = f.follow_up(case, 3)
    for _ in range(3):
        actions.record_attempt(
            third, actor=acting(personas.lucia), method="phone", reason="not_in_use"
        )
    monitoring = CaseMonitoring.objects.get(case=case)
    assert (monitoring.failed_in_row, monitoring.lost_contact) == (3, "proposed")
    assert_audited(
        "monitoring.lost_contact_proposed", actor=personas.lucia, detail={"in_a_row": 3, "limit": 3}
    )
    # The caseworker does not decide; the coordinator does.
    assert (
        refused(actions.decide_lost_contact, case, actor=acting(personas.lucia), close=True).code
        == "forbidden"
    )
    closed = actions.decide_lost_contact(case, actor=acting(personas.mateo), close=True)
    assert (closed.phase, closed.closed_reason) == ("closed", "lost_contact")
    assert_audited(
        "monitoring.lost_contact_decided",
        actor=personas.mateo,
        detail={"closed": True, "in_a_row": 3},
    )
    assert set(FollowUp.objects.filter(case=case).values_list("status", flat=True)) == {
        "done",
        "cancelled",
    }
    assert not Task.objects.filter(case=case, status="open").exists()


def test_the_coordinator_can_keep_following_a_case_proposed_for_closing(personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    for _ in range(3):
        actions.record_attempt(
            fu, actor=acting(personas.lucia), method="message", reason="no_answer"
        )
    actions.decide_lost_contact(
        case, actor=acting(personas.mateo), close=False, note="Try the sister"
    )
    monitoring = CaseMonitoring.objects.get(case=case)
    assert (monitoring.lost_contact, monitoring.failed_in_row) == ("", 0)
    assert Case.objects.get(pk=case.pk).phase == "reception"
    assert (
        refused(actions.decide_lost_contact, case, actor=acting(personas.mateo), close=False).code
        == "already_done"
    )


def test_a_follow_up_is_recorded_once_and_not_in_the_future(personas):
    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    error = refused(f.reached, fu, personas.lucia, done_on=tomorrow)
    assert (error.field, error.message) == ("done_on", "The contact cannot be in the future.")
    done = f.reached(fu, personas.lucia, note="Working at the market", expected_version=fu.version)
    assert (done.status, done.reached_by, done.task.status) == ("done", personas.lucia, "done")
    assert_audited(
        "follow_up.recorded",
        actor=personas.lucia,
        target=done,
        detail={"month": 1, "method": "home_visit", "lost_contact_withdrawn": False},
    )
    assert refused(f.reached, fu, personas.lucia).code in ("conflict", "already_done")
    assert refused(f.reached, done, personas.lucia, expected_version=done.version).code == (
        "already_done"
    )


def test_a_survey_is_saved_part_way_and_refused_with_the_missing_questions_named(personas):
    case = f.lima_case(personas)
    definition = f.default_definition()
    survey = actions.start_survey(case, actor=acting(personas.lucia))
    assert (survey.kind, survey.instrument.number) == ("baseline", 1)
    first_two = dict(list(f.answers(definition).items())[:2])
    survey = actions.save_survey(
        survey, actor=acting(personas.lucia), answers=first_two, expected_version=survey.version
    )
    assert Survey.objects.get(pk=survey.pk).answers == first_two
    assert_audited(
        "survey.started", actor=personas.lucia, target=survey, detail={"kind": "baseline"}
    )
    assert_audited(
        "survey.saved", actor=personas.lucia, target=survey, detail={"answered": 2, "changed": 2}
    )
    error = refused(actions.submit_survey, survey, actor=acting(personas.lucia), answers=first_two)
    required_missing = [q["text"]["en"] for q in definition["questions"][2:] if q["required"]]
    assert error.message == (
        "Answer every required question before submitting. Still to answer: "
        + "; ".join(required_missing)
    )
    # Declining is an answer.
    declined = {q["code"]: "declined" for q in definition["questions"]}
    done = actions.submit_survey(survey, actor=acting(personas.lucia), answers=declined)
    assert (done.status, done.economic, done.composite) == ("submitted", None, None)
    assert_audited(
        "survey.submitted",
        actor=personas.lucia,
        target=done,
        detail={
            "version": "rss v1",
            "scores": {"economic": None, "social": None, "psychosocial": None, "composite": None},
            "at_risk": False,
        },
    )
    assert (
        refused(actions.save_survey, done, actor=acting(personas.lucia), answers={}).code
        == "already_done"
    )


def test_scores_name_their_version_and_a_new_version_leaves_old_scores_alone(personas):
    case = f.lima_case(personas)
    definition = f.default_definition()
    first = f.submitted_survey(case, personas.lucia, f.answers(definition))
    assert (first.economic, first.social, first.psychosocial, first.composite) == (
        Decimal("1.000"),
        Decimal("1.000"),
        Decimal("1.000"),
        Decimal("1.000"),
    )
    # Version 2 scores every option of the first question at 0.
    second = {**definition, "version": 2}
    second["questions"] = [dict(q) for q in definition["questions"]]
    second["questions"][0] = {
        **definition["questions"][0],
        "options": [
            {**o, "score": "0"} if i == 0 else o
            for i, o in enumerate(definition["questions"][0]["options"])
        ],
    }
    version2, created = actions.load_instrument_version(second, actor=acting(personas.irene))
    assert created and version2.number == 2
    assert_audited(
        "instrument.loaded",
        actor=personas.irene,
        target=version2,
        detail={"code": "rss", "version": 2, "checksum": instrument.checksum(second)},
    )
    # The same file again is the same version; other questions under number 2 are refused.
    assert actions.load_instrument_version(second, actor=acting(personas.irene)) == (
        version2,
        False,
    )
    third = {**second, "title": {**second["title"], "en": "Changed"}}
    error = refused(actions.load_instrument_version, third, actor=acting(personas.irene))
    assert error.message == (
        "Version 2 of rss is already loaded with other questions: a version never changes. "
        "Give the new one the next number (3)."
    )
    schedule(personas, case, instrument_version=version2)
    later = f.submitted_survey(
        case, personas.lucia, f.answers(definition), follow_up=f.follow_up(case, 6)
    )
    assert later.instrument == version2
    assert later.economic < Decimal("1.000")
    first.refresh_from_db()
    assert (first.instrument.number, first.economic) == (1, Decimal("1.000"))
    assert InstrumentVersion.objects.get(number=1).definition == definition


def test_a_score_under_threshold_puts_the_case_at_risk_with_a_review_task(personas):
    case = f.lima_case(personas)
    definition = f.default_definition()
    f.submitted_survey(case, personas.lucia, f.answers(definition))
    assert CaseMonitoring.objects.get(case=case).at_risk is False
    worst_economic = f.answers(
        definition,
        **{
            q["code"]: q["options"][-1]["code"]
            for q in definition["questions"]
            if q["dimension"] == "economic"
        },
    )
    f.submitted_survey(case, personas.lucia, worst_economic, follow_up=f.follow_up(case, 6))
    monitoring = CaseMonitoring.objects.get(case=case)
    assert monitoring.at_risk is True
    assert monitoring.risk_reasons == [
        {"kind": "under", "dimension": "economic", "score": "0.000", "threshold": "0.50"},
        {"kind": "drop", "dimension": "economic", "from": "1.000", "to": "0.000"},
        {"kind": "drop", "dimension": "composite", "from": "1.000", "to": "0.667"},
    ]
    assert_audited(
        "monitoring.at_risk", actor=personas.lucia, detail={"reasons": monitoring.risk_reasons}
    )
    task = Task.objects.get(case=case, title="Review the reintegration plan: the case is at risk")
    assert (task.assignee, task.status) == (personas.lucia, "open")


def test_a_drop_of_more_than_the_margin_alone_puts_a_case_at_risk():
    definition = f.default_definition()
    previous = {
        "economic": Decimal("0.900"),
        "social": Decimal("0.800"),
        "psychosocial": Decimal("0.700"),
        "composite": Decimal("0.800"),
    }
    now = {
        "economic": Decimal("0.740"),
        "social": Decimal("0.650"),
        "psychosocial": Decimal("0.700"),
        "composite": Decimal("0.697"),
    }
    # Economic dropped 0.160 (> 0.15); social exactly 0.150 (not more); all above 0.50.
    assert rules.risk_reasons(now, previous, definition, Decimal("0.15")) == [
        {"kind": "drop", "dimension": "economic", "from": "0.900", "to": "0.740"},
    ]
    assert rules.risk_reasons(now, None, definition, Decimal("0.15")) == []


def test_the_instrument_file_is_checked_strictly():
    definition = f.default_definition()
    assert instrument.validate(definition) == []
    broken = {**definition, "questions": [dict(q) for q in definition["questions"]]}
    broken["questions"][0] = {**broken["questions"][0], "weight": 2}
    broken["questions"][1] = {
        **broken["questions"][1],
        "text": {k: v for k, v in broken["questions"][1]["text"].items() if k != "pt"},
    }
    first, second = broken["questions"][0]["code"], broken["questions"][1]["code"]
    assert instrument.validate(broken) == [
        f'question {first} weight: a decimal written as a string, such as "0.5"',
        f"question {second} text: the text in pt is missing",
    ]


def test_an_access_request_reads_the_follow_ups_and_anonymising_blanks_their_notes(personas):
    from retorno.lib import plugins
    from retorno.monitoring import personal_data

    case = f.lima_case(personas)
    fu = f.follow_up(case, 1)
    actions.record_attempt(
        fu, actor=acting(personas.lucia), method="phone", reason="no_answer", note="Sister answered"
    )
    f.reached(fu, personas.lucia, note="Sells empanadas at the market", new_needs="A fridge")
    f.submitted_survey(case, personas.lucia, f.answers(f.default_definition()))
    section = plugins.person_data(case.person)["monitoring"][0]
    values = [value for _label, value in section.rows]
    assert "Sells empanadas at the market" in values
    assert "A fridge" in values
    assert "Sister answered" in values
    assert any("rss v1 · economic 1.000 · social 1.000" in v for v in values)
    assert personal_data.anonymise_person(case.person, actor=acting(personas.irene)) == 2
    values = [value for _label, value in plugins.person_data(case.person)["monitoring"][0].rows]
    assert "Sells empanadas at the market" not in values
    assert "Sister answered" not in values
    assert_audited(
        "monitoring.anonymised",
        actor=personas.irene,
        person=case.person,
        detail={"follow_ups": 1, "attempts": 1},
    )


def test_a_case_closed_as_lost_contact_counts_its_past_follow_ups_as_not_reached(personas):
    from retorno.monitoring import access, queries

    case = f.lima_case(personas)
    today = timezone.localdate()
    # María arrived four months ago: her follow-ups at 1 and 3 months are past.
    arrived = rules.add_months(today, -4)
    CaseMonitoring.objects.filter(case=case).update(arrived_on=arrived)
    for fu in FollowUp.objects.filter(case=case):
        FollowUp.objects.filter(pk=fu.pk).update(due_on=rules.add_months(arrived, fu.month))
    f.reached(f.follow_up(case, 1), personas.lucia, done_on=rules.add_months(arrived, 1))
    third = f.follow_up(case, 3)
    for _ in range(3):
        actions.record_attempt(
            third, actor=acting(personas.lucia), method="phone", reason="no_answer"
        )
    actions.decide_lost_contact(case, actor=acting(personas.mateo), close=True)
    assert dict(FollowUp.objects.filter(case=case).values_list("month", "status")) == {
        1: "done",
        3: "missed",
        6: "cancelled",
        12: "cancelled",
        18: "cancelled",
    }
    figures = queries.desk_monitoring(
        access.counted_for(acting(personas.mateo), personas.org("LIM")), today
    )
    assert figures["reached"][0] == {"month": 3, "expected": 1, "reached": 0, "share": 0}
    assert figures["counts"] == {"overdue": 0, "due": 0, "done": 1}
    assert CaseMonitoring.objects.get(case=case).closed is True


def test_a_score_falls_in_its_band_of_two_tenths_and_one_in_the_top_band():
    from retorno.monitoring.models import band_of

    assert [
        band_of(Decimal(v))
        for v in ("0.000", "0.199", "0.200", "0.399", "0.400", "0.600", "0.799", "0.800", "1.000")
    ] == [0, 0, 1, 1, 2, 3, 3, 4, 4]
    assert band_of(None) is None

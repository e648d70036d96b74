"""Demo monitoring of the return, built through retorno.monitoring.actions only: the demo cases
in reception, reintegration and follow-up at the national desks arrived weeks or months ago,
their follow-ups are done, due or overdue, some after failed attempts, and their sustainability
surveys (the default instrument, taken at reception and at the follow-ups of months 6, 12 and 18)
give scores that rise for some people and fall for others. Several cases are at risk, one of
them lucia.lima's, and one of Lima's cases is proposed to mateo.lima for closing as lost contact.

The actions date what they record today; the demo then moves those dates into the past with
queryset updates (arrival, due dates and their tasks, contacts, attempts, submissions), as the
person's history would have them. Running it again changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from retorno.accounts.middleware import act_as
from retorno.accounts.models import User
from retorno.cases.models import Case, Task
from retorno.demo.cases import CASEWORKER, MARKER
from retorno.monitoring import actions, rules
from retorno.monitoring.models import CaseMonitoring, ContactAttempt, FollowUp, Survey

NATIONAL_DESKS = ("LPZ", "BSB", "SCL", "BOG", "UIO", "ASU", "LIM", "MVD")
PHASES = ("reception", "reintegration", "follow_up")
# How long ago each phase's people arrived, in months (the demo picks one by case).
ARRIVED_MONTHS_AGO = {"reception": (1, 2), "reintegration": (7, 8, 9), "follow_up": (13, 15, 19)}

# The level of the answers at each survey (baseline first), by dimension; the answers are the
# options nearest to it. "rising" and "falling" are what the case page's chart shows.
PROFILES = {
    "rising": {"economic": (0.55, 0.7, 0.85, 0.95), "social": (0.6, 0.7, 0.8, 0.9),
               "psychosocial": (0.55, 0.65, 0.8, 0.9)},
    "falling": {"economic": (0.85, 0.65, 0.4, 0.3), "social": (0.8, 0.65, 0.45, 0.35),
                "psychosocial": (0.8, 0.6, 0.4, 0.3)},
    "steady": {"economic": (0.7, 0.72, 0.75, 0.75), "social": (0.75, 0.75, 0.8, 0.8),
               "psychosocial": (0.7, 0.75, 0.75, 0.8)},
    "low_economic": {"economic": (0.3, 0.35, 0.4, 0.45), "social": (0.7, 0.75, 0.75, 0.8),
                     "psychosocial": (0.65, 0.7, 0.7, 0.75)},
    "psychosocial_dip": {"economic": (0.65, 0.7, 0.75, 0.75), "social": (0.7, 0.7, 0.75, 0.75),
                         "psychosocial": (0.8, 0.7, 0.4, 0.45)},
}  # fmt: skip
ORDER = ("rising", "falling", "steady", "low_economic", "rising", "psychosocial_dip", "steady")

METHODS = ("home_visit", "phone", "desk_visit", "video", "message")
REASONS = ("no_answer", "not_in_use", "not_found", "no_answer")
NOTES = {
    "es": (
        "Vive con su familia; las acciones del plan avanzan según lo previsto.",
        "Encontró trabajo ocasional en el mercado; sigue buscando algo estable.",
        "Los hijos ya están matriculados; falta el certificado de estudios del mayor.",
        "Preocupada por las deudas del viaje; revisamos juntos el presupuesto del mes.",
    ),
    "pt": (
        "Mora com a família; as ações do plano avançam como previsto.",
        "Conseguiu trabalho ocasional na feira; continua à procura de algo estável.",
        "Os filhos já estão matriculados; falta o certificado escolar do mais velho.",
        "Preocupada com as dívidas da viagem; revimos juntos o orçamento do mês.",
    ),
}
NEW_NEEDS = {
    "es": "Apoyo psicológico: refiere ansiedad y problemas para dormir desde hace semanas.",
    "pt": "Apoio psicológico: refere ansiedade e dificuldade para dormir há semanas.",
}


def demo_monitoring_exists() -> bool:
    return Survey.objects.filter(case__person__desk_reference__startswith=MARKER).exists()


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _answers(definition: dict, levels: dict, index: int, rng: random.Random) -> dict:
    """Answers whose score in each dimension comes near the dimension's level at this survey
    (give or take a little): question by question, heaviest first, the option that keeps the
    running weighted mean nearest the level."""
    chosen = {}
    for dimension, series in levels.items():
        target = (
            Decimal(str(series[min(index, len(series) - 1)])) + Decimal(rng.randint(-3, 3)) / 100
        )
        total = weight_sum = Decimal(0)
        questions = [q for q in definition["questions"] if q["dimension"] == dimension]
        for q in sorted(questions, key=lambda q: -Decimal(q["weight"])):
            weight = Decimal(q["weight"])
            option = min(
                q["options"],
                key=lambda o: abs(
                    (total + weight * Decimal(o["score"])) / (weight_sum + weight) - target
                ),
            )
            total += weight * Decimal(option["score"])
            weight_sum += weight
            chosen[q["code"]] = option["code"]
    return chosen


def _monitored_cases() -> list[Case]:
    return list(
        Case.objects.filter(
            person__desk_reference__startswith=MARKER,
            owning_desk__code__in=NATIONAL_DESKS,
            phase__in=PHASES,
            monitoring__isnull=False,
        )
        .select_related("owning_desk", "monitoring", "cycle__programme")
        .order_by("owning_desk__code", "reference")
    )


@transaction.atomic
def ensure_demo_monitoring() -> int:
    """Build the demo monitoring once; running it again changes nothing. Returns how many cases
    it follows."""
    if demo_monitoring_exists():
        return 0
    cases = _monitored_cases()
    today = timezone.localdate()
    lost_contact = next(
        (c for c in cases if c.owning_desk.code == "LIM" and c.phase == "follow_up"), None
    )
    lucia_at_risk = next(
        (c for c in cases if c.owning_desk.code == "LIM" and c.phase == "reintegration"), None
    )
    by_phase = dict.fromkeys(PHASES, 0)
    for n, case in enumerate(cases):
        k = by_phase[case.phase]
        by_phase[case.phase] += 1
        months_ago = ARRIVED_MONTHS_AGO[case.phase]
        arrived_on = rules.add_months(today, -months_ago[k % len(months_ago)]) - (
            datetime.timedelta(days=(n * 5) % 20)
        )
        profile = "falling" if case == lucia_at_risk else ORDER[n % len(ORDER)]
        _follow(
            case,
            arrived_on=arrived_on,
            today=today,
            profile=profile,
            lost_contact=case == lost_contact,
            n=n,
            overdue_allowed=case != lucia_at_risk,
        )
    return len(cases)


def _backdate_arrival(case: Case, arrived_on: datetime.date) -> list[FollowUp]:
    CaseMonitoring.objects.filter(case=case).update(arrived_on=arrived_on)
    follow_ups = list(FollowUp.objects.filter(case=case).order_by("month"))
    for follow_up in follow_ups:
        follow_up.due_on = rules.add_months(arrived_on, follow_up.month)
        FollowUp.objects.filter(pk=follow_up.pk).update(due_on=follow_up.due_on)
        Task.objects.filter(pk=follow_up.task_id).update(due_on=follow_up.due_on)
    return follow_ups


def _survey(case, worker, *, follow_up, answers, day, today) -> Survey:
    survey = actions.start_survey(case, actor=worker, follow_up=follow_up)
    survey = actions.submit_survey(survey, actor=worker, answers=answers)
    Survey.objects.filter(pk=survey.pk).update(started_at=_at(day, 9), submitted_at=_at(day, 11))
    # The risk the survey raised dates from the survey.
    CaseMonitoring.objects.filter(case=case, at_risk=True, at_risk_since=today).update(
        at_risk_since=day
    )
    return survey


def _follow(
    case, *, arrived_on, today, profile, lost_contact: bool, n: int, overdue_allowed: bool
) -> None:
    desk = case.owning_desk.code
    worker = act_as(User.objects.get(username=CASEWORKER[desk]), desk)
    language = "pt" if desk == "BSB" else "es"
    rng = random.Random(f"{case.reference}-monitoring")  # noqa: S311 - demo data
    definition = rules.schedule_of(case.cycle.programme).instrument.definition
    levels = PROFILES[profile]
    follow_ups = _backdate_arrival(case, arrived_on)

    survey_index = 0
    baseline_on = arrived_on + datetime.timedelta(days=2)
    if baseline_on < today:
        _survey(
            case,
            worker,
            follow_up=None,
            answers=_answers(definition, levels, survey_index, rng),
            day=baseline_on,
            today=today,
        )
        survey_index += 1

    past = [f for f in follow_ups if f.due_on < today and f.status == FollowUp.Status.PLANNED]
    for position, follow_up in enumerate(past):
        last = position == len(past) - 1
        if last and lost_contact:
            # Three failed attempts in a row: proposed to the coordinator for closing.
            for attempt in range(3):
                when = _at(min(follow_up.due_on + datetime.timedelta(days=4 * attempt), today))
                actions.record_attempt(
                    follow_up,
                    actor=worker,
                    method=METHODS[(attempt + 1) % 2],
                    reason=REASONS[attempt],
                    attempted_at=min(when, timezone.now()),
                )
            CaseMonitoring.objects.filter(case=case).update(
                lost_contact_proposed_at=ContactAttempt.objects.filter(case=case)
                .order_by("-attempted_at")
                .values_list("attempted_at", flat=True)[0]
            )
            continue
        if last and overdue_allowed and n % 4 == 3:
            # Overdue: one failed attempt so far, and the survey (if any) saved part-way.
            if n % 8 == 3:
                actions.record_attempt(
                    follow_up,
                    actor=worker,
                    method="phone",
                    reason="no_answer",
                    attempted_at=_at(follow_up.due_on),
                )
            if follow_up.takes_survey:
                draft = actions.start_survey(case, actor=worker, follow_up=follow_up)
                given = _answers(definition, levels, survey_index, rng)
                actions.save_survey(
                    draft, actor=worker, answers=dict(list(given.items())[: len(given) // 2])
                )
            continue
        done_on = min(follow_up.due_on + datetime.timedelta(days=rng.randint(0, 9)), today)
        failed = (n + follow_up.month) % 5 == 0
        for attempt in range(1 + (n % 2) if failed else 0):
            actions.record_attempt(
                follow_up,
                actor=worker,
                method="phone",
                reason=REASONS[attempt],
                attempted_at=_at(done_on - datetime.timedelta(days=3 - attempt), 16),
            )
        falling_now = profile in ("falling", "psychosocial_dip") and follow_up.month >= 6
        actions.record_follow_up(
            follow_up,
            actor=worker,
            done_on=done_on,
            method=METHODS[(n + position) % len(METHODS)],
            note=NOTES[language][(n + position) % len(NOTES[language])],
            new_needs=NEW_NEEDS[language] if falling_now and follow_up.takes_survey else "",
        )
        FollowUp.objects.filter(pk=follow_up.pk).update(recorded_at=_at(done_on, 18))
        Task.objects.filter(pk=follow_up.task_id).update(completed_at=_at(done_on, 18))
        if follow_up.takes_survey:
            _survey(
                case,
                worker,
                follow_up=follow_up,
                answers=_answers(definition, levels, survey_index, rng),
                day=done_on,
                today=today,
            )
            survey_index += 1

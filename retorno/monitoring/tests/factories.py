"""Monitoring set up through the actions: María's case accepted at Lima (its follow-ups planned
on acceptance), answers to the default survey, failed attempts and follow-ups."""

import json
from pathlib import Path

from django.utils import timezone

from retorno.conftest import acting
from retorno.monitoring import actions
from retorno.monitoring.models import FollowUp
from retorno.plans.tests.factories import lima_case  # noqa: F401 (re-exported for the tests)

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "instruments" / "rss-1.json"


def default_definition() -> dict:
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def answers(definition: dict, pick="best", **overrides) -> dict:
    """An answer to every question: the best option (first), the worst (last), or per question
    code with overrides (`eco_income="declined"`)."""
    chosen = {}
    for q in definition["questions"]:
        options = q["options"]
        chosen[q["code"]] = options[0]["code"] if pick == "best" else options[-1]["code"]
    chosen.update(overrides)
    return chosen


def follow_up(case, month) -> FollowUp:
    return FollowUp.objects.get(case=case, month=month)


def submitted_survey(case, user, answers_given, *, follow_up=None):
    survey = actions.start_survey(case, actor=acting(user), follow_up=follow_up)
    return actions.submit_survey(survey, actor=acting(user), answers=answers_given)


def reached(fu, user, **kwargs):
    return actions.record_follow_up(
        fu,
        actor=acting(user),
        done_on=kwargs.pop("done_on", timezone.localdate()),
        method=kwargs.pop("method", "home_visit"),
        **kwargs,
    )

"""The worked examples of docs/monitoring-survey.md, read from the page itself and scored with
the default instrument: the documentation and the scoring cannot drift apart."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from retorno.monitoring import instrument, rules
from retorno.monitoring.tests.factories import default_definition

DOC = Path(__file__).resolve().parents[3] / "docs" / "monitoring-survey.md"


def examples() -> dict:
    """{"Example 1": (answers, {figure: score or None}, {dimension: under threshold})}"""
    found = {}
    for title, body in re.findall(
        r"^### (Example \d)\n(.*?)(?=^### |^## |\Z)", DOC.read_text(), re.M | re.S
    ):
        answers, scores, under = {}, {}, {}
        for code, option in re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", body, re.M):
            option = option.strip()
            if option == "declined":
                answers[code] = instrument.DECLINED
            elif option.startswith("`"):
                answers[code] = option.strip("`")
        for figure, value, flag in re.findall(
            r"^\| (economic|social|psychosocial|composite) \| ([^|]+?) \| ([^|]+?) \|$", body, re.M
        ):
            if figure in scores:
                continue  # the table of drops repeats the names; the results come first
            scores[figure] = Decimal(value) if re.fullmatch(r"\d\.\d{3}", value) else None
            if flag in ("yes", "no"):
                under[figure] = flag == "yes"
        found[title] = (answers, scores, under)
    return found


def test_the_page_has_three_worked_examples():
    assert sorted(examples()) == ["Example 1", "Example 2", "Example 3"]


@pytest.mark.parametrize("title", ["Example 1", "Example 2", "Example 3"])
def test_each_worked_example_scores_as_documented(title):
    definition = default_definition()
    answers, documented, under = examples()[title]
    assert instrument.unknown_answers(definition, answers) == []
    assert instrument.score(definition, answers).as_dict() == documented
    thresholds = instrument.thresholds(definition)
    assert {code: documented[code] < thresholds[code] for code in under} == under


def test_example_2_after_example_1_is_at_risk_as_documented():
    definition = default_definition()
    found = examples()
    before = instrument.score(definition, found["Example 1"][0]).as_dict()
    after = instrument.score(definition, found["Example 2"][0]).as_dict()
    assert rules.risk_reasons(after, before, definition, Decimal("0.15")) == [
        {"kind": "under", "dimension": "social", "score": "0.455", "threshold": "0.50"},
        {"kind": "drop", "dimension": "economic", "from": "0.772", "to": "0.543"},
        {"kind": "drop", "dimension": "social", "from": "0.864", "to": "0.455"},
        {"kind": "drop", "dimension": "composite", "from": "0.843", "to": "0.594"},
    ]

"""The survey instrument as data: checking a version's definition, reading its texts in the
reader's language, and scoring a survey's answers with it (the rules of
docs/monitoring-survey.md).

A definition is the JSON document of instruments/<code>-<version>.json: its dimensions with
their weight in the composite and their threshold, its questions with their dimension, weight,
whether they are required, their text and their answer options with a score between 0 and 1,
every text in the four languages. "Does not want to answer" (DECLINED) is an answer to every
question that the scoring leaves out.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language
from django.utils.translation import gettext as _

LANGUAGES = ("en", "it", "es", "pt")
DIMENSIONS = ("economic", "social", "psychosocial")
DECLINED = "declined"
CODE = re.compile(r"^[a-z0-9_]{1,40}$")
THOUSANDTH = Decimal("0.001")
# What the database holds: Instrument.code and InstrumentVersion.number.
INSTRUMENT_CODE_LENGTH = 30
MAX_VERSION = 2_147_483_647


def rounded(value: Decimal) -> Decimal:
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def checksum(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _decimal(value, where: str, problems: list, *, low=None, high=None, positive=False):
    if not isinstance(value, str):
        problems.append(f'{where}: a decimal written as a string, such as "0.5"')
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        problems.append(f"{where}: {value!r} is not a number")
        return None
    if not number.is_finite():
        problems.append(f"{where}: {value!r} is not a number")
        return None
    if positive and number <= 0:
        problems.append(f"{where}: must be more than 0")
    if (low is not None and number < low) or (high is not None and number > high):
        problems.append(f"{where}: must be between {low} and {high}")
    return number


def _texts(value, where: str, problems: list) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: a text in each of {', '.join(LANGUAGES)}")
        return
    for language in LANGUAGES:
        if not isinstance(value.get(language), str) or not value[language].strip():
            problems.append(f"{where}: the text in {language} is missing")
    extra = set(value) - set(LANGUAGES)
    if extra:
        problems.append(f"{where}: unknown languages {sorted(extra)}")


def validate(definition) -> list[str]:
    """What is wrong with a definition, one line each (empty when it can be loaded). Written for
    whoever prepares a version's file, in English like the file's keys."""
    problems: list[str] = []
    if not isinstance(definition, dict):
        return ["the definition must be a JSON object"]
    allowed = {"code", "version", "title", "source", "dimensions", "questions"}
    if set(definition) - allowed:
        problems.append(f"unknown keys {sorted(set(definition) - allowed)}")
    code = definition.get("code")
    if not isinstance(code, str) or not CODE.match(code) or len(code) > INSTRUMENT_CODE_LENGTH:
        problems.append(f"code: lowercase letters, digits and _, {INSTRUMENT_CODE_LENGTH} at most")
    version = definition.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
        problems.append(f"version: a whole number from 1 to {MAX_VERSION}")
    _texts(definition.get("title"), "title", problems)
    _texts(definition.get("source"), "source", problems)

    dimensions = definition.get("dimensions")
    if not isinstance(dimensions, list) or [
        d.get("code") if isinstance(d, dict) else None for d in dimensions
    ] != list(DIMENSIONS):
        problems.append(f"dimensions: exactly {', '.join(DIMENSIONS)}, in this order")
        dimensions = []
    for d in dimensions:
        where = f"dimension {d['code']}"
        if set(d) - {"code", "label", "weight", "threshold"}:
            problems.append(
                f"{where}: unknown keys {sorted(set(d) - {'code', 'label', 'weight', 'threshold'})}"
            )
        _texts(d.get("label"), f"{where} label", problems)
        _decimal(d.get("weight"), f"{where} weight", problems, positive=True)
        _decimal(d.get("threshold"), f"{where} threshold", problems, low=0, high=1)

    questions = definition.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append("questions: a list of questions")
        questions = []
    seen: set = set()
    per_dimension = dict.fromkeys(DIMENSIONS, 0)
    keys = {"code", "dimension", "indicator", "weight", "required", "text", "options"}
    for index, q in enumerate(questions, start=1):
        if not isinstance(q, dict):
            problems.append(f"question {index}: an object")
            continue
        code = q.get("code")
        where = f"question {code or index}"
        if set(q) - keys:
            problems.append(f"{where}: unknown keys {sorted(set(q) - keys)}")
        if not isinstance(code, str) or not CODE.match(code) or code == DECLINED:
            problems.append(f"{where}: code: lowercase letters, digits and _")
        elif code in seen:
            problems.append(f"{where}: the code is used twice")
        seen.add(code)
        if q.get("dimension") not in DIMENSIONS:
            problems.append(f"{where}: dimension: one of {', '.join(DIMENSIONS)}")
        else:
            per_dimension[q["dimension"]] += 1
        _decimal(q.get("weight"), f"{where} weight", problems, positive=True)
        if not isinstance(q.get("required"), bool):
            problems.append(f"{where}: required: true or false")
        _texts(q.get("text"), f"{where} text", problems)
        options = q.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= 7:
            problems.append(f"{where}: between 2 and 7 options")
            continue
        option_codes: set = set()
        for o in options:
            if not isinstance(o, dict) or set(o) != {"code", "score", "label"}:
                problems.append(f"{where}: each option has exactly code, score and label")
                continue
            if not isinstance(o["code"], str) or not CODE.match(o["code"]) or o["code"] == DECLINED:
                problems.append(
                    f"{where} option {o['code']!r}: code: lowercase letters, digits and _ "
                    f"(not {DECLINED})"
                )
            elif o["code"] in option_codes:
                problems.append(f"{where}: option {o['code']} is used twice")
            option_codes.add(o["code"])
            _decimal(o["score"], f"{where} option {o['code']} score", problems, low=0, high=1)
            _texts(o["label"], f"{where} option {o['code']} label", problems)
    for code, count in per_dimension.items():
        if dimensions and count == 0:
            problems.append(f"dimension {code}: no question")
    return problems


def text(texts: dict, language: str | None = None) -> str:
    """A text of the definition in the language asked for (the active one by default)."""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts["en"]


def questions_of(definition: dict) -> dict:
    return {q["code"]: q for q in definition["questions"]}


def unknown_answers(definition: dict, answers: dict) -> list[str]:
    """Answers naming a question or an option the version does not have."""
    questions = questions_of(definition)
    wrong = []
    for code, option in answers.items():
        question = questions.get(code)
        if question is None or (
            option != DECLINED and option not in {o["code"] for o in question["options"]}
        ):
            wrong.append(code)
    return wrong


def missing_required(definition: dict, answers: dict) -> list[dict]:
    """The required questions without an answer, in the order of the instrument."""
    return [q for q in definition["questions"] if q["required"] and not answers.get(q["code"])]


@dataclass(frozen=True)
class Scores:
    """A score per dimension (None: not enough answers) and the composite (None unless every
    dimension has a score), rounded to three decimals."""

    economic: Decimal | None
    social: Decimal | None
    psychosocial: Decimal | None
    composite: Decimal | None

    def as_dict(self) -> dict:
        return {
            "economic": self.economic,
            "social": self.social,
            "psychosocial": self.psychosocial,
            "composite": self.composite,
        }


def score(definition: dict, answers: dict) -> Scores:
    """Score the answers with the definition (docs/monitoring-survey.md):

    - a dimension's score is the weighted mean of the scores of its questions answered with a
      scored option; "declined" and unanswered questions are left out;
    - a dimension has no score when the questions left out weigh more than half of all its
      questions' weight (exactly half still scores);
    - the composite is the weighted mean of the unrounded dimension scores, with the
      dimensions' weights, and exists only when every dimension has a score;
    - each figure is rounded to three decimals, half up.
    """
    totals = {code: Decimal(0) for code in DIMENSIONS}
    answered_weight = {code: Decimal(0) for code in DIMENSIONS}
    weighted = {code: Decimal(0) for code in DIMENSIONS}
    for q in definition["questions"]:
        weight = Decimal(q["weight"])
        totals[q["dimension"]] += weight
        chosen = answers.get(q["code"])
        if not chosen or chosen == DECLINED:
            continue
        option = next(o for o in q["options"] if o["code"] == chosen)
        answered_weight[q["dimension"]] += weight
        weighted[q["dimension"]] += weight * Decimal(option["score"])
    exact: dict = {}
    for code in DIMENSIONS:
        left_out = totals[code] - answered_weight[code]
        if answered_weight[code] == 0 or left_out * 2 > totals[code]:
            exact[code] = None
        else:
            exact[code] = weighted[code] / answered_weight[code]
    composite = None
    if all(value is not None for value in exact.values()):
        dimension_weights = {d["code"]: Decimal(d["weight"]) for d in definition["dimensions"]}
        composite = rounded(
            sum(dimension_weights[c] * exact[c] for c in DIMENSIONS)
            / sum(dimension_weights.values())
        )
    return Scores(
        **{c: (rounded(exact[c]) if exact[c] is not None else None) for c in DIMENSIONS},
        composite=composite,
    )


def thresholds(definition: dict) -> dict:
    return {d["code"]: Decimal(d["threshold"]) for d in definition["dimensions"]}


def declined_label() -> str:
    return _("Does not want to answer")

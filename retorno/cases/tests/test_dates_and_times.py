"""Dates and times as people read them: the viewer's desk time zone, the actor's zone named."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from retorno.accounts.models import User
from retorno.cases import actions
from retorno.cases.models import CaseEvent
from retorno.cases.templatetags.cases_tags import due_phrase
from retorno.cases.tests.factories import handed_over, register
from retorno.conftest import acting

# 15:43 in Milan on 4 December 2026 (UTC+1): 09:43 in Lima (UTC-5).
WHEN = datetime.datetime(2026, 12, 4, 14, 43, tzinfo=datetime.UTC)


def visible_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_timeline_shows_the_viewers_time_and_names_the_actors_zone(personas, as_user):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    CaseEvent.objects.filter(case=case, kind="case_opened").update(occurred_at=WHEN)

    page = as_user(personas.lucia).get(reverse("cases:timeline", args=[case.public_id]))

    text = visible_text(page)
    assert "4 December 2026, 09:43 (15:43 Milano time) · by Ana Rossi, Milan desk" in text


def test_the_timeline_names_no_other_zone_for_the_viewers_own_desk(personas, as_user):
    case = register(personas.ana)
    CaseEvent.objects.filter(case=case, kind="case_opened").update(occurred_at=WHEN)

    page = as_user(personas.bruno).get(reverse("cases:timeline", args=[case.public_id]))

    text = visible_text(page)
    assert "4 December 2026, 15:43 · by Ana Rossi, Milan desk" in text
    assert "Milano time" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("it", "4 dicembre 2026, 15:43"),
        ("es", "4 de diciembre de 2026, 15:43"),
        ("pt", "4 de dezembro de 2026, 15:43"),
        ("en", "4 December 2026, 15:43"),
    ],
)
def test_dates_are_written_out_as_each_language_writes_them(personas, as_user, language, expected):
    case = register(personas.ana)
    CaseEvent.objects.filter(case=case, kind="case_opened").update(occurred_at=WHEN)
    User.objects.filter(pk=personas.bruno.pk).update(preferred_language=language)

    page = as_user(personas.bruno).get(reverse("cases:timeline", args=[case.public_id]))

    assert expected in visible_text(page)


@pytest.mark.parametrize(
    ("language", "day_and_month"),
    [("it", "14 giugno"), ("es", "14 de junio"), ("pt", "14 de junho"), ("en", "14 June")],
)
def test_short_dates_give_the_day_and_month_without_the_year(language, day_and_month):
    with translation.override(language):
        phrase = due_phrase(datetime.date(2026, 6, 14), datetime.date(2026, 6, 16))

    assert day_and_month in phrase
    assert "2026" not in phrase

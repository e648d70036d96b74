"""Dates and times as people read them: the viewer's desk time zone, the actor's zone named."""

import datetime
import re

from django.urls import reverse

from retorno.cases import actions
from retorno.cases.models import CaseEvent
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

"""The monitoring pages: what lucia (caseworker, Lima), mateo (coordinator, Lima), irene
(programme coordination) and a Milan user see and may do; forms that keep what was typed; the
survey saved part-way and refused with the missing questions named; the scores as a chart and
a table; the desk page's figures; lists whose queries do not grow with their rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from retorno.conftest import acting
from retorno.monitoring import actions
from retorno.monitoring.models import CaseMonitoring, ContactAttempt, FollowUp, Survey
from retorno.monitoring.tests import factories as f
from retorno.plans.tests.factories import approved_plan

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

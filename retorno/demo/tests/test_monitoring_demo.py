"""The demo's monitoring: follow-ups done, due and overdue, failed attempts, scores that rise
and fall, cases at risk on lucia.lima's My work and a lost-contact proposal for mateo.lima."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from retorno.accounts.models import User
from retorno.conftest import acting
from retorno.monitoring import queries
from retorno.monitoring.models import CaseMonitoring, ContactAttempt, FollowUp, Survey

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(FollowUp.objects.values_list("public_id", "status", "due_on", "version")),
        sorted(Survey.objects.values_list("public_id", "status", "composite", "submitted_at")),
        ContactAttempt.objects.count(),
        sorted(
            CaseMonitoring.objects.values_list(
                "case_id", "arrived_on", "at_risk", "lost_contact", "version"
            )
        ),
    )


def _composites(case_id):
    return list(
        Survey.objects.filter(case_id=case_id, status="submitted")
        .order_by("submitted_at", "pk")
        .values_list("composite", flat=True)
    )


def test_demo_monitoring_shows_every_state_and_loading_it_again_changes_nothing(
    settings,
):
    settings.DEBUG = True
    call_command("load_demo")
    today = timezone.localdate()
    snapshot = _snapshot()

    planned = FollowUp.objects.filter(status="planned")
    done = FollowUp.objects.filter(status="done")
    assert done.count() >= 30
    assert planned.filter(due_on__lt=today).count() >= 3  # overdue
    assert planned.filter(due_on__gte=today).count() >= 30  # due later
    assert done.filter(done_on__lte=today).count() == done.count()  # never in the future
    assert ContactAttempt.objects.filter(attempted_at__lt=timezone.now()).count() >= 5
    assert Survey.objects.filter(status="draft").exists()  # saved part-way
    assert Survey.objects.filter(status="submitted", kind="baseline").count() >= 20
    # Arrivals months ago: some people have been followed for more than a year.
    assert FollowUp.objects.filter(status="done", month=12).exists()
    # The cases closed at the end of their follow-up: the follow-ups left were cancelled.
    assert FollowUp.objects.filter(status="cancelled", case__phase="closed").exists()
    # Every survey is the default instrument's, whose questions read in the four languages.
    versions = {s.instrument for s in Survey.objects.select_related("instrument__instrument")}
    assert [str(v) for v in versions] == ["rss v1"]
    question = versions.pop().definition["questions"][0]["text"]
    assert {"en", "it", "es", "pt"} <= set(question)

    at_risk = CaseMonitoring.objects.filter(at_risk=True)
    assert at_risk.count() >= 3
    assert all(m.at_risk_since < today for m in at_risk)
    series = [_composites(m.case_id) for m in CaseMonitoring.objects.all()]
    assert any(len(s) >= 3 and s == sorted(s) and s[-1] - s[0] >= 0.2 for s in series)
    assert any(len(s) >= 3 and s == sorted(s, reverse=True) and s[0] - s[-1] >= 0.3 for s in series)

    lucia = acting(User.objects.get(username="lucia.lima"))
    mine = queries.my_at_risk(lucia, today)
    assert mine is not None and mine["rows"]
    mateo = acting(User.objects.get(username="mateo.lima"))
    proposals = queries.my_lost_contact(mateo, today)
    assert proposals is not None and len(proposals["rows"]) == 1
    proposed = proposals["rows"][0]
    assert proposed.failed_in_row == 3 and proposed.case.owning_desk.code == "LIM"

    call_command("load_demo", "--force")
    assert _snapshot() == snapshot

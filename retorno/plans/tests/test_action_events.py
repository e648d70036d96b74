"""Every plan action leaves its audit event: the verb, who, on what, and what changed."""

import pytest
from django.utils import timezone

from retorno.conftest import acting
from retorno.plans import actions
from retorno.plans.tests.factories import lima_case
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


def test_a_plan_from_draft_to_a_new_version(personas):
    lucia, mateo = acting(personas.lucia), acting(personas.mateo)
    case = lima_case(personas)
    plan = actions.draft_plan(case, actor=lucia)
    assert_audited("plan.drafted", actor=lucia, target=case, detail={"plan": str(plan.public_id)})
    actions.update_plan_summary(plan, actor=lucia, summary="Work in Lima")
    assert_audited(
        "plan.changed", actor=lucia, target=case, changes={"summary": ["", "Work in Lima"]}
    )
    goal = actions.add_goal(plan, actor=lucia, dimension="economic", description="A job")
    assert_audited(
        "plan.changed",
        actor=lucia,
        target=case,
        detail={"plan": str(plan.public_id), "what": "goal_added", "dimension": "economic"},
    )
    actions.add_action(goal, actor=lucia, description="Sewing course", responsible="desk")
    assert_audited("plan.changed", actor=lucia, target=case, detail={"what": "action_added"})
    plan = actions.submit_plan(plan, actor=lucia)
    assert_audited("plan.submitted", actor=lucia, target=case, detail={"number": 1})
    plan = actions.send_back_plan(plan, actor=mateo, reason="Say which course")
    assert_audited(
        "plan.sent_back", actor=mateo, target=case, detail={"reason": "Say which course"}
    )
    plan = actions.submit_plan(plan, actor=lucia)
    plan = actions.approve_plan(plan, actor=mateo)
    assert_audited("plan.approved", actor=mateo, target=case, detail={"number": 1})
    plan = actions.record_agreement(plan, actor=lucia, agreed_on=timezone.localdate(), how="signed")
    assert_audited("plan.agreed", actor=lucia, target=case, detail={"number": 1, "how": "signed"})
    actions.record_print(plan, actor=lucia, language="es")
    assert_audited("plan.printed", actor=lucia, target=case, detail={"language": "es"})
    actions.new_version(plan, actor=lucia)
    assert_audited("plan.new_version", actor=lucia, target=case)

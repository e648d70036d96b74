"""Every referral action leaves its audit event: the verb, who, on what, and what changed."""

import pytest
from django.utils import timezone

from retorno.conftest import acting
from retorno.plans.models import PlanAction
from retorno.plans.tests.factories import (
    approved_plan,
    lima_case,
    sharing_consent,
    training_service,
)
from retorno.referrals import actions
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(personas):
    case = lima_case(personas)
    service = training_service(personas)
    approved_plan(case, personas, service=service)
    sharing_consent(case, personas)

    def send():
        return actions.refer(
            case,
            actor=acting(personas.lucia),
            service=service,
            plan_action=PlanAction.objects.get(goal__plan__case=case),
            need="A sewing course",
            shared_fields=["name", "need"],
        )

    return send


def test_sent_viewed_printed_and_updated(personas, sent):
    lucia, carla = acting(personas.lucia), acting(personas.carla)
    referral = sent()
    case = referral.case
    assert_audited(
        "referral.sent",
        actor=lucia,
        target=case,
        detail={"referral": referral.reference, "shared": ["name", "need"]},
    )
    actions.record_view(referral, actor=carla)
    assert_audited("referral.viewed", actor=carla, target=case)
    actions.record_letter(referral, actor=lucia, language="es")
    assert_audited("referral.letter_printed", actor=lucia, target=case)
    actions.add_update(referral, actor=carla, text="She starts on Monday")
    assert_audited(
        "referral.updated", actor=carla, target=case, detail={"referral": referral.reference}
    )


def test_every_answer_of_the_partner(personas, sent):
    carla = acting(personas.carla)
    referral = sent()
    actions.change_status(referral, actor=carla, status="accepted")
    assert_audited(
        "referral.accepted",
        actor=carla,
        target=referral.case,
        changes={"status": ["sent", "accepted"]},
        detail={"referral": referral.reference, "on_behalf": False},
    )
    actions.change_status(referral, actor=carla, status="in_progress")
    assert_audited("referral.in_progress", actor=carla, target=referral.case)
    actions.record_outcome(
        referral, actor=carla, outcome="completed", outcome_on=timezone.localdate()
    )
    assert_audited("referral.completed", actor=carla, target=referral.case)
    declined = sent()
    actions.change_status(declined, actor=carla, status="declined", text="The course is full")
    assert_audited("referral.declined", actor=carla, target=declined.case)
    undelivered = sent()
    actions.change_status(undelivered, actor=carla, status="accepted")
    actions.record_outcome(
        undelivered,
        actor=carla,
        outcome="not_delivered",
        outcome_on=timezone.localdate(),
        note="The teacher left",
    )
    assert_audited("referral.not_delivered", actor=carla, target=undelivered.case)

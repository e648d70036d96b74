"""The rules of a case's journey, set up through the real actions."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.cases import actions, rules
from retorno.cases.models import Case, CaseEvent, Consent, Handover, Phase, Task
from retorno.cases.tests.factories import consent, handed_over, ready_to_depart, register
from retorno.conftest import acting
from retorno.lib.errors import ActionError

pytestmark = pytest.mark.django_db


def test_registering_opens_a_case_with_a_desk_reference(personas):
    case = register(personas.ana)
    year = timezone.localdate().year
    assert case.reference == f"MIL-{year}-0001"
    assert case.phase == Phase.INQUIRY
    assert case.owning_desk.code == "MIL"
    assert case.origin_desk.code == "MIL"
    assert list(case.caseworkers.all()) == [personas.ana]
    assert case.person.search_name == "maria quispe huaman"
    event = AuditEvent.objects.get(verb="case.opened")
    assert event.person_id == case.person.public_id
    assert register(personas.ana, given_names="Rosa").reference == f"MIL-{year}-0002"


def test_a_case_opened_at_a_national_desk_starts_at_reception(personas):
    case = register(personas.lucia)
    assert case.phase == Phase.RECEPTION
    assert case.origin_desk is None


def test_a_person_needs_a_name(personas):
    with pytest.raises(ActionError, match="Enter at least one name"):
        register(personas.ana, given_names="", first_surname="", second_surname="")


def test_intake_needs_consent_to_case_management(personas):
    case = register(personas.ana)
    with pytest.raises(ActionError, match="consent to case management"):
        actions.change_phase(case, actor=acting(personas.ana), to=Phase.INTAKE)
    consent(case, personas.ana)
    case = actions.change_phase(case, actor=acting(personas.ana), to=Phase.INTAKE)
    assert case.phase == Phase.INTAKE
    assert CaseEvent.objects.filter(case=case, kind="phase_changed").exists()
    assert AuditEvent.objects.get(verb="case.phase_changed").changes == {
        "phase": ["inquiry", "intake"]
    }


def test_a_phase_cannot_be_skipped(personas):
    case = register(personas.ana)
    consent(case, personas.ana)
    with pytest.raises(ActionError, match="cannot go from Inquiry to Reintegration"):
        actions.change_phase(case, actor=acting(personas.ana), to=Phase.REINTEGRATION)


def test_another_desk_cannot_change_the_case(personas):
    case = register(personas.ana)
    with pytest.raises(ActionError, match="Only the desk that owns this case"):
        actions.change_phase(case, actor=acting(personas.dario), to=Phase.INTAKE)


def test_no_handover_without_consent_to_transfer(personas):
    case = register(personas.ana)
    consent(case, personas.ana)
    for phase in ("intake", "preparation", "ready_to_depart"):
        case = actions.change_phase(case, actor=acting(personas.ana), to=phase)
    with pytest.raises(ActionError, match="consent to transfer"):
        actions.hand_over_case(
            case,
            actor=acting(personas.ana),
            to_desk=personas.org("LIM"),
            situation="x",
            needs="y",
            travel_date=timezone.localdate(),
        )
    assert not Handover.objects.exists()


def test_a_handover_goes_to_the_national_desk_of_the_return_country(personas):
    case = ready_to_depart(register(personas.ana), personas.ana)
    with pytest.raises(ActionError, match="national desk of the country the person returns to"):
        actions.hand_over_case(
            case,
            actor=acting(personas.ana),
            to_desk=personas.org("BOG"),
            situation="x",
            needs="y",
            travel_date=timezone.localdate(),
        )


def test_handing_over_emails_the_receiving_coordinators_without_names(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = Case.objects.get(pk=handover.case_id)
    assert case.phase == Phase.HANDED_OVER
    assert case.owning_desk.code == "MIL"
    assert [m.to for m in mail.outbox] == [["mateo.lima@retorno.example"]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert case.reference in body
    assert "Quispe" not in body and "María" not in body
    assert AuditEvent.objects.filter(verb="case.handed_over").exists()


def test_a_handover_cannot_be_sent_twice(personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    with pytest.raises(ActionError, match="already handed over"):
        actions.hand_over_case(
            handover.case,
            actor=acting(personas.ana),
            to_desk=personas.org("LIM"),
            situation="x",
            needs="y",
            travel_date=timezone.localdate(),
        )


def test_accepting_moves_the_case_to_the_national_desk(personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    assert case.owning_desk.code == "LIM"
    assert case.phase == Phase.RECEPTION
    assert list(case.caseworkers.all()) == [personas.lucia]
    assert case.origin_desk.code == "MIL"
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert "handover_accepted" in kinds and "handed_over" in kinds
    with pytest.raises(ActionError, match="already decided"):
        actions.accept_handover(handover, actor=acting(personas.mateo), caseworker=personas.lucia)


def test_only_the_receiving_coordinators_accept(personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    for who in ("lucia", "bruno"):
        with pytest.raises(ActionError):
            actions.accept_handover(
                handover, actor=acting(personas[who]), caseworker=personas.lucia
            )


def test_the_caseworker_must_work_at_the_receiving_desk(personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    with pytest.raises(ActionError, match="Choose a caseworker of Lima national desk"):
        actions.accept_handover(handover, actor=acting(personas.mateo), caseworker=personas.ana)


def test_sending_back_needs_a_reason_and_returns_to_ready_to_depart(personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    with pytest.raises(ActionError, match="Say why"):
        actions.return_handover(handover, actor=acting(personas.mateo), reason=" ")
    case = actions.return_handover(
        handover, actor=acting(personas.mateo), reason="The travel date is missing a flight."
    )
    assert case.phase == Phase.READY_TO_DEPART
    assert case.owning_desk.code == "MIL"
    assert Handover.objects.get().status == Handover.Status.RETURNED


def test_withdrawing_transfer_consent_withdraws_a_waiting_handover(personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    transfer = Consent.objects.get(purpose="transfer")
    stopped = actions.withdraw_consent(
        transfer, actor=acting(personas.ana), note="Changed her mind"
    )
    assert stopped == ["The handover to Lima national desk was withdrawn."]
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RETURNED
    assert Case.objects.get().phase == Phase.READY_TO_DEPART
    assert rules.consent_in_force(handover.case, "transfer") is None


def test_gbv_makes_the_case_sensitive_and_only_a_coordinator_removes_it(personas):
    case = register(personas.ana)
    case = actions.record_vulnerability(
        case, actor=acting(personas.ana), categories=["gbv", "children"]
    )
    assert case.sensitive
    assert case.vulnerability_codes == ["children", "gbv"]
    # A new profile without GBV does not quietly lift the flag.
    case = actions.record_vulnerability(case, actor=acting(personas.ana), categories=["children"])
    assert Case.objects.get(pk=case.pk).sensitive
    with pytest.raises(ActionError):
        actions.remove_sensitive_flag(case, actor=acting(personas.ana), reason="safe now")
    with pytest.raises(ActionError, match="Enter the reason"):
        actions.remove_sensitive_flag(case, actor=acting(personas.bruno), reason="")
    actions.remove_sensitive_flag(case, actor=acting(personas.bruno), reason="Safe now, assessed")
    assert not Case.objects.get(pk=case.pk).sensitive
    assert (
        AuditEvent.objects.get(verb="case.sensitive_removed").detail["reason"]
        == "Safe now, assessed"
    )
    assert case.vulnerability_profiles.count() == 2


def test_closing_needs_a_reason_and_a_word_about_open_tasks(personas):
    case = register(personas.ana)
    actions.create_task(
        case,
        actor=acting(personas.ana),
        title="Call",
        assignee=personas.ana,
        due_on=timezone.localdate(),
    )
    with pytest.raises(ActionError, match="open tasks"):
        actions.close_case(case, actor=acting(personas.ana), reason="withdrew")
    case = actions.close_case(
        case, actor=acting(personas.ana), reason="withdrew", cancel_open_tasks=True
    )
    assert case.phase == Phase.CLOSED and case.closed_reason == "withdrew"
    assert Task.objects.get().status == Task.Status.CANCELLED
    with pytest.raises(ActionError, match="already closed"):
        actions.close_case(case, actor=acting(personas.ana), reason="withdrew")
    with pytest.raises(ActionError):
        actions.reopen_case(case, actor=acting(personas.ana))
    case = actions.reopen_case(case, actor=acting(personas.bruno))
    assert case.phase == Phase.PREPARATION


def test_a_journal_entry_is_corrected_by_an_amendment_that_keeps_the_original(personas):
    case = register(personas.ana)
    entry = actions.add_journal_entry(
        case,
        actor=acting(personas.ana),
        kind="counselling",
        occurred_on=timezone.localdate(),
        summary="First session.",
    )
    amendment = actions.amend_journal_entry(
        entry,
        actor=acting(personas.ana),
        summary="First session, with her sister.",
        reason="Forgot",
    )
    entry.refresh_from_db()
    assert entry.summary == "First session."
    assert amendment.amends == entry
    with pytest.raises(ActionError, match="already corrected"):
        actions.amend_journal_entry(entry, actor=acting(personas.ana), summary="x", reason="y")


def test_a_future_journal_date_is_refused(personas):
    case = register(personas.ana)
    with pytest.raises(ActionError, match="future"):
        actions.add_journal_entry(
            case,
            actor=acting(personas.ana),
            kind="call",
            occurred_on=timezone.localdate() + datetime.timedelta(days=2),
            summary="x",
        )


def test_a_task_goes_to_someone_of_the_desk(personas):
    case = register(personas.ana)
    with pytest.raises(ActionError, match="works at Milan desk"):
        actions.create_task(
            case,
            actor=acting(personas.ana),
            title="x",
            assignee=personas.lucia,
            due_on=timezone.localdate(),
        )
    task = actions.create_task(
        case,
        actor=acting(personas.ana),
        title="Call",
        assignee=personas.bruno,
        due_on=timezone.localdate(),
    )
    actions.complete_task(task, actor=acting(personas.bruno))
    assert Task.objects.get().status == Task.Status.DONE
    assert AuditEvent.objects.filter(verb="task.completed").exists()


def test_two_people_editing_a_person_cannot_overwrite_each_other(personas):
    case = register(personas.ana)
    person = case.person
    version = person.version
    actions.update_person(
        person, actor=acting(personas.ana), expected_version=version, phone_home="+51987654321"
    )
    with pytest.raises(ActionError, match="Someone else changed"):
        actions.update_person(
            person, actor=acting(personas.bruno), expected_version=version, email="x@y.org"
        )
    person.refresh_from_db()
    assert person.phone_home == "+51987654321" and person.email == ""


def test_merging_two_records_moves_everything_and_loses_nothing(personas):
    first = register(personas.ana, phone_europe="+393331234567")
    second = register(
        personas.ana,
        given_names="Maria",
        second_surname="",
        email="maria@example.org",
        documents=[{"type": "passport", "number": "P1234567", "issuing_country": "PE"}],
    )
    survivor = actions.merge_persons(first.person, second.person, actor=acting(personas.bruno))
    assert survivor.email == "maria@example.org"
    assert survivor.phone_europe == "+393331234567"
    assert Case.objects.filter(person=survivor).count() == 2
    assert survivor.documents.get().number == "P1234567"
    second.person.refresh_from_db()
    assert second.person.merged_into == survivor
    assert second.person.email == "maria@example.org"  # the merged record stays as it was
    event = AuditEvent.objects.get(verb="person.merged")
    assert event.detail["merged"] == str(second.person.public_id)
    with pytest.raises(ActionError):
        actions.merge_persons(first.person, second.person, actor=acting(personas.ana))

"""Every case action leaves its audit event: the verb, who, on what, and what changed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.cases import actions
from retorno.cases.models import Consent
from retorno.cases.tests.factories import consent, handed_over, register
from retorno.cases.tests.test_importing import import_csv, row
from retorno.conftest import acting
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_registering_and_the_person(personas):
    ana = acting(personas.ana)
    case = register(ana)
    assert_audited("case.opened", actor=ana, target=case, person=case.person)
    actions.update_person(case.person, actor=ana, occupation="Seamstress")
    assert_audited(
        "person.updated",
        actor=ana,
        target=case.person,
        changes={"occupation": ["", "Seamstress"]},
    )
    actions.add_identity_document(case.person, actor=ana, type="passport", number="AB1234567")
    assert_audited("person.document_added", actor=ana, target=case.person)
    actions.add_work_experience(case.person, actor=ana, employer_or_sector="Hotels")
    assert_audited("person.work_added", actor=ana, target=case.person)
    actions.record_case_view(case, actor=ana, page="summary")
    assert_audited("case.viewed", actor=ana, target=case, detail={"page": "summary"})
    actions.record_person_view(case.person, actor=ana, page="api")
    assert_audited("person.viewed", actor=ana, target=case.person, detail={"page": "api"})


def test_household_assignment_priority_and_vulnerability(personas):
    ana, bruno = acting(personas.ana), acting(personas.bruno)
    case = register(ana)
    member = actions.add_household_member(
        case, actor=ana, relationship="child", person={"given_names": "Luz"}
    )
    assert_audited("case.household_added", actor=ana, target=case, detail={"relationship": "child"})
    actions.remove_household_member(member, actor=ana)
    assert_audited(
        "case.household_removed", actor=ana, target=case, detail={"relationship": "child"}
    )
    actions.assign_caseworker(case, actor=bruno, user=personas.bruno)
    assert_audited("case.assigned", actor=bruno, target=case, detail={"caseworker": "bruno.milano"})
    actions.unassign_caseworker(case, actor=bruno, user=personas.bruno)
    assert_audited(
        "case.unassigned", actor=bruno, target=case, detail={"caseworker": "bruno.milano"}
    )
    actions.set_priority(case, actor=ana, priority="high")
    assert_audited(
        "case.priority_changed", actor=ana, target=case, changes={"priority": ["normal", "high"]}
    )
    case = actions.record_vulnerability(case, actor=ana, categories=["gbv"])
    assert_audited(
        "case.vulnerability_recorded",
        actor=ana,
        target=case,
        changes={"vulnerabilities": [[], ["gbv"]]},
        detail={"became_sensitive": True},
    )
    actions.remove_sensitive_flag(case, actor=bruno, reason="Recorded by mistake")
    assert_audited(
        "case.sensitive_removed", actor=bruno, target=case, detail={"reason": "Recorded by mistake"}
    )
    scores = dict.fromkeys(
        ("economic", "social", "psychosocial", "health", "legal", "education", "housing"), 2
    )
    actions.record_assessment(case, actor=ana, assessed_on=TODAY(), **scores)
    assert_audited("case.assessment_recorded", actor=ana, target=case, detail=scores)


def test_phases_closing_and_reopening(personas):
    ana, bruno = acting(personas.ana), acting(personas.bruno)
    case = register(ana)
    consent(case, ana)
    case = actions.change_phase(case, actor=ana, to="intake")
    assert_audited(
        "case.phase_changed", actor=ana, target=case, changes={"phase": ["inquiry", "intake"]}
    )
    case = actions.close_case(case, actor=ana, reason="withdrew")
    assert_audited("case.closed", actor=ana, target=case, detail={"reason": "withdrew"})
    actions.reopen_case(case, actor=bruno, note="She came back")
    assert_audited("case.reopened", actor=bruno, target=case)


def test_consent_journal_tasks_and_documents(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ana = acting(personas.ana)
    case = register(ana)
    given = consent(case, ana, Consent.Purpose.STATISTICS)
    assert_audited("consent.recorded", actor=ana, target=case, detail={"purpose": "statistics"})
    actions.withdraw_consent(given, actor=ana, note="She asked")
    assert_audited("consent.withdrawn", actor=ana, target=case)
    entry = actions.add_journal_entry(
        case, actor=ana, kind="call", occurred_on=TODAY(), summary="Called her."
    )
    assert_audited("journal.added", actor=ana, target=case, detail={"entry": str(entry.public_id)})
    actions.amend_journal_entry(entry, actor=ana, summary="Called her twice.", reason="Typo")
    assert_audited(
        "journal.amended", actor=ana, target=case, detail={"entry": str(entry.public_id)}
    )
    task = actions.create_task(
        case, actor=ana, title="Call", assignee=ana, due_on=TODAY() + datetime.timedelta(days=1)
    )
    assert_audited("task.created", actor=ana, target=case, detail={"task": str(task.public_id)})
    actions.complete_task(task, actor=ana)
    assert_audited("task.completed", actor=ana, target=case, detail={"task": str(task.public_id)})
    pdf = SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
    document = actions.upload_document(
        case, actor=ana, uploaded_file=pdf, kind="identity", title="Passport"
    )
    assert_audited(
        "document.uploaded", actor=ana, target=case, detail={"document": str(document.public_id)}
    )
    actions.record_document_download(document, actor=ana)
    assert_audited(
        "document.downloaded", actor=ana, target=case, detail={"document": str(document.public_id)}
    )


def test_handover_accepted_and_returned(personas):
    ana, mateo = acting(personas.ana), acting(personas.mateo)
    handover = handed_over(register(ana), ana, personas.org("LIM"))
    assert_audited("case.handed_over", actor=ana, target=handover.case)
    case = actions.accept_handover(handover, actor=mateo, caseworker=personas.lucia)
    assert_audited("case.handover_accepted", actor=mateo, target=case)
    other = handed_over(register(ana, given_names="Rosa"), ana, personas.org("LIM"))
    actions.return_handover(other, actor=mateo, reason="The plan is missing")
    assert_audited(
        "case.handover_returned",
        actor=mateo,
        target=other.case,
        detail={"reason": "The plan is missing"},
    )


def test_merging_marking_different_and_importing(personas):
    ana, bruno = acting(personas.ana), acting(personas.bruno)
    first, second = register(ana), register(ana)
    third = register(ana, given_names="Rosa")
    actions.mark_not_duplicate(first.person, third.person, actor=bruno)
    assert_audited("person.not_duplicate", actor=bruno)
    survivor = actions.merge_persons(first.person, second.person, actor=bruno)
    assert_audited("person.merged", actor=bruno, target=survivor)
    result = import_csv(row(given_names="Rosa", first_surname="Flores"))
    actions.import_persons(
        actor=bruno, desk=personas.org("MIL"), rows=result.rows, file_name="persons.csv"
    )
    assert_audited(
        "persons.imported",
        actor=bruno,
        detail={"desk": "MIL", "rows": 1, "file": "persons.csv"},
    )

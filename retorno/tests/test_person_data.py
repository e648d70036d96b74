"""What each app holds about a person (for an access request) and how it anonymises it, for the
data-protection work to come: real records, built through the actions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.cases import actions as case_actions
from retorno.cases.models import (
    CaseEvent,
    Document,
    Handover,
    IdentityDocument,
    JournalEntry,
    MatchKey,
    Person,
    Task,
    WorkExperience,
)
from retorno.conftest import acting
from retorno.lib import plugins
from retorno.plans.models import Goal, Plan, PlanAction
from retorno.plans.tests.factories import (
    approved_plan,
    lima_case,
    sharing_consent,
    training_service,
)
from retorno.referrals import actions as referral_actions
from retorno.referrals.models import ReferralUpdate
from retorno.testing.audit import assert_audited

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def story(personas, settings, tmp_path):
    """María: handed over to Lima, with documents, journal, a task, a plan and a referral."""
    settings.MEDIA_ROOT = tmp_path
    case = lima_case(personas)
    lucia = acting(personas.lucia)
    person = case.person
    case_actions.add_identity_document(person, actor=lucia, type="passport", number="AB123456")
    case_actions.add_work_experience(
        person, actor=lucia, employer_or_sector="Sartoria Rossi, Milano", role="Seamstress"
    )
    case_actions.add_journal_entry(
        case,
        actor=lucia,
        kind="counselling",
        occurred_on=timezone.localdate(),
        summary="María talked about her children's school.",
        participants="María, her sister Rosa",
    )
    case_actions.create_task(
        case,
        actor=lucia,
        title="Call María's sister",
        assignee=personas.lucia,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    document = case_actions.upload_document(
        case,
        actor=lucia,
        uploaded_file=SimpleUploadedFile("pasaporte-maria.pdf", PDF, "application/pdf"),
        kind="identity",
        title="Passport of María Quispe",
    )
    service = training_service(personas)
    plan = approved_plan(case, personas, service=service)
    sharing_consent(case, personas)
    referral = referral_actions.refer(
        case,
        actor=lucia,
        service=service,
        plan_action=PlanAction.objects.get(goal__plan=plan),
        need="A sewing course for María",
        shared_fields=["name", "need"],
    )
    return case, document, referral


def texts(sections) -> str:
    return " | ".join(f"{s.title}: " + " ".join(f"{k}={v}" for k, v in s.rows) for s in sections)


def test_an_access_request_gathers_what_every_app_holds_about_the_person(personas, story):
    case, _document, referral = story
    held = plugins.person_data(case.person)
    assert set(held) == {
        "accounts",
        "audit",
        "cases",
        "directory",
        "grants",
        "monitoring",
        "outreach",
        "plans",
        "programmes",
        "referrals",
    }
    # Apps that hold nothing about a returnee say so (María never asked through the public site).
    assert held["accounts"] == [] and held["directory"] == [] and held["outreach"] == []
    cases = texts(held["cases"])
    for expected in (
        "given names=María",
        "first surname=Quispe",
        "number=AB123456",
        "employer or sector=Sartoria Rossi, Milano",
        f"reference={case.reference}",
        "summary=María talked about her children's school.",
        "what to do=Call María's sister",
        "pasaporte-maria.pdf",
        "situation=Returns with two children after losing her job.",
    ):
        assert expected in cases, expected
    assert "Work as a seamstress in Lima" in texts(held["plans"])
    assert f"reference={referral.reference}" in texts(held["referrals"])
    assert "A sewing course for María" in texts(held["referrals"])
    # Who saw or changed the record: the document added, by Lucía at Lima.
    assert "Identity document added · lucia.lima · LIM" in texts(held["audit"])


def test_anonymising_blanks_what_identifies_and_keeps_what_statistics_need(personas, story):
    case, document, referral = story
    person = case.person
    stored = document.file.name
    assert document.file.storage.exists(stored)
    coordinator = acting(personas.mateo)
    changed = plugins.anonymise(person, actor=coordinator)
    assert changed["accounts"] == 0 and changed["directory"] == 0 and changed["audit"] == 0
    assert changed["cases"] > 0 and changed["plans"] > 0 and changed["referrals"] > 0

    person = Person.objects.get(pk=person.pk)
    assert person.full_name == f"ANON-{person.public_id.hex[:8].upper()}"
    assert person.given_names == "" and person.second_surname == ""
    assert (person.birth_month, person.birth_day, person.return_city) == (None, None, "")
    assert person.search_name == "" and person.version > 1
    # What statistics need stays.
    assert (person.sex, person.birth_year, person.nationality.code) == ("female", 1986, "PE")
    assert person.return_country.code == "PE"
    assert not MatchKey.objects.filter(person=person).exists()
    assert not IdentityDocument.objects.filter(person=person).exists()
    work = WorkExperience.objects.get(person=person)
    assert (work.employer_or_sector, work.role) == ("", "")
    case.refresh_from_db()
    assert case.phase == "reception" and case.reference  # the case and its phase stay
    entry = JournalEntry.objects.get(case=case)
    assert (entry.summary, entry.participants, entry.kind) == ("", "", "counselling")
    assert set(Task.objects.filter(case=case).values_list("title", flat=True)) == {""}
    handover = Handover.objects.get(case=case)
    assert (handover.situation, handover.needs, handover.promises) == ("", "", "")
    assert handover.status == "accepted"
    document = Document.objects.get(pk=document.pk)
    assert (document.title, document.original_name, document.file.name) == ("", "", "")
    assert document.kind == "identity" and document.size == len(PDF)
    for event in CaseEvent.objects.filter(case=case):
        assert not {"title", "note", "reason", "summary"} & set(event.params)
    plan = Plan.objects.get(case=case)
    assert plan.summary == "" and plan.status == "approved"
    assert set(Goal.objects.filter(plan=plan).values_list("description", flat=True)) == {""}
    action = PlanAction.objects.get(goal__plan=plan)
    assert action.description == "" and action.service_id is not None
    referral.refresh_from_db()
    assert referral.need == "" and referral.status == "sent"
    assert set(ReferralUpdate.objects.filter(referral=referral).values_list("text", flat=True)) <= {
        ""
    }
    # Each app records what it did, by the coordinator, on the person, without old values.
    events = [
        assert_audited("person.anonymised", actor=personas.mateo, target=person, person=person),
        assert_audited("plan.anonymised", actor=personas.mateo, target=person, person=person),
        assert_audited("referral.anonymised", actor=personas.mateo, target=person, person=person),
    ]
    for event in events:
        assert "Quispe" not in str(event.detail) and "María" not in str(event.detail)
    detail = AuditEvent.objects.get(verb="person.anonymised").detail
    assert detail["identity_documents"] == 1 and detail["documents"] == 1
    assert AuditEvent.objects.get(verb="plan.anonymised").detail["goals"] == 1
    # Nothing about María is left to an access request but the pseudonym and the structure.
    held = texts(s for sections in plugins.person_data(person).values() for s in sections)
    for gone in ("María", "Quispe", "AB123456", "Sartoria", "sewing course", "sister"):
        assert gone not in held, gone


def test_the_uploaded_file_is_deleted_once_the_anonymisation_is_saved(
    personas, story, django_capture_on_commit_callbacks
):
    case, document, _referral = story
    storage, stored = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        plugins.anonymise(case.person, actor=acting(personas.mateo))
    assert not storage.exists(stored)

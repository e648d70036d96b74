"""The case pages as users meet them: registration, list, My work (who may open which page:
retorno/tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.cases import actions
from retorno.cases.models import Case, Consent, Document, Phase
from retorno.cases.tests.factories import consent, handed_over, ready_to_depart, register
from retorno.conftest import acting

pytestmark = pytest.mark.django_db


def test_reading_a_case_is_audited(as_user, personas):
    case = register(personas.ana)
    as_user(personas.bruno).get(reverse("cases:journal", args=[case.public_id]))
    event = AuditEvent.objects.get(verb="case.viewed")
    assert event.actor == personas.bruno
    assert event.person_id == case.person.public_id
    assert event.detail == {"page": "journal"}


def test_titles_carry_the_reference_never_the_name(as_user, personas):
    case = register(personas.ana)
    page = as_user(personas.ana).get(reverse("cases:case", args=[case.public_id])).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title == f"Summary – Case {case.reference} – Retorno"
    assert "María Quispe Huamán" in page


REGISTRATION = {
    "given_names": "María",
    "first_surname": "Quispe",
    "second_surname": "Huamán",
    "preferred_name": "Mari",
    "sex": "female",
    "birth_day": "27",
    "birth_month": "marzo",
    "birth_year": "1986",
    "nationality": "PE",
    "return_country": "PE",
    "return_city": "Lima",
    "phone_europe": "333 123 4567",
    "phone_home": "987 654 321",
    "document_type": "passport",
    "document_number": "p1234567",
    "document_country": "PE",
    "priority": "normal",
    "phase": "inquiry",
    "languages": ["es", "qu"],
}


def test_ana_registers_a_person_and_the_case_opens(as_user, personas):
    client = as_user(personas.ana)
    response = client.post(reverse("cases:register"), REGISTRATION)
    assert response.status_code == 302
    case = Case.objects.get()
    person = case.person
    assert (person.birth_year, person.birth_month, person.birth_day) == (1986, 3, 27)
    assert person.phone_europe == "+393331234567"
    assert person.phone_home == "+51987654321"
    assert person.languages == ["es", "qu"]
    assert person.documents.get().number_compact == "P1234567"
    page = client.get(response["Location"]).content.decode()
    assert f"The person is registered and case {case.reference} is open." in page
    assert "María Quispe Huamán (Mari)" in page
    assert "Passport ···4567" in page


def test_registration_errors_keep_what_was_typed(as_user, personas):
    data = {
        **REGISTRATION,
        "given_names": "",
        "first_surname": "",
        "second_surname": "",
        "birth_day": "14",
        "birth_month": "2",
        "birth_year": "",
    }
    response = as_user(personas.ana).post(reverse("cases:register"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Register a person" in page
    assert "There is a problem" in page
    assert "Enter the person&#x27;s given names or a surname" in page
    assert "must include a year" in page
    assert 'value="14"' in page and 'value="Mari"' in page
    assert not Case.objects.exists()


def test_a_possible_duplicate_is_shown_before_registering(as_user, personas):
    register(personas.ana)
    client = as_user(personas.ana)
    data = {
        **REGISTRATION,
        "given_names": "Maria",
        "second_surname": "Huaman",
        "document_number": "",
    }
    data.pop("document_type")
    response = client.post(reverse("cases:register"), data)
    page = response.content.decode()
    assert "1 person you can see looks similar" in page
    assert Case.objects.count() == 1
    response = client.post(reverse("cases:register"), {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_a_match_at_another_desk_is_reported_without_detail(as_user, personas):
    register(personas.dario)
    data = {**REGISTRATION}
    page = as_user(personas.ana).post(reverse("cases:register"), data).content.decode()
    assert "A possible match exists at another desk; ask your coordinator." in page
    assert "MAD-" not in page


def test_the_case_list_searches_names_without_accents_case_or_order(as_user, personas):
    register(personas.ana)
    register(personas.ana, given_names="Rosa", first_surname="Flores", second_surname="")
    client = as_user(personas.ana)
    response = client.post(reverse("cases:list"), {"q": "huaman MARIA"})
    assert "huaman" not in response["Location"].lower()  # free text never goes in a URL
    page = client.get(response["Location"]).content.decode()
    assert "Cases (1)" in page and "Quispe Huamán, María" in page


def test_the_case_list_finds_a_document_number_in_any_format(as_user, personas):
    register(
        personas.ana,
        documents=[{"type": "national_id", "number": "4705215672", "issuing_country": "PE"}],
    )
    client = as_user(personas.ana)
    page = client.get(
        client.post(reverse("cases:list"), {"q": "47052-15672"})["Location"]
    ).content.decode()
    assert "Cases (1)" in page


def test_a_document_number_with_a_letter_suffix_is_not_read_as_a_name(as_user, personas):
    register(
        personas.ana,
        nationality="BO",
        return_country="BO",
        documents=[{"type": "national_id", "number": "4032550 CB", "issuing_country": "BO"}],
    )
    register(personas.ana, given_names="Rosa", first_surname="McBride", second_surname="")
    client = as_user(personas.ana)
    page = client.get(
        client.post(reverse("cases:list"), {"q": "4032550 cb"})["Location"]
    ).content.decode()
    assert "Cases (1)" in page and "Quispe Huamán, María" in page and "McBride" not in page


def test_the_case_list_filters_and_sorts(as_user, personas):
    first = register(personas.ana)
    consent(first, personas.ana)
    actions.change_phase(first, actor=acting(personas.ana), to=Phase.INTAKE)
    register(personas.ana, given_names="Rosa", first_surname="Abad", second_surname="")
    client = as_user(personas.ana)
    page = client.get(reverse("cases:list"), {"phase": "intake"}).content.decode()
    assert "Cases (1)" in page and "Remove filter: Intake" in page
    page = client.get(reverse("cases:list"), {"sort": "name"}).content.decode()
    assert page.index("Abad, Rosa") < page.index("Quispe Huamán, María")
    assert 'aria-sort="ascending"' in page


def test_a_sensitive_case_shows_initials_in_the_list(as_user, personas):
    case = register(personas.ana)
    actions.record_vulnerability(case, actor=acting(personas.ana), categories=["gbv"])
    page = as_user(personas.ana).get(reverse("cases:list")).content.decode()
    assert "M. Q. H." in page and "María" not in page


def test_the_case_list_runs_a_constant_number_of_queries(
    as_user, personas, django_assert_max_num_queries
):
    register(personas.ana)
    client = as_user(personas.ana)
    client.get(reverse("cases:list"))
    with django_assert_max_num_queries(30) as baseline:
        assert client.get(reverse("cases:list")).status_code == 200
    for n in range(40):
        case = register(personas.ana, given_names=f"Persona {n}")
        actions.create_task(
            case,
            actor=acting(personas.ana),
            title="Call",
            assignee=personas.ana,
            due_on=timezone.localdate(),
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = client.get(reverse("cases:list")).content.decode()
    assert "Cases (41)" in page


def test_the_case_page_runs_a_constant_number_of_queries(
    as_user, personas, django_assert_max_num_queries
):
    case = register(personas.ana)
    client = as_user(personas.ana)
    url = reverse("cases:case", args=[case.public_id])
    client.get(url)
    with django_assert_max_num_queries(30) as baseline:
        assert client.get(url).status_code == 200
    # More caseworkers, tasks and consents: the same queries.
    actions.assign_caseworker(case, actor=acting(personas.bruno), user=personas.bruno)
    for n in range(3):
        actions.create_task(
            case,
            actor=acting(personas.ana),
            title=f"Call number {n}",
            assignee=personas.bruno,
            due_on=timezone.localdate(),
        )
    consent(case, personas.ana, Consent.Purpose.STATISTICS)
    consent(case, personas.ana, Consent.Purpose.FOLLOW_UP)
    ana = acting(personas.ana)
    for relationship in ("child", "child", "partner"):
        actions.add_household_member(
            case, actor=ana, relationship=relationship, person={"given_names": "X"}
        )
    actions.add_household_member(
        case, actor=ana, relationship="child", person={"given_names": "Y"}, returning=False
    )
    actions.create_task(
        case,
        actor=ana,
        title="Overdue call",
        assignee=personas.ana,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = client.get(url).content.decode()
    assert "Ana Rossi" in page and "Bruno Ferrari" in page
    assert "Call number 2" in page
    # The counts every page of the case shows: children returning, overdue tasks.
    assert "with 2 children" in page and "and 1 other household member" in page
    assert "1 overdue" in page


def test_my_work_shows_tasks_handovers_and_my_cases(as_user, personas):
    case = register(personas.lucia)
    actions.create_task(
        case,
        actor=acting(personas.lucia),
        title="Visit the family",
        assignee=personas.lucia,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    page = as_user(personas.lucia).get("/").content.decode()
    assert "Needs your attention" in page
    assert "Visit the family" in page and "2 days overdue" in page
    assert "My open cases (1)" in page
    # A closed case is no longer one of "my open cases": not counted, no row for it.
    closed = register(personas.lucia, given_names="Closed")
    actions.close_case(closed, actor=acting(personas.lucia), reason="completed")
    page = as_user(personas.lucia).get("/").content.decode()
    assert "My open cases (1)" in page
    assert '<th scope="row" class="fw-normal">Reception</th>' in page
    assert '<th scope="row" class="fw-normal">Closed</th>' not in page
    handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    page = as_user(personas.mateo).get("/").content.decode()
    assert "1 handover waiting for your desk" in page
    assert "Handovers <span" in page  # the badge in the navigation


def test_my_work_lists_the_most_urgent_tasks_and_counts_only_visible_ones(
    as_user, personas, django_assert_max_num_queries
):
    client = as_user(personas.lucia)
    today = timezone.localdate()

    def case_with_task(n):
        case = register(personas.lucia, given_names=f"Persona {n}")
        actions.create_task(
            case,
            actor=acting(personas.lucia),
            title=f"Task number {n:02d}",
            assignee=personas.lucia,
            due_on=today - datetime.timedelta(days=30 - n),
        )
        return case

    case_with_task(0)
    client.get("/")
    with django_assert_max_num_queries(60) as baseline:
        assert client.get("/").status_code == 200
    cases = [case_with_task(n) for n in range(1, 23)]
    # A case that becomes sensitive and is no longer Lucía's: her task on it no longer exists
    # for her.
    hidden = cases[0]
    actions.record_vulnerability(hidden, actor=acting(personas.lucia), categories=["gbv"])
    actions.unassign_caseworker(hidden, actor=acting(personas.mateo), user=personas.lucia)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = client.get("/").content.decode()
    assert "22 of your tasks are overdue or due within a week" in page
    assert "Task number 00" in page and "Task number 01" not in page
    # The 20 most urgent: 00 and 02 to 20.
    assert "Task number 20" in page and "Task number 21" not in page
    assert page.index("Task number 00") < page.index("Task number 02")


def test_the_handover_flow_through_the_pages(as_user, personas):
    case = ready_to_depart(register(personas.ana), personas.ana)
    ana = as_user(personas.ana)
    start = reverse("cases:handover_start", args=[case.public_id])
    response = ana.post(
        start,
        {
            "to_desk": personas.org("LIM").pk,
            "travel_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "situation": "Returns with her children.",
            "needs": "Housing and school.",
        },
    )
    assert response["Location"].endswith("/handover/check/")
    check = ana.get(response["Location"]).content.decode()
    assert "Check the handover before you send it" in check
    assert "Hand over case to Lima national desk" in check
    sent = ana.post(response["Location"])
    page = ana.get(sent["Location"]).content.decode()
    assert "Case handed over" in page and "usually within 5 working days" in page
    again = ana.post(response["Location"], follow=True).content.decode()
    assert "This case was already handed over on" in again


def test_the_case_page_follows_the_handover(as_user, personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = handover.case
    url = reverse("cases:case", args=[case.public_id])
    # Waiting: Lima's coordinator reads the summary and may accept it.
    page = as_user(personas.mateo).get(url).content.decode()
    assert "This case is waiting for Lima national desk to accept it." in page
    assert "Accept handover" in page
    assert "Returns with two children after losing her job." in page
    # Accepted: Lima shows Milan's summary; Milan keeps a read-only view of it.
    actions.accept_handover(handover, actor=acting(personas.mateo), caseworker=personas.lucia)
    page = as_user(personas.lucia).get(url).content.decode()
    assert "Handover summary from Milan desk" in page
    page = as_user(personas.ana).get(url).content.decode()
    assert "You can read this summary while it is open." in page
    assert "Returns with two children after losing her job." in page
    # Sent back: the case is Milan's again, ready to be handed over, with nothing waiting.
    other = handed_over(
        register(personas.ana, given_names="Rosa"), personas.ana, personas.org("LIM")
    )
    actions.return_handover(other, actor=acting(personas.mateo), reason="Wrong desk")
    page = as_user(personas.ana).get(reverse("cases:case", args=[other.case.public_id]))
    page = page.content.decode()
    assert "Hand over case" in page and "is waiting for" not in page


def test_uploading_checks_the_real_file_type_and_downloads_are_audited(
    as_user, personas, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    case = register(personas.ana)
    client = as_user(personas.ana)
    url = reverse("cases:document_upload", args=[case.public_id])
    fake = SimpleUploadedFile(
        "passport.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    response = client.post(url, {"file": fake, "kind": "identity", "title": ""})
    assert response.status_code == 422
    assert "The file must be a PDF" in response.content.decode()
    pdf = SimpleUploadedFile(
        "passport.pdf",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        content_type="application/pdf",
    )
    response = client.post(url, {"file": pdf, "kind": "identity", "title": "Passport"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert str(case.public_id) in document.file.name and "passport" not in document.file.name
    download = client.get(
        reverse("cases:document_download", args=[case.public_id, document.public_id])
    )
    assert download["Content-Type"] == "application/pdf"
    assert case.reference in download["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="document.downloaded").exists()
    assert (
        as_user(personas.dario)
        .get(reverse("cases:document_download", args=[case.public_id, document.public_id]))
        .status_code
        == 404
    )


def test_consent_withdrawal_says_what_stopped(as_user, personas):
    handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    transfer = Consent.objects.get(purpose="transfer")
    client = as_user(personas.ana)
    url = reverse("cases:consent_withdraw", args=[transfer.case.public_id, transfer.public_id])
    assert "Check before you withdraw consent" in client.get(url).content.decode()
    page = client.post(url, {"reason": "She decided to stay"}, follow=True).content.decode()
    assert "The consent is withdrawn. It took effect at once." in page
    assert "The handover to Lima national desk was withdrawn." in page


def test_htmx_refreshes_only_the_results_and_announces_the_count(as_user, personas):
    register(personas.ana)
    client = as_user(personas.ana)
    response = client.get(reverse("cases:list"), {"phase": "inquiry"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="announcer"' in page and "1 case found" in page
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        reverse("cases:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_two_people_changing_a_case_at_once_cannot_overwrite_each_other(as_user, personas):
    case = register(personas.ana)
    ana, bruno = as_user(personas.ana), None
    url = reverse("cases:vulnerability", args=[case.public_id])
    stale_version = case.version
    # Bruno records the profile first, from his own page.
    actions.record_vulnerability(
        case, actor=acting(personas.bruno), categories=["job_loss"], expected_version=stale_version
    )
    response = ana.post(url, {"categories": ["children"], "version": stale_version})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this case while you were working on it." in page
    assert "Vulnerability profile updated" in page  # what changed meanwhile
    assert 'value="children" id="id_categories_7" checked' in page or "checked" in page
    assert Case.objects.get(pk=case.pk).vulnerability_codes == ["job_loss"]
    assert bruno is None


def test_cases_handed_over_show_when_asked_for(as_user, personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    client = as_user(personas.ana)
    assert case.reference not in client.get(reverse("cases:list")).content.decode()
    page = client.get(reverse("cases:list"), {"handed_over": "on"}).content.decode()
    assert case.reference in page and "Lima national desk" in page

"""The JSON API for persons and cases: the same access policy, actions and audit as the pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.accounts.actions import invite_user
from retorno.audit.models import AuditEvent
from retorno.cases import actions
from retorno.cases.models import Case, Consent, Handover, JournalEntry, Phase, Task
from retorno.cases.tests.factories import consent, handed_over, ready_to_depart, register
from retorno.conftest import acting

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = timezone.localdate
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def pdf(name="passport.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def audited(verb, actor=None, **detail):
    """The latest audit event of this verb (by this actor), checking the detail given."""
    events = AuditEvent.objects.filter(verb=verb)
    if actor is not None:
        events = events.filter(actor=actor)
    event = events.order_by("-occurred_at", "-id").first()
    assert event is not None, f"no {verb} event"
    for key, value in detail.items():
        assert event.detail.get(key) == value, (verb, key, event.detail)
    return event


def invite(personas, username, desk, role="caseworker"):
    return invite_user(
        personas.org(desk),
        actor=acting(personas.admin),
        username=username,
        email=f"{username}@retorno.example",
        first_name=username.title(),
        last_name="Test",
        role=role,
    )


@pytest.fixture
def giulia(personas):
    """A caseworker of Milan who is not assigned to Ana's cases."""
    return invite(personas, "giulia", "MIL")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def journal_entry(case, user, **kwargs):
    kwargs.setdefault("kind", "counselling")
    kwargs.setdefault("occurred_on", timezone.localdate())
    kwargs.setdefault("summary", "Talked about the plan for Lima.")
    return actions.add_journal_entry(case, actor=acting(user), **kwargs)


# The permission matrix: every endpoint, for the anonymous, a partner, and another desk.


@pytest.fixture
def world(personas, media):
    """Ana's case at Milan with something of everything, and a case waiting for Lima."""
    ana = acting(personas.ana)
    case = register(ana)
    given = consent(case, ana)
    entry = journal_entry(case, ana)
    task = actions.create_task(
        case, actor=ana, title="Call her", assignee=ana, due_on=timezone.localdate()
    )
    document = actions.upload_document(
        case, actor=ana, uploaded_file=pdf(), kind="identity", title="Passport"
    )
    handover = handed_over(
        register(ana, given_names="Rosa", first_surname="Flores"), ana, personas.org("LIM")
    )
    return {
        "case": case.public_id,
        "person": case.person.public_id,
        "consent": given.public_id,
        "entry": entry.public_id,
        "task": task.public_id,
        "document": document.public_id,
        "handover": handover.public_id,
        "lima": personas.org("LIM").public_id,
        "lucia": personas.lucia.public_id,
    }


ENDPOINTS = [
    ("get", "/cases/{case}/", None),
    ("patch", "/cases/{case}/", {"priority": "high"}),
    ("post", "/cases/{case}/phase/", {"phase": "intake"}),
    ("post", "/cases/{case}/close/", {"reason": "withdrew", "cancel_open_tasks": True}),
    ("post", "/cases/{case}/reopen/", {}),
    ("get", "/persons/{person}/", None),
    ("patch", "/persons/{person}/", {"version": 1, "occupation": "Cook"}),
    ("get", "/cases/{case}/household/", None),
    ("post", "/cases/{case}/household/", {"relationship": "child", "given_names": "Luz"}),
    ("get", "/cases/{case}/consents/", None),
    (
        "post",
        "/cases/{case}/consents/",
        {
            "purpose": "statistics",
            "given": True,
            "decided_on": "2025-01-10",
            "method": "electronic",
        },
    ),
    ("post", "/cases/{case}/consents/{consent}/withdraw/", {}),
    ("get", "/cases/{case}/journal/", None),
    (
        "post",
        "/cases/{case}/journal/",
        {"kind": "call", "occurred_on": "2025-01-10", "summary": "Called."},
    ),
    ("post", "/cases/{case}/journal/{entry}/amend/", {"summary": "Met.", "reason": "Typo"}),
    ("post", "/cases/{case}/tasks/", {"title": "Visit", "due_on": "2030-01-10"}),
    ("post", "/tasks/{task}/complete/", {}),
    ("get", "/cases/{case}/documents/", None),
    ("post", "/cases/{case}/documents/", "upload"),
    ("get", "/cases/{case}/documents/{document}/download/", None),
    (
        "post",
        "/cases/{case}/handover/",
        {"to_desk": "{lima}", "situation": "S", "needs": "N", "travel_date": "2030-01-10"},
    ),
    ("get", "/handovers/{handover}/", None),
    ("post", "/handovers/{handover}/accept/", {"caseworker": "{lucia}"}),
    ("post", "/handovers/{handover}/return/", {"reason": "Incomplete"}),
]
COLLECTIONS = [
    ("get", "/cases/", None),
    ("post", "/cases/", {"given_names": "Rosa"}),
    ("get", "/tasks/", None),
    ("get", "/handovers/", None),
]
# Pages for coordinators only: a caseworker of any desk is refused before any lookup.
COORDINATORS_ONLY = {
    "/cases/{case}/reopen/",
    "/handovers/{handover}/accept/",
    "/handovers/{handover}/return/",
}


def call(api, method, path, body, ids):
    url = API + path.format(**ids)
    if body == "upload":
        return api.post(url, {"file": pdf(), "kind": "identity"}, format="multipart")
    if isinstance(body, dict):
        body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
        return getattr(api, method)(url, body, format="json")
    return getattr(api, method)(url)


def test_the_anonymous_get_401_everywhere(world):
    for method, path, body in ENDPOINTS + COLLECTIONS:
        response = call(APIClient(), method, path, body, world)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "not_authenticated"


def test_a_partner_gets_403_everywhere(api_as, personas, world):
    carla = api_as(personas.carla)
    for method, path, body in ENDPOINTS + COLLECTIONS:
        response = call(carla, method, path, body, world)
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "permission_denied"


def test_another_desk_gets_404_for_every_case_and_nothing_in_lists(api_as, personas, world):
    dario = api_as(personas.dario)
    madrid_coordinator = api_as(invite(personas, "greta", "MAD", role="coordinator"))
    for method, path, body in ENDPOINTS:
        response = call(madrid_coordinator, method, path, body, world)
        assert response.status_code == 404, (method, path)
        assert response.json()["error"] == {
            "code": "not_found",
            "message": "Not found.",
            "fields": {},
        }
        expected = 403 if path in COORDINATORS_ONLY else 404
        assert call(dario, method, path, body, world).status_code == expected, (method, path)
    for path in ("/cases/", "/tasks/", "/handovers/"):
        assert dario.get(API + path).json()["count"] == 0, path
    assert not AuditEvent.objects.filter(verb__in=["case.viewed", "person.viewed"]).exists()


def test_a_sensitive_case_does_not_exist_for_a_caseworker_not_assigned_to_it(
    api_as, personas, giulia
):
    case = register(personas.ana)
    actions.record_vulnerability(case, actor=acting(personas.ana), categories=["trafficking"])
    register(personas.ana, given_names="Rosa", first_surname="Flores")
    api = api_as(giulia)
    body = api.get(f"{API}/cases/").json()
    assert [row["name"] for row in body["results"]] == ["Flores Huamán, Rosa"]
    assert api.get(f"{API}/cases/{case.public_id}/").status_code == 404
    assert api.get(f"{API}/persons/{case.person.public_id}/").status_code == 404
    assert api.get(f"{API}/cases/", {"search": "Quispe"}).json()["count"] == 0
    # Ana, assigned, and Bruno, the coordinator, see it, with initials in the list.
    for user in (personas.ana, personas.bruno):
        rows = api_as(user).get(f"{API}/cases/", {"sort": "reference"}).json()["results"]
        assert rows[0]["name"] == "M. Q. H." and rows[0]["sensitive"] is True


# The case list


def test_the_case_list_shows_rows_in_codes(api_as, personas):
    case = register(personas.ana)
    actions.create_task(
        case,
        actor=acting(personas.ana),
        title="Call",
        assignee=personas.ana,
        due_on=datetime.date(2030, 1, 10),
    )
    body = api_as(personas.ana).get(f"{API}/cases/").json()
    assert body["count"] == 1 and body["previous"] is None
    row = body["results"][0]
    assert row == {
        "id": str(case.public_id),
        "reference": case.reference,
        "access": "full",
        "name": "Quispe Huamán, María",
        "phase": "inquiry",
        "priority": "normal",
        "sensitive": False,
        "return_country": "PE",
        "owning_desk": {
            "id": str(personas.org("MIL").public_id),
            "code": "MIL",
            "name": personas.org("MIL").name,
        },
        "owned_here": True,
        "caseworkers": [{"id": str(personas.ana.public_id), "name": "Ana Rossi"}],
        "children_returning": 0,
        "next_due": "2030-01-10",
        "updated_at": row["updated_at"],
    }
    # A list records no view per row.
    assert not AuditEvent.objects.filter(verb="case.viewed").exists()


def test_the_case_list_filters_searches_and_sorts(api_as, personas):
    ana = acting(personas.ana)
    maria = register(ana)
    consent(maria, ana)
    actions.change_phase(maria, actor=ana, to=Phase.INTAKE)
    rosa = register(ana, given_names="Rosa", first_surname="Flores", return_country="CO")
    actions.record_vulnerability(rosa, actor=ana, categories=["children"])
    actions.create_task(
        rosa,
        actor=ana,
        title="Late",
        assignee=ana,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    bruno_case = register(personas.bruno, given_names="Juan", first_surname="Pérez")
    api = api_as(personas.ana)

    def refs(**params):
        return [r["reference"] for r in api.get(f"{API}/cases/", params).json()["results"]]

    assert refs(phase="intake") == [maria.reference]
    assert sorted(refs(phase=["intake", "inquiry"])) == sorted(
        [maria.reference, rosa.reference, bruno_case.reference]
    )
    assert refs(return_country="CO") == [rosa.reference]
    assert refs(vulnerability="children") == [rosa.reference]
    assert refs(overdue="true") == [rosa.reference]
    assert bruno_case.reference not in refs(mine="true")
    assert refs(search="perez juan") == [bruno_case.reference]
    assert refs(search=maria.reference) == [maria.reference]
    assert refs(cycle=str(maria.cycle.public_id), sort="reference") == [
        maria.reference,
        rosa.reference,
        bruno_case.reference,
    ]
    assert refs(sort="-reference")[0] == bruno_case.reference
    bad = api.get(f"{API}/cases/", {"phase": "lost", "sort": "age"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"phase", "sort"}


def test_the_case_list_runs_a_constant_number_of_queries(
    api_as, personas, django_assert_max_num_queries
):
    ana = acting(personas.ana)
    for n in range(42):
        case = register(ana, given_names=f"Persona {n}")
        if n % 3 == 0:
            actions.create_task(
                case, actor=ana, title="Call", assignee=ana, due_on=timezone.localdate()
            )
            actions.add_household_member(
                case, actor=ana, relationship="child", person={"given_names": f"Hijo {n}"}
            )
    api = api_as(personas.ana)
    api.get(f"{API}/cases/")  # the token's first use is written down once
    with django_assert_max_num_queries(6) as few:
        small = api.get(f"{API}/cases/", {"page_size": 5}).json()
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = api.get(f"{API}/cases/", {"page_size": 50}).json()
    assert len(small["results"]) == 5 and len(large["results"]) == 42
    assert sum(r["children_returning"] for r in large["results"]) == 14


# One case


def test_registering_opens_a_case_and_is_audited(api_as, personas):
    response = api_as(personas.ana).post(
        f"{API}/cases/",
        {
            "given_names": " Rosa  María ",
            "first_surname": "Flores",
            "sex": "female",
            "birth_date": "1990-05",
            "nationality": "pe",
            "return_country": "PE",
            "phone_europe": "347 123 4567",
            "phone_home": "987 654 321",
            "languages": ["es", "qu"],
            "document_type": "tax_id",
            "document_number": "rssmra85t10a562s",
            "document_country": "IT",
            "phase": "intake",
            "priority": "high",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(public_id=body["id"])
    assert body["reference"] == case.reference and body["access"] == "full"
    assert (body["phase"], body["priority"], body["closed_reason"]) == ("intake", "high", None)
    assert body["person"]["given_names"] == "Rosa María"
    assert (body["person"]["birth_year"], body["person"]["birth_month"]) == (1990, 5)
    assert body["person"]["birth_day"] is None
    person = case.person
    assert person.phone_europe == "+393471234567" and person.phone_home == "+51987654321"
    assert person.languages == ["es", "qu"]
    document = person.documents.get()
    assert (document.type, document.number, document.verified) == (
        "tax_id",
        "RSSMRA85T10A562S",
        True,
    )
    event = audited("case.opened", actor=personas.ana, phase="intake")
    assert event.person_id == person.public_id


def test_a_validation_error_has_the_one_error_shape(api_as, personas):
    response = api_as(personas.ana).post(
        f"{API}/cases/",
        {"given_names": "Rosa", "phone_europe": "12", "birth_year": 1990, "birth_day": 3},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "The request has errors. Correct them and try again.",
            "fields": {"birth_year": ["Date of birth must include a month"]},
        }
    }
    response = api_as(personas.ana).post(
        f"{API}/cases/", {"given_names": "Rosa", "phone_europe": "12"}, format="json"
    )
    assert response.json()["error"]["fields"] == {
        "phone_europe": [
            "Enter a real phone number; if it is not a number of Italy, start it with + and "
            "the country code, for example +51 987 654 321"
        ]
    }
    nameless = api_as(personas.ana).post(f"{API}/cases/", {"sex": "female"}, format="json")
    assert nameless.status_code == 400
    assert nameless.json()["error"]["fields"] == {"given_names": ["Enter at least one name"]}
    assert not Case.objects.exists()


def test_registering_a_look_alike_needs_confirming(api_as, personas):
    register(personas.ana)
    api = api_as(personas.ana)
    fields = {
        "given_names": "Maria",
        "first_surname": "Quispe",
        "second_surname": "Huaman",
        "birth_date": "1986-03-27",
    }
    response = api.post(f"{API}/cases/", fields, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "possible_duplicate"
    assert list(response.json()["error"]["fields"]) == ["not_a_duplicate"]
    response = api.post(f"{API}/cases/", {**fields, "not_a_duplicate": True}, format="json")
    assert response.status_code == 201
    assert Case.objects.count() == 2


def test_reading_a_case_gives_the_whole_case_and_is_audited(api_as, personas):
    case = register(personas.ana)
    body = api_as(personas.ana).get(f"{API}/cases/{case.public_id}/").json()
    assert body["reference"] == case.reference and body["access"] == "full"
    assert body["person"]["full_name"] == "María Quispe Huamán"
    assert "phone_europe" not in body["person"]
    assert body["caseworkers"] == [{"id": str(personas.ana.public_id), "name": "Ana Rossi"}]
    assert body["cycle"]["id"] == str(case.cycle.public_id)
    assert body["origin_desk"]["code"] == "MIL" and body["pending_handover"] is None
    audited("case.viewed", actor=personas.ana, page="summary")


def test_the_priority_changes_and_nothing_else(api_as, personas):
    case = register(personas.ana)
    api = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/"
    response = api.patch(url, {"priority": "high", "phase": "closed"}, format="json")
    assert response.status_code == 200
    assert (response.json()["priority"], response.json()["phase"]) == ("high", "inquiry")
    assert audited("case.priority_changed").changes == {"priority": ["normal", "high"]}
    assert api.patch(url, {}, format="json").json()["error"]["fields"] == {
        "priority": ["This field is required."]
    }


def test_the_phase_changes_when_the_rules_allow_it(api_as, personas):
    case = register(personas.ana)
    api = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/phase/"
    refused = api.post(url, {"phase": "intake"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "phase": ["Record the person's consent to case management first."]
    }
    consent(case, personas.ana)
    response = api.post(url, {"phase": "intake", "note": "Ready"}, format="json")
    assert response.status_code == 200 and response.json()["phase"] == "intake"
    assert audited("case.phase_changed", note="Ready").changes == {"phase": ["inquiry", "intake"]}


def test_closing_and_reopening(api_as, personas):
    case = register(personas.ana)
    actions.create_task(
        case, actor=acting(personas.ana), title="Call", assignee=personas.ana, due_on=TODAY()
    )
    ana = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/"
    refused = ana.post(url + "close/", {"reason": "withdrew"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["cancel_open_tasks"]
    closing = {"reason": "withdrew", "note": "Stays in Milan", "cancel_open_tasks": True}
    response = ana.post(url + "close/", closing, format="json")
    assert response.status_code == 200
    assert (response.json()["phase"], response.json()["closed_reason"]) == ("closed", "withdrew")
    audited("case.closed", reason="withdrew", tasks_cancelled=1)
    again = ana.post(url + "close/", closing, format="json")
    assert again.json()["error"] == {
        "code": "already_done",
        "message": "This case is already closed.",
        "fields": {},
    }
    # Reopening is for coordinators.
    assert ana.post(url + "reopen/", {}, format="json").status_code == 403
    response = api_as(personas.bruno).post(url + "reopen/", {"note": "Back"}, format="json")
    assert response.status_code == 200 and response.json()["phase"] == "preparation"
    audited("case.reopened", actor=personas.bruno, note="Back")


# Persons


def test_a_person_is_read_and_changed_with_optimistic_locking(api_as, personas):
    case = register(personas.ana, documents=[{"type": "passport", "number": "AB123456"}])
    person = case.person
    api = api_as(personas.ana)
    url = f"{API}/persons/{person.public_id}/"
    body = api.get(url).json()
    assert body["full_name"] == "María Quispe Huamán" and body["version"] == 1
    assert body["identity_documents"][0]["number"] == "AB123456"
    audited("person.viewed", actor=personas.ana, page="person")
    changed = api.patch(
        url,
        {"version": 1, "occupation": "Cook", "phone_home": "987 654 321", "birth_year": 1985},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["occupation"], body["phone_home"], body["version"]) == ("Cook", "+51987654321", 2)
    assert (body["birth_year"], body["birth_month"], body["birth_day"]) == (1985, None, None)
    assert audited("person.updated").changes["occupation"] == ["", "Cook"]
    stale = api.patch(url, {"version": 1, "occupation": "Tailor"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert api.patch(url, {"occupation": "Tailor"}, format="json").json()["error"]["fields"] == {
        "version": ["This field is required."]
    }


# Household, consent, journal, tasks, documents


def test_the_household_is_listed_and_grows(api_as, personas):
    case = register(personas.ana)
    api = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/household/"
    response = api.post(
        url,
        {
            "relationship": "child",
            "given_names": "Luz",
            "first_surname": "Quispe",
            "birth_year": 2015,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["person"]["full_name"] == "Luz Quispe"
    audited("case.household_added", relationship="child")
    body = api.get(url).json()
    assert [(m["relationship"], m["returning"]) for m in body["results"]] == [("child", True)]
    audited("case.viewed", page="household")
    member = body["results"][0]["person"]["id"]
    assert api.get(f"{API}/persons/{member}/").json()["birth_year"] == 2015


def test_consent_is_recorded_listed_and_withdrawn_with_what_stopped(api_as, personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    case = handover.case
    api = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/consents/"
    partner = personas.org("CFPLIM")
    response = api.post(
        url,
        {
            "purpose": "partner_sharing",
            "partner": str(partner.public_id),
            "given": True,
            "decided_on": str(TODAY()),
            "method": "verbal_with_witness",
            "witness": "Giulia",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["partner"]["code"] == "CFPLIM" and response.json()["in_force"]
    audited("consent.recorded", purpose="partner_sharing", partner="CFPLIM")
    listed = api.get(url).json()
    assert listed["count"] == 3
    audited("case.viewed", page="consent")
    transfer = Consent.objects.get(purpose="transfer")
    withdrawn = api.post(f"{url}{transfer.public_id}/withdraw/", {"note": "Stays"}, format="json")
    assert withdrawn.status_code == 200
    body = withdrawn.json()
    assert body["consent"]["in_force"] is False and body["consent"]["withdrawal_note"] == "Stays"
    assert body["stopped"] == ["The handover to Lima national desk was withdrawn."]
    audited("consent.withdrawn", purpose="transfer")
    assert Handover.objects.get().status == Handover.Status.RETURNED
    again = api.post(f"{url}{transfer.public_id}/withdraw/", {}, format="json")
    assert again.json()["error"]["code"] == "already_done"


def test_the_journal_hides_confidential_entries_from_those_who_may_not_read_them(
    api_as, personas, giulia
):
    case = register(personas.ana)
    api = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/journal/"
    response = api.post(
        url,
        {
            "kind": "psychosocial",
            "occurred_on": str(TODAY()),
            "summary": "Talked about what happened in Milan.",
            "confidential": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    entry_id = response.json()["id"]
    audited("journal.added", confidential=True, entry=entry_id)
    journal_entry(case, personas.ana, summary="Open note")
    assert api_as(giulia).get(url).json()["count"] == 1
    assert api_as(personas.bruno).get(url).json()["count"] == 2
    assert (
        api_as(giulia)
        .post(f"{url}{entry_id}/amend/", {"summary": "x", "reason": "y"}, format="json")
        .status_code
        == 404
    )
    amended = api.post(
        f"{url}{entry_id}/amend/",
        {"summary": "Talked about Milan.", "reason": "Wrong words"},
        format="json",
    )
    assert amended.status_code == 201
    assert amended.json()["amends"] == entry_id and amended.json()["confidential"] is True
    audited("journal.amended", entry=entry_id, reason="Wrong words")
    rows = {r["id"]: r for r in api.get(url).json()["results"]}
    assert rows[entry_id]["amended_by"] == amended.json()["id"]
    assert JournalEntry.objects.count() == 3


def test_tasks_are_created_listed_and_completed(api_as, personas):
    case = register(personas.ana)
    api = api_as(personas.ana)
    response = api.post(
        f"{API}/cases/{case.public_id}/tasks/",
        {
            "title": "Book the flight",
            "due_on": "2030-01-10",
            "assignee": str(personas.bruno.public_id),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["assignee"]["name"] == "Bruno Ferrari"
    audited("task.created", assignee="bruno.milano")
    mine = api.post(
        f"{API}/cases/{case.public_id}/tasks/",
        {"title": "Call", "due_on": "2030-01-09"},
        format="json",
    ).json()
    strangers = api.post(
        f"{API}/cases/{case.public_id}/tasks/",
        {"title": "Call", "due_on": "2030-01-09", "assignee": str(personas.lucia.public_id)},
        format="json",
    )
    assert strangers.json()["error"]["fields"] == {
        "assignee": ["Choose someone who works at the desk"]
    }
    assert [t["title"] for t in api.get(f"{API}/tasks/").json()["results"]] == ["Call"]
    done = api.post(f"{API}/tasks/{mine['id']}/complete/", format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    audited("task.completed", task=mine["id"])
    assert api.get(f"{API}/tasks/").json()["count"] == 0
    assert api.get(f"{API}/tasks/", {"status": "done"}).json()["count"] == 1
    assert api.get(f"{API}/tasks/", {"status": "all"}).json()["count"] == 1
    assert api.get(f"{API}/tasks/", {"status": "late"}).status_code == 400
    assert api.post(f"{API}/tasks/{mine['id']}/complete/").json()["error"]["code"] == (
        "already_done"
    )
    assert Task.objects.filter(status="open").count() == 1


def test_documents_are_uploaded_listed_and_downloads_are_audited(api_as, personas, media):
    case = register(personas.ana)
    api = api_as(personas.ana)
    url = f"{API}/cases/{case.public_id}/documents/"
    fake = SimpleUploadedFile(
        "passport.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    refused = api.post(url, {"file": fake, "kind": "identity"}, format="multipart")
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["file"]
    assert api.post(url, {"kind": "identity"}, format="json").status_code == 415
    response = api.post(
        url, {"file": pdf(), "kind": "identity", "title": "Passport"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    document = response.json()
    assert (document["title"], document["content_type"]) == ("Passport", "application/pdf")
    audited("document.uploaded", kind="identity")
    assert api.get(url).json()["results"][0]["id"] == document["id"]
    download = api.get(f"{url}{document['id']}/download/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert case.reference in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    audited("document.downloaded", document=document["id"])


# The handover, end to end


def test_the_whole_handover_through_the_api(api_as, personas):
    case = ready_to_depart(register(personas.ana), personas.ana)
    actions.add_household_member(
        case,
        actor=acting(personas.ana),
        relationship="child",
        person={"given_names": "Luz", "first_surname": "Quispe"},
    )
    ana, mateo, lucia = api_as(personas.ana), api_as(personas.mateo), api_as(personas.lucia)
    response = ana.post(
        f"{API}/cases/{case.public_id}/handover/",
        {
            "to_desk": str(personas.org("LIM").public_id),
            "situation": "Returns with her daughter after losing her job.",
            "needs": "Housing; a school place.",
            "travel_date": "2030-01-10",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    handover_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    audited("case.handed_over", to="LIM", handover=handover_id)

    # Lima's coordinator finds it waiting, reads the summary and the case summary.
    waiting = mateo.get(f"{API}/handovers/", {"waiting": "true"}).json()
    assert [h["id"] for h in waiting["results"]] == [handover_id]
    assert lucia.get(f"{API}/handovers/", {"waiting": "true"}).json()["count"] == 0
    detail = mateo.get(f"{API}/handovers/{handover_id}/").json()
    assert detail["returnee"]["full_name"] == "María Quispe Huamán"
    assert detail["returning_with"] == [{"full_name": "Luz Quispe", "relationship": "child"}]
    audited("case.viewed", actor=personas.mateo, page="handover")
    summary = mateo.get(f"{API}/cases/{case.public_id}/").json()
    assert summary["access"] == "summary" and summary["handover"]["id"] == handover_id
    assert "person" not in summary
    # The summary is not the case: no journal, no changes.
    assert mateo.get(f"{API}/cases/{case.public_id}/journal/").status_code == 404
    assert (
        mateo.patch(
            f"{API}/cases/{case.public_id}/", {"priority": "high"}, format="json"
        ).status_code
        == 403
    )
    # Lucía, a caseworker, may not accept; Darío, at Madrid, does not see it at all.
    accept = {"caseworker": str(personas.lucia.public_id)}
    assert (
        lucia.post(f"{API}/handovers/{handover_id}/accept/", accept, format="json").status_code
        == 403
    )
    assert api_as(personas.dario).get(f"{API}/handovers/{handover_id}/").status_code == 404
    # Bruno, at the sending desk, sees it but may not decide it.
    assert (
        api_as(personas.bruno)
        .post(f"{API}/handovers/{handover_id}/accept/", accept, format="json")
        .status_code
        == 403
    )

    accepted = mateo.post(f"{API}/handovers/{handover_id}/accept/", accept, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["decided_by"]["name"] == "Mateo Rojas"
    audited("case.handover_accepted", caseworker="lucia.lima")

    # Lucía works on it now; Ana reads the summary only and may not change it.
    body = lucia.get(f"{API}/cases/{case.public_id}/").json()
    assert (body["access"], body["phase"]) == ("full", "reception")
    assert body["owning_desk"]["code"] == "LIM"
    assert body["caseworkers"] == [{"id": str(personas.lucia.public_id), "name": "Lucía Mendoza"}]
    assert lucia.get(f"{API}/handovers/{handover_id}/").status_code == 200
    assert [r["access"] for r in lucia.get(f"{API}/cases/").json()["results"]] == ["full"]
    summary = ana.get(f"{API}/cases/{case.public_id}/").json()
    assert summary["access"] == "summary" and summary["owning_desk"]["code"] == "LIM"
    assert ana.get(f"{API}/cases/").json()["results"] == []  # her desk's own cases only
    handed = ana.get(f"{API}/cases/", {"handed_over": "true"}).json()["results"]
    assert [r["access"] for r in handed] == ["summary"]
    assert ana.get(f"{API}/cases/{case.public_id}/journal/").status_code == 404
    forbidden = ana.post(
        f"{API}/cases/{case.public_id}/phase/", {"phase": "reintegration"}, format="json"
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "permission_denied"
    assert api_as(personas.dario).get(f"{API}/handovers/{handover_id}/").status_code == 404


def test_a_handover_is_sent_back_with_a_reason(api_as, personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    mateo = api_as(personas.mateo)
    url = f"{API}/handovers/{handover.public_id}/return/"
    assert mateo.post(url, {"reason": " "}, format="json").status_code == 400
    response = mateo.post(url, {"reason": "The travel date is missing."}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"
    audited("case.handover_returned", reason="The travel date is missing.")
    case = api_as(personas.ana).get(f"{API}/cases/{handover.case.public_id}/").json()
    assert case["phase"] == "ready_to_depart"
    assert mateo.get(f"{API}/cases/{handover.case.public_id}/").status_code == 404

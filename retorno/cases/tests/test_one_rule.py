"""Each rule exists once and the pages, the API and the import use it: the possible duplicate at
registration, the record matched for a person, a phone number's default country, and the
choice between full cases and summaries of the case lists."""

import types

import pytest
from django.urls import reverse

from retorno.audit.models import AuditEvent
from retorno.cases import access, actions, matching, rules
from retorno.cases.importing import COLUMNS
from retorno.cases.models import Case, Person
from retorno.cases.tests.factories import handed_over, register
from retorno.cases.views import importer
from retorno.conftest import acting
from retorno.lib.errors import PossibleDuplicate

pytestmark = pytest.mark.django_db

API = "/api/v1"
LOOK_ALIKE = {
    "given_names": "Maria",
    "first_surname": "Quispe",
    "second_surname": "Huaman",
    "birth_year": 1986,
    "birth_month": 3,
    "birth_day": 27,
}


def test_registering_a_look_alike_is_refused_by_the_action_until_confirmed(personas):
    existing = register(personas.ana)
    ana = acting(personas.ana)
    with pytest.raises(PossibleDuplicate) as refused:
        actions.register_returnee(actor=ana, person=dict(LOOK_ALIKE))
    assert refused.value.code == "possible_duplicate"
    assert refused.value.field == "not_a_duplicate"
    assert [person for person, _match in refused.value.similar] == [existing.person]
    assert refused.value.hidden_match is False
    assert Case.objects.count() == 1 and Person.objects.count() == 1  # nothing saved
    case = actions.register_returnee(
        actor=ana, person=dict(LOOK_ALIKE), confirmed_not_duplicate=True
    )
    event = AuditEvent.objects.get(verb="case.opened", target_id=str(case.public_id))
    assert event.actor == personas.ana
    assert event.detail["desk"] == "MIL"


def test_a_look_alike_at_another_desk_is_refused_without_showing_who(personas):
    register(personas.dario)  # Madrid
    with pytest.raises(PossibleDuplicate) as refused:
        actions.register_returnee(actor=acting(personas.ana), person=dict(LOOK_ALIKE))
    assert refused.value.similar == [] and refused.value.hidden_match is True


def test_the_page_and_the_api_give_the_same_duplicate_answer(as_user, api_as, personas):
    register(personas.dario)  # a look-alike Ana may not see
    page_data = {
        "given_names": "Maria",
        "first_surname": "Quispe",
        "second_surname": "Huaman",
        "birth_day": "27",
        "birth_month": "3",
        "birth_year": "1986",
        "nationality": "PE",
        "return_country": "PE",
        "priority": "normal",
        "phase": "inquiry",
    }
    page = as_user(personas.ana).post(reverse("cases:register"), page_data)
    assert page.status_code == 200
    assert "A possible match exists at another desk; ask your coordinator." in (
        page.content.decode()
    )
    api_data = {**{k: v for k, v in page_data.items() if not k.startswith("birth")}}
    api_data["birth_date"] = "1986-03-27"
    answer = api_as(personas.ana).post(f"{API}/cases/", api_data, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "possible_duplicate"
    assert Case.objects.count() == 1
    # Someone who looks like nobody is registered by both at once.
    other = {**api_data, "given_names": "Jorge", "first_surname": "Condori"}
    assert api_as(personas.ana).post(f"{API}/cases/", other, format="json").status_code == 201
    page_data.update(given_names="Lucho", first_surname="Mamani", second_surname="Apaza")
    assert as_user(personas.ana).post(reverse("cases:register"), page_data).status_code == 302


def test_the_record_matched_is_the_same_for_a_saved_person_and_the_fields_registered(personas):
    fields = {**LOOK_ALIKE, "sex": "female", "phone_europe": "+393331234567", "email": "m@x.org"}
    documents = [{"type": "passport", "number": "P1234567", "issuing_country": "PE"}]
    case = actions.register_returnee(
        actor=acting(personas.ana), person=dict(fields), documents=documents
    )
    saved = matching.record_of(case.person, documents=["P1234567"])
    typed = matching.record_of(fields, documents=["P1234567"])
    assert saved.key == str(case.person.public_id) and typed.key == "new"
    assert {**vars(saved), "key": "new"} == vars(typed)
    # The match keys stored for the person are the keys of that record.
    stored = set(case.person.match_keys.values_list("key", flat=True))
    assert stored == set(matching.blocking_keys(saved))


def test_a_phone_without_country_code_is_read_the_same_by_the_form_the_api_and_the_import(
    as_user, api_as, personas
):
    milan, lima = personas.org("MIL"), personas.org("LIM")
    assert rules.phone_country("phone_europe", desk=milan) == "IT"
    assert rules.phone_country("phone_europe", desk=lima) is None
    assert rules.phone_country("phone_home", desk=milan, return_country="PE") == "PE"
    assert rules.phone_country("phone_home", desk=lima) == "PE"
    assert rules.phone_field_at(milan) == "phone_europe"
    assert rules.phone_field_at(lima) == "phone_home"

    case = register(personas.ana)
    phones = {"phone_europe": "333 123 4567", "phone_home": "987 654 321"}
    expected = {"phone_europe": "+393331234567", "phone_home": "+51987654321"}
    form_data = {
        "given_names": "María",
        "first_surname": "Quispe",
        "second_surname": "Huamán",
        "nationality": "PE",
        "return_country": "PE",
        "version": case.person.version,
        **phones,
    }
    url = reverse("cases:person_edit", args=[case.public_id])
    assert as_user(personas.ana).post(url, form_data).status_code == 302
    case.person.refresh_from_db()
    assert {k: getattr(case.person, k) for k in expected} == expected

    other = register(personas.ana, given_names="Rosa", first_surname="Flores")
    answer = api_as(personas.ana).patch(
        f"{API}/persons/{other.person.public_id}/",
        {**phones, "version": other.person.version},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert {k: answer.json()[k] for k in expected} == expected

    values = {"given_names": "Jorge", "first_surname": "Condori", "return_country": "PE"}
    values["phone"] = "333 123 4567"
    lines = [",".join(COLUMNS), ",".join(values.get(column, "") for column in COLUMNS)]
    content = ("\r\n".join(lines) + "\r\n").encode()
    request = types.SimpleNamespace(user=acting(personas.ana))
    result = importer._parse(request, "persons.csv", content)
    assert [row.phone_e164 for row in result.rows] == [expected["phone_europe"]]


def test_the_page_and_the_api_list_the_same_cases_full_or_summary(as_user, api_as, personas):
    own = register(personas.ana, given_names="Rosa", first_surname="Flores")
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    gone = actions.accept_handover(
        handover, actor=acting(personas.mateo), caseworker=personas.lucia
    )
    ana = acting(personas.ana)
    assert list(access.cases_for_list(ana)) == [own]
    assert set(access.cases_for_list(ana, handed_over=True)) == {own, gone}
    assert set(access.cases_for_list(ana, search="x")) == {own, gone}
    lima = personas.org("LIM").pk
    assert set(access.cases_for_list(ana, desks=[lima])) == {own, gone}
    assert list(access.cases_for_list(ana, desks=[personas.org("MIL").pk])) == [own]

    def api_refs(query=""):
        rows = api_as(personas.ana).get(f"{API}/cases/{query}").json()["results"]
        return {row["reference"]: row["access"] for row in rows}

    def page_refs(query=""):
        page = as_user(personas.ana).get(reverse("cases:list") + query).content.decode()
        return {ref for ref in (own.reference, gone.reference) if ref in page}

    assert api_refs() == {own.reference: "full"}
    assert page_refs() == {own.reference}
    assert api_refs("?handed_over=true") == {own.reference: "full", gone.reference: "summary"}
    assert page_refs("?handed_over=on") == {own.reference, gone.reference}

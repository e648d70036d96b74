"""Opening an inquiry case for a person who asked the programme for help: at a European desk, by
its caseworkers, coordinators or outreach officers, with the registration's duplicate check."""

import pytest

from retorno.cases import access, actions
from retorno.cases.models import Phase
from retorno.cases.tests.factories import register
from retorno.conftest import acting
from retorno.lib.errors import ActionError, PossibleDuplicate
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db

PERSON = {
    "given_names": "Rosa Elena",
    "first_surname": "Quispe",
    "second_surname": "Huamán",
    "phone_europe": "+393331234567",
    "return_country": "PE",
    "languages": ["es"],
}


def test_an_outreach_officer_opens_an_inquiry_that_the_desks_caseworkers_see(personas):
    olga = acting(personas.olga)
    case = actions.register_inquiry(actor=olga, person=PERSON, source_note="MIL-L-2026-0001")
    assert case.phase == Phase.INQUIRY
    assert case.owning_desk.code == "MIL"
    assert case.person.full_name == "Rosa Elena Quispe Huamán"
    assert case.person.languages == ["es"]
    assert not case.caseworkers.exists()
    assert_audited(
        "case.opened",
        actor=personas.olga,
        target=case,
        person=case.person,
        detail={"phase": "inquiry", "desk": "MIL", "source": "MIL-L-2026-0001"},
    )
    assert access.cases_visible_to(acting(personas.ana)).filter(pk=case.pk).exists()
    assert not access.cases_visible_to(olga).filter(pk=case.pk).exists()
    assert not access.cases_visible_to(acting(personas.dario)).filter(pk=case.pk).exists()


def test_a_caseworker_opening_an_inquiry_is_assigned_to_it(personas):
    case = actions.register_inquiry(actor=acting(personas.ana), person=PERSON)
    assert list(case.caseworkers.all()) == [personas.ana]


def test_a_look_alike_stops_the_inquiry_until_confirmed(personas):
    register(personas.ana, given_names="Rosa Elena", first_surname="Quispe")
    olga = acting(personas.olga)
    with pytest.raises(PossibleDuplicate) as raised:
        actions.register_inquiry(actor=olga, person=PERSON)
    # Olga sees no case: the match is reported without any detail.
    assert raised.value.similar == []
    assert raised.value.hidden_match is True
    case = actions.register_inquiry(actor=olga, person=PERSON, confirmed_not_duplicate=True)
    assert case.phase == Phase.INQUIRY


def test_only_a_european_desk_opens_inquiries(personas):
    with pytest.raises(ActionError, match="European desk") as raised:
        actions.register_inquiry(actor=acting(personas.lucia), person=PERSON)
    assert raised.value.code == "forbidden"


def test_a_role_without_cases_or_outreach_opens_none(personas):
    with pytest.raises(ActionError) as raised:
        actions.register_inquiry(actor=acting(personas.eva), person=PERSON)
    assert raised.value.code == "forbidden"

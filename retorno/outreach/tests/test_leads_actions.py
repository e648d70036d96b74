"""The triage of leads: each outcome's rules, its audit event and the conflict when someone
triaged meanwhile; the conversion into an inquiry case; the settings; the erasure of expired
leads."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.cases import access as case_access
from retorno.cases.tests.factories import register
from retorno.conftest import acting
from retorno.lib.errors import ActionError, PossibleDuplicate
from retorno.outreach import access, queries
from retorno.outreach.actions import leads as actions
from retorno.outreach.models import DeskOutreach, Lead, RegionRule
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(personas):
    return acting(personas.olga)


def test_contacted_keeps_the_lead_open_with_the_note(make_lead, olga):
    lead = make_lead()
    lead = actions.mark_contacted(lead, actor=olga, version=1, note="Called, she comes Tuesday.")
    assert lead.status == Lead.Status.CONTACTED
    assert lead.is_open and lead.closed_at is None and lead.erase_after is None
    assert lead.note.endswith("Called, she comes Tuesday.")
    assert lead.triaged_by == olga
    assert_audited(
        "lead.contacted",
        actor=olga,
        target=lead,
        changes={"status": ["new", "contacted"]},
    )
    assert "Tuesday" not in str(AuditEvent.objects.get(verb="lead.contacted").detail)
    assert AuditEvent.objects.filter(verb="lead.contacted").get().organisation.code == "MIL"


def test_contacted_needs_a_note(make_lead, olga):
    with pytest.raises(ActionError) as raised:
        actions.mark_contacted(make_lead(), actor=olga, version=1, note="  ")
    assert raised.value.field == "note"


def test_someone_triaging_meanwhile_is_a_conflict(make_lead, olga, personas):
    lead = make_lead()
    actions.mark_contacted(lead, actor=acting(personas.ana), version=1, note="Called her.")
    with pytest.raises(ActionError) as raised:
        actions.mark_not_interested(lead, actor=olga, version=1)
    assert raised.value.code == "conflict"
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.CONTACTED


def test_not_interested_closes_the_lead_until_the_retention_days_pass(make_lead, olga, personas):
    DeskOutreach.objects.create(desk=personas.org("MIL"), retention_days=90)
    lead = actions.mark_not_interested(make_lead(), actor=olga, version=1, note="Stays in Italy.")
    assert lead.status == Lead.Status.NOT_INTERESTED
    assert lead.closed_at is not None
    assert lead.erase_after == timezone.localdate() + datetime.timedelta(days=90)
    assert_audited(
        "lead.not_interested",
        actor=olga,
        target=lead,
        changes={"status": ["new", "not_interested"]},
    )
    with pytest.raises(ActionError) as raised:
        actions.mark_contacted(lead, actor=olga, version=lead.version, note="again")
    assert raised.value.code == "closed"


def test_a_duplicate_says_of_what(make_lead, olga):
    with pytest.raises(ActionError) as raised:
        actions.mark_duplicate(make_lead(), actor=olga, version=1)
    assert raised.value.field == "note"
    lead = actions.mark_duplicate(
        make_lead(), actor=olga, version=1, case_reference="MIL-2026-0007"
    )
    assert lead.status == Lead.Status.DUPLICATE
    assert "MIL-2026-0007" in lead.note
    assert_audited("lead.duplicate", actor=olga, target=lead, detail={"case": "MIL-2026-0007"})


def test_another_desk_cannot_triage(make_lead, personas):
    with pytest.raises(ActionError) as raised:
        actions.mark_contacted(make_lead(), actor=acting(personas.dario), version=1, note="x")
    assert raised.value.code == "forbidden"


def test_a_closed_lead_is_reopened_while_kept(make_lead, olga):
    lead = actions.mark_not_interested(make_lead(), actor=olga, version=1)
    lead = actions.reopen_lead(lead, actor=olga, version=lead.version, note="She called back.")
    assert lead.status == Lead.Status.CONTACTED
    assert lead.closed_at is None and lead.erase_after is None
    assert_audited(
        "lead.reopened",
        actor=olga,
        target=lead,
        changes={"status": ["not_interested", "contacted"]},
    )
    with pytest.raises(ActionError) as raised:
        actions.reopen_lead(lead, actor=olga, version=lead.version)
    assert raised.value.code == "open"


def test_a_lead_past_its_retention_is_not_reopened(make_lead, olga):
    lead = actions.mark_not_interested(make_lead(), actor=olga, version=1)
    Lead.objects.filter(pk=lead.pk).update(erase_after=timezone.localdate())
    lead.refresh_from_db()
    with pytest.raises(ActionError, match="retention"):
        actions.reopen_lead(lead, actor=olga, version=lead.version)


def test_surnames_are_split_into_first_and_second():
    assert actions.split_surnames("Quispe Huamán") == ("Quispe", "Huamán")
    assert actions.split_surnames("De la Cruz Mendoza") == ("De la Cruz", "Mendoza")
    assert actions.split_surnames("da Silva") == ("da Silva", "")
    assert actions.split_surnames("Pereira dos Santos Lima") == ("Pereira", "dos Santos Lima")
    assert actions.split_surnames("") == ("", "")


def test_conversion_carries_the_person_over_and_ana_sees_the_case(make_lead, olga, personas):
    lead = make_lead(email="rosa@example.org")
    lead = actions.convert_to_inquiry(lead, actor=olga, version=1)
    case = lead.case
    assert lead.status == Lead.Status.CONVERTED
    assert lead.erase_after is None
    assert case.phase == "inquiry" and case.owning_desk.code == "MIL"
    person = case.person
    assert (person.given_names, person.first_surname, person.second_surname) == (
        "Rosa Elena",
        "Quispe",
        "Huamán",
    )
    assert person.phone_europe == "+393331234567"
    assert person.email == "rosa@example.org"
    assert str(person.return_country) == "PE"
    assert person.languages == ["es"]
    assert person.address_europe == "Milano (Lombardia)"
    assert person.phone_home == "" and person.birth_year is None and person.nationality == ""
    assert_audited(
        "lead.converted",
        actor=olga,
        target=lead,
        changes={"status": ["new", "converted"]},
        detail={"case": case.reference},
    )
    assert_audited("case.opened", actor=olga, target=case, detail={"source": lead.reference})
    assert case_access.cases_visible_to(acting(personas.ana)).filter(pk=case.pk).exists()
    assert not case_access.cases_visible_to(olga).filter(pk=case.pk).exists()
    dario = acting(personas.dario)
    assert not case_access.cases_visible_to(dario).filter(pk=case.pk).exists()
    assert not access.leads_visible_to(dario).filter(pk=lead.pk).exists()


def test_conversion_applies_the_duplicate_check(make_lead, olga, personas):
    register(personas.ana, given_names="Rosa Elena", first_surname="Quispe")
    lead = make_lead()
    with pytest.raises(PossibleDuplicate) as raised:
        actions.convert_to_inquiry(lead, actor=olga, version=1)
    assert raised.value.hidden_match is True
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW and lead.case is None
    lead = actions.convert_to_inquiry(lead, actor=olga, version=1, confirmed_not_duplicate=True)
    assert lead.case is not None
    assert_audited(
        "lead.converted", actor=olga, target=lead, detail={"confirmed_not_duplicate": True}
    )


def test_a_converted_lead_is_not_reopened(make_lead, olga):
    lead = actions.convert_to_inquiry(make_lead(), actor=olga, version=1)
    with pytest.raises(ActionError) as raised:
        actions.reopen_lead(lead, actor=olga, version=lead.version)
    assert raised.value.code == "converted"


def test_reading_a_lead_is_audited(make_lead, olga):
    lead = make_lead()
    actions.record_lead_view(lead, actor=olga)
    assert_audited("lead.viewed", actor=olga, target=lead)


def test_region_rules_are_set_by_programme_coordination(personas):
    madrid = personas.org("MAD")
    with pytest.raises(ActionError) as raised:
        actions.set_region_rule("IT-62", madrid, actor=acting(personas.bruno))
    assert raised.value.code == "forbidden"
    irene = acting(personas.irene)
    rule = actions.set_region_rule("IT-62", madrid, actor=irene)
    assert RegionRule.objects.get(region="IT-62").desk == madrid
    assert_audited(
        "outreach.region_rule_set",
        actor=irene,
        target=rule,
        changes={"desk": ["", "MAD"]},
        detail={"region": "IT-62"},
    )
    with pytest.raises(ActionError) as raised:
        actions.set_region_rule("IT-62", personas.org("LIM"), actor=irene)
    assert raised.value.field == "desk"


def test_a_desks_days_are_set_by_its_coordinators(personas):
    milan = personas.org("MIL")
    with pytest.raises(ActionError):
        actions.set_desk_outreach(
            personas.org("MAD"), actor=acting(personas.bruno), response_days=2, retention_days=90
        )
    with pytest.raises(ActionError) as raised:
        actions.set_desk_outreach(
            milan, actor=acting(personas.bruno), response_days=0, retention_days=90
        )
    assert raised.value.field == "response_days"
    bruno = acting(personas.bruno)
    actions.set_desk_outreach(milan, actor=bruno, response_days=2, retention_days=90)
    assert DeskOutreach.objects.get(desk=milan).response_days == 2
    assert_audited(
        "outreach.desk_settings_set",
        actor=bruno,
        target=milan,
        changes={"response_days": [3, 2], "retention_days": [180, 90]},
    )
    with pytest.raises(ActionError):
        actions.set_desk_outreach(
            milan, actor=acting(personas.olga), response_days=2, retention_days=90
        )


def test_only_expired_leads_closed_without_a_case_are_erased(make_lead, olga, personas):
    today = timezone.localdate()
    expired = actions.mark_not_interested(make_lead(), actor=olga, version=1)
    duplicate = actions.mark_duplicate(make_lead(), actor=olga, version=1, note="Same as L-1")
    kept = actions.mark_not_interested(make_lead(), actor=olga, version=1)
    converted = actions.convert_to_inquiry(
        make_lead(given_names="Ana", surnames="Flores"), actor=olga, version=1
    )
    open_lead = make_lead()
    Lead.objects.filter(pk__in=[expired.pk, duplicate.pk]).update(
        erase_after=today - datetime.timedelta(days=1)
    )
    Lead.objects.filter(pk=kept.pk).update(erase_after=today + datetime.timedelta(days=1))
    Lead.objects.filter(pk=converted.pk).update(erase_after=today - datetime.timedelta(days=1))
    erased = actions.erase_expired_leads(today=today)
    assert erased == {"MIL": 2}
    left = set(Lead.objects.values_list("pk", flat=True))
    assert left == {kept.pk, converted.pk, open_lead.pk}
    assert_audited("lead.erased", actor=None, target=personas.org("MIL"), detail={"count": 2})


def test_the_erasure_command_erases_and_says_how_many(make_lead, olga, capsys):
    lead = actions.mark_not_interested(make_lead(), actor=olga, version=1)
    later = lead.erase_after + datetime.timedelta(days=1)
    call_command("erase_expired_leads", "--today", later.isoformat())
    assert "1 leads erased (MIL 1)" in capsys.readouterr().out
    assert not Lead.objects.filter(pk=lead.pk).exists()


def test_a_phone_that_cannot_be_read_is_carried_over_as_typed(make_lead, personas):
    lead = make_lead(phone="0039 12", channel="phone")
    person = actions.person_from(lead, personas.org("MIL"))
    assert person["phone_europe"] == "0039 12"
    lead = make_lead(phone="333 123 4567", channel="phone")
    assert actions.person_from(lead, personas.org("MIL"))["phone_europe"] == "+393331234567"


def test_my_work_reads_the_unanswered_leads_in_one_query(
    make_lead, personas, django_assert_num_queries
):
    lead = make_lead()
    Lead.objects.filter(pk=lead.pk).update(respond_by=timezone.localdate() - datetime.timedelta(1))
    olga = acting(personas.olga)
    with django_assert_num_queries(1):
        found = queries.my_unanswered_leads(olga, timezone.localdate())
    assert found["count"] == 1
    assert found["oldest"] == timezone.localdate() - datetime.timedelta(1)
    # Coordinators read the inbox's counts instead; other desks see nothing of Milan's.
    assert queries.my_unanswered_leads(acting(personas.bruno), timezone.localdate()) is None
    assert queries.my_unanswered_leads(acting(personas.dario), timezone.localdate()) is None

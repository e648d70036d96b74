"""The leads pages as their users see them: the inbox, a lead and its triage, the settings, and
the leads not answered in time on My work."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from retorno.audit.models import AuditEvent
from retorno.cases.tests.factories import register
from retorno.conftest import acting
from retorno.outreach.actions import leads as actions
from retorno.outreach.actions import public
from retorno.outreach.models import DeskOutreach, Lead

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def lead_url(lead):
    return reverse("outreach:lead", kwargs={"lead_id": lead.public_id})


def page_text(response):
    return response.content.decode()


# --- The inbox --------------------------------------------------------------------------------


def test_the_inbox_shows_the_desks_open_leads_new_first(make_lead, personas):
    contacted = make_lead(given_names="Carmen")
    actions.mark_contacted(contacted, actor=acting(personas.olga), version=1, note="Called.")
    new = make_lead()
    closed = actions.mark_not_interested(make_lead(), actor=acting(personas.olga), version=1)
    madrid = make_lead(region="ES-MD", province="Madrid")
    response = client_for(personas.olga).get(reverse("outreach:leads"))
    assert response.status_code == 200
    text = page_text(response)
    assert new.reference in text and contacted.reference in text
    assert text.index(new.reference) < text.index(contacted.reference)
    assert closed.reference not in text
    assert madrid.reference not in text
    assert "Lombardia" in text and "Peru" in text
    # Names are not shown in the list.
    assert "Rosa Elena" not in text


def test_the_inbox_filters_by_status_and_overdue(make_lead, personas):
    late = make_lead()
    Lead.objects.filter(pk=late.pk).update(respond_by=timezone.localdate() - datetime.timedelta(1))
    fresh = make_lead()
    closed = actions.mark_not_interested(make_lead(), actor=acting(personas.olga), version=1)
    client = client_for(personas.ana)
    text = page_text(client.get(reverse("outreach:leads") + "?status=new&overdue=on"))
    assert late.reference in text and fresh.reference not in text
    assert "Overdue" in text
    text = page_text(client.get(reverse("outreach:leads") + "?status=not_interested"))
    assert closed.reference in text and late.reference not in text


def test_the_inbox_runs_the_same_queries_whatever_the_page_size(make_lead, personas):
    client = client_for(personas.olga)
    url = reverse("outreach:leads")
    make_lead()
    client.get(url)  # warm caches (session, plugins)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(12):
        make_lead()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert page_text(response).count("/outreach/leads/") >= 13
    assert len(many) == len(one)


def test_roles_without_leads_get_403(personas):
    assert client_for(personas.carla).get(reverse("outreach:leads")).status_code == 403
    assert client_for(personas.eva).get(reverse("outreach:leads")).status_code == 403


# --- A lead -----------------------------------------------------------------------------------


def test_the_lead_page_shows_what_was_sent_and_audits_the_read(make_lead, personas):
    lead = make_lead(
        source="organisation",
        referrer_name="Associazione Todo Cambia",
        referrer_contact="Marta Ruiz",
        referrer_email="marta@todocambia.example",
    )
    response = client_for(personas.olga).get(lead_url(lead))
    assert response.status_code == 200
    text = page_text(response)
    for shown in (
        "Rosa Elena",
        "Quispe Huamán",
        "+39 333 123 4567",
        "Milano, Lombardia",
        "Associazione Todo Cambia",
        "Marta Ruiz",
        "Request to be contacted received",
    ):
        assert shown in text, shown
    event = AuditEvent.objects.filter(verb="lead.viewed").get()
    assert event.actor == personas.olga and event.target_id == str(lead.public_id)


def test_other_desks_leads_do_not_exist(make_lead, personas):
    lead = make_lead()
    dario = client_for(personas.dario)
    assert dario.get(lead_url(lead)).status_code == 404
    response = dario.post(lead_url(lead), {"action": "contacted", "contacted-note": "x"})
    assert response.status_code == 404
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.NEW
    assert not AuditEvent.objects.filter(verb="lead.viewed").exists()
    assert lead.reference not in page_text(dario.get(reverse("outreach:leads")))


def test_marking_contacted_from_the_page(make_lead, personas):
    lead = make_lead()
    client = client_for(personas.ana)
    response = client.post(
        lead_url(lead),
        {"action": "contacted", "contacted-version": "1", "contacted-note": "Comes on Tuesday."},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED
    text = page_text(client.get(lead_url(lead)))
    assert "is marked as contacted" in text
    assert "Comes on Tuesday." in text


def test_an_error_keeps_what_was_typed(make_lead, personas):
    lead = make_lead()
    response = client_for(personas.olga).post(
        lead_url(lead), {"action": "contacted", "contacted-version": "1", "contacted-note": ""}
    )
    assert response.status_code == 422
    assert "Write what you agreed with the person." in page_text(response)
    response = client_for(personas.olga).post(
        lead_url(lead),
        {
            "action": "duplicate",
            "duplicate-version": "1",
            "duplicate-case_reference": "",
            "duplicate-note": "   ",
        },
    )
    assert response.status_code == 422
    assert "Write which lead or case this one repeats" in page_text(response)


def test_a_conflict_says_someone_triaged_meanwhile_and_keeps_the_text(make_lead, personas):
    lead = make_lead()
    actions.mark_contacted(lead, actor=acting(personas.ana), version=1, note="Ana called.")
    response = client_for(personas.olga).post(
        lead_url(lead),
        {"action": "contacted", "contacted-version": "1", "contacted-note": "Olga called too."},
    )
    assert response.status_code == 422
    text = page_text(response)
    assert "Someone else changed this lead" in text
    assert "Olga called too." in text
    assert 'name="contacted-version" value="2"' in text


def test_without_a_choice_the_page_asks_what_happened(make_lead, personas):
    lead = make_lead()
    response = client_for(personas.olga).post(lead_url(lead), {})
    assert response.status_code == 422
    assert "Choose what happened with this lead." in page_text(response)


def test_a_closed_lead_cannot_be_triaged_but_can_be_reopened(make_lead, personas):
    lead = actions.mark_not_interested(make_lead(), actor=acting(personas.olga), version=1)
    client = client_for(personas.olga)
    response = client.post(
        lead_url(lead), {"action": "contacted", "contacted-version": "2", "contacted-note": "x"}
    )
    assert response.status_code == 403
    assert "Reopen the lead" in page_text(client.get(lead_url(lead)))
    response = client.post(lead_url(lead), {"action": "reopen", "reopen-version": "2"})
    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.CONTACTED


def test_conversion_asks_to_confirm_a_look_alike_then_opens_the_case(make_lead, personas):
    register(personas.ana, given_names="Rosa Elena", first_surname="Quispe")
    lead = make_lead()
    olga = client_for(personas.olga)
    response = olga.post(lead_url(lead), {"action": "convert", "convert-version": "1"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Someone registered may be this person" in text
    assert 'name="convert-not_a_duplicate"' in text
    assert Lead.objects.get(pk=lead.pk).case is None
    response = olga.post(
        lead_url(lead),
        {"action": "convert", "convert-version": "1", "convert-not_a_duplicate": "on"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    case = lead.case
    assert lead.status == Lead.Status.CONVERTED
    # Olga does not see the case: its reference, not a link. Ana does: a link.
    text = page_text(olga.get(lead_url(lead)))
    case_url = reverse("cases:case", kwargs={"case_id": case.public_id})
    assert case.reference in text and case_url not in text
    text = page_text(client_for(personas.ana).get(lead_url(lead)))
    assert case_url in text
    assert client_for(personas.ana).get(case_url).status_code == 200
    # A converted lead is read-only.
    response = olga.post(lead_url(lead), {"action": "convert", "convert-version": "3"})
    assert response.status_code == 403


# --- Settings ---------------------------------------------------------------------------------


def test_a_desk_coordinator_sets_the_days_and_a_caseworker_reads_them(personas):
    url = reverse("outreach:lead_settings")
    ana = client_for(personas.ana)
    response = ana.get(url)
    assert response.status_code == 200
    assert "Lombardia" in page_text(response)
    assert ana.post(url, {"form": "days", "desk": "MIL", "response_days": "2"}).status_code == 403
    bruno = client_for(personas.bruno)
    assert "Change the days of Milan desk" in page_text(bruno.get(url))
    response = bruno.post(
        url, {"form": "days", "desk": "MIL", "response_days": "0", "retention_days": "90"}
    )
    assert response.status_code == 422
    assert 'value="90"' in page_text(response)
    response = bruno.post(
        url, {"form": "days", "desk": "MIL", "response_days": "2", "retention_days": "90"}
    )
    assert response.status_code == 302
    assert DeskOutreach.objects.get(desk=personas.org("MIL")).response_days == 2
    assert bruno.post(url, {"form": "region", "region": "IT-62"}).status_code == 403


def test_programme_coordination_sends_a_regions_leads_to_another_desk(personas, lead_fields):
    url = reverse("outreach:lead_settings")
    irene = client_for(personas.irene)
    response = irene.post(url, {"form": "region", "region": "IT-62", "rule_desk": "MAD"})
    assert response.status_code == 302
    lead = public.create_lead(
        source="site", fields={**lead_fields, "region": "IT-62"}, consent=True
    )
    assert lead.desk.code == "MAD"


# --- My work ----------------------------------------------------------------------------------


def test_my_work_flags_only_the_desks_new_leads_past_their_day(make_lead, personas):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = make_lead()
    late_contacted = make_lead()
    make_lead()  # not late yet
    madrid_late = make_lead(region="ES-MD", province="Madrid")
    Lead.objects.filter(pk__in=[late.pk, late_contacted.pk, madrid_late.pk]).update(
        respond_by=yesterday
    )
    actions.mark_contacted(late_contacted, actor=acting(personas.olga), version=1, note="Done.")
    for person in (personas.olga, personas.ana):
        text = page_text(client_for(person).get("/"))
        assert "1 new lead not answered in time" in text, person
        assert "?status=new&amp;overdue=on" in text
    text = page_text(client_for(personas.sofia).get("/"))
    assert "not answered in time" not in text
    text = page_text(client_for(personas.dario).get("/"))
    assert "1 new lead not answered in time" in text


def test_the_nav_shows_the_new_leads_to_outreach_officers(make_lead, personas):
    make_lead()
    make_lead()
    text = page_text(client_for(personas.olga).get(reverse("outreach:leads")))
    assert 'href="/outreach/leads/"' in text
    assert '2<span class="visually-hidden"> waiting' in text


def test_a_caseworker_converting_sees_the_look_alikes_she_may_see(make_lead, personas):
    earlier = register(personas.ana, given_names="Rosa Elena", first_surname="Quispe")
    lead = make_lead()
    response = client_for(personas.ana).post(
        lead_url(lead), {"action": "convert", "convert-version": "1"}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert reverse("cases:case", kwargs={"case_id": earlier.public_id}) in text
    assert earlier.reference in text
    assert "Someone registered may be this person" not in text


def test_a_lead_from_a_session_names_the_session(make_session, lead_fields, personas):
    session = make_session(title="Tornare in Perù: cosa sapere", venue="Casa delle Associazioni")
    lead = public.create_lead(source="session", fields=lead_fields, consent=True, session=session)
    text = page_text(client_for(personas.olga).get(lead_url(lead)))
    assert "From the info session" in text
    assert "Tornare in Perù: cosa sapere" in text and "Casa delle Associazioni" in text
    assert "Info session" in text

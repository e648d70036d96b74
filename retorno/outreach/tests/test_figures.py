"""The campaign's figures with known numbers: a small world of sessions in two regions, sign-ups
attended, counts, organisations reached, leads of each source, leads that became cases which
went on (handed over; closed after ready to depart; in reintegration), and the public counts."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

from retorno.cases import actions as case_actions
from retorno.cases.models import Case
from retorno.cases.tests.factories import handed_over, ready_to_depart, register
from retorno.conftest import acting
from retorno.outreach.actions import public, sessions
from retorno.outreach.models import InfoSession, Lead, LocalOrganisation, PublicCount
from retorno.outreach.queries import campaign_figures
from retorno.programmes.models import Cycle
from retorno.testing.audit import assert_audited


def started(session):
    past = timezone.now() - datetime.timedelta(hours=3)
    InfoSession.objects.filter(pk=session.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def converted(lead, case):
    """The lead became this inquiry case (what the leads' triage does)."""
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.CONVERTED, case=case)


def build_world(personas, campaign, make_session, lead_fields):
    today = timezone.localdate()
    Cycle.objects.filter(pk=campaign.cycle_id).update(
        starts_on=today - datetime.timedelta(days=100), ends_on=today + datetime.timedelta(days=100)
    )
    campaign.cycle.refresh_from_db()
    olga = acting(personas.olga)
    milan = make_session(region="IT-25", audience="both")
    public.sign_up(
        milan,
        name="Rosa Quispe",
        email="r@example.org",
        language="es",
        places=2,
        consent_attendance=True,
    )
    public.sign_up(milan, name="Luis Mamani", phone="+39 1", language="es")
    rosa = milan.signups.get(name="Rosa Quispe")
    started(milan)
    sessions.record_attendance(milan, actor=olga, attended={str(rosa.public_id): True})
    sessions.set_counts(milan, actor=olga, rows=[{"sex": "male", "age_band": "30-44", "count": 5}])
    sessions.mark_held(milan, actor=olga)
    turin = started(make_session(region="IT-21", province="Torino", audience="both"))
    sessions.set_counts(
        turin,
        actor=olga,
        rows=[{"sex": "female", "age_band": "18-29", "nationality": "BO", "count": 3}],
    )
    sessions.mark_held(turin, actor=olga)
    make_session(region="IT-25")  # upcoming: not held
    sessions.cancel_session(make_session(region="IT-21"), actor=olga)
    arci = LocalOrganisation.objects.create(name="Arci", kind="association", region="IT-25")
    caritas = LocalOrganisation.objects.create(name="Caritas", kind="ngo", region="IT-25")
    sessions.set_organisations(milan, actor=olga, partners=[], reached=[arci, caritas])
    sessions.set_organisations(turin, actor=olga, partners=[arci], reached=[arci])

    site = public.submit_contact_request(fields=lead_fields, consent=True)
    public.submit_contact_request(fields=lead_fields, consent=True)
    referred = public.submit_organisation_referral(
        fields={**lead_fields, "referrer_name": "Caritas"}, consent=True
    )
    at_session = public.create_lead(
        source="session", fields={**lead_fields, "region": "IT-21"}, consent=True, session=turin
    )
    madrid = public.submit_contact_request(fields={**lead_fields, "region": "ES-MD"}, consent=True)
    ana, dario = personas.ana, personas.dario
    handover = handed_over(register(ana), ana, personas.org("LIM"))
    assert handover.case.phase == "handed_over"
    converted(site, handover.case)
    reintegrating = register(ana, given_names="Elena")
    Case.objects.filter(pk=reintegrating.pk).update(phase="reintegration")  # months later
    converted(referred, reintegrating)
    converted(at_session, register(ana, given_names="Luz"))
    left = ready_to_depart(register(dario, given_names="Juan"), dario)
    case_actions.close_case(left, actor=acting(dario), reason="did_not_return")
    converted(madrid, left)

    PublicCount.objects.create(day=today, kind="view", name="home", language="es", count=40)
    PublicCount.objects.create(day=today, kind="view", name="guide-pe", language="it", count=2)
    PublicCount.objects.create(day=today, kind="completion", name="contact", language="es", count=3)
    PublicCount.objects.create(
        day=today - datetime.timedelta(days=400), kind="view", name="home", language="es", count=99
    )
    return campaign.cycle


def as_table(figures):
    return {
        (row.region or "total"): (
            row.sessions_held,
            row.attendees,
            row.organisations_reached,
            row.leads_site,
            row.leads_organisation,
            row.leads_session,
            row.inquiries,
            row.departures,
            row.reintegrations,
        )
        for row in [*figures.rows, figures.total]
    }


def test_figures_per_region_with_known_numbers(personas, campaign, make_session, lead_fields):
    cycle = build_world(personas, campaign, make_session, lead_fields)
    figures = campaign_figures(cycle)
    assert [row.region for row in figures.rows] == ["IT-25", "IT-21", "ES-MD"]
    assert as_table(figures) == {
        "IT-25": (1, 7, 2, 2, 1, 0, 2, 2, 1),
        "IT-21": (1, 3, 1, 0, 0, 1, 1, 0, 0),
        "ES-MD": (0, 0, 0, 1, 0, 0, 1, 1, 0),
        "total": (2, 10, 2, 3, 1, 1, 4, 3, 1),
    }
    assert figures.rows[0].attended_named == 2 and figures.rows[0].attended_counted == 5
    assert (figures.page_views, figures.forms_completed) == (42, 3)
    one = campaign_figures(cycle, region="IT-21")
    assert as_table(one) == {
        "IT-21": (1, 3, 1, 0, 0, 1, 1, 0, 0),
        "total": (1, 3, 1, 0, 0, 1, 1, 0, 0),
    }


def test_the_figures_page_and_its_csv(client, personas, campaign, make_session, lead_fields):
    cycle = build_world(personas, campaign, make_session, lead_fields)
    client.force_login(personas.eva)
    page = client.get(reverse("outreach:figures"), {"cycle": str(cycle.public_id)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lombardia" in text and "Comunidad de Madrid" in text
    export = client.get(reverse("outreach:figures_export"), {"cycle": str(cycle.public_id)})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:3] == ["Region", "Sessions held", "Attendees by name"]
    assert rows[1] == ["Lombardia", "1", "2", "5", "7", "2", "2", "1", "0", "3", "2", "2", "1"]
    assert rows[4] == ["Total", "2", "2", "8", "10", "2", "3", "1", "1", "5", "4", "3", "1"]
    assert rows[-2:] == [["Public site page views", "42"], ["Public site forms completed", "3"]]
    assert_audited(
        "campaign_figures.exported", actor=personas.eva, target=cycle, detail={"region": ""}
    )


def test_who_reads_the_figures(client, personas):
    url = reverse("outreach:figures")
    for name, status in (("olga", 200), ("bruno", 200), ("irene", 200), ("ana", 403)):
        client.force_login(personas[name])
        assert client.get(url).status_code == status, name


def test_the_figures_run_the_same_queries_for_a_bigger_campaign(
    client, personas, campaign, make_session, lead_fields, django_assert_max_num_queries
):
    cycle = build_world(personas, campaign, make_session, lead_fields)
    client.force_login(personas.olga)
    url = reverse("outreach:figures")
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"cycle": str(cycle.public_id)})
    for region in ("IT-62", "PT-11", "ES-CT"):
        session = started(make_session(region=region))
        sessions.set_counts(
            session,
            actor=acting(personas.olga),
            rows=[{"sex": "male", "age_band": "60+", "count": 1}],
        )
        public.submit_contact_request(fields={**lead_fields, "region": region}, consent=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, {"cycle": str(cycle.public_id)})
    assert "Lazio" in page.content.decode() and "Lisboa" in page.content.decode()

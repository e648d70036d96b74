"""The demo's information campaign: the public site published in four languages, sessions held
and upcoming in the four Italian regions, Madrid and Lisbon, full sessions with a waiting list,
attendance, and leads from every source, some past the day they should have been answered by."""

import pytest
from django.utils import timezone

from retorno.demo.outreach import ensure_demo_outreach
from retorno.outreach.models import (
    AttendanceCount,
    Campaign,
    InfoSession,
    Lead,
    LocalOrganisation,
    PageTranslation,
    PublicPage,
    SignUp,
)


@pytest.fixture
def demo(personas):
    return ensure_demo_outreach()


def _snapshot():
    return (
        Campaign.objects.count(),
        sorted(InfoSession.objects.values_list("public_id", "status", "confirmed_count")),
        sorted(SignUp.objects.values_list("public_id", "status", "attended")),
        sorted(Lead.objects.values_list("reference", "status", "respond_by")),
        PageTranslation.objects.filter(published__isnull=False).count(),
        AttendanceCount.objects.count(),
        LocalOrganisation.objects.count(),
    )


def test_the_public_site_is_published_in_four_languages(demo):
    assert PublicPage.objects.count() == 15
    assert PageTranslation.objects.filter(published__isnull=False).count() == 60
    peru = PageTranslation.objects.select_related("published").get(
        page__key="guide-pe", language="es"
    )
    assert "SUNEDU" in peru.published.body


def test_sessions_in_the_four_italian_regions_madrid_and_lisbon(demo):
    sessions = InfoSession.objects.all()
    assert {s.region for s in sessions} == {"IT-25", "IT-21", "IT-42", "IT-62", "ES-MD", "PT-11"}
    assert {s.desk.code for s in sessions} == {"MIL", "MAD", "LIS"}
    assert {s.audience for s in sessions} == {"migrants", "organisations", "both"}
    now = timezone.now()
    held = sessions.filter(status="held")
    assert held.count() == 5 and all(s.ends_at < now for s in held)
    upcoming = sessions.filter(status="scheduled")
    assert upcoming.count() == 5 and all(s.starts_at > now for s in upcoming)
    assert {s.province for s in sessions} >= {"Milano", "Brescia", "Torino", "Genova", "Roma"}
    # Partners and, for sessions aimed at organisations, the organisations reached.
    torino = sessions.get(province="Torino")
    assert torino.partners.exists() and torino.organisations_reached.count() == 2


def test_full_sessions_have_a_waiting_list_and_a_cancelled_place_went_to_the_next(demo):
    genova = InfoSession.objects.get(province="Genova")
    assert genova.confirmed_count == genova.capacity == 6
    assert genova.waiting_count == 2
    assert SignUp.objects.filter(session=genova, status="waiting").count() == 2
    madrid = InfoSession.objects.get(region="ES-MD", status="scheduled")
    statuses = list(
        SignUp.objects.filter(session=madrid)
        .order_by("created_at", "pk")
        .values_list("name", "status")
    )
    assert statuses == [
        ("Hilda Mercado Rojas", "confirmed"),
        ("Rubén Darío Quiroga", "cancelled"),
        ("Sonia Ayala Cáceres", "confirmed"),
        ("Teófilo Huarachi Vargas", "confirmed"),
        ("Eulogia Cusi Poma", "waiting"),
    ]
    assert (madrid.confirmed_count, madrid.waiting_count) == (madrid.capacity, 1) == (4, 1)


def test_attendance_of_the_sessions_held(demo):
    for session in InfoSession.objects.filter(status="held"):
        assert AttendanceCount.objects.filter(session=session).exists()
    # Only people who agreed are recorded by name.
    assert not SignUp.objects.filter(consent_attendance=False, attended__isnull=False).exists()
    assert SignUp.objects.filter(session__status="held", attended=True).count() >= 6
    assert not SignUp.objects.filter(session__status="scheduled", attended__isnull=False).exists()


def test_leads_from_every_source_region_and_country(demo):
    assert demo == Lead.objects.count() == 25
    assert set(Lead.objects.values_list("source", flat=True)) == {
        "site",
        "organisation",
        "session",
    }
    assert {lead.desk.code for lead in Lead.objects.select_related("desk")} == {
        "MIL",
        "MAD",
        "LIS",
    }
    assert len(set(Lead.objects.values_list("return_country", flat=True))) == 8
    assert not Lead.objects.filter(source="organisation", referrer_name="").exists()
    from_sessions = Lead.objects.filter(source="session")
    assert all(lead.session.status == "held" for lead in from_sessions)
    assert all(lead.created_at > lead.session.ends_at for lead in from_sessions)
    today = timezone.localdate()
    overdue = Lead.objects.filter(status="new", respond_by__lt=today)
    assert 3 <= overdue.count() <= 8
    assert Lead.objects.filter(respond_by__gte=today).exists()


def test_loading_the_demo_again_changes_nothing(demo):
    before = _snapshot()
    assert ensure_demo_outreach() == 0
    assert _snapshot() == before


def test_leads_in_every_state_triaged_by_the_desks_staff(demo):
    from retorno.audit.models import AuditEvent

    states = set(Lead.objects.values_list("status", flat=True))
    assert states == {"new", "contacted", "not_interested", "duplicate", "converted"}
    converted = Lead.objects.filter(status="converted").select_related("case__owning_desk")
    assert all(lead.case.phase == "inquiry" for lead in converted)
    assert all(lead.case.owning_desk_id == lead.desk_id for lead in converted)
    by_olga = AuditEvent.objects.filter(verb="lead.converted", actor__username="olga.outreach")
    assert by_olga.exists()

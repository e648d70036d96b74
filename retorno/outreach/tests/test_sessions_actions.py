"""The campaign's actions: who may run it, the rules of a session (region, times, places, the
version), cancellation with its emails, materials checked by their bytes, attendance by name only
for those who agreed, counts, organisations; each with its audit event."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.conftest import acting
from retorno.lib.errors import ActionError
from retorno.outreach.actions import public, sessions
from retorno.outreach.models import AttendanceCount, InfoSession, LocalOrganisation, SessionMaterial
from retorno.testing.audit import assert_audited

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def session_fields(**changes):
    starts = timezone.now() + datetime.timedelta(days=7)
    fields = {
        "title": "Tornare in Ecuador",
        "description": "",
        "language": "es",
        "region": "IT-21",
        "province": "Torino",
        "venue": "Centro Interculturale",
        "address": "Corso Taranto 160, Torino",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "audience": "migrants",
        "capacity": 30,
    }
    fields.update(changes)
    return fields


def started(session):
    """Move a session into the past (sign-ups are taken only before it starts)."""
    past = timezone.now() - datetime.timedelta(hours=3)
    InfoSession.objects.filter(pk=session.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def test_an_outreach_officer_creates_a_campaign_and_a_session_at_her_desk(personas, campaign):
    olga = acting(personas.olga)
    created = sessions.create_campaign(campaign.cycle, actor=olga, name="  Tornare  2027 ")
    assert created.name == "Tornare 2027"
    assert_audited("campaign.created", actor=personas.olga, target=created)
    sessions.update_campaign(created, actor=olga, name="Ritorno 2027", description="Autunno")
    assert_audited(
        "campaign.updated",
        actor=personas.olga,
        target=created,
        changes={"name": ["Tornare 2027", "Ritorno 2027"], "description": ["", "Autunno"]},
    )
    session = sessions.create_session(campaign, actor=olga, **session_fields())
    assert session.desk == personas.org("MIL")
    assert_audited(
        "info_session.created", actor=personas.olga, target=session, detail={"region": "IT-21"}
    )


def test_a_caseworker_does_not_run_the_campaign(personas, campaign):
    with pytest.raises(ActionError) as refused:
        sessions.create_session(campaign, actor=acting(personas.ana), **session_fields())
    assert refused.value.code == "forbidden"
    bruno = acting(personas.bruno)  # the Milan coordinator may
    assert sessions.create_session(campaign, actor=bruno, **session_fields()).pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"region": "FR-75"}, "region"),
        ({"capacity": 0}, "capacity"),
        ({"venue": " "}, "venue"),
        ({"audience": "everyone"}, "audience"),
    ],
)
def test_a_session_needs_a_known_region_a_venue_and_places(personas, campaign, changes, field):
    with pytest.raises(ActionError) as refused:
        sessions.create_session(campaign, actor=acting(personas.olga), **session_fields(**changes))
    assert refused.value.field == field


def test_a_session_ends_after_it_starts(personas, campaign):
    fields = session_fields()
    fields["ends_at"] = fields["starts_at"]
    with pytest.raises(ActionError) as refused:
        sessions.create_session(campaign, actor=acting(personas.olga), **fields)
    assert refused.value.field == "ends_at"


def test_places_cannot_go_below_those_confirmed(personas, make_session):
    session = make_session(capacity=10)
    public.sign_up(session, name="Rosa Quispe", email="rosa@example.org", language="es", places=4)
    session.refresh_from_db()
    olga = acting(personas.olga)
    with pytest.raises(ActionError) as refused:
        sessions.update_session(session, actor=olga, version=session.version, capacity=3)
    assert refused.value.field == "capacity"
    changed = sessions.update_session(session, actor=olga, version=session.version, capacity=4)
    assert changed.capacity == 4 and changed.version == 2
    assert_audited(
        "info_session.updated",
        actor=personas.olga,
        target=session,
        changes={"capacity": ["10", "4"]},
    )


def test_two_people_editing_a_session_do_not_overwrite_each_other(personas, make_session):
    session = make_session()
    olga, bruno = acting(personas.olga), acting(personas.bruno)
    sessions.update_session(session, actor=bruno, version=1, venue="Cascina Cuccagna")
    with pytest.raises(ActionError) as refused:
        sessions.update_session(session, actor=olga, version=1, venue="Casa della Cultura")
    assert refused.value.code == "conflict"
    session.refresh_from_db()
    assert session.venue == "Cascina Cuccagna"


def test_only_the_desk_that_runs_a_session_changes_it(personas, make_session):
    session = make_session(desk="MAD", region="ES-MD")
    with pytest.raises(ActionError) as refused:
        sessions.update_session(session, actor=acting(personas.olga), version=1, capacity=5)
    assert refused.value.code == "forbidden"


def test_cancelling_a_session_tells_everyone_with_an_email_in_their_language(
    personas, make_session, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    public.sign_up(session, name="Rosa Quispe", email="rosa@example.org", language="es")
    public.sign_up(session, name="Luis Mamani", email="luis@example.org", language="it")
    public.sign_up(session, name="Ana Flores", phone="+39 333 000 1111", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        sessions.cancel_session(session, actor=acting(personas.olga))
    session.refresh_from_db()
    assert session.status == InfoSession.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == ["luis@example.org", "rosa@example.org"]
    spanish = next(m for m in mail.outbox if m.to == ["rosa@example.org"])
    assert "Rosa Quispe" in spanish.body and session.title in spanish.subject
    assert_audited(
        "info_session.cancelled",
        actor=personas.olga,
        target=session,
        changes={"status": ["scheduled", "cancelled"]},
        detail={"emailed": 2},
    )
    with pytest.raises(ActionError):
        sessions.cancel_session(session, actor=acting(personas.olga))


def test_a_session_is_marked_held_once_it_started(personas, make_session):
    session = make_session()
    with pytest.raises(ActionError):
        sessions.mark_held(session, actor=acting(personas.olga))
    held = sessions.mark_held(started(session), actor=acting(personas.olga))
    assert held.status == InfoSession.Status.HELD
    assert_audited(
        "info_session.held",
        actor=personas.olga,
        target=session,
        changes={"status": ["scheduled", "held"]},
    )


def test_materials_are_checked_by_their_bytes(personas, make_session, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    session = make_session()
    olga = acting(personas.olga)
    disguised = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf at all" * 10)
    with pytest.raises(ActionError) as refused:
        sessions.add_material(session, actor=olga, title="Slides", file=disguised)
    assert refused.value.field == "file"
    material = sessions.add_material(
        session, actor=olga, title="Leaflet", file=SimpleUploadedFile("leaflet.pdf", PDF)
    )
    assert material.content_type == "application/pdf" and material.size == len(PDF)
    assert_audited(
        "session_material.added",
        actor=personas.olga,
        target=session,
        detail={"material": str(material.public_id), "type": "application/pdf"},
    )
    image = sessions.add_material(
        session, actor=olga, title="", file=SimpleUploadedFile("map.png", PNG)
    )
    assert image.title == "map.png"
    sessions.remove_material(image, actor=olga)
    assert list(SessionMaterial.objects.filter(session=session)) == [material]
    assert_audited(
        "session_material.removed",
        actor=personas.olga,
        target=session,
        detail={"material": str(image.public_id)},
    )


def test_attendance_is_recorded_by_name_only_for_those_who_agreed(personas, make_session):
    session = make_session()
    agreed, _secret = public.sign_up(
        session, name="Rosa Quispe", email="r@example.org", language="es", consent_attendance=True
    )
    other, _secret = public.sign_up(session, name="Luis Mamani", phone="+39 1", language="es")
    session = started(session)
    olga = acting(personas.olga)
    with pytest.raises(ActionError):
        sessions.record_attendance(session, actor=olga, attended={str(other.public_id): True})
    present = sessions.record_attendance(
        session, actor=olga, attended={str(agreed.public_id): True}
    )
    assert present == 1
    agreed.refresh_from_db()
    other.refresh_from_db()
    assert agreed.attended is True and other.attended is None
    assert_audited(
        "attendance.recorded",
        actor=personas.olga,
        target=session,
        changes={str(agreed.public_id): [None, True]},
        detail={"present": 1},
    )


def test_attendance_waits_for_the_session_to_start(personas, make_session):
    session = make_session()
    agreed, _secret = public.sign_up(
        session, name="Rosa Quispe", email="r@example.org", language="es", consent_attendance=True
    )
    with pytest.raises(ActionError):
        sessions.record_attendance(
            session, actor=acting(personas.olga), attended={str(agreed.public_id): True}
        )


def test_counts_replace_what_was_counted(personas, make_session):
    session = started(make_session())
    olga = acting(personas.olga)
    sessions.set_counts(
        session,
        actor=olga,
        rows=[{"sex": "female", "age_band": "30-44", "nationality": "PE", "count": 9}],
    )
    total = sessions.set_counts(
        session,
        actor=olga,
        rows=[
            {"sex": "female", "age_band": "30-44", "nationality": "pe", "count": 5},
            {"sex": "female", "age_band": "30-44", "nationality": "PE", "count": 2},
            {"sex": "male", "age_band": "18-29", "nationality": "", "count": 3},
            {"sex": "male", "age_band": "60+", "nationality": "BO", "count": 0},
        ],
    )
    assert total == 10
    rows = sorted(
        AttendanceCount.objects.filter(session=session).values_list(
            "sex", "age_band", "nationality", "count"
        )
    )
    assert rows == [("female", "30-44", "PE", 7), ("male", "18-29", "", 3)]
    assert_audited(
        "attendance.counted", actor=personas.olga, target=session, detail={"total": 10, "rows": 2}
    )
    with pytest.raises(ActionError) as refused:
        sessions.set_counts(session, actor=olga, rows=[{"sex": "x", "age_band": "60+", "count": 1}])
    assert refused.value.field == "rows"


def test_partners_and_organisations_reached(personas, make_session):
    session = make_session(audience="organisations")
    olga = acting(personas.olga)
    caritas = sessions.create_local_organisation(
        actor=olga, name="Caritas Ambrosiana", kind="association", region="IT-25"
    )
    assert_audited("local_organisation.created", actor=personas.olga, target=caritas)
    with pytest.raises(ActionError) as refused:
        sessions.create_local_organisation(
            actor=olga, name="caritas ambrosiana", kind="association", region="IT-25"
        )
    assert refused.value.field == "name"
    consulate = LocalOrganisation.objects.create(
        name="Consolato del Perù", kind="consulate", region="IT-25"
    )
    sessions.set_organisations(session, actor=olga, partners=[caritas], reached=[consulate])
    assert list(session.partners.all()) == [caritas]
    assert list(session.organisations_reached.all()) == [consulate]
    for_migrants = make_session(audience="migrants")
    with pytest.raises(ActionError) as refused:
        sessions.set_organisations(for_migrants, actor=olga, partners=[caritas], reached=[caritas])
    assert refused.value.field == "reached"
    sessions.set_organisations(for_migrants, actor=olga, partners=[caritas], reached=[])
    assert list(for_migrants.partners.all()) == [caritas]
    sessions.set_organisations(session, actor=olga, partners=[caritas], reached=[consulate])
    assert_audited(
        "info_session.organisations_set",
        actor=personas.olga,
        target=session,
        detail={"partners": [str(caritas.public_id)], "reached": [str(consulate.public_id)]},
    )

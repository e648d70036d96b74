"""The campaign's pages: the list of campaigns and sessions, creating and changing a session
(what was typed comes back on an error; two editors do not overwrite each other), the sign-ups
only for the desk's staff, attendance, counts, materials and organisations."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from retorno.conftest import acting
from retorno.outreach.actions import public, sessions
from retorno.outreach.models import AttendanceCount, InfoSession, LocalOrganisation, SignUp
from retorno.testing.audit import assert_audited

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def when(days, hour=18):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def posted_session(campaign, **changes):
    data = {
        "campaign": campaign.pk,
        "title": "Tornare in Bolivia",
        "audience": "migrants",
        "language": "es",
        "day": when(12).strftime("%Y-%m-%d"),
        "start_time": "18:00",
        "end_time": "20:00",
        "region": "IT-42",
        "province": "Genova",
        "venue": "Biblioteca Berio",
        "address": "Via del Seminario 16, Genova",
        "capacity": "25",
        "description": "",
    }
    data.update(changes)
    return data


def started(session):
    past = timezone.now() - datetime.timedelta(hours=3)
    InfoSession.objects.filter(pk=session.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def test_the_campaign_lists_upcoming_sessions_first_then_past(
    as_user, personas, campaign, make_session
):
    make_session(title="Domani a Milano", days=1)
    started(make_session(title="Ieri a Torino", region="IT-21"))
    make_session(title="A Lisbona", desk="LIS", region="PT-11", days=3)
    page = as_user(personas.olga).get(reverse("outreach:campaign"))
    assert page.status_code == 200
    text = page.content.decode()
    assert campaign.name in text
    assert text.index("Domani a Milano") < text.index("A Lisbona") < text.index("Ieri a Torino")
    filtered = as_user(personas.olga).get(reverse("outreach:campaign"), {"region": "IT-21"})
    assert "Ieri a Torino" in filtered.content.decode()
    assert "Domani a Milano" not in filtered.content.decode()


def test_the_campaign_list_runs_the_same_queries_for_more_sessions(
    client, personas, make_session, django_assert_max_num_queries
):
    client.force_login(personas.olga)
    for _ in range(2):
        make_session()
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("outreach:campaign"))
    for _ in range(15):
        make_session(desk="MAD", region="ES-MD")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("outreach:campaign"))
    assert page.content.decode().count("Tornare in Perù") == 17


def test_a_partner_does_not_see_the_campaign(as_user, personas):
    assert as_user(personas.carla).get(reverse("outreach:campaign")).status_code == 403


def test_a_session_with_bad_input_comes_back_with_what_was_typed(as_user, personas, campaign):
    client = as_user(personas.olga)
    data = posted_session(campaign, end_time="17:30")
    page = client.post(reverse("outreach:session_create"), data)
    assert page.status_code == 422
    text = page.content.decode()
    assert "The session must end after it starts." in text
    assert 'id="id_end_time-error"' in text and 'value="17:30"' in text
    assert 'value="Biblioteca Berio"' in text and 'value="Via del Seminario 16, Genova"' in text
    assert not InfoSession.objects.exists()
    created = client.post(reverse("outreach:session_create"), posted_session(campaign))
    session = InfoSession.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("outreach:session", args=[session.public_id])
    assert session.desk == personas.org("MIL") and session.region == "IT-42"


def test_a_caseworker_reads_a_session_but_does_not_create_or_change_one(
    as_user, personas, campaign, make_session
):
    session = make_session()
    client = as_user(personas.ana)
    assert client.get(reverse("outreach:session", args=[session.public_id])).status_code == 200
    assert client.get(reverse("outreach:session_create")).status_code == 403
    edit = reverse("outreach:session_edit", args=[session.public_id])
    assert client.get(edit).status_code == 403


def test_two_editors_of_a_session_do_not_overwrite_each_other(
    client, personas, campaign, make_session
):
    session = make_session()
    url = reverse("outreach:session_edit", args=[session.public_id])
    data = posted_session(campaign, version="1")
    sessions.update_session(
        session, actor=acting(personas.bruno), version=1, venue="Cascina Cuccagna"
    )
    client.force_login(personas.olga)
    page = client.post(url, data)
    assert page.status_code == 422
    assert "Someone else changed this session" in page.content.decode()
    assert 'value="Biblioteca Berio"' in page.content.decode()
    session.refresh_from_db()
    assert session.venue == "Cascina Cuccagna"


def test_places_cannot_go_below_those_confirmed_on_the_page(
    client, personas, campaign, make_session
):
    session = make_session(capacity=10)
    public.sign_up(session, name="Rosa Quispe", email="rosa@example.org", language="es", places=3)
    client.force_login(personas.olga)
    url = reverse("outreach:session_edit", args=[session.public_id])
    page = client.post(url, posted_session(campaign, capacity="2", version="1"))
    assert page.status_code == 422
    assert "3 places are already confirmed" in page.content.decode()


def test_a_madrid_caseworker_reads_a_milan_session_but_not_who_signed_up(
    as_user, personas, make_session
):
    session = make_session()
    public.sign_up(session, name="Rosa Quispe", email="rosa@example.org", language="es")
    client = as_user(personas.dario)
    page = client.get(reverse("outreach:session", args=[session.public_id]))
    assert page.status_code == 200 and "Rosa Quispe" not in page.content.decode()
    url = reverse("outreach:signups", args=[session.public_id])
    assert client.get(url).status_code == 404


def test_the_desk_sees_who_signed_up_and_the_read_is_audited(as_user, personas, make_session):
    session = make_session()
    public.sign_up(session, name="Rosa Quispe", email="rosa@example.org", language="es")
    page = as_user(personas.ana).get(reverse("outreach:signups", args=[session.public_id]))
    assert page.status_code == 200
    assert "Rosa Quispe" in page.content.decode() and "rosa@example.org" in page.content.decode()
    assert_audited("info_session.signups_viewed", actor=personas.ana, target=session)


def test_attendance_is_recorded_on_the_page_only_for_those_who_agreed(
    client, personas, make_session
):
    session = make_session()
    agreed, _secret = public.sign_up(
        session, name="Rosa Quispe", email="r@example.org", language="es", consent_attendance=True
    )
    other, _secret = public.sign_up(session, name="Luis Mamani", phone="+39 1", language="es")
    started(session)
    client.force_login(personas.olga)
    url = reverse("outreach:signups", args=[session.public_id])
    page = client.get(url)
    text = page.content.decode()
    assert f'name="attended_{agreed.public_id}"' in text
    assert f'name="attended_{other.public_id}"' not in text
    assert "1 person did not agree" in text
    done = client.post(
        url, {f"attended_{agreed.public_id}": "on", f"attended_{other.public_id}": "on"}
    )
    assert done.status_code == 302
    agreed.refresh_from_db()
    other.refresh_from_db()
    assert agreed.attended is True and other.attended is None


def test_staff_cancel_a_place_and_the_first_waiting_gets_it(client, personas, make_session):
    session = make_session(capacity=1)
    first, _secret = public.sign_up(session, name="Rosa Quispe", phone="+39 1", language="es")
    waiting, _secret = public.sign_up(session, name="Luis Mamani", phone="+39 2", language="es")
    client.force_login(personas.olga)
    url = reverse("outreach:signups", args=[session.public_id])
    assert client.post(url, {"cancel": str(first.public_id)}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.CONFIRMED
    assert_audited("signup.cancelled", actor=personas.olga, target=session)
    client.force_login(personas.ana)  # the desk's caseworker reads, does not change
    assert client.post(url, {"cancel": str(waiting.public_id)}).status_code == 403


def test_counts_are_saved_from_the_grid(client, personas, make_session):
    session = started(make_session())
    client.force_login(personas.olga)
    url = reverse("outreach:counts", args=[session.public_id])
    page = client.get(url)
    assert page.status_code == 200 and 'name="form-2-age_30-44"' in page.content.decode()
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-nationality": "PE",
        "form-0-sex": "female",
        "form-0-age_30-44": "4",
        "form-0-age_60+": "1",
        "form-1-nationality": "",
        "form-1-sex": "male",
        "form-1-age_18-29": "2",
    }
    assert client.post(url, data).status_code == 302
    rows = sorted(
        AttendanceCount.objects.filter(session=session).values_list(
            "sex", "age_band", "nationality", "count"
        )
    )
    assert rows == [
        ("female", "30-44", "PE", 4),
        ("female", "60+", "PE", 1),
        ("male", "18-29", "", 2),
    ]
    again = client.get(url).content.decode()
    assert 'name="form-0-age_30-44" value="4"' in again
    wrong = client.post(url, {**data, "form-1-age_18-29": "-2"})
    assert wrong.status_code == 422 and 'value="-2"' in wrong.content.decode()


def test_materials_upload_checks_the_bytes_and_the_download_is_audited(
    client, personas, make_session, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    session = make_session()
    client.force_login(personas.olga)
    url = reverse("outreach:materials", args=[session.public_id])
    fake = SimpleUploadedFile("slides.pdf", b"<html><script>alert(1)</script></html>" * 5)
    refused = client.post(url, {"title": "Slides", "file": fake})
    assert refused.status_code == 422
    assert "The file must be a PDF" in refused.content.decode()
    added = client.post(
        url, {"title": "Volantino", "file": SimpleUploadedFile("volantino.pdf", PDF)}
    )
    assert added.status_code == 302
    material = session.materials.get()
    client.force_login(personas.dario)  # any desk's staff may download it
    download = client.get(
        reverse("outreach:material", args=[session.public_id, material.public_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert_audited(
        "session_material.downloaded",
        actor=personas.dario,
        target=session,
        detail={"material": str(material.public_id)},
    )
    assert client.get(url).status_code == 403  # but not upload


def test_organisations_chosen_and_one_added_inline(client, personas, make_session):
    session = make_session(audience="both")
    caritas = LocalOrganisation.objects.create(
        name="Caritas Ambrosiana", kind="association", region="IT-25"
    )
    client.force_login(personas.olga)
    url = reverse("outreach:session_organisations", args=[session.public_id])
    added = client.post(
        url,
        {
            "add_organisation": "1",
            "new-name": "Consolato del Perù",
            "new-kind": "consulate",
            "new-region": "IT-25",
            "new-province": "Milano",
        },
    )
    assert added.status_code == 302
    consulate = LocalOrganisation.objects.get(name="Consolato del Perù")
    saved = client.post(
        url, {"partners": [str(caritas.public_id)], "reached": [str(consulate.public_id)]}
    )
    assert saved.status_code == 302
    page = client.get(reverse("outreach:session", args=[session.public_id])).content.decode()
    assert "Caritas Ambrosiana" in page and "Consolato del Perù" in page
    missing = client.post(url, {"add_organisation": "1", "new-name": "", "new-region": "IT-25"})
    assert missing.status_code == 422


def test_cancel_a_session_from_its_confirmation_page(client, personas, make_session):
    session = make_session()
    client.force_login(personas.olga)
    url = reverse("outreach:session_cancel", args=[session.public_id])
    assert "This cannot be undone" in client.get(url).content.decode()
    assert client.post(url, {"version": "1"}).status_code == 302
    session.refresh_from_db()
    assert session.status == InfoSession.Status.CANCELLED


def test_mark_held_after_the_session(client, personas, make_session):
    session = started(make_session())
    client.force_login(personas.olga)
    client.post(reverse("outreach:session_held", args=[session.public_id]))
    session.refresh_from_db()
    assert session.status == InfoSession.Status.HELD


def test_the_organisations_list_and_creation(client, personas):
    client.force_login(personas.olga)
    url = reverse("outreach:organisations")
    wrong = client.post(url, {"name": "Arci Genova", "kind": "", "region": "IT-42"})
    assert wrong.status_code == 422 and 'value="Arci Genova"' in wrong.content.decode()
    done = client.post(url, {"name": "Arci Genova", "kind": "association", "region": "IT-42"})
    assert done.status_code == 302
    assert "Arci Genova" in client.get(url).content.decode()


@pytest.mark.parametrize("user", ["olga", "bruno"])
def test_runners_create_a_campaign(client, personas, campaign, user):
    client.force_login(personas[user])
    url = reverse("outreach:campaign_create")
    empty = client.post(url, {"cycle": campaign.cycle.pk, "name": ""})
    assert empty.status_code == 422
    done = client.post(url, {"cycle": campaign.cycle.pk, "name": "Seconda ondata"})
    assert done.status_code == 302
    assert "Seconda ondata" in client.get(reverse("outreach:campaign")).content.decode()


def test_a_session_for_migrants_only_records_partners_but_no_organisation_reached(
    client, personas, make_session
):
    session = make_session(audience="migrants")
    client.force_login(personas.olga)
    url = reverse("outreach:session_organisations", args=[session.public_id])
    LocalOrganisation.objects.create(name="Arci Milano", kind="association", region="IT-25")
    page = client.get(url).content.decode()
    assert 'name="partners"' in page and 'name="reached"' not in page


def test_two_editors_of_a_campaign_do_not_overwrite_each_other(as_user, personas, campaign):
    url = reverse("outreach:campaign_edit", args=[campaign.public_id])
    client = as_user(personas.olga)
    sessions.update_campaign(campaign, actor=acting(personas.bruno), name="Tornare 2027", version=1)
    answer = client.post(
        url, {"cycle": campaign.cycle.pk, "name": "Ritorno informato", "version": "1"}
    )
    assert answer.status_code == 422
    assert "Someone else changed this campaign" in answer.content.decode()
    assert 'value="Ritorno informato"' in answer.content.decode()
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == ("Tornare 2027", 2)
    saved = client.post(
        url, {"cycle": campaign.cycle.pk, "name": "Ritorno informato", "version": "2"}
    )
    assert saved.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == ("Ritorno informato", 3)

"""The info sessions on the public site: the calendar by month in the venue's local time, the
filter by region, sign-up with a waiting list, the confirmation page the person keeps, the
cancellation by link that gives the place to the waiting list, the emails, the iCalendar feed."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from retorno.outreach import spam
from retorno.outreach.models import InfoSession, SignUp
from retorno.outreach.tests.public_site import token

pytestmark = pytest.mark.django_db


def signup_data(**changes):
    data = {
        "name": "Juan Pérez",
        "email": "juan@example.org",
        "phone": "",
        "places": "1",
        spam.TOKEN: token("signup"),
        spam.HONEYPOT: "",
    }
    return {**data, **changes}


def at(day_offset, hour, zone="Europe/Rome"):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour, 0), zoneinfo.ZoneInfo(zone))


def test_calendar_by_month_in_the_venues_local_time_with_places(make_session):
    milan = make_session(starts_at=at(12, 18), ends_at=at(12, 20), capacity=20)
    madrid = make_session(
        region="ES-MD",
        desk="MAD",
        title="Volver a Ecuador",
        province="Madrid",
        starts_at=at(13, 17, "Europe/Madrid"),
        ends_at=at(13, 19, "Europe/Madrid"),
        capacity=1,
        confirmed_count=1,
    )
    make_session(title="Sesión cancelada", status=InfoSession.Status.CANCELLED)
    make_session(title="Sesión pasada", days=-3)
    page = Client().get("/en/sessions/").content.decode()
    assert milan.title in page and madrid.title in page
    assert "18:00–20:00" in page and "17:00–19:00" in page
    assert "local time, Europe/Rome" in page and "local time, Europe/Madrid" in page
    assert "Lombardia" in page and "Comunidad de Madrid" in page
    assert "20 places left" in page
    assert "Full: waiting list" in page
    assert "Sesión cancelada" in page and "Cancelled" in page
    assert "Sesión pasada" not in page
    month = at(12, 18).strftime("%B %Y")
    assert f">{month}</h2>" in page


def test_filter_by_region_without_javascript(make_session):
    make_session(title="In Lombardia")
    make_session(title="In Lazio", region="IT-62", province="Roma")
    page = Client().get("/en/sessions/?region=IT-62").content.decode()
    assert "In Lazio" in page and "In Lombardia" not in page
    assert '<option value="IT-62" selected>Lazio</option>' in page


def test_sign_up_confirmed_then_the_page_to_keep_and_an_email(
    make_session, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=3)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/es/sessions/{session.public_id}/", signup_data(places="2", consent_attendance="on")
        )
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers
    signup = SignUp.objects.get()
    assert (signup.status, signup.places, signup.consent_attendance) == ("confirmed", 2, True)
    assert signup.language == "es"
    location = response["Location"]
    assert location.startswith(f"/es/sessions/signed-up/{signup.public_id}/")
    english = location.replace("/es/", "/en/", 1)
    page = client.get(english).content.decode()
    assert "Your place is confirmed" in page
    assert f"Reference: {str(signup.public_id)[:8]}" in page
    assert f'href="/en/sessions/{session.public_id}/calendar.ics"' in page
    assert "Cancel my place" in page
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["juan@example.org"]
    assert f"http://testserver{location}" in mail.body
    assert session.title in mail.subject


def test_a_full_session_puts_people_on_the_waiting_list(
    make_session, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/en/sessions/{session.public_id}/", signup_data(email="a@example.org"))
    page = Client().get(f"/en/sessions/{session.public_id}/").content.decode()
    assert "Full: waiting list" in page
    assert "you are put on the waiting list" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/en/sessions/{session.public_id}/", signup_data(name="Beatriz"))
    page = Client().get(response["Location"]).content.decode()
    assert "You are on the waiting list" in page
    assert SignUp.objects.get(name="Beatriz").status == "waiting"
    assert "waiting list" in mailoutbox[1].subject


def test_cancel_by_link_gives_the_place_to_the_waiting_list(
    make_session, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    first = Client().post(
        f"/en/sessions/{session.public_id}/", signup_data(email="first@example.org")
    )["Location"]
    Client().post(f"/en/sessions/{session.public_id}/", signup_data(email="second@example.org"))
    confirm = Client().get(first + "cancel/")
    assert confirm.status_code == 200
    assert "Yes, cancel my place" in confirm.content.decode()
    assert SignUp.objects.filter(status="confirmed").count() == 1  # nothing changed on GET
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(first + "cancel/")
    assert response.status_code == 302 and response["Location"] == first
    assert "Your place is cancelled" in Client().get(first).content.decode()
    statuses = dict(SignUp.objects.values_list("email", "status"))
    assert statuses == {"first@example.org": "cancelled", "second@example.org": "confirmed"}
    promoted = mailoutbox[-1]
    assert promoted.to == ["second@example.org"]
    assert "A place is now yours" in promoted.subject


def test_a_wrong_secret_is_not_found(make_session):
    session = make_session()
    location = Client().post(f"/en/sessions/{session.public_id}/", signup_data())["Location"]
    wrong = re.sub(r"/[^/]+/$", "/not-the-secret/", location)
    assert Client().get(wrong).status_code == 404
    assert Client().post(wrong + "cancel/").status_code == 404
    assert SignUp.objects.get().status == "confirmed"


def test_sign_up_errors_keep_what_was_typed(make_session):
    session = make_session()
    response = Client().post(
        f"/en/sessions/{session.public_id}/", signup_data(email="", phone="", name="Ana Ríos")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Write an email address or a phone number." in page
    assert 'value="Ana Ríos"' in page
    assert not SignUp.objects.exists()


def test_a_cancelled_session_takes_no_sign_up(make_session):
    session = make_session(status=InfoSession.Status.CANCELLED)
    page = Client().get(f"/en/sessions/{session.public_id}/").content.decode()
    assert "This session is no longer open for sign-up." in page
    assert 'name="name"' not in page


def test_icalendar_feed_and_one_session(make_session):
    session = make_session(starts_at=at(12, 18), ends_at=at(12, 20))
    cancelled = make_session(title="Annullata", status=InfoSession.Status.CANCELLED)
    response = Client().get("/es/sessions/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "X-WR-CALNAME" in calendar
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[f"{session.public_id}@retorno"]
    assert event.decoded("DTSTART") == at(12, 18).astimezone(datetime.UTC)
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") == at(12, 20).astimezone(datetime.UTC)
    assert str(event["SUMMARY"]) == session.title
    assert str(event["LOCATION"]) == "Casa delle Associazioni, Via Marsala 8, Milano"
    assert f"/es/sessions/{session.public_id}/" in str(event["DESCRIPTION"])
    assert str(events[f"{cancelled.public_id}@retorno"]["STATUS"]) == "CANCELLED"
    single = Client().get(f"/es/sessions/{session.public_id}/calendar.ics")
    only = icalendar.Calendar.from_ical(single.content).walk("VEVENT")
    assert [str(e["UID"]) for e in only] == [f"{session.public_id}@retorno"]

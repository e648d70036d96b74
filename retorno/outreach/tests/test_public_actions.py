"""What visitors send: leads go to the desk of the region, with consent only; sign-ups fill the
places, then the waiting list, and a cancellation gives the place to the first who waits."""

import datetime

import pytest
from django.utils import timezone

from retorno.lib.errors import ActionError
from retorno.outreach.actions import public
from retorno.outreach.models import Lead, PublicCount, RegionRule, SignUp
from retorno.testing.audit import assert_audited


def test_a_request_from_lombardy_goes_to_the_milan_desk(personas, lead_fields):
    lead = public.submit_contact_request(fields=lead_fields, consent=True)
    assert lead.desk == personas.org("MIL")
    assert lead.status == Lead.Status.NEW
    assert lead.reference == f"MIL-L-{timezone.localdate().year}-0001"
    assert lead.respond_by == timezone.localdate() + datetime.timedelta(days=3)
    event = assert_audited("lead.received", actor=None, target=lead, detail={"source": "site"})
    assert "Rosa" not in str(event.detail) and event.organisation == personas.org("MIL")


def test_a_region_rule_sends_the_leads_elsewhere(personas, lead_fields):
    RegionRule.objects.create(region="IT-62", desk=personas.org("MAD"))
    lead = public.submit_contact_request(fields={**lead_fields, "region": "IT-62"}, consent=True)
    assert lead.desk == personas.org("MAD")
    spain = public.submit_contact_request(fields={**lead_fields, "region": "ES-CT"}, consent=True)
    assert spain.desk == personas.org("MAD")
    portugal = public.submit_contact_request(
        fields={**lead_fields, "region": "PT-13"}, consent=True
    )
    assert portugal.desk == personas.org("LIS")


def test_without_consent_nothing_is_kept(personas, lead_fields):
    with pytest.raises(ActionError) as refused:
        public.submit_contact_request(fields=lead_fields, consent=False)
    assert refused.value.field == "consent"
    assert not Lead.objects.exists()


def test_the_channel_chosen_needs_its_contact(personas, lead_fields):
    with pytest.raises(ActionError) as refused:
        public.submit_contact_request(
            fields={**lead_fields, "channel": "email", "email": ""}, consent=True
        )
    assert refused.value.field == "email"
    with pytest.raises(ActionError) as refused:
        public.submit_contact_request(fields={**lead_fields, "region": "FR-75"}, consent=True)
    assert refused.value.field == "region"


def test_an_organisation_referral_keeps_who_referred(personas, lead_fields):
    with pytest.raises(ActionError) as refused:
        public.submit_organisation_referral(fields=lead_fields, consent=True)
    assert refused.value.field == "referrer_name"
    lead = public.submit_organisation_referral(
        fields={**lead_fields, "referrer_name": "Comune di Milano", "referrer_email": "a@b.it"},
        consent=True,
    )
    assert (lead.source, lead.referrer_name) == ("organisation", "Comune di Milano")


def test_sign_ups_fill_the_places_then_the_waiting_list(make_session):
    session = make_session(capacity=3)
    first, secret = public.sign_up(session, name="Ana", email="ana@example.org", language="es")
    second, _ = public.sign_up(session, name="Luis", phone="+39 333 1", language="es", places=2)
    third, _ = public.sign_up(session, name="Eva", email="eva@example.org", language="it")
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count, session.places_left) == (3, 1, 0)
    assert_audited("signup.created", actor=None, target=session, detail={"status": "waiting"})
    assert secret not in first.cancel_digest and len(first.cancel_digest) == 64


def test_a_cancellation_gives_the_place_to_the_first_who_waits(make_session):
    session = make_session(capacity=1)
    first, secret = public.sign_up(session, name="Ana", email="ana@example.org", language="es")
    waiting, _ = public.sign_up(session, name="Eva", email="eva@example.org", language="it")
    assert public.signup_by_link(first.public_id, "wrong") is None
    found = public.signup_by_link(first.public_id, secret)
    promoted = public.cancel_sign_up(found)
    assert promoted == [waiting]
    waiting.refresh_from_db()
    first.refresh_from_db()
    session.refresh_from_db()
    assert (first.status, waiting.status) == ("cancelled", "confirmed")
    assert (session.confirmed_count, session.waiting_count) == (1, 0)
    assert_audited("signup.cancelled", actor=None, target=session, detail={"was": "confirmed"})
    assert_audited("signup.promoted", actor=None, target=session)
    assert public.cancel_sign_up(found) == []  # twice: nothing more happens


def test_a_past_or_cancelled_session_takes_no_sign_up(make_session):
    past = make_session(days=-1)
    with pytest.raises(ActionError):
        public.sign_up(past, name="Ana", email="a@example.org", language="es")
    cancelled = make_session(status="cancelled")
    with pytest.raises(ActionError):
        public.sign_up(cancelled, name="Ana", email="a@example.org", language="es")
    assert not SignUp.objects.exists()


def test_the_rate_limit_counts_per_address_and_keeps_no_address(db):
    allowed = [public.allow_submission("203.0.113.9") for _ in range(public.SUBMISSIONS_PER_HOUR)]
    assert all(allowed)
    assert public.allow_submission("203.0.113.9") is False
    assert public.allow_submission("198.51.100.1") is True
    from retorno.outreach.models import SubmissionTally

    assert not SubmissionTally.objects.filter(key__contains="203.0.113.9").exists()


def test_counts_are_numbers_per_day(db):
    public.count("view", "home", "es")
    public.count("view", "home", "es")
    public.count("completion", "contact", "it")
    rows = sorted(PublicCount.objects.values_list("kind", "name", "language", "count"))
    assert rows == [("completion", "contact", "it", 1), ("view", "home", "es", 2)]


def test_sign_ups_are_erased_a_year_after_the_session_and_attendance_stays_counted(
    make_session,
):
    from retorno.outreach.models import AttendanceCount

    old = make_session(days=-400)
    recent = make_session(days=-30)
    for session in (old, recent):
        SignUp.objects.create(
            session=session,
            name="Ana",
            email="ana@example.org",
            language="es",
            places=2,
            status="confirmed",
            attended=True,
            cancel_digest="x" * 64,
        )
        SignUp.objects.create(
            session=session,
            name="Eva",
            phone="+39 333 1",
            language="es",
            status="confirmed",
            attended=False,
            cancel_digest="y" * 64,
        )
    assert public.erase_expired_sign_ups() == 2
    assert list(SignUp.objects.values_list("session", flat=True)) == [recent.pk, recent.pk]
    counted = AttendanceCount.objects.get(session=old)
    assert (counted.sex, counted.age_band, counted.count) == ("unknown", "unknown", 2)
    assert_audited(
        "signup.erased", actor=None, target=old, detail={"erased": 2, "attended_counted": 2}
    )

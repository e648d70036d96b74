"""What visitors of the public site send: a request to be contacted, a local organisation's
referral of a person, a place at an info session and its cancellation. The visitor is anonymous:
each action records its audit event without an actor, and what they sent reaches only the staff
of the desk that serves them (outreach.access).

Also here: the rate limit per address that holds spam off with the public forms' hidden field
and minimum time (outreach.spam), and the counts of page views and forms completed."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.models import Organisation
from retorno.audit.events import record
from retorno.lib.errors import ActionError
from retorno.outreach import regions
from retorno.outreach.models import (
    AttendanceCount,
    DeskOutreach,
    InfoSession,
    Lead,
    LeadCounter,
    PublicCount,
    RegionRule,
    SignUp,
    SubmissionTally,
)

VERBS = {
    "lead.received": gettext_lazy("Request to be contacted received"),
    "signup.created": gettext_lazy("Place at an info session asked for"),
    "signup.cancelled": gettext_lazy("Place at an info session cancelled"),
    "signup.promoted": gettext_lazy("Place given from the waiting list"),
    "signup.erased": gettext_lazy("Sign-ups of a past session erased"),
}

# The names of those who signed up for a session are kept this long after it ended.
SIGNUP_RETENTION_DAYS = 365

# At most this many forms from one address in one hour.
SUBMISSIONS_PER_HOUR = 5


# --- Where a lead goes -------------------------------------------------------------------------


def desk_for_region(region: str) -> Organisation:
    """The European desk that serves where the person lives: the region's rule, else the desk
    of the region's country (Milan for Italy, Madrid for Spain, Lisbon for Portugal)."""
    rule = RegionRule.objects.filter(region=region).select_related("desk").first()
    if rule is not None and rule.desk.is_active:
        return rule.desk
    code = regions.DEFAULT_DESK_BY_COUNTRY.get(regions.country_of(region))
    desk = Organisation.objects.filter(
        code=code, kind=Organisation.Kind.EUROPEAN_DESK, is_active=True
    ).first()
    if desk is None:
        desk = (
            Organisation.objects.filter(kind=Organisation.Kind.EUROPEAN_DESK, is_active=True)
            .order_by("code")
            .first()
        )
    if desk is None:
        raise ActionError(_("No desk takes requests at the moment. Please try again later."))
    return desk


def settings_of(desk: Organisation) -> DeskOutreach:
    found = DeskOutreach.objects.filter(desk=desk).first()
    return found if found is not None else DeskOutreach(desk=desk)


def _next_reference(desk: Organisation, year: int) -> str:
    counter, _created = LeadCounter.objects.select_for_update().get_or_create(desk=desk, year=year)
    LeadCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{desk.code}-L-{year}-{counter.last:04d}"


LEAD_FIELDS = (
    "given_names",
    "surnames",
    "channel",
    "phone",
    "email",
    "region",
    "province",
    "return_country",
    "language",
)
REFERRER_FIELDS = ("referrer_name", "referrer_contact", "referrer_email", "referrer_phone")


def _check_lead(fields: dict) -> None:
    if fields.get("region") not in regions.REGION_NAMES:
        raise ActionError(_("Choose the region where the person lives."), field="region")
    channel = fields.get("channel")
    if channel == "email" and not fields.get("email"):
        raise ActionError(_("Write the email address to reach the person at."), field="email")
    if channel in ("phone", "whatsapp") and not fields.get("phone"):
        raise ActionError(_("Write the phone number to reach the person at."), field="phone")


@transaction.atomic
def create_lead(*, source: str, fields: dict, consent: bool, session=None, actor=None) -> Lead:
    """A lead in the inbox of the desk that serves the person's region. Without the person's
    consent to be contacted nothing is kept."""
    if not consent:
        raise ActionError(_("We can contact the person only if they agree to it."), field="consent")
    fields = {k: v for k, v in fields.items() if k in LEAD_FIELDS + REFERRER_FIELDS}
    _check_lead(fields)
    if source == Lead.Source.ORGANISATION and not fields.get("referrer_name"):
        raise ActionError(_("Write the name of your organisation."), field="referrer_name")
    desk = desk_for_region(fields["region"])
    now = timezone.now()
    today = timezone.localdate(now)
    lead = Lead.objects.create(
        **fields,
        source=source,
        desk=desk,
        reference=_next_reference(desk, today.year),
        consent_at=now,
        session=session,
        respond_by=today + datetime.timedelta(days=settings_of(desk).response_days),
    )
    record(
        "lead.received",
        actor=actor,
        target=lead,
        organisation=desk,
        detail={"source": source, "region": lead.region, "country": str(lead.return_country)},
    )
    return lead


def submit_contact_request(*, fields: dict, consent: bool) -> Lead:
    """ "Ask to be contacted" on the public site."""
    return create_lead(source=Lead.Source.SITE, fields=fields, consent=consent)


def submit_organisation_referral(*, fields: dict, consent: bool) -> Lead:
    """A local organisation refers a person who agreed to be contacted."""
    return create_lead(source=Lead.Source.ORGANISATION, fields=fields, consent=consent)


# --- Sign-ups ----------------------------------------------------------------------------------


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def sign_up(
    session: InfoSession,
    *,
    name: str,
    email: str = "",
    phone: str = "",
    language: str,
    places: int = 1,
    consent_attendance: bool = False,
) -> tuple[SignUp, str]:
    """A place at a session: confirmed while places are left, else on the waiting list. Returns
    the sign-up and the secret of its cancellation link (shown once, sent by email; only its
    hash is kept)."""
    session = InfoSession.objects.select_for_update().get(pk=session.pk)
    if session.status != InfoSession.Status.SCHEDULED or session.starts_at <= timezone.now():
        raise ActionError(_("This session is no longer open for sign-up."))
    if not (name or "").strip():
        raise ActionError(_("Write your name."), field="name")
    if not email and not phone:
        raise ActionError(_("Write an email address or a phone number."), field="email")
    places = int(places or 1)
    if not 1 <= places <= 5:
        raise ActionError(_("Ask for between 1 and 5 places."), field="places")
    confirmed = session.confirmed_count + places <= session.capacity
    secret = secrets.token_urlsafe(24)
    signup = SignUp.objects.create(
        session=session,
        name=" ".join(name.split()),
        email=email,
        phone=phone,
        language=language,
        places=places,
        consent_attendance=consent_attendance,
        status=SignUp.Status.CONFIRMED if confirmed else SignUp.Status.WAITING,
        cancel_digest=digest(secret),
    )
    if confirmed:
        InfoSession.objects.filter(pk=session.pk).update(
            confirmed_count=F("confirmed_count") + places
        )
    else:
        InfoSession.objects.filter(pk=session.pk).update(waiting_count=F("waiting_count") + 1)
    record(
        "signup.created",
        target=session,
        organisation=session.desk,
        detail={"signup": str(signup.public_id), "status": signup.status, "places": places},
    )
    return signup, secret


def signup_by_link(public_id, secret: str) -> SignUp | None:
    """The sign-up a cancellation link names, if its secret is right."""
    signup = SignUp.objects.filter(public_id=public_id).select_related("session").first()
    if signup is None or not hmac.compare_digest(signup.cancel_digest, digest(secret or "")):
        return None
    return signup


@transaction.atomic
def cancel_sign_up(signup: SignUp, *, actor=None) -> list[SignUp]:
    """Cancel a place (by the person's link, or by staff as `actor`); the places freed go to the
    waiting list in the order people asked. Returns the sign-ups promoted."""
    session = InfoSession.objects.select_for_update().get(pk=signup.session_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status == SignUp.Status.CANCELLED:
        return []
    was = signup.status
    signup.status = SignUp.Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    confirmed = session.confirmed_count - (signup.places if was == SignUp.Status.CONFIRMED else 0)
    waiting = session.waiting_count - (1 if was == SignUp.Status.WAITING else 0)
    promoted = []
    if session.starts_at > timezone.now():
        for candidate in SignUp.objects.filter(session=session, status=SignUp.Status.WAITING):
            if confirmed + candidate.places > session.capacity:
                break
            candidate.status = SignUp.Status.CONFIRMED
            candidate.save(update_fields=["status"])
            confirmed += candidate.places
            waiting -= 1
            promoted.append(candidate)
    InfoSession.objects.filter(pk=session.pk).update(
        confirmed_count=confirmed, waiting_count=waiting
    )
    record(
        "signup.cancelled",
        actor=actor,
        target=session,
        organisation=session.desk,
        detail={"signup": str(signup.public_id), "was": was},
    )
    for candidate in promoted:
        record(
            "signup.promoted",
            target=session,
            organisation=session.desk,
            detail={"signup": str(candidate.public_id)},
        )
    return promoted


@transaction.atomic
def erase_expired_sign_ups(*, now=None) -> int:
    """Erase the sign-ups of sessions that ended more than SIGNUP_RETENTION_DAYS ago. Those who
    attended stay counted: their places join the session's attendance counts as people of
    unknown sex, age and nationality. One audit event per session; returns how many sign-ups
    were erased."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=SIGNUP_RETENTION_DAYS)
    erased = 0
    ended = SignUp.objects.filter(session__ends_at__lt=limit).values("session")
    for session in InfoSession.objects.filter(pk__in=ended).select_for_update():
        signups = SignUp.objects.filter(session=session)
        attended = sum(s.places for s in signups if s.attended)
        if attended:
            unknown = AttendanceCount.Sex.UNKNOWN
            row, _created = AttendanceCount.objects.get_or_create(
                session=session,
                sex=unknown,
                age_band=AttendanceCount.AgeBand.UNKNOWN,
                nationality="",
                defaults={"count": 0},
            )
            AttendanceCount.objects.filter(pk=row.pk).update(count=F("count") + attended)
        count, _by_model = signups.delete()
        erased += count
        record(
            "signup.erased",
            target=session,
            organisation=session.desk,
            detail={"erased": count, "attended_counted": attended},
        )
    return erased


# --- Spam and counts ---------------------------------------------------------------------------


def _address_key(address: str, window: datetime.datetime) -> str:
    message = f"{address}|{window.isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def allow_submission(address: str | None) -> bool:
    """Count one form sent from this address this hour; False once the limit is passed. Works
    across app servers (the tally is in the database)."""
    now = timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    key = _address_key(address or "unknown", window)
    with transaction.atomic():
        updated = SubmissionTally.objects.filter(key=key, window=window).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    SubmissionTally.objects.create(key=key, window=window, count=1)
            except IntegrityError:
                SubmissionTally.objects.filter(key=key, window=window).update(count=F("count") + 1)
        count = SubmissionTally.objects.get(key=key, window=window).count
    if now.minute == 0:  # once an hour or so, forget tallies older than a day
        SubmissionTally.objects.filter(window__lt=window - datetime.timedelta(days=1)).delete()
    return count <= SUBMISSIONS_PER_HOUR


def count(kind: str, name: str, language: str) -> None:
    """One more page view or form completed today. Nothing about the visitor is kept."""
    today = timezone.localdate()
    with transaction.atomic():
        updated = PublicCount.objects.filter(
            day=today, kind=kind, name=name, language=language
        ).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    PublicCount.objects.create(
                        day=today, kind=kind, name=name, language=language, count=1
                    )
            except IntegrityError:
                PublicCount.objects.filter(
                    day=today, kind=kind, name=name, language=language
                ).update(count=F("count") + 1)

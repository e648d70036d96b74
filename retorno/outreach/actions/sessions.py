"""The campaign and its info sessions: campaigns per cycle, sessions run by a European desk,
their materials, attendance (by name for those who consented, otherwise counted by sex, age
band and nationality), the partner organisations and the organisations reached.

Who: outreach officers and the coordinators of a European desk (outreach.access.
may_run_campaign); a session is changed only by the desk that runs it."""

import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from retorno.audit.events import record
from retorno.lib.errors import ActionError
from retorno.outreach import access, regions
from retorno.outreach.actions import public
from retorno.outreach.actions.common import check_version, conflict
from retorno.outreach.models import (
    AttendanceCount,
    Audience,
    Campaign,
    InfoSession,
    LocalOrganisation,
    SessionMaterial,
    SignUp,
)

VERBS = {
    "campaign.created": gettext_lazy("Campaign created"),
    "campaign.updated": gettext_lazy("Campaign changed"),
    "info_session.created": gettext_lazy("Info session created"),
    "info_session.updated": gettext_lazy("Info session changed"),
    "info_session.cancelled": gettext_lazy("Info session cancelled"),
    "info_session.held": gettext_lazy("Info session marked as held"),
    "info_session.signups_viewed": gettext_lazy("Sign-ups of an info session viewed"),
    "session_material.added": gettext_lazy("Session material added"),
    "session_material.removed": gettext_lazy("Session material removed"),
    "session_material.downloaded": gettext_lazy("Session material downloaded"),
    "attendance.recorded": gettext_lazy("Attendance recorded"),
    "attendance.counted": gettext_lazy("Attendance counts saved"),
    "info_session.organisations_set": gettext_lazy("Session's organisations saved"),
    "local_organisation.created": gettext_lazy("Local organisation added"),
    "campaign_figures.exported": gettext_lazy("Campaign figures exported"),
}

SESSION_FIELDS = (
    "title",
    "description",
    "language",
    "region",
    "province",
    "venue",
    "address",
    "starts_at",
    "ends_at",
    "audience",
    "capacity",
)

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MATERIAL_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.text",
}


def require_campaign_runner(actor):
    """The actor's European desk, when they may run the campaign; refused otherwise."""
    if actor is None or not access.may_run_campaign(actor):
        raise ActionError(
            _("Only outreach officers and coordinators of a European desk run the campaign."),
            code="forbidden",
        )
    return access.european_desk_of(actor)


def require_session_desk(actor, session: InfoSession) -> None:
    desk = require_campaign_runner(actor)
    if session.desk_id != desk.pk:
        raise ActionError(
            _("Only the desk that runs this session can change it."), code="forbidden"
        )


def _locked(session: InfoSession) -> InfoSession:
    return InfoSession.objects.select_for_update().get(pk=session.pk)


# --- Campaigns ---------------------------------------------------------------------------------


def _check_campaign(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ActionError(_("Write the campaign's name."), field="name")
    return name


@transaction.atomic
def create_campaign(cycle, *, actor, name: str, description: str = "") -> Campaign:
    require_campaign_runner(actor)
    campaign = Campaign.objects.create(
        cycle=cycle, name=_check_campaign(name), description=(description or "").strip()
    )
    record("campaign.created", actor=actor, target=campaign, detail={"cycle": str(cycle)})
    return campaign


@transaction.atomic
def update_campaign(
    campaign: Campaign, *, actor, name: str, description: str = "", cycle=None, version=None
):
    """Change a campaign. `version` is the one the editor read: if someone changed the campaign
    meanwhile, nothing is saved (conflict)."""
    require_campaign_runner(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(campaign, version, _("campaign"))
    new = {"name": _check_campaign(name), "description": (description or "").strip()}
    if cycle is not None:
        new["cycle"] = cycle
    changes = {}
    for field, value in new.items():
        old = getattr(campaign, field)
        if old != value:
            changes[field] = [str(old), str(value)]
            setattr(campaign, field, value)
    if changes:
        campaign.version += 1
        campaign.save()
        record("campaign.updated", actor=actor, target=campaign, changes=changes)
    return campaign


# --- Sessions ----------------------------------------------------------------------------------


def _check_session(fields: dict) -> None:
    if fields.get("region") not in regions.REGION_NAMES:
        raise ActionError(_("Choose the region of the session."), field="region")
    if fields.get("audience") not in Audience.values:
        raise ActionError(_("Choose who the session is for."), field="audience")
    for name, message in (
        ("title", _("Write the session's title.")),
        ("province", _("Write the province.")),
        ("venue", _("Write the name of the venue.")),
        ("address", _("Write the venue's address.")),
    ):
        if not str(fields.get(name) or "").strip():
            raise ActionError(message, field=name)
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None:
        raise ActionError(_("Write when the session starts."), field="starts_at")
    if ends is None or ends <= starts:
        raise ActionError(_("The session must end after it starts."), field="ends_at")
    capacity = fields.get("capacity")
    if capacity is None or int(capacity) < 1:
        raise ActionError(_("A session has at least one place."), field="capacity")


@transaction.atomic
def create_session(campaign: Campaign, *, actor, **fields) -> InfoSession:
    """A session run by the actor's European desk."""
    desk = require_campaign_runner(actor)
    fields = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    fields.setdefault("description", "")
    _check_session(fields)
    session = InfoSession.objects.create(campaign=campaign, desk=desk, **fields)
    record(
        "info_session.created",
        actor=actor,
        target=session,
        detail={"campaign": str(campaign.public_id), "region": session.region},
    )
    return session


def _shown(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


@transaction.atomic
def update_session(session: InfoSession, *, actor, version, **fields) -> InfoSession:
    """Change a session. `version` is the one the editor started from: if someone saved
    meanwhile, nothing is saved. The places cannot go below those already confirmed."""
    require_session_desk(actor, session)
    session = _locked(session)
    if version is None or int(version) != session.version:
        raise conflict(_("session"))
    if session.status == InfoSession.Status.CANCELLED:
        raise ActionError(_("A cancelled session cannot be changed."))
    new = {k: fields.get(k, getattr(session, k)) for k in SESSION_FIELDS}
    _check_session(new)
    if int(new["capacity"]) < session.confirmed_count:
        raise ActionError(
            _(
                "%(count)s places are already confirmed: the session cannot have fewer places. "
                "Cancel places on the sign-ups page first."
            )
            % {"count": session.confirmed_count},
            field="capacity",
        )
    changes = {}
    for field, value in new.items():
        old = getattr(session, field)
        if old != value:
            changes[field] = [_shown(old), _shown(value)]
            setattr(session, field, value)
    if changes:
        session.version += 1
        session.save()
        record("info_session.updated", actor=actor, target=session, changes=changes)
    return session


def _cancellation_email(signup: SignUp, session: InfoSession) -> None:
    with translation.override(signup.language):
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        subject = _("Info session cancelled: %(title)s") % {"title": session.title}
        body = _(
            'Hello %(name)s,\n\nWe are sorry: the info session "%(title)s" of %(when)s at '
            "%(venue)s, %(address)s, is cancelled. Your place is cancelled with it; you do not "
            "need to do anything.\n\nYou can see the other sessions on our site, or ask to be "
            "contacted there.\n\nThe Retorno team"
        ) % {
            "name": signup.name,
            "title": session.title,
            "when": when,
            "venue": session.venue,
            "address": session.address,
        }
    send_mail(subject, body, None, [signup.email])


@transaction.atomic
def cancel_session(session: InfoSession, *, actor, version=None) -> InfoSession:
    """Cancel a scheduled session; everyone with a place or waiting who left an email address
    is told, in their language, once the cancellation is saved."""
    require_session_desk(actor, session)
    session = _locked(session)
    if version is not None and int(version) != session.version:
        raise conflict(_("session"))
    if session.status != InfoSession.Status.SCHEDULED:
        raise ActionError(_("Only a scheduled session can be cancelled."), code="already_done")
    session.status = InfoSession.Status.CANCELLED
    session.version += 1
    session.save(update_fields=["status", "version", "updated_at"])
    told = list(
        SignUp.objects.filter(
            session=session, status__in=(SignUp.Status.CONFIRMED, SignUp.Status.WAITING)
        ).exclude(email="")
    )
    record(
        "info_session.cancelled",
        actor=actor,
        target=session,
        changes={"status": [InfoSession.Status.SCHEDULED, InfoSession.Status.CANCELLED]},
        detail={"emailed": len(told)},
    )
    for signup in told:
        transaction.on_commit(
            lambda signup=signup: _cancellation_email(signup, session), robust=True
        )
    return session


@transaction.atomic
def mark_held(session: InfoSession, *, actor) -> InfoSession:
    require_session_desk(actor, session)
    session = _locked(session)
    if session.status != InfoSession.Status.SCHEDULED:
        raise ActionError(_("Only a scheduled session can be marked as held."), code="already_done")
    if session.starts_at > timezone.now():
        raise ActionError(_("The session has not started yet."))
    session.status = InfoSession.Status.HELD
    session.version += 1
    session.save(update_fields=["status", "version", "updated_at"])
    record(
        "info_session.held",
        actor=actor,
        target=session,
        changes={"status": [InfoSession.Status.SCHEDULED, InfoSession.Status.HELD]},
    )
    return session


def record_signups_view(session: InfoSession, *, actor) -> None:
    """Reading the names of those who signed up is an audit event."""
    record("info_session.signups_viewed", actor=actor, target=session)


def cancel_place(signup: SignUp, *, actor) -> list[SignUp]:
    """Staff of the desk cancel a place (the person called to say they cannot come); the place
    goes to the first on the waiting list. Audited as the person's own cancellation is."""
    require_session_desk(actor, signup.session)
    if signup.status == SignUp.Status.CANCELLED:
        raise ActionError(_("This place is cancelled already."), code="already_done")
    return public.cancel_sign_up(signup, actor=actor)


# --- Materials ---------------------------------------------------------------------------------


def sniff_material_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes, or None when it is not one we accept."""
    # Import here: start-up (filetype loads its matchers only when a file is uploaded).
    import filetype

    kind = filetype.guess(head)
    if kind is None or kind.mime not in MATERIAL_TYPES:
        return None
    return kind.mime


@transaction.atomic
def add_material(session: InfoSession, *, actor, title: str, file) -> SessionMaterial:
    require_session_desk(actor, session)
    if file is None or file.size == 0:
        raise ActionError(_("Choose a file that is not empty."), field="file")
    if file.size > MAX_MATERIAL_BYTES:
        raise ActionError(_("The file must be smaller than 20 MB."), field="file")
    head = file.read(8192)
    file.seek(0)
    content_type = sniff_material_type(head)
    if content_type is None:
        raise ActionError(
            _(
                "The file must be a PDF, an image (JPG, PNG, WEBP), a presentation (PPTX, ODP) "
                "or a text document (DOCX, ODT)."
            ),
            field="file",
        )
    material = SessionMaterial(
        session=session,
        title=(title or file.name).strip()[:150],
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    extension = file.name.rsplit(".", 1)[-1].lower()[:5] if "." in file.name else "bin"
    material.file.save(f"{material.public_id.hex}.{extension}", file, save=False)
    material.save()
    record(
        "session_material.added",
        actor=actor,
        target=session,
        detail={"material": str(material.public_id), "type": content_type, "title": material.title},
    )
    return material


@transaction.atomic
def remove_material(material: SessionMaterial, *, actor) -> None:
    session = material.session
    require_session_desk(actor, session)
    detail = {"material": str(material.public_id), "title": material.title}
    material.file.delete(save=False)
    material.delete()
    record("session_material.removed", actor=actor, target=session, detail=detail)


def record_material_download(material: SessionMaterial, *, actor) -> None:
    record(
        "session_material.downloaded",
        actor=actor,
        target=material.session,
        detail={"material": str(material.public_id)},
    )


# --- Attendance --------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(session: InfoSession, *, actor, attended: dict) -> int:
    """Who came, by name, among those who signed up and agreed to it: {sign-up public id: True
    or False}. Returns how many were recorded as present."""
    require_session_desk(actor, session)
    if session.status == InfoSession.Status.CANCELLED:
        raise ActionError(_("The session was cancelled."))
    if session.starts_at > timezone.now():
        raise ActionError(_("Attendance is recorded once the session has started."))
    wanted = {str(k): bool(v) for k, v in attended.items()}
    signups = {
        str(s.public_id): s
        for s in SignUp.objects.select_for_update()
        .filter(session=session, public_id__in=list(wanted))
        .exclude(status=SignUp.Status.CANCELLED)
    }
    if len(signups) != len(wanted):
        raise ActionError(_("Some of these sign-ups are not of this session."))
    if any(not s.consent_attendance for s in signups.values()):
        raise ActionError(
            _("Attendance is recorded by name only for those who agreed to it; count the others.")
        )
    changes = {}
    for key, signup in signups.items():
        if signup.attended != wanted[key]:
            changes[key] = [signup.attended, wanted[key]]
            signup.attended = wanted[key]
            signup.save(update_fields=["attended"])
    present = sum(1 for value in wanted.values() if value)
    record(
        "attendance.recorded",
        actor=actor,
        target=session,
        changes=changes,
        detail={"present": present},
    )
    return present


def _check_count_row(row: dict) -> tuple:
    sex, band = row.get("sex"), row.get("age_band")
    nationality = (row.get("nationality") or "").upper()
    if sex not in AttendanceCount.Sex.values:
        raise ActionError(_("Choose the sex of each row."), field="rows")
    if band not in AttendanceCount.AgeBand.values:
        raise ActionError(_("Choose the age band of each row."), field="rows")
    if nationality and nationality not in dict(countries):
        raise ActionError(_("Choose the nationality from the list."), field="rows")
    number = row.get("count")
    if number is None or int(number) < 0:
        raise ActionError(_("A count is a whole number, 0 or more."), field="rows")
    return sex, band, nationality, int(number)


@transaction.atomic
def set_counts(session: InfoSession, *, actor, rows) -> int:
    """The people counted, not named, by sex, age band and nationality (replaces what was
    counted before; rows of 0 are left out, rows of the same group are added up). Returns the
    total."""
    require_session_desk(actor, session)
    if session.status == InfoSession.Status.CANCELLED:
        raise ActionError(_("The session was cancelled."))
    totals: dict[tuple, int] = {}
    for row in rows:
        sex, band, nationality, number = _check_count_row(row)
        if number:
            key = (sex, band, nationality)
            totals[key] = totals.get(key, 0) + number
    session = _locked(session)
    AttendanceCount.objects.filter(session=session).delete()
    AttendanceCount.objects.bulk_create(
        AttendanceCount(session=session, sex=s, age_band=b, nationality=n, count=c)
        for (s, b, n), c in totals.items()
    )
    total = sum(totals.values())
    record(
        "attendance.counted",
        actor=actor,
        target=session,
        detail={"total": total, "rows": len(totals)},
    )
    return total


# --- Organisations -----------------------------------------------------------------------------


@transaction.atomic
def set_organisations(session: InfoSession, *, actor, partners, reached) -> None:
    """The partner organisations of a session and the organisations it reached."""
    require_session_desk(actor, session)
    partners, reached = list(partners), list(reached)
    if reached and session.audience == Audience.MIGRANTS:
        raise ActionError(
            _(
                "Organisations reached are recorded for sessions aimed at local organisations: "
                "change who the session is for first."
            ),
            field="reached",
        )
    session.partners.set(partners)
    session.organisations_reached.set(reached)
    record(
        "info_session.organisations_set",
        actor=actor,
        target=session,
        detail={
            "partners": sorted(str(o.public_id) for o in partners),
            "reached": sorted(str(o.public_id) for o in reached),
        },
    )


@transaction.atomic
def create_local_organisation(
    *, actor, name: str, kind: str, region: str, province: str = "", email: str = "", phone=""
) -> LocalOrganisation:
    require_campaign_runner(actor)
    name = " ".join((name or "").split())
    if not name:
        raise ActionError(_("Write the organisation's name."), field="name")
    if kind not in LocalOrganisation.Kind.values:
        raise ActionError(_("Choose the kind of organisation."), field="kind")
    if region not in regions.REGION_NAMES:
        raise ActionError(_("Choose the organisation's region."), field="region")
    if LocalOrganisation.objects.filter(name__iexact=name, region=region).exists():
        raise ActionError(
            _("This organisation is in the list already for this region."), field="name"
        )
    organisation = LocalOrganisation.objects.create(
        name=name,
        kind=kind,
        region=region,
        province=(province or "").strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
    )
    record(
        "local_organisation.created",
        actor=actor,
        target=organisation,
        detail={"name": name, "region": region},
    )
    return organisation


def record_figures_export(cycle, *, actor, region: str = "") -> None:
    record(
        "campaign_figures.exported",
        actor=actor,
        target=cycle,
        detail={"cycle": str(cycle), "region": region},
    )

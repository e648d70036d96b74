"""Who may see and change outreach.

- Public content (pages, guides), sessions and the campaign hold no person: the public reads
  what is published and the sessions that are scheduled or held; outreach officers edit the
  content and, with the coordinators of European desks, run the campaign and its sessions.
- Leads and sign-ups are personal data, under the same policy as cases: the staff of the
  European desk they are for (its outreach officers, caseworkers and coordinators) see them;
  nobody else does, not in lists, counts, search or exports. A lead or sign-up a user may not
  see answers 404.
- Campaign figures are aggregates: outreach officers, the coordinators of European desks and
  programme coordination, and M&E officers read them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts.access import get_or_404
from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.outreach.models import Campaign, InfoSession, Lead, SignUp


def _member(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def european_desk_of(user) -> Organisation | None:
    """The European desk the user works at, when they work on cases or run outreach there."""
    membership = _member(user)
    if membership is None:
        return None
    desk = membership.organisation
    if desk.kind != Organisation.Kind.EUROPEAN_DESK or not desk.is_active:
        return None
    if not (user.can(Capability.RUN_OUTREACH) or user.can(Capability.WORK_CASES)):
        return None
    return desk


def may_work_leads(user) -> bool:
    return european_desk_of(user) is not None


def may_run_campaign(user) -> bool:
    """Create and change campaigns and sessions: outreach officers, and the coordinators of a
    European desk."""
    desk = european_desk_of(user)
    return desk is not None and (
        user.can(Capability.RUN_OUTREACH) or user.can(Capability.MANAGE_CASES)
    )


def may_edit_content(user) -> bool:
    return _member(user) is not None and user.can(Capability.RUN_OUTREACH)


def may_read_figures(user) -> bool:
    if _member(user) is None:
        return False
    if user.can(Capability.VIEW_STATISTICS) or user.can(Capability.RUN_OUTREACH):
        return True
    if not user.can(Capability.MANAGE_CASES):
        return False
    kind = user.membership.organisation.kind
    return kind in (Organisation.Kind.EUROPEAN_DESK, Organisation.Kind.COORDINATION)


def leads_visible_to(user) -> QuerySet[Lead]:
    desk = european_desk_of(user)
    if desk is None:
        return Lead.objects.none()
    return Lead.objects.filter(desk=desk)


def get_lead_for_user(user, public_id, *, write: bool = False) -> Lead:
    lead = get_or_404(leads_visible_to(user), public_id)
    if write and not lead.is_open:
        raise PermissionDenied
    return lead


def sessions_for_staff(user) -> QuerySet[InfoSession]:
    """Sessions, for the staff who run the campaign: every session of every desk (no person)."""
    if european_desk_of(user) is None and not may_read_figures(user):
        return InfoSession.objects.none()
    return InfoSession.objects.all()


def get_session_for_user(user, public_id, *, write: bool = False) -> InfoSession:
    session = get_or_404(sessions_for_staff(user), public_id)
    if write and not (may_run_campaign(user) and session.desk_id == european_desk_of(user).pk):
        raise PermissionDenied
    return session


def signups_visible_to(user) -> QuerySet[SignUp]:
    """The names of those who signed up: the staff of the desk that runs the session."""
    desk = european_desk_of(user)
    if desk is None:
        return SignUp.objects.none()
    return SignUp.objects.filter(session__desk=desk)


def may_see_signups(user, session: InfoSession) -> bool:
    desk = european_desk_of(user)
    return desk is not None and session.desk_id == desk.pk


def public_sessions() -> QuerySet[InfoSession]:
    """What the public site lists: sessions scheduled or held (a cancelled one stays listed as
    cancelled), never anything about who signed up."""
    return InfoSession.objects.all()


def require(condition: bool) -> None:
    if not condition:
        raise Http404


# --- The campaign's staff pages (added with the sessions pages) --------------------------------


def may_read_campaign(user) -> bool:
    """The campaign's pages (campaigns, sessions, organisations; no person): the staff of a
    European desk, and those who read the figures."""
    return _member(user) is not None and (
        european_desk_of(user) is not None or may_read_figures(user)
    )


def campaigns_for_staff(user) -> QuerySet[Campaign]:
    if not may_read_campaign(user):
        return Campaign.objects.none()
    return Campaign.objects.all()


def get_campaign_for_user(user, public_id, *, write: bool = False) -> Campaign:
    campaign = get_or_404(campaigns_for_staff(user), public_id)
    if write and not may_run_campaign(user):
        raise PermissionDenied
    return campaign


def get_signup_for_user(user, session: InfoSession, public_id) -> SignUp:
    """One sign-up of a session, for the staff of the desk that runs it (404 for anyone else)."""
    return get_or_404(signups_visible_to(user).filter(session=session), public_id)

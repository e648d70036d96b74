"""Who may read and who may change the directory of services.

The directory is not personal data, but some of it must not reach the public (a shelter whose
address must stay hidden), and each country's directory is kept by its own national desk:

- Reading: every role whose work involves services reads the whole directory of every country:
  caseworkers and coordinators at any desk (a Milan caseworker plans what a person will find at
  home), M&E officers (programme staff who report on referrals), partners and outreach officers.
  The DPO and administrators have no use for it (403).
- "Not shown to the public": desk staff (WORK_CASES) and M&E see such services and locations,
  with a tag. Partners and outreach officers work with people outside the programme, so they see
  only what the public may see, plus every service and location of their own organisation
  (partners). `services_visible_to_public()` is what any public listing must start from.
- Changing: coordinators (MANAGE_DIRECTORY) of a *national* desk create, change and deactivate
  the organisations, programmes, services and locations of their desk's country, and import and
  export that country's directory. Anyone else who can see an entry gets 403 when they try to
  change it (Milan's coordinator reads Peru's directory but may not write it).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from retorno.accounts import models as accounts
from retorno.accounts.access import get_or_404
from retorno.accounts.roles import Capability
from retorno.directory.models import RETURN_COUNTRIES, Location, Organization, Program, Service

READ_CAPABILITIES = (
    Capability.WORK_CASES,
    Capability.VIEW_STATISTICS,
    Capability.ANSWER_REFERRALS,
    Capability.RUN_OUTREACH,
)
# Roles that see entries kept from the public, shown to them with a tag.
STAFF_CAPABILITIES = (Capability.WORK_CASES, Capability.VIEW_STATISTICS)


def may_read(user) -> bool:
    if not user.is_authenticated or getattr(user, "membership", None) is None:
        return False
    return any(user.can(c) for c in READ_CAPABILITIES)


def sees_not_public(user) -> bool:
    return may_read(user) and any(user.can(c) for c in STAFF_CAPABILITIES)


def maintained_country(user) -> str | None:
    """The country whose directory the user keeps: a national desk's, for its coordinators."""
    if not user.is_authenticated or not user.can(Capability.MANAGE_DIRECTORY):
        return None
    desk = user.membership.organisation
    if desk.kind != accounts.Organisation.Kind.NATIONAL_DESK or not desk.is_active:
        return None
    return desk.country.code


def home_countries(user) -> list[str]:
    """Where the directory opens for the user: a national desk's (or a partner's) own country of
    return. A European desk or program coordination works for all eight: it opens on all."""

    membership = getattr(user, "membership", None)
    if membership is None:
        return []
    organisation = membership.organisation
    country = getattr(organisation.country, "code", organisation.country) or ""
    kinds = (accounts.Organisation.Kind.NATIONAL_DESK, accounts.Organisation.Kind.PARTNER)
    return [country] if organisation.kind in kinds and country in RETURN_COUNTRIES else []


def may_edit_country(user, country) -> bool:
    code = getattr(country, "code", country)
    return bool(code) and maintained_country(user) == code


def _own_organisation(user):
    membership = getattr(user, "membership", None)
    return membership.organisation if membership is not None else None


# Organisations and programmes: every reader sees them all (an organisation is public knowledge
# even when one of its services is not).


def organizations_visible_to(user) -> QuerySet[Organization]:
    if not may_read(user):
        return Organization.objects.none()
    return Organization.objects.all()


def get_organization_for_user(user, public_id, *, write: bool = False) -> Organization:
    organization = get_or_404(
        organizations_visible_to(user).select_related("retorno_organisation"), public_id
    )
    if write and not may_edit_country(user, organization.country):
        raise PermissionDenied
    return organization


def programs_visible_to(user) -> QuerySet[Program]:
    return Program.objects.filter(organization__in=organizations_visible_to(user))


def get_program_for_user(user, public_id, *, write: bool = False) -> Program:
    program = get_or_404(programs_visible_to(user).select_related("organization"), public_id)
    if write and not may_edit_country(user, program.organization.country):
        raise PermissionDenied
    return program


# Services and locations: "not shown to the public" ones only for staff, and for the partner
# whose own they are.


def services_visible_to_public() -> QuerySet[Service]:
    """What any public listing may show: active services of active organisations that are not
    kept from the public. Their locations: `locations_visible_to_public()`."""
    return Service.objects.filter(
        not_public=False, status=Service.Status.ACTIVE, organization__is_active=True
    )


def locations_visible_to_public() -> QuerySet[Location]:
    return Location.objects.filter(not_public=False, is_active=True, organization__is_active=True)


def _public_or_own(user) -> Q:
    q = Q(not_public=False)
    own = _own_organisation(user)
    if own is not None:
        q |= Q(organization__retorno_organisation=own)
    return q


def services_visible_to(user) -> QuerySet[Service]:
    if not may_read(user):
        return Service.objects.none()
    if sees_not_public(user):
        return Service.objects.all()
    return Service.objects.filter(_public_or_own(user))


def locations_visible_to(user) -> QuerySet[Location]:
    if not may_read(user):
        return Location.objects.none()
    if sees_not_public(user):
        return Location.objects.all()
    return Location.objects.filter(_public_or_own(user))


SERVICE_RELATED = ("organization__retorno_organisation", "program")


def get_service_for_user(user, public_id, *, write: bool = False) -> Service:
    service = get_or_404(services_visible_to(user).select_related(*SERVICE_RELATED), public_id)
    if write and not may_edit_country(user, service.organization.country):
        raise PermissionDenied
    return service


def get_location_for_user(user, public_id, *, write: bool = False) -> Location:
    location = get_or_404(locations_visible_to(user).select_related("organization"), public_id)
    if write and not may_edit_country(user, location.organization.country):
        raise PermissionDenied
    return location


def services_of_own_organisation(user) -> QuerySet[Service]:
    """A partner's "Our services": the directory services of the organisation they work for."""
    own = _own_organisation(user)
    if own is None or not may_read(user):
        return Service.objects.none()
    return Service.objects.filter(organization__retorno_organisation=own)


def require_maintainer(user) -> str:
    """The country the user keeps the directory of, or 403 (import, export, creating)."""
    country = maintained_country(user)
    if country is None:
        raise PermissionDenied
    return country

"""Who may see and change users, memberships, organisations and API tokens.

The pattern every app follows: `<things>_visible_to(user)` returns a queryset;
`get_<thing>_for_user(user, public_id, *, write=False)` returns one object, raises Http404 when
it is missing *or* not visible (the two are indistinguishable), and PermissionDenied only when it
is visible but the acting role may not change it.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from retorno.accounts.models import ApiToken, Membership, Organisation, User
from retorno.accounts.roles import Capability


def _uuid_or_404(public_id) -> uuid.UUID:
    if isinstance(public_id, uuid.UUID):
        return public_id
    try:
        return uuid.UUID(str(public_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def get_or_404(queryset: QuerySet, public_id):
    """One object of a visible queryset by public id, or 404; shared by every app's access.py."""
    try:
        return queryset.get(public_id=_uuid_or_404(public_id))
    except queryset.model.DoesNotExist:
        raise Http404 from None


# Organisations are not personal data: every member of staff sees every active organisation
# (they refer to each other). Only administrators see deactivated ones.


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not user.is_authenticated or user.membership is None:
        return Organisation.objects.none()
    qs = Organisation.objects.all()
    if not user.can(Capability.MANAGE_ORGANISATIONS):
        qs = qs.filter(is_active=True)
    return qs


def get_organisation_for_user(user, public_id, *, write: bool = False) -> Organisation:
    organisation = get_or_404(organisations_visible_to(user), public_id)
    if write and not user.can(Capability.MANAGE_ORGANISATIONS):
        raise PermissionDenied
    return organisation


# Users are personal data: administrators see all; coordinators see the people of their own
# organisation; everybody else sees only themselves.


def users_visible_to(user) -> QuerySet[User]:
    if not user.is_authenticated or user.membership is None:
        return User.objects.none()
    if user.can(Capability.MANAGE_ALL_USERS):
        return User.objects.all()
    if user.can(Capability.MANAGE_OWN_USERS):
        same_org = Membership.objects.filter(
            user=OuterRef("pk"), organisation=user.membership.organisation
        )
        return User.objects.filter(Exists(same_org))
    return User.objects.filter(pk=user.pk)


def can_manage_user(actor, target: User) -> bool:
    if actor.can(Capability.MANAGE_ALL_USERS):
        return True
    if target.pk == actor.pk or not actor.can(Capability.MANAGE_OWN_USERS):
        return False
    # A coordinator never manages an administrator, even one who also works at the desk.
    return not target.memberships.filter(role="administrator").exists()


def get_user_for_user(user, public_id, *, write: bool = False) -> User:
    target = get_or_404(users_visible_to(user), public_id)
    if write and not can_manage_user(user, target):
        raise PermissionDenied
    return target


def memberships_visible_to(user) -> QuerySet[Membership]:
    """Memberships the user may list: all for administrators, their organisation's otherwise."""
    qs = Membership.objects.select_related("user", "organisation")
    if not user.is_authenticated or user.membership is None:
        return qs.none()
    if user.can(Capability.MANAGE_ALL_USERS):
        return qs
    if user.can(Capability.MANAGE_OWN_USERS):
        return qs.filter(organisation=user.membership.organisation)
    return qs.filter(user=user)


def get_membership_for_user(user, public_id, *, write: bool = False) -> Membership:
    membership = get_or_404(memberships_visible_to(user), public_id)
    if write and not can_manage_user(user, membership.user):
        raise PermissionDenied
    return membership


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """A token belongs to its user alone: nobody else, not even an administrator, lists it."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).select_related("membership__organisation")


def get_token_for_user(user, public_id, *, write: bool = False) -> ApiToken:
    return get_or_404(tokens_visible_to(user), public_id)

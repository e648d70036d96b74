"""Authentication backends: Django's and allauth's, with the user's desks read in the same query.

Every signed-in request needs the user and their active memberships (MembershipMiddleware).
Reading the memberships with their user joined makes that one query instead of two."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from retorno.accounts.models import Membership


class MembershipsLoaded:
    def get_user(self, user_id):
        memberships = list(
            Membership.objects.filter(user_id=user_id, is_active=True, organisation__is_active=True)
            .select_related("user", "organisation")
            .order_by("created_at", "pk")
        )
        if not memberships:  # no desk (an administrator): the user alone, as usual
            return super().get_user(user_id)
        user = memberships[0].user
        if not self.user_can_authenticate(user):
            return None
        for membership in memberships:
            membership.user = user
        user.loaded_memberships = memberships
        return user


class DjangoBackend(MembershipsLoaded, ModelBackend):
    """Django's username and password backend (the admin, tests)."""


class AllauthBackend(MembershipsLoaded, AuthenticationBackend):
    """allauth's backend (the sign-in page, rate limits)."""

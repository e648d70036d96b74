import zoneinfo

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from retorno.accounts.models import Membership

SESSION_MEMBERSHIP_KEY = "retorno_membership"
# The language chosen while signed out; the sign-in saves it as the person's language.
SESSION_LANGUAGE_CHOSEN_KEY = "retorno_language_chosen"


def active_memberships(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


class MembershipMiddleware:
    """Decides which membership (desk and role) a signed-in user acts under for this request,
    and switches on that user's language and the desk's time zone.

    The choice is kept in the session (the desk switcher sets it); the first membership otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            # Read with the user by the authentication backend, else now.
            memberships = getattr(user, "loaded_memberships", None)
            if memberships is None:
                memberships = active_memberships(user)
            chosen_id = request.session.get(SESSION_MEMBERSHIP_KEY)
            user.membership = next(
                (m for m in memberships if str(m.public_id) == chosen_id),
                memberships[0] if memberships else None,
            )
            user.all_memberships = memberships
            if user.membership is not None:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(user.membership.organisation.time_zone))
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    timezone.deactivate()
            # The API follows Accept-Language; pages follow the language the person chose.
            if user.preferred_language and not request.path.startswith("/api/"):
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = user.preferred_language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequireTwoFactorMiddleware:
    """Roles listed in RETORNO_MFA_REQUIRED_ROLES must set up an authenticator app before
    doing anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/session/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "membership", None) is not None
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and needs_two_factor_setup(user, user.membership.role)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def needs_two_factor_setup(user, role: str) -> bool:
    """True when `role` requires two-factor authentication and `user` has not set it up: such a
    user may only set it up, on pages and through the API alike."""
    if role not in settings.RETORNO_MFA_REQUIRED_ROLES:
        return False
    # Import here: start-up (allauth's MFA models are read only for roles that need 2FA).
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def act_as(user, organisation_code: str | None = None):
    """The user acting under one of their memberships (the first, or the one at the named
    organisation), as MembershipMiddleware would set it: for commands, demo data and tests."""
    memberships = active_memberships(user)
    if organisation_code:
        memberships = [
            m for m in memberships if m.organisation.code == organisation_code
        ] or memberships
    user.membership = memberships[0] if memberships else None
    user.all_memberships = memberships
    return user

"""Where Retorno hooks into django-allauth: no public sign-up, audited sign-in, sign-out,
lock-outs and two-factor changes."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from retorno.accounts import actions
from retorno.accounts.middleware import SESSION_LANGUAGE_CHOSEN_KEY, active_memberships
from retorno.audit.events import record


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People are invited by a coordinator or an administrator.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except Exception:
            actions.record_failed_sign_in(_typed_login(credentials), locked=True)
            raise

    def authentication_failed(self, request, **credentials) -> None:
        actions.record_failed_sign_in(_typed_login(credentials), locked=False)

    def login(self, request, user) -> None:
        super().login(request, user)
        memberships = active_memberships(user)
        user.membership = memberships[0] if memberships else None
        actions.record_sign_in(user)
        # A language chosen on the sign-in page is the person's latest choice: it wins over
        # the one saved in the profile, and becomes the saved one.
        language = request.session.pop(SESSION_LANGUAGE_CHOSEN_KEY, None)
        if language:
            actions.set_preferred_language(user, actor=user, language=language)

    def logout(self, request) -> None:
        user = request.user
        if user.is_authenticated:
            actions.record_sign_out(user)
        super().logout(request)


def _typed_login(credentials) -> str:
    return str(credentials.get("username") or credentials.get("email") or "")


MFA_VERBS = {
    "mfa/email/totp_activated": "mfa.totp_activated",
    "mfa/email/totp_deactivated": "mfa.totp_deactivated",
    "mfa/email/recovery_codes_generated": "mfa.recovery_codes_generated",
}


class MFAAdapter(DefaultMFAAdapter):
    def send_notification_mail(self, template_prefix, user, *args, **kwargs) -> None:
        verb = MFA_VERBS.get(template_prefix)
        if verb:
            record(verb, actor=user, target=user)
        super().send_notification_mail(template_prefix, user, *args, **kwargs)

    def can_delete_authenticator(self, authenticator) -> bool:
        # Someone whose role requires two-factor authentication cannot switch it off.
        roles = set(
            authenticator.user.memberships.filter(is_active=True).values_list("role", flat=True)
        )
        return not roles & set(settings.RETORNO_MFA_REQUIRED_ROLES)

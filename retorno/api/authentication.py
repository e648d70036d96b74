import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from retorno.accounts.actions import TWO_FACTOR_FIRST
from retorno.accounts.middleware import needs_two_factor_setup
from retorno.accounts.models import ApiToken, hash_token

# Writing last_used_at on every request would turn every read into a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class TwoFactorRequired(exceptions.PermissionDenied):
    """The token is good, but its role requires two-factor authentication and its user has not
    set it up: the pages only let such a user set it up, and so does the API."""

    default_detail = TWO_FACTOR_FIRST
    default_code = "two_factor_required"


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`. The token acts under the membership it was created for;
    it stops working the moment the token is revoked or the user, membership or organisation
    is deactivated."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = (
            ApiToken.objects.live()
            .select_related("user", "membership__organisation")
            .filter(key_hash=hash_token(key))
            .first()
        )
        if (
            token is None
            or not token.user.is_active
            or not token.membership.is_active
            or not token.membership.organisation.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if needs_two_factor_setup(token.user, token.membership.role):
            raise TwoFactorRequired()
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        user.membership = token.membership
        user.all_memberships = [token.membership]
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes `Authorization: Token <key>` in the OpenAPI schema."""

    target_class = "retorno.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal token from your account page: `Token <key>`.",
        }

"""Every change to users, memberships, organisations and tokens. Each runs in one transaction,
takes the acting user, and writes its own audit event."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import can_manage_user
from retorno.accounts.middleware import needs_two_factor_setup
from retorno.accounts.models import ApiToken, Membership, Organisation, User, hash_token
from retorno.accounts.roles import ROLES_A_COORDINATOR_MAY_GRANT, Capability, role_can
from retorno.audit.events import diff, record
from retorno.lib.errors import ActionError


def _require(actor, capability: str) -> None:
    if not actor.can(capability):
        raise ActionError(_("Your role does not allow this."), code="forbidden")


# Organisations


ORGANISATION_FIELDS = (
    "name",
    "name_it",
    "name_es",
    "name_pt",
    "kind",
    "country",
    "city",
    "time_zone",
    "help_email",
    "help_phone",
    "referral_reply_days",
)


@transaction.atomic
def create_organisation(*, actor, code: str, **fields) -> Organisation:
    _require(actor, Capability.MANAGE_ORGANISATIONS)
    code = code.strip().upper()
    if Organisation.objects.filter(code=code).exists():
        raise ActionError(_("Another organisation already uses this code."), field="code")
    organisation = Organisation(code=code, **fields)
    organisation.full_clean()
    organisation.save()
    record(
        "organisation.created", actor=actor, target=organisation, changes=fields_of(organisation)
    )
    return organisation


def fields_of(organisation: Organisation) -> dict:
    return {f: [None, str(getattr(organisation, f))] for f in ("code", *ORGANISATION_FIELDS)}


@transaction.atomic
def update_organisation(
    organisation: Organisation, *, actor, expected_updated_at: str | None = None, **fields
) -> Organisation:
    _require(actor, Capability.MANAGE_ORGANISATIONS)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if expected_updated_at and organisation.updated_at.isoformat() != expected_updated_at:
        raise ActionError(
            _(
                "Someone else changed this organisation while you were editing it. Check the "
                "current values below; your changes are still in the form."
            ),
            code="conflict",
        )
    changes = diff(organisation, fields)
    if not changes:
        return organisation
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save(update_fields=[*changes, "updated_at"])
    record("organisation.updated", actor=actor, target=organisation, changes=changes)
    return organisation


# Users and memberships


def _check_may_grant(actor, organisation: Organisation, role: str) -> None:
    if actor.can(Capability.MANAGE_ALL_USERS):
        return
    if not actor.can(Capability.MANAGE_OWN_USERS) or organisation != actor.organisation:
        raise ActionError(_("You can only invite people to your own organisation."))
    if role not in ROLES_A_COORDINATOR_MAY_GRANT:
        raise ActionError(
            _("Only an administrator can give this role."), field="role", code="forbidden"
        )


@transaction.atomic
def invite_user(
    organisation: Organisation,
    *,
    actor,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str = "",
) -> User:
    """Create an account with no password and email a link to choose one."""
    _check_may_grant(actor, organisation, role)
    username = username.strip().lower()
    email = email.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(_("This username is taken. Choose another."), field="username")
    if User.objects.filter(email__iexact=email).exists():
        raise ActionError(
            _(
                "An account with this email address already exists. Ask an administrator to add "
                "this person to your organisation."
            ),
            field="email",
        )
    user = User(
        username=username,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=language,
    )
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    record(
        "user.invited",
        actor=actor,
        target=user,
        detail={"organisation": organisation.code, "role": role},
    )
    transaction.on_commit(lambda: _send_invitation(user, membership, actor))
    return user


def _send_invitation(user: User, membership: Membership, actor) -> None:
    # Import here: cycle (allauth's account utils load our adapter, which imports this module).
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    context = {
        "user": user,
        "membership": membership,
        "inviter": actor,
        "link": settings.SITE_URL + path,
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def add_membership(user: User, *, actor, organisation: Organisation, role: str) -> Membership:
    _check_may_grant(actor, organisation, role)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if not created and membership.is_active:
        raise ActionError(_("This person already has this role at this organisation."))
    if not created:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    record(
        "membership.added",
        actor=actor,
        target=user,
        detail={"organisation": organisation.code, "role": role},
    )
    return membership


@transaction.atomic
def deactivate_membership(membership: Membership, *, actor, reason: str = "") -> Membership:
    """End one role. When it was the person's last, the account is deactivated too, so they can
    no longer sign in; their API tokens for this role stop working at once."""

    if not can_manage_user(actor, membership.user) or (
        not actor.can(Capability.MANAGE_ALL_USERS)
        and membership.organisation_id != actor.organisation.pk
    ):
        raise ActionError(_("Your role does not allow this."), code="forbidden")
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    revoked = (
        ApiToken.objects.live().filter(membership=membership).update(revoked_at=timezone.now())
    )
    account_closed = not user.memberships.filter(is_active=True).exists()
    if account_closed:
        user.is_active = False
        user.save(update_fields=["is_active"])
    record(
        "membership.deactivated",
        actor=actor,
        target=user,
        detail={
            "organisation": membership.organisation.code,
            "role": membership.role,
            "reason": reason,
            "tokens_revoked": revoked,
            "account_deactivated": account_closed,
        },
    )
    return membership


@transaction.atomic
def deactivate_user(user: User, *, actor, reason: str = "") -> User:
    """Administrators close an account altogether: every role ends and no token works."""
    _require(actor, Capability.MANAGE_ALL_USERS)
    if user.pk == actor.pk:
        raise ActionError(_("You cannot deactivate your own account."))
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.live().filter(user=user).update(revoked_at=timezone.now())
    record(
        "user.deactivated",
        actor=actor,
        target=user,
        detail={"reason": reason, "tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def reactivate_membership(membership: Membership, *, actor) -> Membership:
    return add_membership(
        membership.user, actor=actor, organisation=membership.organisation, role=membership.role
    )


@transaction.atomic
def set_preferred_language(user: User, *, actor, language: str) -> User:
    if language not in dict(settings.LANGUAGES) or user.preferred_language == language:
        return user
    changes = diff(user, {"preferred_language": language})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    record("user.language_changed", actor=actor, target=user, changes=changes)
    return user


# API tokens

TWO_FACTOR_FIRST = _(
    "Your role requires two-factor authentication: set it up in Retorno's web app (Your "
    "account, Two-factor authentication) before using the API."
)


@transaction.atomic
def create_token(user: User, *, actor, name: str, membership: Membership) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is never stored and cannot be shown again."""
    if actor.pk != user.pk:
        raise ActionError(_("People create their own API tokens."), code="forbidden")
    if membership.user_id != user.pk or not membership.is_active:
        raise ActionError(_("Choose one of your roles."), field="membership")
    if not role_can(membership.role, Capability.USE_API):
        raise ActionError(_("This role cannot use the API."), field="membership")
    if needs_two_factor_setup(user, membership.role):
        raise ActionError(TWO_FACTOR_FIRST, code="forbidden")
    name = name.strip()
    if not name:
        raise ActionError(_("Enter a name for the token."), field="name")
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        membership=membership,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=hash_token(key),
    )
    record("token.created", actor=actor, target=user, detail={"token": token.prefix, "name": name})
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("token.revoked", actor=actor, target=token.user, detail={"token": token.prefix})
    return token


# Sign-in events (called from the allauth adapter, which is where sign-in happens).


def record_sign_in(user: User) -> None:
    record("signin.succeeded", actor=user)


def record_sign_out(user: User) -> None:
    record("signin.signed_out", actor=user)


def record_failed_sign_in(login: str, *, locked: bool) -> None:
    """`login` is what was typed. If it names an account, the event names that account.
    Otherwise the typed text is not kept, since it may be a password typed into the login field:
    the event holds "unknown:" and a keyed fingerprint of it instead, which tells the DPO that
    repeated attempts used the same unknown login without saying what it was."""
    user = User.objects.filter(username__iexact=login).first() or (
        User.objects.filter(email__iexact=login).first() if "@" in login else None
    )
    verb = "signin.locked" if locked else "signin.failed"
    record(
        verb,
        actor=None,
        actor_username=user.username if user is not None else unknown_login_label(login),
        target=user,
        detail={"account_exists": user is not None},
    )


def unknown_login_label(login: str) -> str:
    digest = salted_hmac("retorno.unknown-login", login.strip().casefold(), algorithm="sha256")
    return "unknown:" + digest.hexdigest()[:12]

"""Human labels for audit verbs. Apps register theirs from AppConfig.ready()."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "signin.succeeded": _("Signed in"),
    "signin.failed": _("Sign-in failed"),
    "signin.locked": _("Sign-in refused: too many failed attempts"),
    "signin.signed_out": _("Signed out"),
    "mfa.totp_activated": _("Two-factor authentication switched on"),
    "mfa.totp_deactivated": _("Two-factor authentication switched off"),
    "mfa.recovery_codes_generated": _("Recovery codes generated"),
    "user.invited": _("User invited"),
    "user.deactivated": _("Account deactivated"),
    "user.language_changed": _("Language changed"),
    "user.viewed": _("User record viewed"),
    "membership.added": _("Role added"),
    "membership.deactivated": _("Role ended"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "organisation.created": _("Organisation created"),
    "organisation.updated": _("Organisation changed"),
    "organisation.deactivated": _("Organisation deactivated"),
    "organisation.reactivated": _("Organisation reactivated"),
    "audit.exported": _("Audit trail exported"),
}


def register(labels: dict) -> None:
    LABELS.update(labels)


def label(verb: str) -> str:
    return str(LABELS.get(verb, verb))


def choices() -> list[tuple[str, str]]:
    return sorted(((v, str(lbl)) for v, lbl in LABELS.items()), key=lambda c: c[1])

"""What accounts contributes: My work and the administration sections, and its audit verbs."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.lib.plugins import AppPlugin, NavSection, no_person_data, nothing_to_anonymise

PLUGIN = AppPlugin(
    urls="retorno.accounts.urls",
    navigation=(
        NavSection(_("My work"), "home", None, position=0),
        NavSection(
            _("Organisations"),
            "accounts:organisations",
            Capability.MANAGE_ORGANISATIONS,
            position=920,
        ),
        NavSection(_("Users"), "accounts:users", Capability.MANAGE_OWN_USERS, position=930),
    ),
    audit_verbs={
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
    },
    # Staff accounts hold personal data about staff, not about the returnees: the person of an
    # access request or an anonymisation is a returnee (cases.Person), of whom accounts holds
    # nothing. Staff accounts are deactivated, never anonymised here.
    personal_data_models=("User", "Membership", "ApiToken"),
    other_models=("Organisation",),
    person_data=no_person_data,
    anonymise=nothing_to_anonymise,
)

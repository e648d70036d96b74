"""What the directory contributes: its sections and audit verbs. It holds no personal data: its
records are organisations, services and places, not persons."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.lib.plugins import AppPlugin, NavSection, no_person_data, nothing_to_anonymise

VERBS = {
    "directory.organization_created": _("Directory organisation added"),
    "directory.organization_updated": _("Directory organisation changed"),
    "directory.organization_deactivated": _("Directory organisation deactivated"),
    "directory.organization_reactivated": _("Directory organisation reactivated"),
    "directory.program_created": _("Public programme added"),
    "directory.program_updated": _("Public programme changed"),
    "directory.service_created": _("Service added"),
    "directory.service_updated": _("Service changed"),
    "directory.service_deactivated": _("Service deactivated"),
    "directory.service_reactivated": _("Service reactivated"),
    "directory.location_created": _("Location added"),
    "directory.location_updated": _("Location changed"),
    "directory.location_deactivated": _("Location deactivated"),
    "directory.location_reactivated": _("Location reactivated"),
    "directory.imported": _("Directory imported"),
    "directory.exported": _("Directory exported"),
}

PLUGIN = AppPlugin(
    urls="retorno.directory.urls",
    navigation=(
        NavSection(_("Directory"), "directory:services", Capability.WORK_CASES, position=200),
        NavSection(
            _("Our services"), "directory:our_services", Capability.ANSWER_REFERRALS, position=210
        ),
    ),
    audit_verbs=VERBS,
    personal_data_models=(),
    other_models=(
        "Organization",
        "Program",
        "Location",
        "Service",
        "ServiceAtLocation",
        "Phone",
        "Schedule",
        "Language",
    ),
    person_data=no_person_data,
    anonymise=nothing_to_anonymise,
)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "retorno.directory"
    label = "directory"
    verbose_name = _("Directory of services")

    def ready(self):
        from retorno.accounts.navigation import Section, register
        from retorno.accounts.roles import Capability
        from retorno.audit import verbs

        register(
            Section(_("Directory"), "directory:services", Capability.WORK_CASES),
            before="audit:events",
        )
        register(
            Section(_("Our services"), "directory:our_services", Capability.ANSWER_REFERRALS),
            before="audit:events",
        )
        verbs.register(VERBS)


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

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "retorno.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from retorno.accounts.navigation import Section, register
        from retorno.accounts.roles import Capability
        from retorno.audit import verbs

        register(
            Section(_("Programmes"), "programmes:list", Capability.MANAGE_ORGANISATIONS),
            before="accounts:organisations",
        )
        verbs.register(VERBS)


VERBS = {
    "programme.created": _("Programme created"),
    "cycle.created": _("Cycle created"),
    "cycle.updated": _("Cycle changed"),
}

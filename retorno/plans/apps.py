from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "retorno.plans"
    label = "plans"
    verbose_name = _("Reintegration plans")

    def ready(self):
        from retorno.audit import verbs
        from retorno.cases.timeline import register_kinds
        from retorno.cases.views.common import register_tab
        from retorno.plans.timeline import DESCRIBERS

        register_tab("plan", _("Plan"), "plans:plan", position=4)
        register_kinds("plan", DESCRIBERS)
        verbs.register(
            {
                "plan.drafted": _("Reintegration plan drafted"),
                "plan.changed": _("Reintegration plan changed"),
                "plan.submitted": _("Reintegration plan submitted"),
                "plan.approved": _("Reintegration plan approved"),
                "plan.sent_back": _("Reintegration plan sent back"),
                "plan.agreed": _("Returnee's agreement recorded"),
                "plan.new_version": _("New version of the reintegration plan"),
                "plan.printed": _("Reintegration plan printed"),
            }
        )

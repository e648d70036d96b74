from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "retorno.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        from retorno.accounts.navigation import Section, register, register_badge
        from retorno.accounts.roles import Capability
        from retorno.audit import verbs
        from retorno.cases.timeline import register_kinds
        from retorno.cases.views.common import register_tab
        from retorno.referrals import actions  # noqa: F401 - registers the consent hook
        from retorno.referrals.timeline import DESCRIBERS

        register_tab("referrals", _("Referrals"), "referrals:case", position=5)
        register(
            Section(_("Inbox"), "referrals:inbox", Capability.ANSWER_REFERRALS, badge_key="inbox"),
            before="audit:events",
        )
        register_badge("inbox", _new_referrals)
        register_kinds("plan", DESCRIBERS)
        verbs.register(
            {
                "referral.sent": _("Referral sent"),
                "referral.accepted": _("Referral accepted"),
                "referral.declined": _("Referral declined"),
                "referral.in_progress": _("Referral in progress"),
                "referral.completed": _("Referral completed"),
                "referral.not_delivered": _("Referral not delivered"),
                "referral.updated": _("Referral update added"),
                "referral.viewed": _("Referral viewed"),
                "referral.letter_printed": _("Referral letter printed"),
            }
        )


def _new_referrals(user) -> int:
    from retorno.referrals.access import inbox_for
    from retorno.referrals.models import Referral

    return inbox_for(user).filter(status=Referral.Status.SENT).count()

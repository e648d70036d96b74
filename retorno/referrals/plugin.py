"""What referrals contributes: the partner's Inbox, the case page's Referrals tab, its timeline
kinds and audit verbs, overdue referrals on My work, closing referrals when sharing consent is
withdrawn, and what it holds about a person."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.cases.access import case_ids_assigned_to
from retorno.lib.plugins import AppPlugin, CaseTab, MyWorkItem, NavSection, TimelineKinds
from retorno.referrals import personal_data
from retorno.referrals.access import inbox_for, referrals_visible_to
from retorno.referrals.actions import close_referrals_without_consent
from retorno.referrals.models import Referral
from retorno.referrals.timeline import DESCRIBERS


def new_referrals(user) -> int:
    return inbox_for(user).filter(status=Referral.Status.SENT).count()


def overdue(user, today):
    """Referrals with no reply by their date, sent by the user or on a case assigned to her (a
    subquery, not a join, so that no DISTINCT is needed)."""
    referrals = list(
        referrals_visible_to(user)
        .filter(status=Referral.Status.SENT, reply_by__lt=today)
        .filter(Q(sent_by=user) | Q(case_id__in=case_ids_assigned_to(user)))
        .select_related("case", "service")
        .only("public_id", "reply_by", "case__reference", "service__name")
        .order_by("reply_by", "pk")[:20]
    )
    return {"referrals": referrals} if referrals else None


PLUGIN = AppPlugin(
    urls="retorno.referrals.urls",
    navigation=(
        NavSection(
            _("Inbox"),
            "referrals:inbox",
            Capability.ANSWER_REFERRALS,
            position=300,
            badge=new_referrals,
        ),
    ),
    tabs=(CaseTab("referrals", _("Referrals"), "referrals:case", position=60),),
    timeline_kinds=(TimelineKinds("plan", DESCRIBERS),),
    audit_verbs={
        "referral.sent": _("Referral sent"),
        "referral.accepted": _("Referral accepted"),
        "referral.declined": _("Referral declined"),
        "referral.in_progress": _("Referral in progress"),
        "referral.completed": _("Referral completed"),
        "referral.not_delivered": _("Referral not delivered"),
        "referral.updated": _("Referral update added"),
        "referral.viewed": _("Referral viewed"),
        "referral.letter_printed": _("Referral letter printed"),
        "referral.anonymised": _("Referrals anonymised"),
    },
    my_work=(MyWorkItem("overdue_referrals", 40, "referrals/my_work_overdue.html", overdue),),
    consent_withdrawn=(close_referrals_without_consent,),
    personal_data_models=("Referral", "ReferralUpdate"),
    other_models=("ReferralCounter",),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)

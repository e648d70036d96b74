from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "retorno.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from retorno.accounts.navigation import Section, register, register_badge
        from retorno.accounts.roles import Capability
        from retorno.audit import verbs

        register(Section(_("Cases"), "cases:list", Capability.WORK_CASES), before="audit:events")
        register(Section(_("Tasks"), "cases:tasks", Capability.WORK_CASES), before="audit:events")
        register(
            Section(
                # Caseworkers too: they find the handovers they sent there (the badge counts
                # only what waits for a coordinator's decision).
                _("Handovers"),
                "cases:handovers",
                Capability.WORK_CASES,
                badge_key="handovers",
            ),
            before="audit:events",
        )
        register(
            Section(_("Duplicates"), "cases:duplicates", Capability.MANAGE_CASES),
            before="audit:events",
        )
        register(
            Section(_("Import"), "cases:import", Capability.MANAGE_CASES), before="audit:events"
        )
        verbs.register(VERBS)
        register_badge("handovers", _handovers_waiting)


def _handovers_waiting(user) -> int:
    from retorno.cases.access import handovers_waiting_for

    return handovers_waiting_for(user).count()


VERBS = {
    "case.opened": _("Case opened"),
    "case.viewed": _("Case viewed"),
    "person.viewed": _("Person viewed"),
    "person.updated": _("Personal details changed"),
    "person.document_added": _("Identity document added"),
    "person.document_removed": _("Identity document removed"),
    "person.work_added": _("Work experience added"),
    "person.work_removed": _("Work experience removed"),
    "person.merged": _("Duplicate persons merged"),
    "person.not_duplicate": _("Marked as not the same person"),
    "persons.imported": _("Persons imported"),
    "case.household_added": _("Household member added"),
    "case.household_removed": _("Household member removed"),
    "case.assigned": _("Caseworker assigned"),
    "case.unassigned": _("Caseworker unassigned"),
    "case.priority_changed": _("Priority changed"),
    "case.phase_changed": _("Phase changed"),
    "case.closed": _("Case closed"),
    "case.reopened": _("Case reopened"),
    "case.vulnerability_recorded": _("Vulnerability profile recorded"),
    "case.marked_sensitive": _("Case marked sensitive"),
    "case.sensitive_removed": _("Sensitive flag removed"),
    "case.assessment_recorded": _("Needs assessment recorded"),
    "consent.recorded": _("Consent recorded"),
    "consent.withdrawn": _("Consent withdrawn"),
    "journal.added": _("Journal entry added"),
    "journal.amended": _("Journal entry corrected"),
    "task.created": _("Task created"),
    "task.completed": _("Task done"),
    "task.reopened": _("Task reopened"),
    "document.uploaded": _("Document uploaded"),
    "document.downloaded": _("Document downloaded"),
    "case.handed_over": _("Case handed over"),
    "case.handover_accepted": _("Handover accepted"),
    "case.handover_returned": _("Handover sent back"),
    "duplicates.reported": _("Duplicate report produced"),
}

"""What cases contributes: its sections, the case page's own tabs, its audit verbs, its My work
items, its personal-data models, and what it holds about a person."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.cases import personal_data
from retorno.cases import queries as case_queries
from retorno.cases.access import handovers_waiting_for
from retorno.lib.plugins import AppPlugin, CaseTab, MyWorkItem, NavSection


def handovers_waiting(user) -> int:
    return handovers_waiting_for(user).count()


def newly_assigned(user, today):
    assignments = case_queries.newly_assigned(user)
    return {"assignments": assignments} if assignments else None


def handovers(user, today):
    waiting = list(
        handovers_waiting_for(user).select_related("case", "from_desk").order_by("sent_at")[:20]
    )
    return {"handovers": waiting} if waiting else None


def tasks(user, today):
    due, total = case_queries.tasks_due(user=user)
    return {"tasks": due, "total": total, "today": today} if due else None


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
    "person.anonymised": _("Person anonymised"),
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

PLUGIN = AppPlugin(
    urls="retorno.cases.urls",
    navigation=(
        NavSection(_("Cases"), "cases:list", Capability.WORK_CASES, position=100),
        NavSection(_("Tasks"), "cases:tasks", Capability.WORK_CASES, position=110),
        # Caseworkers too: they find the handovers they sent there (the badge counts only what
        # waits for a coordinator's decision).
        NavSection(
            _("Handovers"),
            "cases:handovers",
            Capability.WORK_CASES,
            position=120,
            badge=handovers_waiting,
        ),
        NavSection(_("Duplicates"), "cases:duplicates", Capability.MANAGE_CASES, position=130),
        NavSection(_("Import"), "cases:import", Capability.MANAGE_CASES, position=140),
    ),
    tabs=(
        CaseTab("summary", _("Summary"), "cases:case", position=10),
        CaseTab("household", _("Household"), "cases:household", position=20),
        CaseTab("consent", _("Consent"), "cases:consent", position=30),
        CaseTab("journal", _("Journal"), "cases:journal", position=40),
        CaseTab("documents", _("Documents"), "cases:documents", position=70),
        CaseTab("timeline", _("Timeline"), "cases:timeline", position=80),
    ),
    audit_verbs=VERBS,
    my_work=(
        MyWorkItem("newly_assigned", 10, "cases/my_work/newly_assigned.html", newly_assigned),
        MyWorkItem("handovers", 20, "cases/my_work/handovers.html", handovers),
        MyWorkItem("tasks", 50, "cases/my_work/tasks.html", tasks),
    ),
    personal_data_models=(
        "Person",
        "IdentityDocument",
        "WorkExperience",
        "Case",
        "Assignment",
        "HouseholdMember",
        "VulnerabilityProfile",
        "NeedsAssessment",
        "Consent",
        "JournalEntry",
        "Task",
        "Document",
        "Handover",
        "CaseEvent",
        "MatchKey",
        "NotDuplicate",
    ),
    other_models=("ReferenceCounter",),
    person_data=personal_data.person_data,
    anonymise=personal_data.anonymise_person,
)

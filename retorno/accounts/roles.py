"""Roles and what each may do: the one table every permission check in Retorno reads.

docs/roles.md documents the same matrix and a test reads it back, so the table and its
documentation cannot drift.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    ME_OFFICER = "me_officer", _("M&E officer")
    OUTREACH_OFFICER = "outreach_officer", _("Outreach officer")
    DPO = "dpo", _("Data protection officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Capability(models.TextChoices):
    WORK_CASES = "work_cases", _("Register people and work on the desk's cases")
    MANAGE_CASES = "manage_cases", _("Assign cases, accept handovers, approve plans and grants")
    MANAGE_DIRECTORY = "manage_directory", _("Keep the desk's directory of services")
    ANSWER_REFERRALS = "answer_referrals", _("Answer referrals sent to the organisation")
    VIEW_STATISTICS = "view_statistics", _("See dashboards, indicators and pseudonymised exports")
    RUN_OUTREACH = "run_outreach", _("Run info sessions and follow up leads")
    VIEW_AUDIT = "view_audit", _("Browse and export the audit trail")
    HANDLE_DATA_REQUESTS = "handle_data_requests", _("Handle consent, data requests and retention")
    MANAGE_OWN_USERS = "manage_own_users", _("Invite and deactivate users of the organisation")
    MANAGE_ALL_USERS = "manage_all_users", _("Manage every user and membership")
    MANAGE_ORGANISATIONS = "manage_organisations", _("Manage organisations and programmes")
    USE_API = "use_api", _("Use the API with personal tokens")


C = Capability

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({C.WORK_CASES, C.USE_API}),
    Role.COORDINATOR: frozenset(
        {C.WORK_CASES, C.MANAGE_CASES, C.MANAGE_DIRECTORY, C.MANAGE_OWN_USERS, C.USE_API}
    ),
    Role.PARTNER: frozenset({C.ANSWER_REFERRALS, C.USE_API}),
    Role.ME_OFFICER: frozenset({C.VIEW_STATISTICS, C.USE_API}),
    Role.OUTREACH_OFFICER: frozenset({C.RUN_OUTREACH, C.USE_API}),
    Role.DPO: frozenset({C.VIEW_AUDIT, C.HANDLE_DATA_REQUESTS, C.USE_API}),
    Role.ADMINISTRATOR: frozenset(
        {
            C.VIEW_AUDIT,
            C.MANAGE_OWN_USERS,
            C.MANAGE_ALL_USERS,
            C.MANAGE_ORGANISATIONS,
            C.USE_API,
        }
    ),
}

# Which roles a coordinator may give when inviting someone to their own organisation.
# Partner staff, M&E, DPO and administrators are invited by an administrator.
ROLES_A_COORDINATOR_MAY_GRANT = (Role.CASEWORKER, Role.COORDINATOR, Role.OUTREACH_OFFICER)


def role_can(role: str | None, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role or "", frozenset())

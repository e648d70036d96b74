"""Every change to persons and cases. Each action runs in one transaction, takes the acting
user, checks its rules (raising ActionError with a translated reason), writes with
update_fields, records its audit event and the case's timeline, and sends email only after
commit.

One module per area; this package re-exports their public actions."""

from retorno.cases.actions.common import check_version, event, touch_case
from retorno.cases.actions.consent import record_consent, withdraw_consent
from retorno.cases.actions.documents import (
    ALLOWED_DOCUMENT_TYPES,
    MAX_DOCUMENT_BYTES,
    record_case_view,
    record_document_download,
    record_person_view,
    sniff_document_type,
    upload_document,
)
from retorno.cases.actions.handover import (
    accept_handover,
    format_date,
    hand_over_case,
    handover_problem,
    return_handover,
)
from retorno.cases.actions.importing import IMPORT_BATCH, import_persons, iter_import_persons
from retorno.cases.actions.journal import add_journal_entry, amend_journal_entry
from retorno.cases.actions.merge import mark_not_duplicate, merge_persons
from retorno.cases.actions.persons import (
    PERSON_FIELDS,
    add_identity_document,
    add_work_experience,
    update_person,
)
from retorno.cases.actions.phases import (
    change_phase,
    close_case,
    record_assessment,
    record_vulnerability,
    remove_sensitive_flag,
    reopen_case,
)
from retorno.cases.actions.registration import (
    add_household_member,
    assign_caseworker,
    register_inquiry,
    register_returnee,
    remove_household_member,
    set_priority,
    unassign_caseworker,
)
from retorno.cases.actions.tasks import complete_task, create_task

__all__ = [
    "ALLOWED_DOCUMENT_TYPES",
    "IMPORT_BATCH",
    "MAX_DOCUMENT_BYTES",
    "PERSON_FIELDS",
    "accept_handover",
    "add_household_member",
    "add_identity_document",
    "add_journal_entry",
    "add_work_experience",
    "amend_journal_entry",
    "assign_caseworker",
    "change_phase",
    "check_version",
    "close_case",
    "complete_task",
    "create_task",
    "event",
    "format_date",
    "hand_over_case",
    "handover_problem",
    "import_persons",
    "iter_import_persons",
    "mark_not_duplicate",
    "merge_persons",
    "record_assessment",
    "record_case_view",
    "record_consent",
    "record_document_download",
    "record_person_view",
    "record_vulnerability",
    "register_inquiry",
    "register_returnee",
    "remove_household_member",
    "remove_sensitive_flag",
    "reopen_case",
    "return_handover",
    "set_priority",
    "sniff_document_type",
    "touch_case",
    "unassign_caseworker",
    "update_person",
    "upload_document",
    "withdraw_consent",
]

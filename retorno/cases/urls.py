from django.urls import path

from retorno.cases.views import (
    duplicates,
    handover,
    importer,
    lists,
    record,
    register,
    work,
)

app_name = "cases"

case = "cases/<uuid:case_id>/"

urlpatterns = [
    path("cases/", lists.case_list, name="list"),
    path("cases/new/", register.register, name="register"),
    path("cases/new/similar/", register.register_hints, name="register_hints"),
    path(case, record.summary, name="case"),
    path(case + "person/", record.person_edit, name="person_edit"),
    path(case + "person/documents/add/", record.document_number_add, name="document_number_add"),
    path(case + "person/work/add/", record.work_add, name="work_add"),
    path(case + "household/", record.household, name="household"),
    path(case + "household/add/", record.household_add, name="household_add"),
    path(
        case + "household/<uuid:member_id>/remove/",
        record.household_remove,
        name="household_remove",
    ),
    path(case + "vulnerability/", record.vulnerability, name="vulnerability"),
    path(case + "assessment/", record.assessment_add, name="assessment_add"),
    path(case + "phase/", record.phase, name="phase"),
    path(case + "close/", record.close, name="close"),
    path(case + "reopen/", record.reopen, name="reopen"),
    path(case + "assign/", record.assign, name="assign"),
    path(case + "sensitive/remove/", record.sensitive_remove, name="sensitive_remove"),
    path(case + "timeline/", record.timeline, name="timeline"),
    path(case + "consent/", work.consent, name="consent"),
    path(case + "consent/record/", work.consent_record, name="consent_record"),
    path(
        case + "consent/<uuid:consent_id>/withdraw/", work.consent_withdraw, name="consent_withdraw"
    ),
    path(case + "journal/", work.journal, name="journal"),
    path(case + "journal/add/", work.journal_add, name="journal_add"),
    path(case + "journal/<uuid:entry_id>/correct/", work.journal_amend, name="journal_amend"),
    path(case + "tasks/add/", work.task_add, name="task_add"),
    path("tasks/", lists.task_list, name="tasks"),
    path("tasks/<uuid:task_id>/done/", work.task_done, name="task_done"),
    path(case + "documents/", work.documents, name="documents"),
    path(case + "documents/upload/", work.document_upload, name="document_upload"),
    path(case + "documents/<uuid:document_id>/", work.document_download, name="document_download"),
    path(case + "handover/", handover.handover_start, name="handover_start"),
    path(case + "handover/check/", handover.handover_check, name="handover_check"),
    path("handovers/", handover.inbox, name="handovers"),
    path("handovers/<uuid:handover_id>/", handover.handover_detail, name="handover"),
    path("handovers/<uuid:handover_id>/sent/", handover.handover_sent, name="handover_sent"),
    path("handovers/<uuid:handover_id>/accept/", handover.handover_accept, name="handover_accept"),
    path("handovers/<uuid:handover_id>/return/", handover.handover_return, name="handover_return"),
    path("duplicates/", duplicates.duplicates, name="duplicates"),
    path("duplicates/merge/", duplicates.merge, name="merge"),
    path("duplicates/different/", duplicates.not_duplicate, name="not_duplicate"),
    path("import/", importer.upload, name="import"),
    path("import/check/", importer.preview, name="import_preview"),
    path("import/run/", importer.run, name="import_run"),
    path("import/cancel/", importer.cancel, name="import_cancel"),
]

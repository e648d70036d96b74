"""API views for persons and cases, on the same access policy, actions and audit as the pages.

One view per URL, one method per operation; each operation has its own input and output
serializers. Objects are obtained only through `retorno.cases.access`; every change goes through
`retorno.cases.actions`; every read of a case or a person is recorded like the pages record it.
The API speaks codes (phase, purpose, kind...), never translated labels.

One module per area; this package re-exports the views the URLs route to."""

from retorno.cases.api.cases import CaseClose, CaseCollection, CaseDetail, CasePhase, CaseReopen
from retorno.cases.api.consent import CaseConsents, ConsentWithdraw
from retorno.cases.api.documents import CaseDocuments, DocumentDownload
from retorno.cases.api.handovers import (
    CaseHandover,
    HandoverAccept,
    HandoverDetail,
    HandoverList,
    HandoverReturn,
)
from retorno.cases.api.household import CaseHousehold
from retorno.cases.api.journal import CaseJournal, JournalAmend
from retorno.cases.api.persons import PersonDetail
from retorno.cases.api.tasks import CaseTasks, TaskComplete, TaskList

__all__ = [
    "CaseClose",
    "CaseCollection",
    "CaseConsents",
    "CaseDetail",
    "CaseDocuments",
    "CaseHandover",
    "CaseHousehold",
    "CaseJournal",
    "CasePhase",
    "CaseReopen",
    "CaseTasks",
    "ConsentWithdraw",
    "DocumentDownload",
    "HandoverAccept",
    "HandoverDetail",
    "HandoverList",
    "HandoverReturn",
    "JournalAmend",
    "PersonDetail",
    "TaskComplete",
    "TaskList",
]

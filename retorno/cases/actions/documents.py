"""Documents of a case, and the audited reads of a case and a person."""

import hashlib

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.cases.actions.common import event, touch_case
from retorno.cases.models import (
    Case,
    Document,
    Person,
)
from retorno.cases.rules import (
    audit_case,
    require_case_owner,
)
from retorno.lib.errors import ActionError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
}


def sniff_document_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes, or None when it is not one we accept."""
    # Import here: start-up (filetype loads its matchers only when a file is uploaded).
    import filetype

    kind = filetype.guess(head)
    if kind is None:
        return None
    mime = kind.mime
    if mime == "application/x-ole-storage":  # old Word and Excel files share one container
        mime = "application/msword"
    return mime if mime in ALLOWED_DOCUMENT_TYPES else None


@transaction.atomic
def upload_document(case: Case, *, actor, uploaded_file, kind: str, title: str) -> Document:
    require_case_owner(actor, case)
    if uploaded_file.size > MAX_DOCUMENT_BYTES:
        raise ActionError(_("The file must be smaller than 10 MB"), field="file")
    if uploaded_file.size == 0:
        raise ActionError(_("The file is empty"), field="file")
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    content_type = sniff_document_type(head)
    if content_type is None:
        raise ActionError(
            _("The file must be a PDF, an image (JPG, PNG, WEBP, HEIC) or an office document"),
            field="file",
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    document = Document(
        case=case,
        kind=kind,
        title=(title or uploaded_file.name).strip()[:200],
        original_name=uploaded_file.name[:255],
        content_type=content_type,
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(document.public_id.hex, uploaded_file, save=False)
    document.save()
    touch_case(case)
    audit_case(
        "document.uploaded",
        actor=actor,
        case=case,
        detail={"document": str(document.public_id), "kind": kind, "type": content_type},
    )
    event(case, "document_uploaded", actor=actor, title=document.title, kind=kind)
    return document


def record_document_download(document: Document, *, actor) -> None:
    audit_case(
        "document.downloaded",
        actor=actor,
        case=document.case,
        detail={"document": str(document.public_id), "kind": document.kind},
    )


def record_case_view(case: Case, *, actor, page: str) -> None:
    """Every read of a person's record is an audit event."""
    audit_case("case.viewed", actor=actor, case=case, detail={"page": page})


def record_person_view(person: Person, *, actor, page: str) -> None:
    audit_case("person.viewed", actor=actor, person=person, target=person, detail={"page": page})

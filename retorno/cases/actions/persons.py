"""Changes to a person's record: details, identity documents, work experience."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.audit.events import diff
from retorno.cases import matching
from retorno.cases.actions.common import event
from retorno.cases.models import (
    Case,
    IdentityDocument,
    MatchKey,
    Person,
    WorkExperience,
)
from retorno.cases.rules import (
    audit_case,
    require_capability,
)
from retorno.lib.errors import ActionError

PERSON_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_year_estimated",
    "nationality",
    "return_country",
    "return_region",
    "return_city",
    "languages",
    "phone_europe",
    "phone_home",
    "email",
    "address_europe",
    "address_home",
    "education_level",
    "occupation",
    "skills",
    "desk_reference",
)


def refresh_match_keys(person: Person) -> None:
    person.refresh_from_db()
    documents = [d.number for d in person.documents.all()]
    keys = matching.blocking_keys(matching.record_of(person, documents=documents))
    MatchKey.objects.filter(person=person).exclude(key__in=keys).delete()
    existing = set(MatchKey.objects.filter(person=person).values_list("key", flat=True))
    MatchKey.objects.bulk_create(
        [MatchKey(person=person, key=k) for k in keys if k not in existing]
    )


def _check_name(fields: dict) -> None:
    if not any(
        (fields.get(f) or "").strip() for f in ("given_names", "first_surname", "second_surname")
    ):
        raise ActionError(_("Enter at least one name"), field="given_names")


def create_person(*, fields: dict, documents=()) -> Person:
    fields = {k: v for k, v in fields.items() if k in PERSON_FIELDS}
    _check_name(fields)
    for name in ("given_names", "first_surname", "second_surname", "preferred_name"):
        if name in fields and fields[name] is not None:
            fields[name] = " ".join(fields[name].split())
    person = Person(**fields)
    person.search_name = matching.search_key(
        person.given_names, person.first_surname, person.second_surname
    )
    person.save()
    for document in documents:
        _add_identity_document(person, **document)
    refresh_match_keys(person)
    return person


def _add_identity_document(
    person, *, type, number, issuing_country="", expires_on=None, verified=False
) -> IdentityDocument:
    return IdentityDocument.objects.create(
        person=person,
        type=type,
        number=number.strip(),
        number_compact=matching.normalise_document(number),
        issuing_country=issuing_country or "",
        expires_on=expires_on,
        verified=verified,
    )


@transaction.atomic
def update_person(
    person: Person, *, actor, expected_version: int | None = None, **fields
) -> Person:
    require_capability(actor, Capability.WORK_CASES)
    person = Person.objects.select_for_update().get(pk=person.pk)
    fields = {k: v for k, v in fields.items() if k in PERSON_FIELDS}
    if {"given_names", "first_surname", "second_surname"} & set(fields):
        _check_name({**{f: getattr(person, f) for f in PERSON_FIELDS}, **fields})
    changes = diff(person, fields)
    if expected_version is not None and person.version != expected_version:
        raise ActionError(
            _("Someone else changed this person's details while you were editing them."),
            code="conflict",
        )
    if not changes:
        return person
    for name in changes:
        setattr(person, name, fields[name])
    person.search_name = matching.search_key(
        person.given_names, person.first_surname, person.second_surname
    )
    person.version = F("version") + 1
    person.save(update_fields=[*changes, "search_name", "version", "updated_at"])
    refresh_match_keys(person)
    audit_case("person.updated", actor=actor, person=person, target=person, changes=changes)
    for case in Case.objects.filter(person=person):
        event(case, "person_updated", actor=actor, fields=sorted(changes))
    return person


@transaction.atomic
def add_identity_document(person: Person, *, actor, **document) -> IdentityDocument:
    require_capability(actor, Capability.WORK_CASES)
    doc = _add_identity_document(person, **document)
    refresh_match_keys(person)
    audit_case(
        "person.document_added",
        actor=actor,
        person=person,
        target=person,
        detail={"type": doc.type, "number": doc.masked},
    )
    return doc


@transaction.atomic
def add_work_experience(person: Person, *, actor, **fields) -> WorkExperience:
    require_capability(actor, Capability.WORK_CASES)
    if not (fields.get("employer_or_sector") or "").strip():
        raise ActionError(_("Enter the employer or the sector"), field="employer_or_sector")
    experience = WorkExperience.objects.create(person=person, **fields)
    audit_case("person.work_added", actor=actor, person=person, target=person)
    return experience

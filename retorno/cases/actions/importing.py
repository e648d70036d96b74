"""Importing persons from a spreadsheet."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.cases import matching
from retorno.cases.actions.registration import starting_phase
from retorno.cases.models import (
    Case,
    CaseEvent,
    IdentityDocument,
    MatchKey,
    Person,
    ReferenceCounter,
)
from retorno.cases.rules import (
    phone_field_at,
    require_capability,
)
from retorno.lib.errors import ActionError
from retorno.programmes.queries import current_cycle


def import_persons(*, actor, desk: Organisation, rows, file_name: str = "") -> int:
    """Each validated row becomes a person with an open case at the desk, all in one
    transaction and one audit event. `rows` are importing.PersonRow objects, all valid.
    Returns how many were imported."""
    done = 0
    for done in iter_import_persons(actor=actor, desk=desk, rows=rows, file_name=file_name):  # noqa: B007
        continue
    return done


IMPORT_BATCH = 500


def iter_import_persons(*, actor, desk: Organisation, rows, file_name: str = ""):
    """The import as a generator that yields how many rows are done after each batch, so a
    page can show progress while the one transaction runs. Nothing is saved unless it runs
    to the end."""
    require_capability(actor, Capability.MANAGE_CASES)
    if actor.organisation is None or actor.organisation.pk != desk.pk:
        raise ActionError(_("You can only import into your own desk."), code="forbidden")
    rows = list(rows)
    with transaction.atomic():
        cycle = current_cycle(desk)
        phase = starting_phase(desk, None)
        european = desk.kind == Organisation.Kind.EUROPEAN_DESK
        phone_field = phone_field_at(desk)
        year = timezone.localdate().year
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            desk=desk, year=year
        )
        next_number = counter.last
        now = timezone.now()
        done = 0
        for start in range(0, len(rows), IMPORT_BATCH):
            batch = rows[start : start + IMPORT_BATCH]
            persons = [_person_from_row(row, european, phone_field) for row in batch]
            Person.objects.bulk_create(persons)
            documents, keys, cases = [], [], []
            for row, person in zip(batch, persons, strict=True):
                if row.document is not None:
                    documents.append(
                        IdentityDocument(
                            person=person,
                            type=row.document_type or IdentityDocument.Type.OTHER,
                            number=row.document.number,
                            number_compact=row.document.compact
                            or matching.normalise_document(row.document.number),
                            issuing_country=row.document_country or "",
                            verified=row.document.verified,
                        )
                    )
                person_rec = matching.record_of(
                    person, documents=[row.document.number] if row.document else []
                )
                keys.extend(
                    MatchKey(person=person, key=k) for k in matching.blocking_keys(person_rec)
                )
                next_number += 1
                cases.append(
                    Case(
                        reference=f"{desk.code}-{year}-{next_number:04d}",
                        cycle=cycle,
                        person=person,
                        owning_desk=desk,
                        origin_desk=desk if european else None,
                        phase=phase,
                        phase_changed_at=now,
                    )
                )
            IdentityDocument.objects.bulk_create(documents)
            MatchKey.objects.bulk_create(keys)
            Case.objects.bulk_create(cases)
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(
                        case=case,
                        kind="case_opened",
                        actor=actor,
                        actor_name=actor.get_full_name() or actor.get_username(),
                        actor_desk=desk,
                        params={"phase": phase, "desk": desk.name, "imported": True},
                    )
                    for case in cases
                ]
            )
            done += len(batch)
            yield done
        ReferenceCounter.objects.filter(pk=counter.pk).update(last=next_number)
        record(
            "persons.imported",
            actor=actor,
            detail={"desk": desk.code, "rows": done, "file": file_name},
        )


def _person_from_row(row, european: bool, phone_field: str) -> Person:
    person = Person(
        given_names=" ".join(row.given_names.split()),
        first_surname=" ".join(row.first_surname.split()),
        second_surname=" ".join(row.second_surname.split()),
        sex=row.sex or "",
        birth_year=row.birth.year if row.birth else None,
        birth_month=row.birth.month if row.birth else None,
        birth_day=row.birth.day if row.birth else None,
        nationality=row.nationality or "",
        return_country=row.return_country or "",
        return_city=row.return_city or "",
        email=row.email or "",
        desk_reference=row.reference or "",
    )
    if row.phone_e164:
        setattr(person, phone_field, row.phone_e164)
    if row.address:
        setattr(person, "address_europe" if european else "address_home", row.address)
    person.search_name = matching.search_key(
        person.given_names, person.first_surname, person.second_surname
    )
    return person

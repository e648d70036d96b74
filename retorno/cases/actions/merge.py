"""Merging duplicate persons, or marking them as different."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.cases import matching
from retorno.cases.actions.common import event
from retorno.cases.actions.persons import PERSON_FIELDS, refresh_match_keys
from retorno.cases.models import (
    Case,
    HouseholdMember,
    IdentityDocument,
    MatchKey,
    NotDuplicate,
    Person,
    WorkExperience,
)
from retorno.cases.rules import (
    audit_case,
    require_capability,
)
from retorno.lib.errors import ActionError


@transaction.atomic
def merge_persons(survivor: Person, duplicate: Person, *, actor) -> Person:
    """Merge two records of the same person. The duplicate's cases, household links, documents
    and work history move to the survivor; its details fill the survivor's empty fields; the
    duplicate stays, marked as merged, so nothing is lost."""
    require_capability(actor, Capability.MANAGE_CASES)
    if survivor.pk == duplicate.pk:
        raise ActionError(_("Choose two different records."))
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ActionError(_("One of these records was already merged."), code="already_done")
    filled = {}
    for name in PERSON_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if (mine in ("", None, []) or (name == "languages" and not mine)) and theirs not in (
            "",
            None,
            [],
        ):
            filled[name] = theirs
    moved_cases = list(Case.objects.filter(person=duplicate).values_list("reference", flat=True))
    Case.objects.filter(person=duplicate).update(person=survivor)
    for member in HouseholdMember.objects.filter(person=duplicate):
        if HouseholdMember.objects.filter(case=member.case, person=survivor).exists():
            member.delete()
        else:
            member.person = survivor
            member.save(update_fields=["person"])
    survivor_numbers = set(survivor.documents.values_list("number_compact", "type"))
    for document in IdentityDocument.objects.filter(person=duplicate):
        if (document.number_compact, document.type) not in survivor_numbers:
            document.person = survivor
            document.save(update_fields=["person"])
    WorkExperience.objects.filter(person=duplicate).update(person=survivor)
    for name, value in filled.items():
        setattr(survivor, name, value)
    survivor.search_name = matching.search_key(
        survivor.given_names, survivor.first_surname, survivor.second_surname
    )
    survivor.version = F("version") + 1
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    MatchKey.objects.filter(person=duplicate).delete()
    refresh_match_keys(survivor)
    audit_case(
        "person.merged",
        actor=actor,
        person=survivor,
        target=survivor,
        changes={k: [None, v] for k, v in filled.items()},
        detail={"merged": str(duplicate.public_id), "cases_moved": moved_cases},
    )
    for case in Case.objects.filter(person=survivor):
        event(case, "persons_merged", actor=actor)
    return survivor


@transaction.atomic
def mark_not_duplicate(a: Person, b: Person, *, actor) -> None:
    require_capability(actor, Capability.MANAGE_CASES)
    first, second = sorted((a, b), key=lambda p: p.pk)
    _obj, created = NotDuplicate.objects.get_or_create(
        person_a=first, person_b=second, defaults={"decided_by": actor}
    )
    if created:
        audit_case(
            "person.not_duplicate",
            actor=actor,
            person=first,
            target=first,
            detail={"other": str(second.public_id)},
        )

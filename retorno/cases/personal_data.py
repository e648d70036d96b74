"""What cases holds about a person (for an access request) and how it anonymises it.

The person is a returnee or a household member (`Person`). Anonymising keeps what statistics
need (sex, year of birth, nationality, country of return, education, languages, the cases with
their phases, dates, desks, vulnerability categories, consent decisions, assessment levels) and
blanks or removes what identifies or describes the person in words (names, contacts, addresses,
identity documents, free texts, uploaded files). Household members are persons of their own:
each is anonymised on its own request.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retorno.audit.events import record
from retorno.cases.models import (
    Case,
    CaseEvent,
    Consent,
    Document,
    Handover,
    HouseholdMember,
    IdentityDocument,
    JournalEntry,
    MatchKey,
    NeedsAssessment,
    Person,
    Task,
    VulnerabilityProfile,
    WorkExperience,
)
from retorno.lib.plugins import PersonDataSection

PERSON_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
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
# Blanked on anonymisation; the other fields above stay for statistics.
BLANKED_PERSON_FIELDS = {
    "given_names": "",
    "second_surname": "",
    "preferred_name": "",
    "birth_month": None,
    "birth_day": None,
    "return_region": "",
    "return_city": "",
    "phone_europe": "",
    "phone_home": "",
    "email": "",
    "address_europe": "",
    "address_home": "",
    "occupation": "",
    "skills": "",
    "desk_reference": "",
    "search_name": "",
}
# Words the timeline keeps in an event's params: titles, notes and reasons can name the person.
FREE_TEXT_PARAMS = ("title", "note", "reason", "summary")


def pseudonym(person: Person) -> str:
    """What stands in for the name of an anonymised person (a name is required)."""
    return f"ANON-{person.public_id.hex[:8].upper()}"


def _value(obj, name):
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display is not None else getattr(obj, name)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return value


def _rows(obj, names) -> tuple:
    rows = []
    for name in names:
        value = _value(obj, name)
        if value not in ("", None):
            rows.append((str(obj._meta.get_field(name).verbose_name), str(value)))
    return tuple(rows)


def person_data(person: Person) -> list[PersonDataSection]:
    """Everything cases holds about the person, section by section: a fixed number of queries."""
    sections = [PersonDataSection(_("Personal details"), _rows(person, PERSON_FIELDS))]
    sections += [
        PersonDataSection(_("Identity document"), _rows(d, ("type", "number", "expires_on")))
        for d in IdentityDocument.objects.filter(person=person).order_by("pk")
    ]
    sections += [
        PersonDataSection(
            _("Work experience"),
            _rows(w, ("employer_or_sector", "role", "started_year", "ended_year", "notes")),
        )
        for w in WorkExperience.objects.filter(person=person).order_by("pk")
    ]
    sections += [
        PersonDataSection(
            _("Household"),
            ((str(_("case")), m.case.reference), *_rows(m, ("relationship", "returning"))),
        )
        for m in HouseholdMember.objects.filter(person=person).select_related("case")
    ]
    cases = list(Case.objects.filter(person=person).select_related("owning_desk").order_by("pk"))
    for case in cases:
        sections.append(
            PersonDataSection(
                _("Case"),
                (
                    (str(_("reference")), case.reference),
                    (str(_("desk")), case.owning_desk.name),
                    *_rows(case, ("phase", "closed_reason", "priority", "travel_date")),
                ),
            )
        )
    of_cases = {"case__in": cases}
    for model, title, names in (
        (Consent, _("Consent"), ("purpose", "given", "decided_on", "method", "witness")),
        (VulnerabilityProfile, _("Vulnerability profile"), ("categories", "notes")),
        (
            NeedsAssessment,
            _("Needs assessment"),
            ("assessed_on", "economic", "social", "psychosocial", "health", "summary"),
        ),
        (JournalEntry, _("Journal entry"), ("kind", "occurred_on", "participants", "summary")),
        (Task, _("Task"), ("title", "notes", "due_on", "status")),
        (Document, _("Document"), ("kind", "title", "original_name", "content_type", "size")),
        (Handover, _("Handover"), ("situation", "needs", "risks", "promises", "travel_date")),
    ):
        sections += [
            PersonDataSection(title, (("", obj.case.reference), *_rows(obj, names)))
            for obj in model.objects.filter(**of_cases).select_related("case").order_by("pk")
        ]
    return sections


def anonymise_person(person: Person, *, actor) -> int:
    """Anonymise what cases holds about the person; the number of records changed. Atomic,
    audited (`person.anonymised`); the uploaded files are deleted once the change is saved."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        for name, blank in BLANKED_PERSON_FIELDS.items():
            setattr(person, name, blank)
        person.first_surname = pseudonym(person)
        person.version += 1
        person.save()
        changed = {"person": 1}
        changed["match_keys"] = MatchKey.objects.filter(person=person).delete()[0]
        changed["identity_documents"] = IdentityDocument.objects.filter(person=person).delete()[0]
        changed["work_experience"] = WorkExperience.objects.filter(person=person).update(
            employer_or_sector="", role="", notes=""
        )
        cases = Case.objects.filter(person=person)
        of_cases = Q(case__in=cases)
        changed["consents"] = Consent.objects.filter(of_cases).update(
            witness="", withdrawal_note=""
        )
        changed["vulnerability_profiles"] = VulnerabilityProfile.objects.filter(of_cases).update(
            notes=""
        )
        changed["assessments"] = NeedsAssessment.objects.filter(of_cases).update(summary="")
        changed["journal"] = JournalEntry.objects.filter(of_cases).update(
            participants="", summary="", amendment_reason=""
        )
        changed["tasks"] = Task.objects.filter(of_cases).update(title="", notes="")
        changed["handovers"] = Handover.objects.filter(of_cases).update(
            situation="", needs="", plan_so_far="", risks="", promises="", return_reason=""
        )
        documents = list(Document.objects.filter(of_cases).exclude(file=""))
        files = [(d.file.storage, d.file.name) for d in documents]
        changed["documents"] = Document.objects.filter(of_cases).update(
            title="", original_name="", file=""
        )
        events = []
        for event in CaseEvent.objects.filter(of_cases).only("params"):
            if any(k in (event.params or {}) for k in FREE_TEXT_PARAMS):
                event.params = {k: v for k, v in event.params.items() if k not in FREE_TEXT_PARAMS}
                events.append(event)
        CaseEvent.objects.bulk_update(events, ["params"])
        changed["timeline"] = len(events)
        record(
            "person.anonymised",
            actor=actor,
            target=person,
            person_id=person.public_id,
            detail={k: v for k, v in changed.items() if v},
        )

        def delete_files():
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return sum(changed.values())

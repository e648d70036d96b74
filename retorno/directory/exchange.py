"""Reading a directory file into checked records, and collecting a country's directory for
export. The formats themselves are in `hsds.py` (HSDS 3.0 JSON) and `tabular.py` (CSV).

Reading never writes to the database. `reading.read_file(name, content, country)` returns a Dataset:
the organisations, public programmes, locations and services of the file as records whose ids
are resolved (the file's UUID; for a CSV row without one, the entry of the same name already in
the directory, or a new UUID) and every problem found, each with where it is (a CSV line and
column, or an HSDS JSON path), the value and the reason. `actions.import_directory` writes a
Dataset only when it has no problems, in one transaction.

The same cleaning functions as the forms and the API (`actions.clean_*`) check each value, so a
rule holds whichever way an entry arrives.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from retorno.directory import access, actions
from retorno.directory.models import (
    COUNTRY_LANGUAGE,
    Location,
    Organization,
    Program,
    Service,
    ServiceAtLocation,
    ServiceType,
    text_languages,
)
from retorno.lib.errors import ActionError
from retorno.lib.text import normalise_text

MAX_BYTES = 10 * 1024 * 1024


class FileError(Exception):
    """The file as a whole cannot be read; `message` says why and how to fix it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Where:
    """Where a record is in the file: a CSV line (and the columns its fields come from) or an
    HSDS JSON path."""

    line: int | None = None
    path: str = ""
    columns: dict | None = None

    def of(self, name: str) -> str:
        if not name:
            return self.path
        if self.columns is not None:
            head = name.split("[")[0].split(".")[0]
            return self.columns.get(head, name)
        return f"{self.path}.{name}" if self.path else name

    def __str__(self) -> str:
        return f"line {self.line}" if self.line is not None else self.path


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str  # the CSV column, or the full JSON path
    value: str
    message: str

    def __str__(self) -> str:
        place = f"line {self.line}, {self.where}" if self.line is not None else self.where
        return f"{place}: {self.message}" + (f" ({self.value})" if self.value else "")


@dataclass
class OrganizationRecord:
    id: uuid.UUID
    where: Where
    kind: str = ""
    name: str = ""
    alternate_name: str = ""
    description: dict = field(default_factory=dict)
    email: str = ""
    website: str = ""
    active: bool = True
    retorno_organisation: object = None
    phones: list = field(default_factory=list)


@dataclass
class ProgramRecord:
    id: uuid.UUID
    where: Where
    organization_id: uuid.UUID | None = None
    name: str = ""
    alternate_name: str = ""
    description: dict = field(default_factory=dict)


@dataclass
class LocationRecord:
    id: uuid.UUID
    where: Where
    organization_id: uuid.UUID | None = None
    location_type: str = Location.Type.PHYSICAL
    name: str = ""
    alternate_name: str = ""
    description: dict = field(default_factory=dict)
    url: str = ""
    address_1: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    not_public: bool = False
    active: bool = True
    phones: list = field(default_factory=list)
    schedules: list = field(default_factory=list)
    languages: list = field(default_factory=list)


@dataclass
class ServiceRecord:
    id: uuid.UUID
    where: Where
    organization_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    program_where: str = "program_id"
    name: str = ""
    alternate_name: str = ""
    service_type: str = ""
    status: str = Service.Status.ACTIVE
    description: dict = field(default_factory=dict)
    eligibility_description: dict = field(default_factory=dict)
    application_process: dict = field(default_factory=dict)
    fees_description: dict = field(default_factory=dict)
    minimum_age: int | None = None
    maximum_age: int | None = None
    url: str = ""
    email: str = ""
    not_public: bool = False
    phones: list = field(default_factory=list)
    schedules: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    # (service_at_location id or None, location id, where the link is written)
    locations: list = field(default_factory=list)


@dataclass
class Dataset:
    country: str
    organizations: list = field(default_factory=list)
    programs: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    services: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    existing: dict = field(default_factory=dict)  # kind -> set of ids already in the directory

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict:
        """How many of each kind the import will add and change."""
        result = {}
        for kind in ("organizations", "programs", "locations", "services"):
            records = getattr(self, kind)
            known = self.existing.get(kind, set())
            result[kind] = {
                "total": len(records),
                "new": sum(1 for r in records if r.id not in known),
                "existing": sum(1 for r in records if r.id in known),
            }
        return result


# Checking values, shared by both formats


def short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


class Checker:
    """Collects problems; `run` calls a cleaning function and records its ActionError."""

    FAILED = object()

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def problem(self, where: Where, name: str, value, message) -> None:
        self.dataset.problems.append(
            Problem(line=where.line, where=where.of(name), value=short(value), message=str(message))
        )

    def run(self, where: Where, name: str, value, clean, *args, **kwargs):
        try:
            return clean(*args, **kwargs)
        except ActionError as error:
            self.problem(where, name, value, error.message)
            return self.FAILED

    def uuid(self, where: Where, name: str, value, *, required: bool = True):
        if value in (None, ""):
            if required:
                self.problem(where, name, value, _("Give the id, a UUID"))
            return None
        try:
            return uuid.UUID(str(value))
        except (ValueError, AttributeError, TypeError):
            self.problem(
                where, name, value, _("An id is a UUID, like 3f7b145d-84af-42d7-8fae-eaca714b02b2")
            )
            return None

    def boolean(self, where: Where, name: str, value, *, default: bool) -> bool:
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "sí", "si", "sì", "sim"):
            return True
        if text in ("false", "no", "0", "não", "nao"):
            return False
        self.problem(where, name, value, _("Write true or false"))
        return default

    def text(self, where: Where, name: str, value, *, limit: int | None = None) -> str:
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(where, name, value, _("A text must be words, not a number or a list."))
            return ""
        text = " ".join(str(value).split())
        if limit and len(text) > limit:
            self.problem(
                where, name, value, _("Write %(limit)s characters or fewer") % {"limit": limit}
            )
        return text

    def choice(self, where: Where, name: str, value, choices, message) -> str:
        if value in choices:
            return value
        self.problem(where, name, value, message)
        return ""

    def texts(self, where: Where, name: str, value) -> dict:
        result = self.run(where, name, value, actions.clean_texts, value, field=name)
        return {} if result is self.FAILED else result

    def listed(self, where: Where, name: str, items, clean, **kwargs) -> list:
        """Each phone, schedule or language checked on its own, so a problem names which."""
        if items in (None, ""):
            return []
        if not isinstance(items, list):
            self.problem(where, name, items, _("Give a list"))
            return []
        cleaned = []
        for index, item in enumerate(items):
            if not isinstance(item, dict | str):
                self.problem(where, f"{name}[{index}]", item, _("Give an object"))
                continue
            result = self.run(
                where, f"{name}[{index}]", _describe(item), clean, [item], field=name, **kwargs
            )
            if result is not self.FAILED:
                cleaned.extend(result)
        return cleaned


def _describe(item) -> str:
    if isinstance(item, dict):
        return " ".join(str(v) for k, v in item.items() if k != "id" and v not in (None, ""))
    return str(item)


def kind_from(value) -> str:
    """An organisation kind from its code or its English, Italian, Spanish or Portuguese label
    (HSDS legal_status)."""
    if not value:
        return ""
    text = normalise_text(str(value))
    for code, label in Organization.Kind.choices:
        if text == normalise_text(code):
            return code
        for language in text_languages():
            with translation.override(language):
                if text == normalise_text(str(label)):
                    return code
    return ""


def service_type_from(value) -> str:
    if not value:
        return ""
    text = normalise_text(str(value))
    for code, label in ServiceType.choices:
        if text == normalise_text(code):
            return code
        for language in text_languages():
            with translation.override(language):
                if text == normalise_text(str(label)):
                    return code
    return ""


def untranslated(text, country: str) -> dict:
    """A text whose language the file does not say: taken to be the country's language."""
    return {COUNTRY_LANGUAGE.get(country, "es"): text} if text else {}


# Checks across records


def check_dataset(dataset: Dataset, checker: Checker) -> Dataset:
    """Ids unique in the file, entries that exist already belong to this country and to the
    same organisation, every reference points at something in the file or the directory."""
    country = dataset.country
    kinds = {
        "organizations": Organization,
        "programs": Program,
        "locations": Location,
        "services": Service,
    }
    owners = {}
    for kind, model in kinds.items():
        records = getattr(dataset, kind)
        seen = {}
        for rec in records:
            if rec.id in seen:
                checker.problem(
                    rec.where,
                    "id",
                    rec.id,
                    _("This id is used already, by %(other)s") % {"other": seen[rec.id]},
                )
            seen[rec.id] = str(rec.where)
        if model is Organization:
            found = {
                o.public_id: (o.country.code, None)
                for o in model.objects.filter(public_id__in=list(seen))
            }
        else:
            found = {
                public_id: (code, org_id)
                for public_id, code, org_id in model.objects.filter(
                    public_id__in=list(seen)
                ).values_list("public_id", "organization__country", "organization__public_id")
            }
        dataset.existing[kind] = set(found)
        owners[kind] = found
        for rec in records:
            if rec.id not in found:
                continue
            code, org_id = found[rec.id]
            if code != country:
                checker.problem(
                    rec.where,
                    "id",
                    rec.id,
                    _("This entry belongs to the directory of another country"),
                )
            elif org_id is not None and org_id != rec.organization_id:
                checker.problem(
                    rec.where,
                    "organization_id",
                    rec.organization_id,
                    _("This entry belongs to another organisation of the directory"),
                )
    org_ids = {o.id for o in dataset.organizations}
    _check_organizations_exist(dataset, checker, org_ids)
    programs_in_file = {p.id for p in dataset.programs}
    location_owner = {loc.id: loc.organization_id for loc in dataset.locations}
    for rec in dataset.services:
        if rec.program_id and rec.program_id not in programs_in_file:
            program = (
                Program.objects.filter(public_id=rec.program_id)
                .values_list("organization__country", flat=True)
                .first()
            )
            if program != country:
                checker.problem(
                    rec.where,
                    rec.program_where,
                    rec.program_id,
                    _("No public programme of this country has this id"),
                )
        for _sal_id, location_id, where_name in rec.locations:
            owner = location_owner.get(location_id)
            if owner is None:
                owner = (
                    Location.objects.filter(public_id=location_id)
                    .values_list("organization__public_id", flat=True)
                    .first()
                )
            if owner is None:
                checker.problem(rec.where, where_name, location_id, _("No location has this id"))
            elif owner != rec.organization_id:
                checker.problem(
                    rec.where,
                    where_name,
                    location_id,
                    _("A service can only be at locations of its own organisation."),
                )
        if (
            rec.minimum_age is not None
            and rec.maximum_age is not None
            and rec.minimum_age > rec.maximum_age
        ):
            checker.problem(
                rec.where,
                "maximum_age",
                rec.maximum_age,
                _("The maximum age must be the same as or more than the minimum age"),
            )
    return dataset


def _check_organizations_exist(dataset, checker, org_ids) -> None:
    """Records of an organisation not in the file must name one of this country's directory."""
    missing = {
        rec.organization_id
        for kind in ("programs", "locations", "services")
        for rec in getattr(dataset, kind)
        if rec.organization_id and rec.organization_id not in org_ids
    }
    known = set(
        Organization.objects.filter(public_id__in=missing, country=dataset.country).values_list(
            "public_id", flat=True
        )
    )
    for kind in ("programs", "locations", "services"):
        for rec in getattr(dataset, kind):
            if rec.organization_id in missing and rec.organization_id not in known:
                checker.problem(
                    rec.where,
                    "organization_id",
                    rec.organization_id,
                    _("No organisation of this country has this id"),
                )


def existing_id(model, country: str, name: str, organization_id=None):
    """The id of the entry of this name (accents and case ignored) in the country's directory,
    when there is exactly one: a CSV row without an id updates it."""
    if not name:
        return None
    key = normalise_text(name)
    qs = model.objects.all()
    if model is Organization:
        qs = qs.filter(country=country)
    else:
        qs = qs.filter(organization__public_id=organization_id, organization__country=country)
    ids = [pid for pid, n in qs.values_list("public_id", "name") if normalise_text(n) == key]
    return ids[0] if len(ids) == 1 else None


# Collecting a country's directory for export


def first_text(texts: dict | None) -> str:
    """The text in the first language that has one, in the order of settings.LANGUAGES."""
    for code in text_languages():
        if (texts or {}).get(code):
            return texts[code]
    return ""


def directory_of(country: str, *, public_only: bool = False) -> list[Organization]:
    """Every organisation of the country with its programmes, locations, services and their
    parts prefetched, in a stable order (name, then id): exporting twice gives the same file."""

    services = Service.objects.order_by("name", "public_id").select_related("program")
    locations = Location.objects.order_by("name", "public_id")
    if public_only:
        services = services.filter(pk__in=access.services_visible_to_public().values("pk"))
        locations = locations.filter(pk__in=access.locations_visible_to_public().values("pk"))
    links = ServiceAtLocation.objects.filter(location__in=locations).select_related("location")
    orgs = Organization.objects.filter(country=country)
    if public_only:
        orgs = orgs.filter(is_active=True)
    return list(
        orgs.order_by("name", "public_id")
        .select_related("retorno_organisation")
        .prefetch_related(
            "phones",
            Prefetch("programs", queryset=Program.objects.order_by("name", "public_id")),
            Prefetch("locations", queryset=locations),
            "locations__phones",
            "locations__schedules",
            "locations__languages",
            Prefetch("services", queryset=services),
            "services__phones",
            "services__schedules",
            "services__languages",
            Prefetch(
                "services__service_at_locations",
                queryset=links.order_by("location__name", "location__public_id"),
            ),
        )
    )

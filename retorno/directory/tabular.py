"""The directory as one CSV file, for desks that keep it in a spreadsheet.

One row per service at a location, per service without a location, per public programme, per
location no service uses, and per organisation with none of these; the organisation's columns
repeat on each of its rows (a row with an organisation's id or name and different details than
an earlier row of the same organisation is a problem). Column names are the HSDS field names,
prefixed with the object: organization_*, program_*, service_*, location_*. Texts have one
column per language (service_description_es ...). Repeated parts are written in one cell:

    *_phones     +51 1 5550100; +51 987 654 321
    *_languages  es, qu
    *_hours      MO,TU,WE,TH,FR 09:00-17:00 (Closed on public holidays); SA 09:00-13:00

A CSV carries less than HSDS JSON: a phone's extension, type and description and a language's
note are not in it, and a `;` in notes on opening hours becomes `,`. Ids may be left empty: a
row then updates the entry of the same name in the country's directory, or adds a new one.
Cells are written by retorno.lib.spreadsheets: one that a spreadsheet would read as a formula
is written with a leading apostrophe, which reading removes.
"""

import csv
import io
import re
import uuid

from django.utils.translation import gettext_lazy as _

from retorno.directory import actions
from retorno.directory.exchange import (
    Checker,
    Dataset,
    FileError,
    LocationRecord,
    OrganizationRecord,
    ProgramRecord,
    ServiceRecord,
    Where,
    check_dataset,
    directory_of,
    existing_id,
    kind_from,
    service_type_from,
)
from retorno.directory.models import (
    Location,
    Organization,
    Program,
    Schedule,
    Service,
    ServiceType,
    text_languages,
)
from retorno.lib import spreadsheets
from retorno.lib.text import normalise_text

ORGANIZATION = {
    "organization_id": "id",
    "organization_name": "name",
    "organization_alternate_name": "alternate_name",
    "organization_kind": "kind",
    "organization_email": "email",
    "organization_website": "website",
    "organization_phones": "phones",
    "organization_active": "active",
    "organization_retorno": "retorno_organisation",
}
PROGRAM = {
    "program_id": "id",
    "program_name": "name",
    "program_alternate_name": "alternate_name",
}
SERVICE = {
    "service_id": "id",
    "service_name": "name",
    "service_alternate_name": "alternate_name",
    "service_type": "service_type",
    "service_status": "status",
    "service_not_public": "not_public",
    "service_program_id": "program_id",
    "service_url": "url",
    "service_email": "email",
    "service_phones": "phones",
    "service_languages": "languages",
    "service_hours": "schedules",
    "service_minimum_age": "minimum_age",
    "service_maximum_age": "maximum_age",
}
LOCATION = {
    "location_id": "id",
    "location_name": "name",
    "location_alternate_name": "alternate_name",
    "location_type": "location_type",
    "location_not_public": "not_public",
    "location_active": "active",
    "location_address": "address_1",
    "location_city": "city",
    "location_region": "region",
    "location_postal_code": "postal_code",
    "location_url": "url",
    "location_phones": "phones",
    "location_languages": "languages",
    "location_hours": "schedules",
}
TEXTS = {
    "organization": ("description",),
    "program": ("description",),
    "service": actions.TEXT_FIELDS,
    "location": ("description",),
}
GROUPS = {
    "organization": ORGANIZATION,
    "program": PROGRAM,
    "service": SERVICE,
    "location": LOCATION,
}


def _with_texts(prefix: str, columns: dict) -> dict:
    columns = dict(columns)
    for name in TEXTS[prefix]:
        for language in text_languages():
            columns[f"{prefix}_{name}_{language}"] = f"{name}_{language}"
    return columns


COLUMNS_BY_GROUP = {prefix: _with_texts(prefix, cols) for prefix, cols in GROUPS.items()}
HEADER = [column for cols in COLUMNS_BY_GROUP.values() for column in cols]
_DELIMITERS = (",", ";", "\t")
_HOURS = re.compile(
    r"^(?:(?P<freq>WEEKLY|MONTHLY)\s+)?"
    r"(?P<days>[+-]?\d?[A-Z]{2}(?:\s*,\s*[+-]?\d?[A-Z]{2})*)?\s*"
    r"(?:(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2}))?\s*"
    r"(?:\((?P<note>.*)\))?$"
)


# Writing


def hours_cell(schedules) -> str:
    items = []
    for s in schedules:
        parts = []
        if s.freq != Schedule.Freq.WEEKLY:
            parts.append(s.freq)
        if s.byday:
            parts.append(s.byday)
        if s.opens_at and s.closes_at:
            parts.append(f"{s.opens_at:%H:%M}-{s.closes_at:%H:%M}")
        if s.description:
            parts.append(f"({s.description.replace(';', ',')})")
        items.append(" ".join(parts))
    return "; ".join(items)


def _texts(prefix, obj) -> dict:
    return {
        f"{prefix}_{name}_{language}": getattr(obj, name).get(language, "")
        for name in TEXTS[prefix]
        for language in text_languages()
    }


def _organization_cells(org) -> dict:
    return {
        "organization_id": org.public_id,
        "organization_name": org.name,
        "organization_alternate_name": org.alternate_name,
        "organization_kind": org.kind,
        "organization_email": org.email,
        "organization_website": org.website,
        "organization_phones": "; ".join(p.number for p in org.phones.all()),
        "organization_active": org.is_active,
        "organization_retorno": org.retorno_organisation.code if org.retorno_organisation else "",
        **_texts("organization", org),
    }


def _program_cells(program) -> dict:
    return {
        "program_id": program.public_id,
        "program_name": program.name,
        "program_alternate_name": program.alternate_name,
        **_texts("program", program),
    }


def _service_cells(service) -> dict:
    return {
        "service_id": service.public_id,
        "service_name": service.name,
        "service_alternate_name": service.alternate_name,
        "service_type": service.service_type,
        "service_status": service.status,
        "service_not_public": service.not_public,
        "service_program_id": service.program.public_id if service.program else "",
        "service_url": service.url,
        "service_email": service.email,
        "service_phones": "; ".join(p.number for p in service.phones.all()),
        "service_languages": ", ".join(lang.code for lang in service.languages.all()),
        "service_hours": hours_cell(service.schedules.all()),
        "service_minimum_age": service.minimum_age,
        "service_maximum_age": service.maximum_age,
        **_texts("service", service),
    }


def _location_cells(location) -> dict:
    return {
        "location_id": location.public_id,
        "location_name": location.name,
        "location_alternate_name": location.alternate_name,
        "location_type": location.location_type,
        "location_not_public": location.not_public,
        "location_active": location.is_active,
        "location_address": location.address_1,
        "location_city": location.city,
        "location_region": location.region,
        "location_postal_code": location.postal_code,
        "location_url": location.url,
        "location_phones": "; ".join(p.number for p in location.phones.all()),
        "location_languages": ", ".join(lang.code for lang in location.languages.all()),
        "location_hours": hours_cell(location.schedules.all()),
        **_texts("location", location),
    }


def rows(country: str, *, public_only: bool = False):
    for org in directory_of(country, public_only=public_only):
        base = _organization_cells(org)
        locations = {loc.pk: loc for loc in org.locations.all()}
        used = set()
        written = False
        for program in org.programs.all():
            written = True
            yield {**base, **_program_cells(program)}
        for service in org.services.all():
            written = True
            cells = {**base, **_service_cells(service)}
            links = list(service.service_at_locations.all())
            if not links:
                yield cells
            for link in links:
                used.add(link.location_id)
                yield {**cells, **_location_cells(locations.get(link.location_id, link.location))}
        for pk, location in locations.items():
            if pk not in used:
                written = True
                yield {**base, **_location_cells(location)}
        if not written:
            yield base


def write(country: str, *, public_only: bool = False) -> str:
    return spreadsheets.dict_csv_text(HEADER, rows(country, public_only=public_only))


# Reading


def _unsafe(value: str) -> str:
    return spreadsheets.restore((value or "").strip())


def _split(cell: str, separators: str) -> list[str]:
    return [p.strip() for p in re.split(f"[{separators}]", cell or "") if p.strip()]


class _Group:
    """The rows that describe one organisation, programme, service or location."""

    def __init__(self, key, line: int, values: dict):
        self.key = key
        self.line = line
        self.values = values
        self.id = None


class _Reader:
    def __init__(self, country: str):
        self.country = country
        self.dataset = Dataset(country=country)
        self.check = Checker(self.dataset)
        self.groups = {prefix: {} for prefix in GROUPS}
        self.links = {}  # service key -> [(location key, line)]
        self.row_refs = []

    def read(self, content: bytes) -> Dataset:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileError(_("The file must be saved as UTF-8 text")) from None
        first = text.split("\n", 1)[0]
        delimiter = max(_DELIMITERS, key=first.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise FileError(_("The file is empty")) from None
        unknown = [h for h in header if h and h not in HEADER]
        if unknown:
            raise FileError(
                _("These columns are not directory columns: %(columns)s")
                % {"columns": ", ".join(unknown)}
            )
        if "organization_id" not in header and "organization_name" not in header:
            raise FileError(_("The file needs an organization_id or organization_name column"))
        end = 1
        for cells in reader:
            line, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            row = {h: _unsafe(c) for h, c in zip(header, cells, strict=False) if h}
            self.row(line, row)
        self.build()
        return check_dataset(self.dataset, self.check)

    def _part(self, prefix: str, row: dict) -> dict:
        return {column: row.get(column, "") for column in COLUMNS_BY_GROUP[prefix]}

    def _group(self, prefix: str, key, line: int, values: dict) -> _Group:
        groups = self.groups[prefix]
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, line, values)
            return group
        for column, value in values.items():
            if value and group.values.get(column) and value != group.values[column]:
                self.check.problem(
                    Where(line=line, columns={}),
                    column,
                    value,
                    _("This differs from line %(line)s, which describes the same entry")
                    % {"line": group.line},
                )
            elif value and not group.values.get(column):
                group.values[column] = value
        return group

    def _key(self, prefix: str, values: dict, line: int, parent=None):
        raw_id = values.get(f"{prefix}_id", "")
        if raw_id:
            try:
                return ("id", uuid.UUID(raw_id))
            except ValueError:
                self.check.problem(
                    Where(line=line, columns={}),
                    f"{prefix}_id",
                    raw_id,
                    _("An id is a UUID, like 3f7b145d-84af-42d7-8fae-eaca714b02b2"),
                )
                return None
        name = normalise_text(values.get(f"{prefix}_name", ""))
        if not name:
            self.check.problem(
                Where(line=line, columns={}), f"{prefix}_name", "", _("Enter the name")
            )
            return None
        return ("name", parent, name)

    def row(self, line: int, row: dict) -> None:
        org_values = self._part("organization", row)
        org_key = self._key("organization", org_values, line)
        if org_key is None:
            return
        self._group("organization", org_key, line, org_values)
        parts = {p: self._part(p, row) for p in ("program", "service", "location")}
        present = {p: any(v for v in values.values()) for p, values in parts.items()}
        if present["program"]:
            key = self._key("program", parts["program"], line, org_key)
            if key is not None:
                self._group("program", key, line, parts["program"]).org_key = org_key
        location_key = None
        if present["location"]:
            location_key = self._key("location", parts["location"], line, org_key)
            if location_key is not None:
                self._group("location", location_key, line, parts["location"]).org_key = org_key
        if present["service"]:
            key = self._key("service", parts["service"], line, org_key)
            if key is not None:
                group = self._group("service", key, line, parts["service"])
                group.org_key = org_key
                links = self.links.setdefault(key, [])
                if location_key is not None and location_key not in [k for k, _l in links]:
                    links.append((location_key, line))

    def _resolve_id(self, prefix: str, group: _Group, model, parent_id=None) -> uuid.UUID:
        if group.key[0] == "id":
            return group.key[1]
        name = group.values.get(f"{prefix}_name", "")
        return existing_id(model, self.country, name, parent_id) or uuid.uuid4()

    def build(self) -> None:
        org_ids = {}
        for key, group in self.groups["organization"].items():
            group.id = org_ids[key] = self._resolve_id("organization", group, Organization)
            self.organization(group)
        program_ids = {}
        for key, group in self.groups["program"].items():
            parent = org_ids.get(group.org_key)
            group.id = program_ids[key] = self._resolve_id("program", group, Program, parent)
            self.program(group, parent)
        location_ids = {}
        for key, group in self.groups["location"].items():
            parent = org_ids.get(group.org_key)
            group.id = location_ids[key] = self._resolve_id("location", group, Location, parent)
            self.location(group, parent)
        programs_by_name = {}
        for group in self.groups["program"].values():
            programs_by_name.setdefault(normalise_text(group.values["program_name"]), group.id)
        for key, group in self.groups["service"].items():
            parent = org_ids.get(group.org_key)
            group.id = self._resolve_id("service", group, Service, parent)
            links = [
                (None, location_ids[k], "service_location")
                for k, _line in self.links.get(key, [])
                if k in location_ids
            ]
            self.service(group, parent, links, programs_by_name)

    def _where(self, prefix: str, group: _Group) -> Where:
        columns = {internal: column for column, internal in COLUMNS_BY_GROUP[prefix].items()}
        for name in TEXTS[prefix]:
            columns[name] = f"{prefix}_{name}"
        columns["organization_id"] = "organization_id"
        columns["service_location"] = "location_id"
        return Where(line=group.line, columns=columns)

    def _texts(self, prefix: str, group: _Group, where: Where) -> dict:
        texts = {}
        for name in TEXTS[prefix]:
            value = {
                language: group.values.get(f"{prefix}_{name}_{language}", "")
                for language in text_languages()
            }
            texts[name] = self.check.texts(where, name, value)
        return texts

    def _parts(self, prefix: str, group: _Group, where: Where, *, only_phones=False) -> dict:
        check = self.check
        values = group.values
        parts = {
            "phones": check.listed(
                where,
                "phones",
                _split(values.get(f"{prefix}_phones", ""), ";"),
                actions.clean_phones,
                country=self.country,
            )
        }
        if only_phones:
            return parts
        parts["languages"] = check.listed(
            where,
            "languages",
            _split(values.get(f"{prefix}_languages", ""), ", "),
            actions.clean_languages,
        )
        schedules = []
        for item in _split(values.get(f"{prefix}_hours", ""), ";"):
            match = _HOURS.match(item)
            if not match:
                check.problem(
                    where,
                    "schedules",
                    item,
                    _("Write opening hours like MO,TU,WE,TH,FR 09:00-17:00 (notes)"),
                )
                continue
            schedules.append(
                {
                    "freq": match["freq"] or Schedule.Freq.WEEKLY,
                    "byday": (match["days"] or "").replace(" ", ""),
                    "opens_at": match["opens"],
                    "closes_at": match["closes"],
                    "description": match["note"] or "",
                }
            )
        parts["schedules"] = check.listed(where, "schedules", schedules, actions.clean_schedules)
        return parts

    def _name(self, where: Where, value) -> str:
        name = self.check.run(where, "name", value, actions._clean_name, value)
        return name if isinstance(name, str) else ""

    def _checked(self, where: Where, name: str, value, clean, **kwargs) -> str:
        if not value:
            return ""
        result = self.check.run(where, name, value, clean, value, **kwargs)
        return "" if result is Checker.FAILED else result

    def organization(self, group: _Group) -> None:
        check, values = self.check, group.values
        where = self._where("organization", group)
        kind = kind_from(values.get("organization_kind"))
        if not kind:
            check.problem(
                where,
                "kind",
                values.get("organization_kind", ""),
                _("Say what kind of organisation this is: %(kinds)s")
                % {"kinds": ", ".join(Organization.Kind.values)},
            )
        retorno = None
        if values.get("organization_retorno"):
            retorno = check.run(
                where,
                "retorno_organisation",
                values["organization_retorno"],
                actions._clean_retorno_organisation,
                values["organization_retorno"],
                country=self.country,
            )
        self.dataset.organizations.append(
            OrganizationRecord(
                id=group.id,
                where=where,
                kind=kind,
                name=self._name(where, values.get("organization_name")),
                alternate_name=check.text(
                    where, "alternate_name", values.get("organization_alternate_name"), limit=200
                ),
                description=self._texts("organization", group, where)["description"],
                email=self._checked(
                    where, "email", values.get("organization_email"), actions._clean_email
                ),
                website=self._checked(
                    where,
                    "website",
                    values.get("organization_website"),
                    actions._clean_url,
                    field="website",
                ),
                active=check.boolean(
                    where, "active", values.get("organization_active"), default=True
                ),
                retorno_organisation=None if retorno is Checker.FAILED else retorno,
                phones=self._parts("organization", group, where, only_phones=True)["phones"],
            )
        )

    def program(self, group: _Group, org_id) -> None:
        where = self._where("program", group)
        values = group.values
        self.dataset.programs.append(
            ProgramRecord(
                id=group.id,
                where=where,
                organization_id=org_id,
                name=self._name(where, values.get("program_name")),
                alternate_name=self.check.text(
                    where, "alternate_name", values.get("program_alternate_name"), limit=200
                ),
                description=self._texts("program", group, where)["description"],
            )
        )

    def location(self, group: _Group, org_id) -> None:
        check, values = self.check, group.values
        where = self._where("location", group)
        location_type = values.get("location_type") or Location.Type.PHYSICAL
        location_type = check.choice(
            where,
            "location_type",
            location_type,
            Location.Type.values,
            _("A location is physical, postal or virtual"),
        )
        city = check.text(where, "city", values.get("location_city"), limit=100)
        if location_type != Location.Type.VIRTUAL and not city:
            check.problem(where, "city", "", _("Enter the city"))
        self.dataset.locations.append(
            LocationRecord(
                id=group.id,
                where=where,
                organization_id=org_id,
                location_type=location_type or Location.Type.PHYSICAL,
                name=self._name(where, values.get("location_name")),
                alternate_name=check.text(
                    where, "alternate_name", values.get("location_alternate_name"), limit=200
                ),
                description=self._texts("location", group, where)["description"],
                url=self._checked(
                    where, "url", values.get("location_url"), actions._clean_url, field="url"
                ),
                address_1=values.get("location_address", ""),
                city=city,
                region=check.text(where, "region", values.get("location_region"), limit=100),
                postal_code=check.text(
                    where, "postal_code", values.get("location_postal_code"), limit=20
                ),
                not_public=check.boolean(
                    where, "not_public", values.get("location_not_public"), default=False
                ),
                active=check.boolean(where, "active", values.get("location_active"), default=True),
                **self._parts("location", group, where),
            )
        )

    def service(self, group: _Group, org_id, links, programs_by_name) -> None:
        check, values = self.check, group.values
        where = self._where("service", group)
        service_type = service_type_from(values.get("service_type"))
        if not service_type:
            check.problem(
                where,
                "service_type",
                values.get("service_type", ""),
                _("Say what type of service this is: %(types)s")
                % {"types": ", ".join(ServiceType.values)},
            )
        status = check.choice(
            where,
            "status",
            values.get("service_status") or Service.Status.ACTIVE,
            Service.Status.values,
            _("The status is active, inactive, defunct or temporarily closed"),
        )
        program_id = None
        program = values.get("service_program_id", "")
        if program:
            try:
                program_id = uuid.UUID(program)
            except ValueError:
                program_id = programs_by_name.get(normalise_text(program)) or _program_named(
                    program, self.country
                )
                if program_id is None:
                    check.problem(
                        where,
                        "program_id",
                        program,
                        _("No public programme of this country has this id or name"),
                    )
        ages = {}
        for age in ("minimum_age", "maximum_age"):
            raw = values.get(f"service_{age}", "")
            value = check.run(where, age, raw, actions._clean_age, raw, field=age)
            ages[age] = None if value is Checker.FAILED else value
        self.dataset.services.append(
            ServiceRecord(
                id=group.id,
                where=where,
                organization_id=org_id,
                program_id=program_id,
                name=self._name(where, values.get("service_name")),
                alternate_name=check.text(
                    where, "alternate_name", values.get("service_alternate_name"), limit=200
                ),
                service_type=service_type,
                status=status or Service.Status.ACTIVE,
                url=self._checked(
                    where, "url", values.get("service_url"), actions._clean_url, field="url"
                ),
                email=self._checked(
                    where, "email", values.get("service_email"), actions._clean_email
                ),
                not_public=check.boolean(
                    where, "not_public", values.get("service_not_public"), default=False
                ),
                locations=links,
                **self._texts("service", group, where),
                **ages,
                **self._parts("service", group, where),
            )
        )


def _program_named(name: str, country: str):
    key = normalise_text(name)
    ids = [
        pid
        for pid, n in Program.objects.filter(organization__country=country).values_list(
            "public_id", "name"
        )
        if normalise_text(n) == key
    ]
    return ids[0] if len(ids) == 1 else None


def read(content: bytes, country: str) -> Dataset:
    return _Reader(country).read(content)

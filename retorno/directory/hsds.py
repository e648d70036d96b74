"""The directory as Open Referral HSDS 3.0 JSON.

Source: the canonical JSON schemas of HSDS 3.0 (github.com/openreferral/specification, branch
3.0: schema/organization.json, program.json, service.json, service_at_location.json,
location.json, address.json, phone.json, schedule.json, language.json, attribute.json,
taxonomy_term.json, taxonomy.json) and its serialization and API reference pages
(docs/hsds/serialization.md, api_reference.md).

The file is one HSDS API `Page` (total_items, total_pages, page_number, size, first_page,
last_page, empty, contents), because HSDS defines no other envelope for many records; its
`contents` are dereferenced Organizations in the organization-oriented view of
examples/organization_full.json:

    organization   id, name, alternate_name, description, email, website, legal_status,
                   phones[], programs[], locations[], services[]
    program        id, organization_id, name, alternate_name, description
    location       id, organization_id, location_type, url, name, alternate_name,
                   description, addresses[] (at most one), phones[], schedules[], languages[]
    address        id, location_id, address_1, city, region, state_province (our region),
                   postal_code, country, address_type
    service        id, organization_id, program_id, program, name, alternate_name,
                   description, url, email, status, eligibility_description,
                   application_process, fees_description, minimum_age, maximum_age, phones[],
                   schedules[], languages[], service_at_locations[], attributes[]
    service_at_location  id, service_id, location_id, location (dereferenced)
    phone          id, number (E.164), extension, type, description
    schedule       id, freq, byday, opens_at, closes_at, description (RFC 5545, local time)
    language       id, name, code, note
    attribute      id, link_id, link_type "service_type", link_entity "service",
                   taxonomy_term_id, taxonomy_term (Retorno's service-type taxonomy)

Required fields are always written (organization.description, program.description and the
address's required strings may be empty); optional ones are left out when empty, so that no
empty string breaks a `uri` or `email` format. HSDS permits additional properties; ours start
with `retorno_` and are documented here:

    organization  retorno_kind, retorno_country, retorno_active, retorno_organisation (the code
                  of the organisation on Retorno that answers referrals), retorno_translations
    program, location, service  retorno_translations
    location      retorno_not_public, retorno_active
    service       retorno_service_type, retorno_not_public

HSDS texts have one language. `description` and the other texts hold the text in the first
language that has one (settings.LANGUAGES order); `retorno_translations` holds every language:
{"description": {"es": "...", "en": "..."}}. On import `retorno_translations` wins; without it
a text is taken to be in the country's language (Portuguese for Brazil, Spanish elsewhere).
"""

import json
import uuid

from django.utils import translation
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
    first_text,
    kind_from,
    service_type_from,
    untranslated,
)
from retorno.directory.models import Location, Organization, Service, ServiceLanguage, ServiceType

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("6d1f3c2e-4b7a-4e55-9a0e-3f2f6a1d9c11")  # Retorno's ids derived for HSDS
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:service_type")
TAXONOMY_URI = "https://retorno.example/hsds/taxonomies/service-types"


def _term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"taxonomy_term:service_type:{code}")


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def _compact(obj: dict, required=()) -> dict:
    """Optional fields left out when empty; required ones always there."""
    return {k: v for k, v in obj.items() if k in required or v not in (None, "", [], {})}


def _time(value) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _translations(obj, names) -> dict:
    texts = {name: getattr(obj, name) for name in names if getattr(obj, name)}
    return texts


# Writing


def _phone(phone) -> dict:
    return _compact(
        {
            "id": str(phone.public_id),
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
        },
        required=("id", "number"),
    )


def _schedule(schedule, owner: str, owner_id) -> dict:
    return _compact(
        {
            "id": str(schedule.public_id),
            owner: str(owner_id),
            "freq": schedule.freq,
            "byday": schedule.byday,
            "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at),
            "description": schedule.description,
        },
        required=("id",),
    )


def _language(language, owner: str, owner_id) -> dict:
    return _compact(
        {
            "id": str(language.public_id),
            owner: str(owner_id),
            "name": _english(ServiceLanguage(language.code).label),
            "code": language.code,
            "note": language.note,
        },
        required=("id",),
    )


def _location(location) -> dict:
    addresses = []
    if location.location_type != Location.Type.VIRTUAL and (location.city or location.address_1):
        addresses.append(
            {
                "id": str(uuid.uuid5(NAMESPACE, f"address:{location.public_id}")),
                "location_id": str(location.public_id),
                "address_1": location.address_1,
                "city": location.city,
                "state_province": location.region,
                "postal_code": location.postal_code,
                "country": location.country.code,
                "address_type": (
                    "postal" if location.location_type == Location.Type.POSTAL else "physical"
                ),
            }
        )
    return _compact(
        {
            "id": str(location.public_id),
            "organization_id": str(location.organization.public_id),
            "location_type": location.location_type,
            "url": location.url,
            "name": location.name,
            "alternate_name": location.alternate_name,
            "description": first_text(location.description),
            "addresses": addresses,
            "phones": [_phone(p) for p in location.phones.all()],
            "schedules": [
                _schedule(s, "location_id", location.public_id) for s in location.schedules.all()
            ],
            "languages": [
                _language(lang, "location_id", location.public_id)
                for lang in location.languages.all()
            ],
            "retorno_not_public": location.not_public,
            "retorno_active": location.is_active,
            "retorno_translations": _translations(location, ["description"]),
        },
        required=("id", "location_type", "retorno_not_public", "retorno_active"),
    )


def _program(program) -> dict:
    return _compact(
        {
            "id": str(program.public_id),
            "organization_id": str(program.organization.public_id),
            "name": program.name,
            "alternate_name": program.alternate_name,
            "description": first_text(program.description),
            "retorno_translations": _translations(program, ["description"]),
        },
        required=("id", "name", "description"),
    )


def _taxonomy_term(code: str) -> dict:
    label = _english(ServiceType(code).label)
    return {
        "id": str(_term_id(code)),
        "code": code,
        "name": label,
        "description": label,
        "taxonomy": "Retorno service types",
        "taxonomy_id": str(TAXONOMY_ID),
        "taxonomy_detail": {
            "id": str(TAXONOMY_ID),
            "name": "Retorno service types",
            "description": "What the Retorno programme offers returnees, by kind of need.",
            "uri": TAXONOMY_URI,
            "version": "1",
        },
        "language": "en",
    }


def _service(service, locations_by_pk) -> dict:
    texts = actions.TEXT_FIELDS
    program = service.program
    return _compact(
        {
            "id": str(service.public_id),
            "organization_id": str(service.organization.public_id),
            "program_id": str(program.public_id) if program else None,
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": first_text(service.description),
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "application_process": first_text(service.application_process),
            "fees_description": first_text(service.fees_description),
            "eligibility_description": first_text(service.eligibility_description),
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "phones": [_phone(p) for p in service.phones.all()],
            "schedules": [
                _schedule(s, "service_id", service.public_id) for s in service.schedules.all()
            ],
            "languages": [
                _language(lang, "service_id", service.public_id) for lang in service.languages.all()
            ],
            "service_at_locations": [
                {
                    "id": str(link.public_id),
                    "service_id": str(service.public_id),
                    "location_id": str(link.location.public_id),
                    "location": locations_by_pk.get(link.location_id) or _location(link.location),
                }
                for link in service.service_at_locations.all()
            ],
            "attributes": [
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"attribute:{service.public_id}")),
                    "link_id": str(service.public_id),
                    "link_type": "service_type",
                    "link_entity": "service",
                    "taxonomy_term_id": str(_term_id(service.service_type)),
                    "taxonomy_term": _taxonomy_term(service.service_type),
                }
            ],
            "program": (
                _compact(
                    {
                        "id": str(program.public_id),
                        "name": program.name,
                        "alternate_name": program.alternate_name,
                        "description": first_text(program.description),
                    },
                    required=("id", "name", "description"),
                )
                if program
                else None
            ),
            "retorno_service_type": service.service_type,
            "retorno_not_public": service.not_public,
            "retorno_translations": _translations(service, texts),
        },
        required=("id", "name", "status", "retorno_service_type", "retorno_not_public"),
    )


def _organization(organization) -> dict:
    locations = {loc.pk: _location(loc) for loc in organization.locations.all()}
    for location in organization.locations.all():
        location.organization = organization
    for program in organization.programs.all():
        program.organization = organization
    for service in organization.services.all():
        service.organization = organization
    retorno = organization.retorno_organisation
    return _compact(
        {
            "id": str(organization.public_id),
            "name": organization.name,
            "alternate_name": organization.alternate_name,
            "description": first_text(organization.description),
            "email": organization.email,
            "website": organization.website,
            "legal_status": _english(organization.get_kind_display()),
            "phones": [_phone(p) for p in organization.phones.all()],
            "programs": [_program(p) for p in organization.programs.all()],
            "locations": list(locations.values()),
            "services": [_service(s, locations) for s in organization.services.all()],
            "retorno_kind": organization.kind,
            "retorno_country": organization.country.code,
            "retorno_active": organization.is_active,
            "retorno_organisation": retorno.code if retorno else None,
            "retorno_translations": _translations(organization, ["description"]),
        },
        required=(
            "id",
            "name",
            "description",
            "retorno_kind",
            "retorno_country",
            "retorno_active",
        ),
    )


def document(country: str, *, public_only: bool = False) -> dict:
    organizations = [_organization(o) for o in directory_of(country, public_only=public_only)]
    return {
        "total_items": len(organizations),
        "total_pages": 1,
        "page_number": 1,
        "size": len(organizations),
        "first_page": True,
        "last_page": True,
        "empty": not organizations,
        "contents": organizations,
    }


def write(country: str, *, public_only: bool = False) -> str:
    return json.dumps(
        document(country, public_only=public_only), ensure_ascii=False, indent=2, sort_keys=False
    )


# Reading


class _Reader:
    def __init__(self, country: str):
        self.country = country
        self.dataset = Dataset(country=country)
        self.check = Checker(self.dataset)
        self.location_ids = set()

    def read(self, data) -> Dataset:
        root = Where(path="")
        if isinstance(data, dict) and "contents" in data:
            items, base = data["contents"], "contents"
        elif isinstance(data, list):
            items, base = data, ""
        elif isinstance(data, dict):
            items, base = [data], None
        else:
            self.check.problem(root, "contents", "", _("The file must hold HSDS organizations"))
            return self.dataset
        if not isinstance(items, list):
            self.check.problem(root, "contents", "", _("contents must be a list"))
            return self.dataset
        for index, item in enumerate(items):
            path = f"{base}[{index}]" if base is not None else "$"
            if base == "":
                path = f"[{index}]"
            self.organization(item, Where(path=path))
        return check_dataset(self.dataset, self.check)

    def _object(self, value, where: Where) -> dict | None:
        if not isinstance(value, dict):
            self.check.problem(where, "", short_json(value), _("Give an object"))
            return None
        return value

    def _list(self, obj: dict, name: str, where: Where) -> list:
        value = obj.get(name)
        if value in (None, ""):
            return []
        if not isinstance(value, list):
            self.check.problem(where, name, short_json(value), _("Give a list"))
            return []
        return value

    def _texts(self, obj: dict, where: Where, names) -> dict:
        translations = obj.get("retorno_translations")
        if translations is not None and not isinstance(translations, dict):
            self.check.problem(where, "retorno_translations", "", _("Give an object"))
            translations = None
        result = {}
        for name in names:
            if translations is not None and name in translations:
                result[name] = self.check.texts(
                    where, f"retorno_translations.{name}", translations[name]
                )
            else:
                text = self.check.text(where, name, obj.get(name))
                result[name] = untranslated(str(obj[name]).strip() if text else "", self.country)
        return result

    def _parts(self, obj: dict, where: Where, *, schedules=True, languages=True) -> dict:
        parts = {
            "phones": self.check.listed(
                where,
                "phones",
                [_part(p) for p in self._list(obj, "phones", where)],
                actions.clean_phones,
                country=self.country,
            )
        }
        if schedules:
            parts["schedules"] = self.check.listed(
                where,
                "schedules",
                [_part(s) for s in self._list(obj, "schedules", where)],
                actions.clean_schedules,
            )
        if languages:
            parts["languages"] = self.check.listed(
                where,
                "languages",
                [_part(lang) for lang in self._list(obj, "languages", where)],
                actions.clean_languages,
            )
        return parts

    def organization(self, obj, where: Where) -> None:
        obj = self._object(obj, where)
        if obj is None:
            return
        check = self.check
        org_id = check.uuid(where, "id", obj.get("id"))
        if org_id is None:
            return
        country = obj.get("retorno_country") or self.country
        if country != self.country:
            check.problem(
                where,
                "retorno_country",
                country,
                _("This file is being imported into the directory of %(country)s")
                % {"country": self.country},
            )
        kind = kind_from(obj.get("retorno_kind")) or kind_from(obj.get("legal_status"))
        if not kind:
            check.problem(
                where,
                "retorno_kind",
                obj.get("retorno_kind") or obj.get("legal_status") or "",
                _("Say what kind of organisation this is: %(kinds)s")
                % {"kinds": ", ".join(Organization.Kind.values)},
            )
        name = check.run(where, "name", obj.get("name"), actions._clean_name, obj.get("name"))
        retorno = obj.get("retorno_organisation")
        if retorno:
            retorno = check.run(
                where,
                "retorno_organisation",
                retorno,
                actions._clean_retorno_organisation,
                str(retorno),
                country=self.country,
            )
        record = OrganizationRecord(
            id=org_id,
            where=where,
            kind=kind,
            name=name if isinstance(name, str) else "",
            alternate_name=check.text(
                where, "alternate_name", obj.get("alternate_name"), limit=200
            ),
            description=self._texts(obj, where, ["description"])["description"],
            email=_checked(check, where, "email", obj.get("email"), actions._clean_email),
            website=_checked(
                check, where, "website", obj.get("website"), actions._clean_url, field="website"
            ),
            active=check.boolean(where, "retorno_active", obj.get("retorno_active"), default=True),
            retorno_organisation=retorno if retorno is not Checker.FAILED else None,
            phones=self._parts(obj, where, schedules=False, languages=False)["phones"],
        )
        self.dataset.organizations.append(record)
        for index, program in enumerate(self._list(obj, "programs", where)):
            self.program(program, Where(path=f"{where.path}.programs[{index}]"), org_id)
        for index, location in enumerate(self._list(obj, "locations", where)):
            self.location(location, Where(path=f"{where.path}.locations[{index}]"), org_id)
        for index, service in enumerate(self._list(obj, "services", where)):
            self.service(service, Where(path=f"{where.path}.services[{index}]"), org_id)

    def program(self, obj, where: Where, org_id) -> None:
        obj = self._object(obj, where)
        if obj is None:
            return
        check = self.check
        program_id = check.uuid(where, "id", obj.get("id"))
        name = check.run(where, "name", obj.get("name"), actions._clean_name, obj.get("name"))
        if program_id is None:
            return
        self.dataset.programs.append(
            ProgramRecord(
                id=program_id,
                where=where,
                organization_id=org_id,
                name=name if isinstance(name, str) else "",
                alternate_name=check.text(
                    where, "alternate_name", obj.get("alternate_name"), limit=200
                ),
                description=self._texts(obj, where, ["description"])["description"],
            )
        )

    def location(self, obj, where: Where, org_id) -> uuid.UUID | None:
        obj = self._object(obj, where)
        if obj is None:
            return None
        check = self.check
        location_id = check.uuid(where, "id", obj.get("id"))
        if location_id is None:
            return None
        if location_id in self.location_ids:
            return location_id
        self.location_ids.add(location_id)
        location_type = obj.get("location_type") or Location.Type.PHYSICAL
        location_type = check.choice(
            where,
            "location_type",
            location_type,
            Location.Type.values,
            _("A location is physical, postal or virtual"),
        )
        address = {}
        addresses = self._list(obj, "addresses", where)
        if len(addresses) > 1:
            check.problem(
                where, "addresses", len(addresses), _("Give one address for each location")
            )
        if addresses:
            address = self._object(addresses[0], Where(path=f"{where.path}.addresses[0]")) or {}
            address_country = address.get("country") or self.country
            if address_country != self.country:
                check.problem(
                    Where(path=f"{where.path}.addresses[0]"),
                    "country",
                    address_country,
                    _("The address must be in the country of the directory"),
                )
        address_where = Where(path=f"{where.path}.addresses[0]")
        name = check.run(where, "name", obj.get("name"), actions._clean_name, obj.get("name"))
        city = check.text(address_where, "city", address.get("city"), limit=100)
        if location_type != Location.Type.VIRTUAL and not city:
            check.problem(address_where, "city", "", _("Enter the city"))
        record = LocationRecord(
            id=location_id,
            where=where,
            organization_id=org_id,
            location_type=location_type or Location.Type.PHYSICAL,
            name=name if isinstance(name, str) else "",
            alternate_name=check.text(
                where, "alternate_name", obj.get("alternate_name"), limit=200
            ),
            description=self._texts(obj, where, ["description"])["description"],
            url=_checked(check, where, "url", obj.get("url"), actions._clean_url, field="url"),
            address_1=str(address.get("address_1") or "").strip(),
            city=city,
            region=check.text(
                address_where,
                "state_province",
                address.get("state_province") or address.get("region"),
                limit=100,
            ),
            postal_code=check.text(
                address_where, "postal_code", address.get("postal_code"), limit=20
            ),
            not_public=check.boolean(
                where, "retorno_not_public", obj.get("retorno_not_public"), default=False
            ),
            active=check.boolean(where, "retorno_active", obj.get("retorno_active"), default=True),
            **self._parts(obj, where),
        )
        self.dataset.locations.append(record)
        return location_id

    def service(self, obj, where: Where, org_id) -> None:
        obj = self._object(obj, where)
        if obj is None:
            return
        check = self.check
        service_id = check.uuid(where, "id", obj.get("id"))
        if service_id is None:
            return
        name = check.run(where, "name", obj.get("name"), actions._clean_name, obj.get("name"))
        service_type = service_type_from(obj.get("retorno_service_type"))
        if not service_type:
            for attribute in obj.get("attributes") or []:
                term = (attribute or {}).get("taxonomy_term") or {}
                service_type = service_type_from(term.get("code")) or service_type_from(
                    term.get("name")
                )
                if service_type:
                    break
        if not service_type:
            check.problem(
                where,
                "retorno_service_type",
                obj.get("retorno_service_type") or "",
                _("Say what type of service this is: %(types)s")
                % {"types": ", ".join(ServiceType.values)},
            )
        status = check.choice(
            where,
            "status",
            obj.get("status") or "",
            Service.Status.values,
            _("The status is active, inactive, defunct or temporarily closed"),
        )
        program_id = check.uuid(where, "program_id", obj.get("program_id"), required=False)
        links = []
        for index, link in enumerate(self._list(obj, "service_at_locations", where)):
            link_where = Where(path=f"{where.path}.service_at_locations[{index}]")
            link = self._object(link, link_where)
            if link is None:
                continue
            link_id = check.uuid(link_where, "id", link.get("id"))
            location_id = None
            if isinstance(link.get("location"), dict):
                location_id = self.location(
                    link["location"], Where(path=f"{link_where.path}.location"), org_id
                )
            if location_id is None:
                location_id = check.uuid(link_where, "location_id", link.get("location_id"))
            if location_id is not None:
                links.append((link_id, location_id, f"service_at_locations[{index}].location_id"))
        texts = self._texts(obj, where, actions.TEXT_FIELDS)
        ages = {}
        for age in ("minimum_age", "maximum_age"):
            value = check.run(where, age, obj.get(age), actions._clean_age, obj.get(age), field=age)
            ages[age] = None if value is Checker.FAILED else value
        self.dataset.services.append(
            ServiceRecord(
                id=service_id,
                where=where,
                organization_id=org_id,
                program_id=program_id,
                name=name if isinstance(name, str) else "",
                alternate_name=check.text(
                    where, "alternate_name", obj.get("alternate_name"), limit=200
                ),
                service_type=service_type,
                status=status or Service.Status.ACTIVE,
                url=_checked(check, where, "url", obj.get("url"), actions._clean_url, field="url"),
                email=_checked(check, where, "email", obj.get("email"), actions._clean_email),
                not_public=check.boolean(
                    where, "retorno_not_public", obj.get("retorno_not_public"), default=False
                ),
                locations=links,
                **texts,
                **ages,
                **self._parts(obj, where),
            )
        )


def _part(item):
    """An HSDS phone, schedule or language as the cleaning functions take it."""
    if not isinstance(item, dict):
        return item
    part = {k: v for k, v in item.items() if k != "id"}
    if item.get("id"):
        try:
            part["public_id"] = uuid.UUID(str(item["id"]))
        except ValueError:
            part["public_id"] = None
    return part


def _checked(check, where, name, value, clean, **kwargs) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        check.problem(where, name, value, _("A text must be words, not a number or a list."))
        return ""
    result = check.run(where, name, value, clean, value, **kwargs)
    return "" if result is Checker.FAILED else result


def short_json(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:79] + "…"


def read(content: bytes, country: str) -> Dataset:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileError(_("The file must be saved as UTF-8 text")) from None
    except json.JSONDecodeError as error:
        raise FileError(
            _("The file is not valid JSON: %(reason)s, on line %(line)s")
            % {"reason": error.msg, "line": error.lineno}
        ) from None
    return _Reader(country).read(data)

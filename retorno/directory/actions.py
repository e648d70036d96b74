"""Every change to the directory. Each action runs in one transaction, takes the acting user,
checks that they keep this country's directory (coordinators of its national desk), checks its
rules (raising ActionError with a translated reason), writes with update_fields and records its
audit event. Changes to an entry someone else saved meanwhile are refused (`expected_version`).
"""

import datetime
import re
import uuid
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.accounts import models as accounts
from retorno.audit.events import diff, record
from retorno.directory import access
from retorno.directory.models import (
    RETURN_COUNTRIES,
    Language,
    Location,
    Organization,
    Phone,
    Program,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceType,
    text_languages,
)
from retorno.lib.errors import ActionError
from retorno.lib.text import normalise_text
from retorno.lib.validation import parse_phone

ORGANIZATION_FIELDS = (
    "kind",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "retorno_organisation",
)
PROGRAM_FIELDS = ("name", "alternate_name", "description")
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "service_type",
    "status",
    "program",
    "description",
    "eligibility_description",
    "application_process",
    "fees_description",
    "minimum_age",
    "maximum_age",
    "url",
    "email",
    "not_public",
)
LOCATION_FIELDS = (
    "location_type",
    "name",
    "alternate_name",
    "description",
    "url",
    "address_1",
    "city",
    "region",
    "postal_code",
    "not_public",
)
TEXT_FIELDS = ("description", "eligibility_description", "application_process", "fees_description")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^(?:[+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


def _require_country(actor, country) -> None:
    if not access.may_edit_country(actor, country):
        raise ActionError(
            _("Only the coordinators of this country's national desk can change its directory."),
            code="forbidden",
        )


# One whole sentence per kind of entry, so each language can agree its words with the noun.
CONFLICTS = {
    "organization": _(
        "Someone else changed this organisation while you were editing it. Check the current "
        "values below; your changes are still in the form."
    ),
    "program": _(
        "Someone else changed this public programme while you were editing it. Check the "
        "current values below; your changes are still in the form."
    ),
    "service": _(
        "Someone else changed this service while you were editing it. Check the current "
        "values below; your changes are still in the form."
    ),
    "location": _(
        "Someone else changed this location while you were editing it. Check the current "
        "values below; your changes are still in the form."
    ),
}


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ActionError(CONFLICTS[obj._meta.model_name], code="conflict")


# Cleaning values: shared by the forms, the API and the importer, so a rule holds everywhere.


def clean_texts(value, *, field: str) -> dict:
    """{language: text} over the four interface languages, empty texts dropped, stored in the
    fallback order so the JSON reads the same on every database."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ActionError(_("Give the text as one entry per language."), field=field)
    languages = text_languages()
    unknown = sorted(set(value) - set(languages))
    if unknown:
        raise ActionError(
            _("Write texts in Italian, Spanish, Portuguese or English (it, es, pt, en)."),
            field=field,
        )
    texts = {}
    for code in languages:
        text = value.get(code)
        if text is None:
            continue
        if not isinstance(text, str):
            raise ActionError(_("A text must be words, not a number or a list."), field=field)
        text = text.strip()
        if text:
            texts[code] = text
    return texts


def _clean_name(value, *, field: str = "name") -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise ActionError(_("Enter the name"), field=field)
    if len(name) > 200:
        raise ActionError(_("The name must be 200 characters or fewer"), field=field)
    return name


def _clean_email(value, *, field: str = "email") -> str:
    value = (value or "").strip()
    if value:
        try:
            EmailValidator()(value)
        except ValidationError:
            raise ActionError(
                _("Enter an email address like name@example.org"), field=field
            ) from None
    return value


def _clean_url(value, *, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ActionError(
                _("Enter a web address starting with https://"), field=field
            ) from None
    return value


def clean_phones(phones, *, country: str, field: str = "phones") -> list[dict]:
    """Phone numbers in E.164; a number without a country code is read as one of `country`.
    Directory numbers are published numbers: one the metadata does not know yet is accepted if
    it has the right length."""
    cleaned = []
    for phone in phones or []:
        if isinstance(phone, str):
            phone = {"number": phone}
        number = (phone.get("number") or "").strip()
        if not number:
            continue
        try:
            e164 = parse_phone(number, country, strict=False)
        except ValidationError as error:
            raise ActionError(error.messages[0], field=field) from None
        kind = phone.get("type") or Phone.Type.VOICE
        if kind not in Phone.Type.values:
            raise ActionError(_("A phone is voice, cell, text or fax."), field=field)
        extension = phone.get("extension")
        if extension in ("", None):
            extension = None
        else:
            try:
                extension = int(extension)
            except (TypeError, ValueError):
                raise ActionError(_("An extension is a number"), field=field) from None
            if extension < 0:
                raise ActionError(_("An extension is a number"), field=field)
        cleaned.append(
            {
                "public_id": phone.get("public_id"),
                "number": e164,
                "extension": extension,
                "type": kind,
                "description": (phone.get("description") or "").strip()[:300],
            }
        )
    return cleaned


def _time(value, *, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = str(value).strip()
    # HSDS times may carry an offset or Z: opening hours here are local times at the place.
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ActionError(_("Enter a time like 09:00 or 17:30"), field=field)
    return datetime.time(int(match[1]), int(match[2]))


def clean_schedules(schedules, *, field: str = "schedules") -> list[dict]:
    cleaned = []
    for schedule in schedules or []:
        freq = (schedule.get("freq") or Schedule.Freq.WEEKLY).upper()
        if freq not in Schedule.Freq.values:
            raise ActionError(_("Opening hours repeat weekly or monthly."), field=field)
        byday = schedule.get("byday") or ""
        if isinstance(byday, list | tuple):
            byday = ",".join(byday)
        days = [d.strip().upper() for d in byday.replace(" ", ",").split(",") if d.strip()]
        if any(not _BYDAY.match(d) for d in days):
            raise ActionError(
                _("Write the days as MO, TU, WE, TH, FR, SA or SU, separated by commas"),
                field=field,
            )
        if freq == Schedule.Freq.WEEKLY and all(d in DAYS for d in days):
            days = sorted(set(days), key=DAYS.index)
        opens_at = _time(schedule.get("opens_at"), field=field)
        closes_at = _time(schedule.get("closes_at"), field=field)
        if opens_at and closes_at and closes_at <= opens_at:
            raise ActionError(_("The closing time must be after the opening time"), field=field)
        description = " ".join(str(schedule.get("description") or "").split())[:300]
        if not (days or opens_at or closes_at or description):
            continue
        cleaned.append(
            {
                "public_id": schedule.get("public_id"),
                "freq": freq,
                "byday": ",".join(days),
                "opens_at": opens_at,
                "closes_at": closes_at,
                "description": description,
            }
        )
    return cleaned


def clean_languages(languages, *, field: str = "languages") -> list[dict]:
    cleaned, seen = [], set()
    for language in languages or []:
        if isinstance(language, str):
            language = {"code": language}
        code = (language.get("code") or "").strip().lower()
        if code not in ServiceLanguage.values:
            raise ActionError(
                _("A language is one of: %(codes)s") % {"codes": ", ".join(ServiceLanguage.values)},
                field=field,
            )
        if code in seen:
            continue
        seen.add(code)
        cleaned.append(
            {
                "public_id": language.get("public_id"),
                "code": code,
                "note": (language.get("note") or "").strip()[:300],
            }
        )
    return cleaned


def _clean_age(value, *, field: str):
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except (TypeError, ValueError):
        raise ActionError(_("Enter an age in years, like 18"), field=field) from None
    if not 0 <= age <= 120:
        raise ActionError(_("Enter an age between 0 and 120"), field=field)
    return age


def _clean_retorno_organisation(value, *, country: str):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = accounts.Organisation.objects.filter(code=value.strip().upper()).first()
        if value is None:
            raise ActionError(
                _("No organisation on Retorno has this code."), field="retorno_organisation"
            )
    if (
        value.kind
        not in (accounts.Organisation.Kind.PARTNER, accounts.Organisation.Kind.NATIONAL_DESK)
        or value.country.code != country
        or not value.is_active
    ):
        raise ActionError(
            _("Link a partner organisation or the national desk of the same country."),
            field="retorno_organisation",
        )
    return value


def _clean_organization_fields(fields: dict, *, country: str) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in ORGANIZATION_FIELDS}
    if "kind" in cleaned and cleaned["kind"] not in Organization.Kind.values:
        raise ActionError(_("Choose the kind of organisation"), field="kind")
    if "name" in cleaned:
        cleaned["name"] = _clean_name(cleaned["name"])
    if "alternate_name" in cleaned:
        cleaned["alternate_name"] = " ".join((cleaned["alternate_name"] or "").split())[:200]
    if "description" in cleaned:
        cleaned["description"] = clean_texts(cleaned["description"], field="description")
    if "email" in cleaned:
        cleaned["email"] = _clean_email(cleaned["email"])
    if "website" in cleaned:
        cleaned["website"] = _clean_url(cleaned["website"], field="website")
    if "retorno_organisation" in cleaned:
        cleaned["retorno_organisation"] = _clean_retorno_organisation(
            cleaned["retorno_organisation"], country=country
        )
    return cleaned


def _clean_program_fields(fields: dict) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in PROGRAM_FIELDS}
    if "name" in cleaned:
        cleaned["name"] = _clean_name(cleaned["name"])
    if "alternate_name" in cleaned:
        cleaned["alternate_name"] = " ".join((cleaned["alternate_name"] or "").split())[:200]
    if "description" in cleaned:
        cleaned["description"] = clean_texts(cleaned["description"], field="description")
    return cleaned


def _clean_service_fields(fields: dict, *, organization: Organization) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in SERVICE_FIELDS}
    if "name" in cleaned:
        cleaned["name"] = _clean_name(cleaned["name"])
    if "alternate_name" in cleaned:
        cleaned["alternate_name"] = " ".join((cleaned["alternate_name"] or "").split())[:200]
    if "service_type" in cleaned and cleaned["service_type"] not in ServiceType.values:
        raise ActionError(_("Choose the type of service"), field="service_type")
    if "status" in cleaned and cleaned["status"] not in Service.Status.values:
        raise ActionError(_("Choose the status of the service"), field="status")
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = clean_texts(cleaned[name], field=name)
    for name in ("minimum_age", "maximum_age"):
        if name in cleaned:
            cleaned[name] = _clean_age(cleaned[name], field=name)
    if "url" in cleaned:
        cleaned["url"] = _clean_url(cleaned["url"], field="url")
    if "email" in cleaned:
        cleaned["email"] = _clean_email(cleaned["email"])
    if "not_public" in cleaned:
        cleaned["not_public"] = bool(cleaned["not_public"])
    program = cleaned.get("program")
    if program is not None and program.organization.country != organization.country:
        raise ActionError(_("Choose a public programme of the same country."), field="program")
    return cleaned


def _clean_location_fields(fields: dict) -> dict:
    cleaned = {k: v for k, v in fields.items() if k in LOCATION_FIELDS}
    if "location_type" in cleaned and cleaned["location_type"] not in Location.Type.values:
        raise ActionError(_("Choose the type of location"), field="location_type")
    if "name" in cleaned:
        cleaned["name"] = _clean_name(cleaned["name"])
    for name in ("alternate_name", "city", "region", "postal_code"):
        if name in cleaned:
            limit = Location._meta.get_field(name).max_length
            cleaned[name] = " ".join((cleaned[name] or "").split())[:limit]
    if "address_1" in cleaned:
        cleaned["address_1"] = (cleaned["address_1"] or "").strip()
    if "description" in cleaned:
        cleaned["description"] = clean_texts(cleaned["description"], field="description")
    if "url" in cleaned:
        cleaned["url"] = _clean_url(cleaned["url"], field="url")
    if "not_public" in cleaned:
        cleaned["not_public"] = bool(cleaned["not_public"])
    return cleaned


def _check_ages(service: Service) -> None:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None and low > high:
        raise ActionError(
            _("The maximum age must be the same as or more than the minimum age"),
            field="maximum_age",
        )


# The repeatable parts: phones, opening hours, languages, locations of a service.


def _phone_key(p) -> tuple:
    return (p["number"], p["extension"], p["type"], p["description"])


def _schedule_key(s) -> tuple:
    return (s["freq"], s["byday"], s["opens_at"], s["closes_at"], s["description"])


def schedule_label(s) -> str:
    get = s.get if isinstance(s, dict) else lambda name: getattr(s, name)
    hours = ""
    if get("opens_at") and get("closes_at"):
        hours = f"{get('opens_at'):%H:%M}-{get('closes_at'):%H:%M}"
    return " ".join(p for p in (get("byday"), hours, get("description")) if p)


def _sync(model, owner: dict, wanted: list[dict], key) -> list | None:
    """Make the owner's phones, schedules or languages the wanted ones. Returns the change for
    the audit ([old, new] summaries) or None when nothing changed; unchanged rows keep their
    ids."""
    existing = list(model.objects.filter(**owner).order_by("pk"))
    existing_keys = [key(_as_dict(obj)) for obj in existing]
    wanted_keys = [key(w) for w in wanted]
    same_ids = all(
        w.get("public_id") in (None, obj.public_id)
        for w, obj in zip(wanted, existing, strict=False)
    )
    if existing_keys == wanted_keys and same_ids:
        return None
    model.objects.filter(**owner).delete()
    model.objects.bulk_create(
        [
            model(
                public_id=w.get("public_id") or uuid.uuid4(),
                **owner,
                **{k: v for k, v in w.items() if k != "public_id"},
            )
            for w in wanted
        ]
    )
    return [_summary(model, existing), _summary(model, wanted)]


def _as_dict(obj) -> dict:
    if isinstance(obj, Phone):
        fields = ("number", "extension", "type", "description")
    elif isinstance(obj, Schedule):
        fields = ("freq", "byday", "opens_at", "closes_at", "description")
    else:
        fields = ("code", "note")
    return {f: getattr(obj, f) for f in fields}


def _summary(model, items) -> list[str]:
    items = [i if isinstance(i, dict) else _as_dict(i) for i in items]
    if model is Phone:
        return [i["number"] for i in items]
    if model is Schedule:
        return [schedule_label(i) for i in items]
    return [i["code"] for i in items]


def _language_key(language) -> tuple:
    return (language["code"], language["note"])


def _sync_parts(changes: dict, owner: dict, *, phones=None, schedules=None, languages=None):
    if phones is not None:
        change = _sync(Phone, owner, phones, _phone_key)
        if change:
            changes["phones"] = change
    if schedules is not None:
        change = _sync(Schedule, owner, schedules, _schedule_key)
        if change:
            changes["schedules"] = change
    if languages is not None:
        change = _sync(Language, owner, languages, _language_key)
        if change:
            changes["languages"] = change


def _sync_locations(service: Service, locations: list[Location], changes: dict) -> None:
    for location in locations:
        if location.organization_id != service.organization_id:
            raise ActionError(
                _("A service can only be at locations of its own organisation."),
                field="locations",
            )
    current = {sal.location_id: sal for sal in service.service_at_locations.select_related()}
    wanted = {location.pk: location for location in locations}
    if set(current) == set(wanted):
        return
    before = sorted(Location.objects.filter(pk__in=current).values_list("name", flat=True))
    ServiceAtLocation.objects.filter(service=service).exclude(location_id__in=wanted).delete()
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=service, location=loc)
            for pk, loc in wanted.items()
            if pk not in current
        ]
    )
    changes["locations"] = [before, sorted(loc.name for loc in locations)]


def search_text_of(service: Service) -> str:
    """The words a search matches: the service's names and descriptions in every language, its
    organisation's and programme's names; lowercased, without accents."""
    organization = service.organization
    parts = [
        service.name,
        service.alternate_name,
        *service.description.values(),
        organization.name,
        organization.alternate_name,
    ]
    if service.program_id:
        parts += [service.program.name, service.program.alternate_name]
    return " ".join(normalise_text(p) for p in parts if p)


def _refresh_search(services) -> None:
    for service in services:
        text = search_text_of(service)
        if text != service.search_text:
            Service.objects.filter(pk=service.pk).update(search_text=text)
            service.search_text = text


def _json(value):
    """A value as the audit trail stores it: text, numbers, lists and objects of them."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return getattr(value, "code", None) or str(value)


def _fields_of(obj, names) -> dict:
    """The audit's changes of a new entry: [None, value] for each field that has a value."""
    return {
        name: [None, _json(getattr(obj, name))]
        for name in names
        if getattr(obj, name) not in ("", None, {})
    }


# Organisations


@transaction.atomic
def create_organization(*, actor, country: str, phones=None, **fields) -> Organization:
    _require_country(actor, country)
    if country not in RETURN_COUNTRIES:
        raise ActionError(_("Choose one of the countries of return"), field="country")
    cleaned = _clean_organization_fields(fields, country=country)
    if "kind" not in cleaned:
        raise ActionError(_("Choose the kind of organisation"), field="kind")
    if "name" not in cleaned:
        raise ActionError(_("Enter the name"), field="name")
    phones = clean_phones(phones, country=country, field="phones")
    organization = Organization.objects.create(country=country, **cleaned)
    changes = _fields_of(organization, ("country", *ORGANIZATION_FIELDS))
    _sync_parts(changes, {"organization": organization}, phones=phones)
    record("directory.organization_created", actor=actor, target=organization, changes=changes)
    return organization


@transaction.atomic
def update_organization(
    organization: Organization, *, actor, expected_version: int | None = None, phones=None, **fields
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _require_country(actor, organization.country)
    _check_version(organization, expected_version)
    cleaned = _clean_organization_fields(fields, country=organization.country.code)
    changes = diff(organization, cleaned)
    for name in changes:
        setattr(organization, name, cleaned[name])
    if phones is not None:
        phones = clean_phones(phones, country=organization.country.code)
    _sync_parts(changes, {"organization": organization}, phones=phones)
    if not changes:
        return organization
    organization.version += 1
    organization.save(
        update_fields=[*(c for c in changes if c in ORGANIZATION_FIELDS), "version", "updated_at"]
    )
    if {"name", "alternate_name"} & set(changes):
        _refresh_search(organization.services.select_related("organization", "program"))
    record("directory.organization_updated", actor=actor, target=organization, changes=changes)
    return organization


@transaction.atomic
def set_organization_active(organization: Organization, *, actor, active: bool) -> Organization:
    _require_country(actor, organization.country)
    if organization.is_active == active:
        return organization
    organization.is_active = active
    organization.version += 1
    organization.save(update_fields=["is_active", "version", "updated_at"])
    verb = "directory.organization_reactivated" if active else "directory.organization_deactivated"
    record(verb, actor=actor, target=organization, changes={"is_active": [not active, active]})
    return organization


# Public programmes


@transaction.atomic
def create_program(organization: Organization, *, actor, **fields) -> Program:
    _require_country(actor, organization.country)
    cleaned = _clean_program_fields(fields)
    if "name" not in cleaned:
        raise ActionError(_("Enter the name"), field="name")
    program = Program.objects.create(organization=organization, **cleaned)
    record(
        "directory.program_created",
        actor=actor,
        target=program,
        changes=_fields_of(program, PROGRAM_FIELDS),
    )
    return program


@transaction.atomic
def update_program(
    program: Program, *, actor, expected_version: int | None = None, **fields
) -> Program:
    program = (
        Program.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=program.pk)
    )
    _require_country(actor, program.organization.country)
    _check_version(program, expected_version)
    cleaned = _clean_program_fields(fields)
    changes = diff(program, cleaned)
    if not changes:
        return program
    for name in changes:
        setattr(program, name, cleaned[name])
    program.version += 1
    program.save(update_fields=[*changes, "version", "updated_at"])
    if {"name", "alternate_name"} & set(changes):
        _refresh_search(program.services.select_related("organization", "program"))
    record("directory.program_updated", actor=actor, target=program, changes=changes)
    return program


# Services


@transaction.atomic
def create_service(
    organization: Organization,
    *,
    actor,
    locations=(),
    phones=None,
    schedules=None,
    languages=None,
    **fields,
) -> Service:
    _require_country(actor, organization.country)
    cleaned = _clean_service_fields(fields, organization=organization)
    if "name" not in cleaned:
        raise ActionError(_("Enter the name"), field="name")
    if "service_type" not in cleaned:
        raise ActionError(_("Choose the type of service"), field="service_type")
    country = organization.country.code
    phones = clean_phones(phones, country=country)
    schedules = clean_schedules(schedules)
    languages = clean_languages(languages)
    service = Service(organization=organization, **cleaned)
    _check_ages(service)
    service.save()
    changes = _fields_of(service, SERVICE_FIELDS)
    _sync_locations(service, list(locations), changes)
    _sync_parts(
        changes, {"service": service}, phones=phones, schedules=schedules, languages=languages
    )
    _refresh_search([service])
    record("directory.service_created", actor=actor, target=service, changes=changes)
    return service


@transaction.atomic
def update_service(
    service: Service,
    *,
    actor,
    expected_version: int | None = None,
    locations=None,
    phones=None,
    schedules=None,
    languages=None,
    **fields,
) -> Service:
    service = (
        Service.objects.select_for_update(of=("self",))
        .select_related("organization", "program")
        .get(pk=service.pk)
    )
    _require_country(actor, service.organization.country)
    _check_version(service, expected_version)
    cleaned = _clean_service_fields(fields, organization=service.organization)
    changes = diff(service, cleaned)
    for name in changes:
        setattr(service, name, cleaned[name])
    _check_ages(service)
    country = service.organization.country.code
    if locations is not None:
        _sync_locations(service, list(locations), changes)
    _sync_parts(
        changes,
        {"service": service},
        phones=clean_phones(phones, country=country) if phones is not None else None,
        schedules=clean_schedules(schedules) if schedules is not None else None,
        languages=clean_languages(languages) if languages is not None else None,
    )
    if not changes:
        return service
    service.version += 1
    service.save(
        update_fields=[*(c for c in changes if c in SERVICE_FIELDS), "version", "updated_at"]
    )
    _refresh_search([service])
    record("directory.service_updated", actor=actor, target=service, changes=changes)
    return service


@transaction.atomic
def set_service_status(service: Service, *, actor, status: str) -> Service:
    _require_country(actor, service.organization.country)
    if status not in Service.Status.values:
        raise ActionError(_("Choose the status of the service"), field="status")
    if service.status == status:
        return service
    old = service.status
    service.status = status
    service.version += 1
    service.save(update_fields=["status", "version", "updated_at"])
    verb = (
        "directory.service_reactivated"
        if status == Service.Status.ACTIVE
        else "directory.service_deactivated"
    )
    record(verb, actor=actor, target=service, changes={"status": [old, status]})
    return service


# Locations


def _check_address(location: Location) -> None:
    """A place people go to, or write to, is in a city; an online location need not be."""
    if location.location_type != Location.Type.VIRTUAL and not location.city:
        raise ActionError(_("Enter the city"), field="city")


@transaction.atomic
def create_location(
    organization: Organization,
    *,
    actor,
    phones=None,
    schedules=None,
    languages=None,
    **fields,
) -> Location:
    _require_country(actor, organization.country)
    cleaned = _clean_location_fields(fields)
    if "name" not in cleaned:
        raise ActionError(_("Enter the name"), field="name")
    country = organization.country.code
    location = Location(organization=organization, country=country, **cleaned)
    location.city_key = normalise_text(location.city)
    _check_address(location)
    location.save()
    changes = _fields_of(location, LOCATION_FIELDS)
    _sync_parts(
        changes,
        {"location": location},
        phones=clean_phones(phones, country=country),
        schedules=clean_schedules(schedules),
        languages=clean_languages(languages),
    )
    record("directory.location_created", actor=actor, target=location, changes=changes)
    return location


@transaction.atomic
def update_location(
    location: Location,
    *,
    actor,
    expected_version: int | None = None,
    phones=None,
    schedules=None,
    languages=None,
    **fields,
) -> Location:
    location = (
        Location.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=location.pk)
    )
    _require_country(actor, location.organization.country)
    _check_version(location, expected_version)
    cleaned = _clean_location_fields(fields)
    changes = diff(location, cleaned)
    for name in changes:
        setattr(location, name, cleaned[name])
    _check_address(location)
    country = location.organization.country.code
    _sync_parts(
        changes,
        {"location": location},
        phones=clean_phones(phones, country=country) if phones is not None else None,
        schedules=clean_schedules(schedules) if schedules is not None else None,
        languages=clean_languages(languages) if languages is not None else None,
    )
    if not changes:
        return location
    location.city_key = normalise_text(location.city)
    location.version += 1
    location.save(
        update_fields=[
            *(c for c in changes if c in LOCATION_FIELDS),
            "city_key",
            "version",
            "updated_at",
        ]
    )
    record("directory.location_updated", actor=actor, target=location, changes=changes)
    return location


@transaction.atomic
def set_location_active(location: Location, *, actor, active: bool) -> Location:
    _require_country(actor, location.organization.country)
    if location.is_active == active:
        return location
    location.is_active = active
    location.version += 1
    location.save(update_fields=["is_active", "version", "updated_at"])
    verb = "directory.location_reactivated" if active else "directory.location_deactivated"
    record(verb, actor=actor, target=location, changes={"is_active": [not active, active]})
    return location


# Import: one transaction for the whole file, one audit event with the counts. The file was
# read and checked by retorno.directory.exchange, which resolved every record's id.


@transaction.atomic
def import_directory(*, actor, country: str, dataset, file_name: str = "") -> dict:
    """Create or update every organisation, programme, location and service of a checked
    dataset (reading.read_file); entries of the directory that the file does not mention stay as
    they are. Returns the counts, also recorded in the audit event."""
    _require_country(actor, country)
    if dataset.country != country:
        raise ActionError(_("This file was checked for another country's directory."))
    if dataset.problems:
        raise ActionError(_("The file has problems. Correct them and upload it again."))
    counts = Counter()
    organizations = {}
    for rec in dataset.organizations:
        fields = {
            "kind": rec.kind,
            "name": rec.name,
            "alternate_name": rec.alternate_name,
            "description": rec.description,
            "email": rec.email,
            "website": rec.website,
            "retorno_organisation": rec.retorno_organisation,
            "is_active": rec.active,
        }
        obj, state = _upsert(Organization, rec.id, fields, create={"country": country})
        _sync_parts({}, {"organization": obj}, phones=rec.phones)
        organizations[rec.id] = obj
        counts[f"organizations_{state}"] += 1
    programs = {}
    for rec in dataset.programs:
        fields = {
            "organization": _org(organizations, rec.organization_id),
            "name": rec.name,
            "alternate_name": rec.alternate_name,
            "description": rec.description,
        }
        obj, state = _upsert(Program, rec.id, fields)
        programs[rec.id] = obj
        counts[f"programs_{state}"] += 1
    locations = {}
    for rec in dataset.locations:
        fields = {
            "organization": _org(organizations, rec.organization_id),
            "location_type": rec.location_type,
            "name": rec.name,
            "alternate_name": rec.alternate_name,
            "description": rec.description,
            "url": rec.url,
            "address_1": rec.address_1,
            "city": rec.city,
            "city_key": normalise_text(rec.city),
            "region": rec.region,
            "postal_code": rec.postal_code,
            "not_public": rec.not_public,
            "is_active": rec.active,
        }
        obj, state = _upsert(Location, rec.id, fields, create={"country": country})
        _sync_parts(
            {},
            {"location": obj},
            phones=rec.phones,
            schedules=rec.schedules,
            languages=rec.languages,
        )
        locations[rec.id] = obj
        counts[f"locations_{state}"] += 1
    touched = []
    for rec in dataset.services:
        program = None
        if rec.program_id:
            program = programs.get(rec.program_id) or Program.objects.get(public_id=rec.program_id)
        fields = {
            "organization": _org(organizations, rec.organization_id),
            "program": program,
            "name": rec.name,
            "alternate_name": rec.alternate_name,
            "service_type": rec.service_type,
            "status": rec.status,
            "description": rec.description,
            "eligibility_description": rec.eligibility_description,
            "application_process": rec.application_process,
            "fees_description": rec.fees_description,
            "minimum_age": rec.minimum_age,
            "maximum_age": rec.maximum_age,
            "url": rec.url,
            "email": rec.email,
            "not_public": rec.not_public,
        }
        obj, state = _upsert(Service, rec.id, fields)
        _sync_parts(
            {},
            {"service": obj},
            phones=rec.phones,
            schedules=rec.schedules,
            languages=rec.languages,
        )
        _import_service_locations(obj, rec.locations, locations)
        touched.append(obj.pk)
        counts[f"services_{state}"] += 1
    # Names of organisations and programmes are part of every one of their services' search.
    _refresh_search(
        Service.objects.filter(organization__in=organizations.values()).select_related(
            "organization", "program"
        )
    )
    counts = dict(sorted(counts.items()))
    record(
        "directory.imported",
        actor=actor,
        detail={"country": country, "file": file_name, **counts},
    )
    return counts


def _org(organizations: dict, public_id) -> Organization:
    return organizations.get(public_id) or Organization.objects.get(public_id=public_id)


def _upsert(model, public_id, fields: dict, *, create: dict | None = None):
    obj = model.objects.select_for_update().filter(public_id=public_id).first()
    if obj is None:
        obj = model.objects.create(public_id=public_id, **fields, **(create or {}))
        return obj, "created"
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, fields[name])
    obj.version += 1
    obj.save(update_fields=[*changed, "version", "updated_at"])
    return obj, "updated"


def _import_service_locations(service: Service, links: list, locations: dict) -> None:
    wanted = {}
    for sal_id, location_id, _where in links:
        location = locations.get(location_id) or Location.objects.get(public_id=location_id)
        wanted[location.pk] = sal_id
    current = {sal.location_id: sal for sal in ServiceAtLocation.objects.filter(service=service)}
    stale = [
        sal.pk
        for pk, sal in current.items()
        if pk not in wanted or (wanted[pk] and wanted[pk] != sal.public_id)
    ]
    ServiceAtLocation.objects.filter(pk__in=stale).delete()
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=service, location_id=pk, public_id=sal_id or uuid.uuid4())
            for pk, sal_id in wanted.items()
            if pk not in current or current[pk].pk in stale
        ]
    )

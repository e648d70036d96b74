"""Import and export of a country's directory as HSDS 3.0 JSON and as CSV."""

import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from retorno.audit.models import AuditEvent
from retorno.conftest import acting
from retorno.directory import actions, hsds, reading, tabular
from retorno.directory.models import Location, Organization, Phone, Service
from retorno.directory.tests.factories import location, organization, service
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def peru(personas):
    """A small but complete directory: programmes (one used by another organisation's
    service), a hidden shelter, texts in two languages, phones, hours, languages, an inactive
    location, an organisation on Retorno and one with nothing but its name."""
    mateo = acting(personas.mateo)
    ministry = organization(
        personas,
        kind="public_agency",
        name="Ministerio de Trabajo",
        alternate_name="MTPE",
        description={"es": "Empleo.", "en": "Jobs."},
        email="mtpe@example.org",
        website="https://mtpe.example.org",
        phones=["01 555 0100"],
    )
    program = actions.create_program(
        ministry,
        actor=mateo,
        name="Programa Trabaja Perú",
        description={"es": "Empleo temporal."},
    )
    office = location(
        ministry,
        personas,
        name="Centro de Empleo",
        postal_code="15001",
        phones=["01 555 0101"],
        schedules=[{"byday": "MO,TU,WE,TH,FR", "opens_at": "08:30", "closes_at": "16:30"}],
        languages=["es", "qu"],
        description={"es": "Frente al parque.\nSegundo piso."},
    )
    location(ministry, personas, name="Oficina antigua", city="Callao")
    actions.set_location_active(
        Location.objects.get(name="Oficina antigua"), actor=mateo, active=False
    )
    service(
        ministry,
        personas,
        name="Bolsa de trabajo",
        service_type="job_placement",
        program=program,
        locations=[office],
        description={"es": "Ofertas de empleo.", "en": "Job offers."},
        eligibility_description={"es": "Mayores de 18 años."},
        application_process={"es": "Registro presencial."},
        fees_description={"es": "Gratuito."},
        minimum_age=18,
        url="https://mtpe.example.org/empleo",
        email="empleo@example.org",
        phones=["987 654 321"],
        languages=["es", "qu"],
        schedules=[
            {
                "byday": "SA",
                "opens_at": "09:00",
                "closes_at": "12:00",
                "description": "Solo con cita",
            }
        ],
    )
    service(ministry, personas, name="Certificación", service_type="education_recognition")
    shelter_org = organization(personas, name="Casa Refugio Warmi")
    hidden = location(shelter_org, personas, name="Refugio", address_1="", not_public=True)
    service(
        shelter_org,
        personas,
        name="Casa de acogida",
        service_type="gbv_trafficking_support",
        not_public=True,
        program=program,
        locations=[hidden],
    )
    cfp = organization(
        personas,
        kind="training_centre",
        name="Centro de Formación Profesional Lima",
        retorno_organisation=personas.org("CFPLIM"),
    )
    service(cfp, personas, name="Curso de costura", status="temporarily closed")
    organization(personas, name="Asociación sin servicios", description={})
    # Another country's directory is not exported with Peru's.
    organization(personas, actor=personas.rosa, country="BO", name="Fundación Illimani")
    return ministry


def _wipe():
    Organization.objects.filter(country="PE").delete()


def _import(text, personas, country="PE"):
    dataset = reading.read_file("file", text.encode(), country)
    assert dataset.problems == []
    return actions.import_directory(
        actor=acting(personas.mateo), country=country, dataset=dataset, file_name="file"
    )


def test_an_hsds_export_reimported_gives_the_same_directory(personas, peru):
    first = hsds.write("PE")
    _wipe()
    assert not Service.objects.filter(organization__country="PE").exists()
    counts = _import(first, personas)
    assert counts["services_created"] == 4 and counts["organizations_created"] == 4
    assert hsds.write("PE") == first
    # Importing the same file again changes nothing.
    counts = _import(first, personas)
    assert set(counts) == {
        "locations_unchanged",
        "organizations_unchanged",
        "programs_unchanged",
        "services_unchanged",
    }


def test_a_csv_export_reimported_gives_the_same_directory(personas, peru):
    first = tabular.write("PE")
    _wipe()
    _import(first, personas)
    assert tabular.write("PE") == first
    svc = Service.objects.get(name="Bolsa de trabajo")
    assert svc.schedules.get().description == "Solo con cita"
    assert Location.objects.get(name="Centro de Empleo").description == {
        "es": "Frente al parque.\nSegundo piso."
    }


# What the HSDS file says. HSDS 3.0's required fields and codes, from its schemas
# (openreferral/specification, branch 3.0, schema/*.json), for the objects we write.
UUID = {
    "type": "string",
    "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
}
PHONE = {"type": "object", "required": ["id", "number"], "properties": {"id": UUID}}
SCHEDULE = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": UUID, "freq": {"enum": ["WEEKLY", "MONTHLY"]}},
}
LANGUAGE = {"type": "object", "required": ["id"], "properties": {"id": UUID}}
ADDRESS = {
    "type": "object",
    "required": [
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "properties": {"id": UUID, "address_type": {"enum": ["physical", "postal", "virtual"]}},
}
LOCATION = {
    "type": "object",
    "required": ["id", "location_type"],
    "properties": {
        "id": UUID,
        "location_type": {"enum": ["physical", "postal", "virtual"]},
        "addresses": {"type": "array", "items": ADDRESS},
        "phones": {"type": "array", "items": PHONE},
        "schedules": {"type": "array", "items": SCHEDULE},
        "languages": {"type": "array", "items": LANGUAGE},
    },
}
PROGRAM = {
    "type": "object",
    "required": ["id", "name", "description"],
    "properties": {"id": UUID},
}
TERM = {"type": "object", "required": ["id", "name", "description"], "properties": {"id": UUID}}
SERVICE = {
    "type": "object",
    "required": ["id", "name", "status"],
    "properties": {
        "id": UUID,
        "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
        "minimum_age": {"type": "number"},
        "phones": {"type": "array", "items": PHONE},
        "schedules": {"type": "array", "items": SCHEDULE},
        "languages": {"type": "array", "items": LANGUAGE},
        "program": PROGRAM,
        "service_at_locations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": UUID, "location": LOCATION},
            },
        },
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": UUID, "taxonomy_term": TERM},
            },
        },
    },
}
ORGANIZATION = {
    "type": "object",
    "required": ["id", "name", "description"],
    "properties": {
        "id": UUID,
        "phones": {"type": "array", "items": PHONE},
        "programs": {"type": "array", "items": PROGRAM},
        "locations": {"type": "array", "items": LOCATION},
        "services": {"type": "array", "items": SERVICE},
    },
}
PAGE = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {"contents": {"type": "array", "items": ORGANIZATION}},
}


def test_the_hsds_export_has_the_objects_fields_and_codes_hsds_requires(personas, peru):
    document = json.loads(hsds.write("PE"))
    jsonschema.validate(document, PAGE)
    assert document["total_items"] == 4
    ministry = next(o for o in document["contents"] if o["name"] == "Ministerio de Trabajo")
    assert ministry["description"] == "Empleo."  # the first language of settings.LANGUAGES
    assert ministry["retorno_translations"] == {"description": {"es": "Empleo.", "en": "Jobs."}}
    job = next(s for s in ministry["services"] if s["name"] == "Bolsa de trabajo")
    assert job["attributes"][0]["taxonomy_term"]["code"] == "job_placement"
    assert job["attributes"][0]["taxonomy_term"]["name"] == "Job search and placement"
    assert job["program"]["name"] == "Programa Trabaja Perú"
    address = job["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["country"], address["state_province"], address["city"]) == (
        "PE",
        "Lima",
        "Lima",
    )
    assert job["schedules"][0] == {
        "id": job["schedules"][0]["id"],
        "service_id": job["id"],
        "freq": "WEEKLY",
        "byday": "SA",
        "opens_at": "09:00:00",
        "closes_at": "12:00:00",
        "description": "Solo con cita",
    }
    assert job["phones"][0]["number"] == "+51987654321"
    shelter = next(o for o in document["contents"] if o["name"] == "Casa Refugio Warmi")
    hidden = shelter["locations"][0]
    assert hidden["retorno_not_public"] is True
    assert hidden["addresses"][0]["address_1"] == ""
    assert "Fundación Illimani" not in json.dumps(document, ensure_ascii=False)


def test_a_public_only_export_leaves_out_what_the_public_may_not_see(personas, peru):
    document = json.loads(hsds.write("PE", public_only=True))
    services = [s["name"] for o in document["contents"] for s in o.get("services", [])]
    locations = [loc["name"] for o in document["contents"] for loc in o.get("locations", [])]
    assert sorted(services) == ["Bolsa de trabajo", "Certificación"]
    assert locations == ["Centro de Empleo"]


def test_plain_hsds_texts_are_taken_in_the_countrys_language(personas, peru):
    document = json.loads(hsds.write("PE"))
    for org in document["contents"]:
        org.pop("retorno_translations", None)
        for svc in org.get("services", []):
            svc.pop("retorno_translations", None)
            svc.pop("retorno_service_type")  # the taxonomy term says it too
    _wipe()
    _import(json.dumps(document), personas)
    job = Service.objects.get(name="Bolsa de trabajo")
    assert job.description == {"es": "Ofertas de empleo."}
    assert job.service_type == "job_placement"


def test_hsds_problems_are_reported_with_their_json_path_and_nothing_is_imported(personas, peru):
    document = json.loads(hsds.write("PE"))
    ministry = document["contents"][
        [o["name"] for o in document["contents"]].index("Ministerio de Trabajo")
    ]
    ministry["services"][0]["status"] = "open"
    ministry["services"][1]["phones"] = [{"id": "x", "number": "12"}]
    ministry["locations"][0]["addresses"][0]["country"] = "CL"
    document["contents"].append({"id": "nope", "name": "X"})
    _wipe()
    dataset = reading.read_file("file.json", json.dumps(document).encode(), "PE")
    index = document["contents"].index(ministry)
    problems = {p.where: p.message for p in dataset.problems}
    assert problems[f"contents[{index}].services[0].status"] == (
        "The status is active, inactive, defunct or temporarily closed"
    )
    assert f"contents[{index}].services[1].phones[0]" in problems
    assert problems[f"contents[{index}].locations[0].addresses[0].country"] == (
        "The address must be in the country of the directory"
    )
    assert "contents[4].id" in problems
    with pytest.raises(Exception, match="problems"):
        actions.import_directory(
            actor=acting(personas.mateo), country="PE", dataset=dataset, file_name="f"
        )
    assert not Organization.objects.filter(country="PE").exists()


def test_entries_of_another_countrys_directory_are_refused(personas, peru):
    text = hsds.write("PE")
    dataset = reading.read_file("file.json", text.encode(), "BO")
    messages = {p.message for p in dataset.problems}
    assert "This file is being imported into the directory of BO" in messages
    assert "This entry belongs to the directory of another country" in messages


CSV_WITH_PROBLEMS = (
    "organization_name,organization_kind,service_name,service_type,service_phones,"
    "service_description_es,location_name,location_city\r\n"
    "Fundación Nueva,ngo,Curso,vocational_training,01 555 0100,Bien,Sede,Lima\r\n"
    'Fundación Nueva,ngo,Taller,magic,,"Dos\nlíneas",,\r\n'
    "Fundación Nueva,ngo,Otro,housing,12,,,\r\n"
    "Fundación Otra,company,,,,,Sede,\r\n"
)


def test_csv_problems_are_reported_with_their_line_and_column(personas):
    dataset = reading.read_file("file.csv", CSV_WITH_PROBLEMS.encode(), "PE")
    found = [(p.line, p.where) for p in dataset.problems]
    assert found == [
        (6, "organization_kind"),
        (6, "location_city"),
        (3, "service_type"),
        (5, "service_phones"),
    ]
    assert dataset.problems[2].value == "magic"


def test_an_import_with_problems_commits_nothing_and_lists_every_problem(as_user, personas):
    client = as_user(personas.mateo)
    upload = SimpleUploadedFile("directory.csv", CSV_WITH_PROBLEMS.encode(), "text/csv")
    response = client.post(reverse("directory:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 422
    assert "The file has 4 problems. Nothing was imported." in page
    assert "<code>service_type</code>" in page and "magic" in page
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.filter(verb="directory.imported").exists()


def test_an_import_that_fails_half_way_leaves_nothing_behind(personas, peru, monkeypatch):
    text = hsds.write("PE")
    _wipe()
    dataset = reading.read_file("file.json", text.encode(), "PE")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        actions.import_directory(
            actor=acting(personas.mateo), country="PE", dataset=dataset, file_name="f"
        )
    assert not Organization.objects.filter(country="PE").exists()
    assert not Phone.objects.exists()


def test_importing_through_the_pages_checks_then_imports_once(as_user, personas, peru):
    text = tabular.write("PE")
    _wipe()
    client = as_user(personas.mateo)
    upload = SimpleUploadedFile("directory.csv", text.encode(), "text/csv")
    response = client.post(reverse("directory:import"), {"file": upload})
    assert response["Location"] == reverse("directory:import_preview")
    preview = client.get(response["Location"]).content.decode()
    assert "4 to add, 0 to update" in preview
    done = client.post(reverse("directory:import_run"))
    assert done.status_code == 302
    assert Service.objects.filter(organization__country="PE").count() == 4
    assert_audited(
        "directory.imported",
        actor=personas.mateo,
        detail={"services_created": 4, "country": "PE"},
    )
    again = client.post(reverse("directory:import_run"))
    assert again["Location"] == reverse("directory:import")
    assert AuditEvent.objects.filter(verb="directory.imported").count() == 1


def test_a_csv_row_without_ids_updates_the_entry_of_the_same_name(personas, peru):
    csv = (
        "organization_name,organization_kind,service_name,service_type,service_description_en\r\n"
        "ministerio de TRABAJO,public_agency,Bolsa de trabajo,job_placement,Job offers in Lima.\r\n"
    )
    counts = _import(csv, personas)
    assert counts["services_updated"] == 1 and counts["organizations_updated"] == 1
    job = Service.objects.get(name="Bolsa de trabajo")
    assert job.description == {"en": "Job offers in Lima."}


def test_the_export_page_downloads_both_formats_and_records_it(as_user, personas, peru):
    client = as_user(personas.mateo)
    response = client.get(reverse("directory:export_download", args=["hsds"]))
    assert response["Content-Disposition"].startswith('attachment; filename="directory-PE-')
    assert json.loads(response.content)["total_items"] == 4
    response = client.get(reverse("directory:export_download", args=["csv"]))
    assert response.content.decode().startswith("organization_id,organization_name,")
    assert AuditEvent.objects.filter(verb="directory.exported").count() == 2


def test_the_commands_export_and_import_a_country(personas, peru, tmp_path, capsys):
    path = tmp_path / "peru.json"
    call_command("export_directory", "--country", "pe", "--format", "hsds", "--output", str(path))
    first = path.read_text()
    _wipe()
    call_command(
        "import_directory", str(path), "--country", "PE", "--actor", "mateo.lima", "--dry-run"
    )
    assert not Organization.objects.filter(country="PE").exists()
    call_command("import_directory", str(path), "--country", "PE", "--actor", "mateo.lima")
    assert "services_created 4" in capsys.readouterr().out
    assert hsds.write("PE") == first
    with pytest.raises(CommandError, match="not a coordinator"):
        call_command("import_directory", str(path), "--country", "PE", "--actor", "bruno.milano")
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_WITH_PROBLEMS)
    with pytest.raises(CommandError, match="4 problems"):
        call_command("import_directory", str(bad), "--country", "PE", "--actor", "mateo.lima")

"""The directory's pages as people meet them: the permission matrix, lists, search, forms."""

import pytest
from django.urls import reverse

from retorno.audit.models import AuditEvent
from retorno.conftest import acting
from retorno.directory import actions
from retorno.directory.models import Organization, Service
from retorno.directory.tests.factories import location, organization, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def peru(personas):
    org = organization(personas)
    place = location(org, personas)
    program = actions.create_program(
        org, actor=acting(personas.mateo), name="Programa Trabaja Perú", description={}
    )
    svc = service(
        org,
        personas,
        locations=[place],
        program=program,
        description={"es": "Curso de costura industrial.", "en": "Industrial sewing course."},
        languages=["es", "qu"],
    )
    return {"org": org, "location": place, "program": program, "service": svc}


def _urls(peru) -> dict:
    org, svc, place = peru["org"].public_id, peru["service"].public_id, peru["location"].public_id
    return {
        "read": [
            reverse("directory:services"),
            reverse("directory:organizations"),
            reverse("directory:service", args=[svc]),
            reverse("directory:organization", args=[org]),
        ],
        "write": [
            reverse("directory:organization_edit", args=[org]),
            reverse("directory:organization_status", args=[org]),
            reverse("directory:service_create", args=[org]),
            reverse("directory:location_create", args=[org]),
            reverse("directory:program_create", args=[org]),
            reverse("directory:service_edit", args=[svc]),
            reverse("directory:service_status", args=[svc]),
            reverse("directory:location_edit", args=[place]),
            reverse("directory:location_status", args=[place]),
            reverse("directory:program_edit", args=[peru["program"].public_id]),
        ],
        # Pages of the user's own country's directory: creating, importing, exporting.
        "maintain": [
            reverse("directory:organization_create"),
            reverse("directory:import"),
            reverse("directory:export"),
            reverse("directory:export_download", args=["hsds"]),
            reverse("directory:export_download", args=["csv"]),
        ],
    }


@pytest.mark.parametrize("who", ["pia", "admin"])
def test_roles_that_do_not_read_the_directory_get_403(as_user, personas, peru, who):
    client = as_user(personas[who])
    urls = _urls(peru)
    for url in [*urls["read"], *urls["write"], *urls["maintain"]]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["lucia", "ana", "bruno", "eva", "carla", "olga"])
def test_readers_read_but_may_not_write(as_user, personas, peru, who):
    client = as_user(personas[who])
    urls = _urls(peru)
    for url in urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in [*urls["write"], *urls["maintain"]]:
        assert client.get(url).status_code == 403, url


def test_another_national_desk_reads_perus_directory_but_keeps_only_its_own(
    as_user, personas, peru
):
    client = as_user(personas.rosa)
    urls = _urls(peru)
    for url in urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in urls["write"]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("directory:organization_create")).status_code == 200


def test_limas_coordinator_opens_every_page(as_user, personas, peru):
    client = as_user(personas.mateo)
    urls = _urls(peru)
    for url in [*urls["read"], *urls["write"], *urls["maintain"]]:
        assert client.get(url).status_code == 200, url


def test_posting_to_a_page_one_may_not_write_changes_nothing(as_user, personas, peru):
    url = reverse("directory:service_status", args=[peru["service"].public_id])
    assert as_user(personas.bruno).post(url, {"status": "inactive"}).status_code == 403
    assert Service.objects.get().status == "active"


def test_a_partner_does_not_find_a_service_kept_from_the_public(as_user, personas, peru):
    shelter = service(peru["org"], personas, name="Refugio", not_public=True)
    url = reverse("directory:service", args=[shelter.public_id])
    assert as_user(personas.carla).get(url).status_code == 404
    page = as_user(personas.lucia).get(url).content.decode()
    assert "Not public" in page


def test_our_services_is_the_partners_page(as_user, personas, client):
    url = reverse("directory:our_services")
    cfp = organization(
        personas,
        name="CFP Lima",
        kind="training_centre",
        retorno_organisation=personas.org("CFPLIM"),
    )
    service(cfp, personas, name="Curso de cocina")
    assert "/accounts/login/" in client.get(url)["Location"]
    assert as_user(personas.lucia).get(url).status_code == 403
    page = as_user(personas.carla).get(url).content.decode()
    assert "Our services (1)" in page
    assert "Curso de cocina" in page
    assert "On Retorno" in page


def test_the_navigation_offers_the_directory_to_desks_and_our_services_to_partners(
    as_user, personas
):
    home = as_user(personas.lucia).get(reverse("directory:services")).content.decode()
    assert 'href="/directory/" aria-current="page">Directory' in home
    partner = as_user(personas.carla).get(reverse("directory:our_services")).content.decode()
    assert ">Our services</a>" in partner


# The list


def _many(personas, n):
    org = organization(personas, name="Servicio Nacional")
    place = location(org, personas)
    for i in range(n):
        service(org, personas, name=f"Servicio {i:02d}", languages=["es"], locations=[place])


def test_the_list_counts_and_pages_by_fifty(as_user, personas):
    _many(personas, 55)
    client = as_user(personas.lucia)
    page = client.get(reverse("directory:services")).content.decode()
    assert "Services (55)" in page
    assert "Showing 1–50 of 55 services" in page
    assert "Servicio 49" in page and "Servicio 50" not in page
    assert "Servicio 54" in client.get(reverse("directory:services") + "?page=2").content.decode()


def test_the_list_runs_a_constant_number_of_queries(
    as_user, personas, django_assert_max_num_queries
):
    _many(personas, 3)
    client = as_user(personas.lucia)
    client.get(reverse("directory:services"))  # warm the session and the nav
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("directory:services")).status_code == 200
    _many_more = organization(personas, name="Otra")
    for i in range(47):
        service(_many_more, personas, name=f"Otro {i}", languages=["es", "qu"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("directory:services")).content.decode()
    assert "Services (50)" in page


def test_search_ignores_accents_and_capitals(as_user, personas, peru):
    service(peru["org"], personas, name="Atención psicológica", service_type="psychosocial_support")
    client = as_user(personas.lucia)
    page = client.get(reverse("directory:services"), {"q": "PSICOLOGICA"}).content.decode()
    assert "Services (1)" in page and "Atención psicológica" in page
    page = client.get(reverse("directory:services"), {"q": "industrial sewing"}).content.decode()
    assert "Services (1)" in page and "Curso de costura" in page
    page = client.get(reverse("directory:services"), {"q": "fundacion ANDES"}).content.decode()
    assert "Services (2)" in page


def test_filters_by_country_city_type_and_language(as_user, personas, peru):
    bolivia = organization(personas, actor=personas.rosa, country="BO", name="Fundación Illimani")
    el_alto = location(bolivia, personas, actor=personas.rosa, city="El Alto")
    service(
        bolivia,
        personas,
        actor=personas.rosa,
        name="Curso de mecánica",
        languages=["ay"],
        locations=[el_alto],
    )
    client = as_user(personas.lucia)

    def found(**params):
        page = client.get(reverse("directory:services"), params).content.decode()
        return ("Curso de costura" in page, "Curso de mecánica" in page)

    assert found() == (True, False)  # Lima's desk opens on Peru
    assert found(country=["PE", "BO"]) == (True, True)
    assert found(country="BO") == (False, True)
    assert found(city="el alto") == (False, True)
    assert found(city="LIMA") == (True, False)
    assert found(language="qu") == (True, False)
    assert found(language=["qu", "ay"]) == (True, True)
    assert found(service_type="health_care") == (False, False)
    page = client.get(reverse("directory:services"), {"country": "BO"}).content.decode()
    assert "Remove filter: Bolivia" in page


def test_inactive_services_leave_the_list_unless_asked_for(as_user, personas, peru):
    actions.set_service_status(peru["service"], actor=acting(personas.mateo), status="inactive")
    client = as_user(personas.lucia)
    assert "Services (0)" in client.get(reverse("directory:services")).content.decode()
    page = client.get(reverse("directory:services"), {"include_inactive": "on"}).content.decode()
    assert "Services (1)" in page and "Inactive" in page


# Pages in the reader's language


def test_a_service_shows_its_text_in_the_readers_language_or_says_which_it_is_in(
    as_user, personas, peru
):
    client = as_user(personas.lucia)
    url = reverse("directory:service", args=[peru["service"].public_id])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<div lang="en"><p>Industrial sewing course.</p></div>' in english
    assert "there is no text in your language yet" not in english
    italian = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert '<div lang="es"><p>Curso de costura industrial.</p></div>' in italian
    assert "non c'è ancora un testo nella tua lingua" in italian


# Forms

NEW_ORGANIZATION = {
    "text_language": "es",
    "name": "Asociación Qhapaq",
    "alternate_name": "",
    "kind": "ngo",
    "description": "Acompaña a familias retornadas.",
    "email": "",
    "website": "",
    "phones": "01 555 0142",
    "retorno_organisation": "",
}


def test_mateo_adds_an_organisation(as_user, personas):
    client = as_user(personas.mateo)
    form = client.get(reverse("directory:organization_create")).content.decode()
    assert "novalidate" in form
    response = client.post(reverse("directory:organization_create"), NEW_ORGANIZATION)
    assert response.status_code == 302
    org = Organization.objects.get()
    assert (org.country.code, org.description) == ("PE", {"es": "Acompaña a familias retornadas."})
    assert org.phones.get().number == "+5115550142"
    page = client.get(response["Location"]).content.decode()
    assert "Asociación Qhapaq is added to the directory." in page


def test_errors_keep_what_was_typed_with_status_422(as_user, personas):
    client = as_user(personas.mateo)
    data = {**NEW_ORGANIZATION, "name": "", "kind": "", "phones": "12"}
    response = client.post(reverse("directory:organization_create"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert "Enter the name" in page and "Choose the kind of organisation" in page
    assert "Acompaña a familias retornadas." in page
    assert not Organization.objects.exists()
    response = client.post(
        reverse("directory:organization_create"), {**data, "name": "X", "kind": "ngo"}
    )
    assert response.status_code == 422
    assert 'value="12"' in response.content.decode()


def _service_form(client, svc, **changes):
    url = reverse("directory:service_edit", args=[svc.public_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["locations"] = [str(pk) for pk in data.get("locations", [])]
    data["program"] = str(data.get("program") or "")
    for name in ("opens_at", "closes_at"):
        data.pop(name, None)
    data.update(changes)
    return url, data


def test_editing_a_service_changes_only_the_language_written_in(as_user, personas, peru):
    client = as_user(personas.mateo)
    svc = peru["service"]
    url, data = _service_form(client, svc, description="Corso di cucito industriale.")
    data["text_language"] = "it"
    assert client.post(url, data).status_code == 302
    svc.refresh_from_db()
    assert svc.description == {
        "it": "Corso di cucito industriale.",
        "es": "Curso de costura industrial.",
        "en": "Industrial sewing course.",
    }
    event = AuditEvent.objects.filter(verb="directory.service_updated").get()
    assert list(event.changes) == ["description"]
    italian = client.get(url + "?language=it").context["form"].initial
    assert italian["description"] == "Corso di cucito industriale."


def test_two_people_editing_a_service_cannot_overwrite_each_other(as_user, personas, peru):
    client = as_user(personas.mateo)
    svc = peru["service"]
    url, stale = _service_form(client, svc)
    assert client.post(url, {**stale, "name": "Costura básica"}).status_code == 302
    response = client.post(url, {**stale, "email": "costura@example.org"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Someone else changed this service" in page
    assert "mateo.lima changed name" in page
    assert 'value="costura@example.org"' in page
    svc.refresh_from_db()
    assert (svc.name, svc.email) == ("Costura básica", "")


def test_a_service_is_added_with_its_hours_and_locations(as_user, personas, peru):
    client = as_user(personas.mateo)
    url = reverse("directory:service_create", args=[peru["org"].public_id])
    data = {
        "text_language": "es",
        "name": "Bolsa de trabajo",
        "service_type": "job_placement",
        "description": "Ofertas de empleo.",
        "languages": ["es"],
        "locations": [str(peru["location"].pk)],
        "days": ["MO", "WE"],
        "opens_at": "09:00",
        "closes_at": "13:00",
        "not_public": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    svc = Service.objects.get(name="Bolsa de trabajo")
    assert svc.schedules.get().byday == "MO,WE"
    page = client.get(response["Location"]).content.decode()
    assert "Sede central" in page and "09:00–13:00" in page
    bad = client.post(url, {**data, "name": "Otra", "opens_at": "13:00", "closes_at": "09:00"})
    assert bad.status_code == 422
    assert "The closing time must be after the opening time" in bad.content.decode()


def test_deactivating_a_service_and_an_organisation(as_user, personas, peru):
    client = as_user(personas.mateo)
    svc, org = peru["service"], peru["org"]
    url = reverse("directory:service_status", args=[svc.public_id])
    assert client.post(url, {"status": "temporarily closed"}).status_code == 302
    assert Service.objects.get().status == "temporarily closed"
    url = reverse("directory:organization_status", args=[org.public_id])
    assert "Deactivate Fundación Andes" in client.get(url).content.decode()
    assert client.post(url, {"active": "0"}).status_code == 302
    assert client.post(url, {"active": "0"}).status_code == 302  # a second click changes nothing
    assert AuditEvent.objects.filter(verb="directory.organization_deactivated").count() == 1


def test_a_location_kept_from_the_public_has_no_address_to_show(as_user, personas, peru):
    client = as_user(personas.mateo)
    url = reverse("directory:location_create", args=[peru["org"].public_id])
    data = {
        "text_language": "es",
        "name": "Refugio",
        "location_type": "physical",
        "address_1": "",
        "city": "Lima",
        "not_public": "on",
    }
    assert client.post(url, data).status_code == 302
    org_page = client.get(reverse("directory:organization", args=[peru["org"].public_id]))
    assert "Not public" in org_page.content.decode()
    missing_city = client.post(url, {**data, "city": ""})
    assert missing_city.status_code == 422
    assert "Enter the city" in missing_city.content.decode()


@pytest.mark.parametrize("part", ["program", "location"])
def test_a_programme_or_location_is_changed_and_a_stale_save_is_refused(
    as_user, personas, peru, part
):
    obj = peru[part]
    client = as_user(personas.mateo)
    url = reverse(f"directory:{part}_edit", args=[obj.public_id])
    page = client.get(url).content.decode()
    assert f"Change {obj.name}" in page
    data = {"text_language": "es", "name": "Nuevo nombre", "version": obj.version}
    if part == "location":
        data.update({"location_type": "physical", "city": "Lima"})
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("directory:organization", args=[peru["org"].public_id])
    obj.refresh_from_db()
    assert obj.name == "Nuevo nombre"
    # A second person saves from the page as it was before the first save.
    stale = client.post(url, {**data, "name": "Otro nombre"})
    body = stale.content.decode()
    assert stale.status_code == 422
    assert "What changed meanwhile" in body
    assert 'value="Otro nombre"' in body
    obj.refresh_from_db()
    assert obj.name == "Nuevo nombre"


def test_the_list_opens_on_the_national_desks_country_and_can_show_all(as_user, personas, peru):
    bolivia = organization(personas, actor=personas.rosa, country="BO", name="Fundación Illimani")
    service(bolivia, personas, actor=personas.rosa, name="Curso de mecánica")
    lucia = as_user(personas.lucia)
    page = lucia.get(reverse("directory:services")).content.decode()
    assert "Services (1)" in page and "Curso de costura" in page
    assert "Curso de mecánica" not in page
    assert "Remove filter: Peru" in page
    remove = page.split("Remove filter: Peru", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    everything = lucia.get(reverse("directory:services") + remove.replace("&amp;", "&"))
    assert "Services (2)" in everything.content.decode()
    # Page 2 of the opening list stays on Peru.
    assert (
        "Curso de mecánica"
        not in lucia.get(reverse("directory:services"), {"page": "1"}).content.decode()
    )
    organisations = lucia.get(reverse("directory:organizations")).content.decode()
    assert "Fundación Andes" in organisations and "Fundación Illimani" not in organisations


def test_a_european_desk_opens_the_directory_on_every_return_country(as_user, personas, peru):
    bolivia = organization(personas, actor=personas.rosa, country="BO", name="Fundación Illimani")
    service(bolivia, personas, actor=personas.rosa, name="Curso de mecánica")
    page = as_user(personas.ana).get(reverse("directory:services")).content.decode()
    assert "Services (2)" in page and "Remove filter" not in page


def test_clearing_the_filters_shows_every_country(as_user, personas, peru):
    bolivia = organization(personas, actor=personas.rosa, country="BO", name="Fundación Illimani")
    service(bolivia, personas, actor=personas.rosa, name="Curso de mecánica")
    lucia = as_user(personas.lucia)
    page = lucia.get(reverse("directory:services")).content.decode()
    clear = page.split(">Clear filters<", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    everything = lucia.get(clear.replace("&amp;", "&")).content.decode()
    assert "Services (2)" in everything and "Curso de mecánica" in everything

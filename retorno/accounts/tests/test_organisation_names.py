"""Organisation names in the reader's language: desks have a name per language, partners keep
their proper name, and every page, list and email uses the reader's."""

import pytest
from django.core import mail
from django.urls import reverse

from retorno.audit.models import AuditEvent
from retorno.cases.tests.factories import handed_over, register

pytestmark = pytest.mark.django_db


def _speaking(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("it", "Sportello di Milano"),
        ("es", "Oficina de Milán"),
        ("pt", "Escritório de Milão"),
        ("en", "Milan desk"),
    ],
)
def test_the_header_names_the_desk_in_the_readers_language(as_user, personas, language, name):
    page = as_user(_speaking(personas.ana, language)).get("/").content.decode()
    header = page.split('class="m-0 header-desk"')[1].split("</p>")[0]
    assert name in header


def test_case_pages_lists_and_emails_name_desks_in_the_readers_language(
    as_user, personas, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _speaking(personas.mateo, "es")
    with django_capture_on_commit_callbacks(execute=True):
        handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    # The email to Lima's coordinator, in Spanish, names Milan's desk in Spanish.
    assert "Oficina de Milán" in mail.outbox[0].body
    case = handover.case
    ana = as_user(_speaking(personas.ana, "it"))
    page = ana.get(reverse("cases:case", args=[case.public_id])).content.decode()
    identity = page.split('class="identity-bar')[1].split("</section>")[0]
    assert "Sportello di Milano, Ana Rossi" in identity
    page = ana.get(reverse("cases:handovers")).content.decode()
    assert "Sportello nazionale di Lima" in page and "Lima national desk" not in page
    # The case list reads the names with the rows: no query more per row.
    url = reverse("cases:list")
    with django_assert_max_num_queries(40) as baseline:
        assert ana.get(url).status_code == 200
    for n in range(3):
        register(personas.ana, given_names=f"Persona {n}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = ana.get(url).content.decode()
    assert "Sportello di Milano" in page and "Milan desk" not in page


def test_a_partners_proper_name_stays_as_it_is(personas):
    from django.utils import translation

    partner = personas.org("CFPLIM")
    for language in ("it", "es", "pt", "en"):
        with translation.override(language):
            assert str(partner) == "Centro de Formación Profesional Lima"
    with translation.override("pt"):
        assert str(personas.org("ASU")) == "Escritório nacional de Assunção"


def test_an_administrator_names_a_desk_in_each_language(as_user, personas):
    lima = personas.org("LIM")
    url = reverse("accounts:organisation_edit", args=[lima.public_id])
    client = as_user(personas.admin)
    page = client.get(url).content.decode()
    assert "Name in Italian" in page and 'value="Sportello nazionale di Lima"' in page
    data = {**client.get(url).context["form"].initial, "name_pt": "Escritório de Lima"}
    assert client.post(url, data).status_code == 302
    lima.refresh_from_db()
    assert lima.name_pt == "Escritório de Lima"
    event = AuditEvent.objects.get(verb="organisation.updated")
    assert event.changes == {"name_pt": ["Escritório nacional de Lima", "Escritório de Lima"]}
    detail = client.get(reverse("accounts:organisation", args=[lima.public_id])).content
    assert '<li lang="pt">Escritório de Lima</li>' in detail.decode()


def test_the_timeline_names_desks_in_the_readers_language(as_user, personas):
    handover = handed_over(register(personas.ana), personas.ana, personas.org("LIM"))
    url = reverse("cases:timeline", args=[handover.case.public_id])
    page = as_user(_speaking(personas.ana, "es")).get(url).content.decode()
    assert "A Oficina nacional de Lima, viaje el" in page
    assert "Lima national desk" not in page

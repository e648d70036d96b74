"""The public site's editors, as olga (outreach officer, Milan) uses them: the state of every page
in the four languages with its counts, the editor side by side that keeps what was typed on an
error and on a conflict, the preview of a draft the public does not see, publishing after a
check, the versions and restoring one; a caseworker gets 403, an unknown page 404."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from retorno.conftest import acting
from retorno.outreach import queries
from retorno.outreach.actions import content
from retorno.outreach.models import PageTranslation, PageVersion, PublicPage
from retorno.testing.audit import assert_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def sign_in(user, language="en"):
        client.force_login(user)
        client.cookies["django_language"] = language
        return client

    return sign_in


@pytest.fixture
def olga(personas):
    return acting(personas.olga)


@pytest.fixture
def page(olga):
    return content.create_page(actor=olga, key="offer", kind="page", source_language="it")


def text(response) -> str:
    return response.content.decode()


def save(page, actor, language="it", based_on=None, title="Il programma", body="Orientamento."):
    return content.save_version(
        page,
        actor=actor,
        language=language,
        title=title,
        description="Cosa offre il programma.",
        body=body,
        based_on=based_on,
    )


def url(name, page, *args):
    return reverse(f"outreach:{name}", args=[page.public_id, *args])


def editor_post(language, based_on="", source_number="", **fields):
    data = {
        "language": language,
        f"{language}-title": "El programa",
        f"{language}-description": "Lo que ofrece el programa.",
        f"{language}-body": "## Antes de salir\n\nOrientación.",
        f"{language}-based_on": based_on,
        f"{language}-source_number": source_number,
    }
    data.update({f"{language}-{k}": v for k, v in fields.items()})
    return data


def test_the_list_shows_each_language_state_and_the_counts(as_user, personas, olga, page):
    save(page, olga)
    content.publish(page, actor=olga, language="it")
    save(page, olga, language="es", title="El programa")  # follows Italian 1, a draft
    content.publish(page, actor=olga, language="es")
    save(page, olga, based_on=1, title="Il programma, riscritto")
    content.publish(page, actor=olga, language="it")  # Italian 2: Spanish is now older
    save(page, olga, language="pt", title="O programa")  # follows Italian 2, a draft only
    guide = content.create_page(
        actor=olga, key="guide-pe", kind="guide", country="PE", source_language="es"
    )
    response = as_user(personas.olga).get(reverse("outreach:content"))
    assert response.status_code == 200
    body = text(response)
    # offer: en missing; guide: all four missing.
    assert "5 translations missing" in body
    assert "1 older than the source" in body
    assert "1 draft not published yet" in body
    assert body.index("Il programma, riscritto") < body.index("Country guide · Peru")
    assert url("content_page", guide) in body
    assert body.count("Older than the source") == 1


def test_the_list_runs_the_same_queries_whatever_the_number_of_pages(as_user, personas, olga):
    client = as_user(personas.olga)

    def count():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(reverse("outreach:content")).status_code == 200
        return len(queries_run)

    def add(n):
        for i in range(n):
            p = content.create_page(
                actor=olga, key=f"page-{PublicPage.objects.count()}-{i}", kind="page"
            )
            save(p, olga)
            save(p, olga, language="es")
            content.publish(p, actor=olga, language="it")

    add(1)
    count()  # the first request of a session warms caches
    few = count()
    add(6)
    assert count() == few


def test_a_caseworker_is_refused_and_an_unknown_page_is_not_found(as_user, personas, page):
    ana = as_user(personas.ana)
    assert ana.get(reverse("outreach:content")).status_code == 403
    assert ana.get(url("content_page", page)).status_code == 403
    olga = as_user(personas.olga)
    missing = reverse("outreach:content_page", args=[uuid.uuid4()])
    assert olga.get(missing).status_code == 404
    assert olga.get(url("content_preview", page, "fr")).status_code == 404


def test_the_navigation_leads_outreach_officers_to_the_public_site(as_user, personas):
    response = as_user(personas.olga).get(reverse("outreach:content"))
    assert f'href="{reverse("outreach:content")}"' in text(response)
    assert 'aria-current="page">Public site' in text(response)


def test_create_a_page_and_a_guide(as_user, personas):
    client = as_user(personas.olga)
    response = client.post(
        reverse("outreach:content_create"),
        {"key": "guide-bo", "kind": "guide", "country": "", "source_language": "es"},
    )
    assert response.status_code == 422
    assert "Choose the country the guide is about." in text(response)
    assert 'value="guide-bo"' in text(response)
    response = client.post(
        reverse("outreach:content_create"),
        {"key": "guide-bo", "kind": "guide", "country": "BO", "source_language": "es"},
    )
    guide = PublicPage.objects.get(key="guide-bo")
    assert response.status_code == 302
    assert response["Location"] == url("content_page", guide) + "?lang=es"
    assert (guide.kind, guide.country.code, guide.source_language) == ("guide", "BO", "es")
    assert_audited("public_page.created", actor=personas.olga, target=guide)


def test_the_editor_shows_the_source_beside_the_translation(as_user, personas, olga, page):
    save(page, olga)
    response = as_user(personas.olga).get(url("content_page", page) + "?lang=es")
    body = text(response)
    assert response.status_code == 200
    assert 'id="heading-it"' in body and 'id="heading-es"' in body
    assert 'id="heading-pt"' not in body
    assert 'name="it-title"' in body and 'name="es-title"' in body
    assert 'value="Il programma"' in body
    # A new Spanish text starts from nothing and follows Italian version 1.
    assert 'name="es-source_number" value="1"' in body
    assert 'lang="es"' in body


def test_the_editor_saves_a_translation_as_a_draft(as_user, personas, olga, page):
    save(page, olga)
    client = as_user(personas.olga)
    response = client.post(
        url("content_page", page) + "?lang=es", editor_post("es", source_number="1")
    )
    assert response.status_code == 302
    spanish = PageTranslation.objects.get(page=page, language="es")
    assert (spanish.latest.title, spanish.latest.source_number) == ("El programa", 1)
    assert spanish.published is None
    assert_audited("public_page.saved", actor=personas.olga, target=page, detail={"language": "es"})
    assert "Version 1 is saved as a draft" in text(client.get(response["Location"]))


def test_the_editor_keeps_what_was_typed_on_an_error(as_user, personas, olga, page):
    save(page, olga)
    long = "x" * 201
    response = as_user(personas.olga).post(
        url("content_page", page) + "?lang=es",
        editor_post("es", title="", description=long, body="Texto que escribí"),
    )
    assert response.status_code == 422
    body = text(response)
    assert "There is a problem" in body
    assert "This field is required." in body
    assert "Ensure this value has at most 200 characters" in body
    assert "Texto que escribí" in body and long in body
    assert not PageTranslation.objects.filter(page=page, language="es").exists()


def test_a_conflict_keeps_what_was_typed_and_says_who_saved(as_user, personas, olga, page):
    save(page, olga)
    save(page, olga, based_on=1, title="Il programma, di un collega")  # saved meanwhile
    response = as_user(personas.olga).post(
        url("content_page", page) + "?lang=it",
        editor_post("it", based_on="1", title="Il mio titolo", body="Il mio testo"),
    )
    assert response.status_code == 422
    body = text(response)
    assert "Someone else changed this page while you were working on it." in body
    assert 'value="Il mio titolo"' in body and "Il mio testo" in body
    assert "Version 2 was saved by Olga Bianchi" in body
    assert "Il programma, di un collega" in body
    # The form now starts from version 2: saving again is a deliberate choice.
    assert 'name="it-based_on" value="2"' in body
    assert PageVersion.objects.filter(page=page, language="it").count() == 2


def test_a_stale_translation_shows_what_changed_in_the_source(as_user, personas, olga, page):
    save(page, olga, body="Orientamento.\n\nUn biglietto.")
    content.publish(page, actor=olga, language="it")
    save(page, olga, language="es", title="El programa")
    save(page, olga, based_on=1, body="Orientamento.\n\nUn biglietto aereo e un contributo.")
    content.publish(page, actor=olga, language="it")
    body = text(as_user(personas.olga).get(url("content_page", page) + "?lang=es"))
    assert "What changed in the source since version 1" in body
    assert "Removed: </span>Un biglietto.</del>" in body
    assert "Added: </span>Un biglietto aereo e un contributo.</ins>" in body
    assert "Older than the source" in body


def test_the_preview_shows_the_draft_the_public_does_not_see(as_user, personas, olga, page):
    save(page, olga, body="## Prima di partire\n\nIl testo pubblicato.")
    content.publish(page, actor=olga, language="it")
    save(page, olga, based_on=1, body="## Prima di partire\n\nIl testo <b>nuovo</b>.")
    response = as_user(personas.olga).get(url("content_preview", page, "it"))
    body = text(response)
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in body
    assert response["X-Robots-Tag"] == "noindex"
    assert "Preview — not published" in body
    assert "<h2>Prima di partire</h2>" in body
    assert "Il testo nuovo." in body and "<b>" not in body
    assert queries.published_page("offer", "it").version.body.endswith("Il testo pubblicato.")


def test_publish_after_a_check(as_user, personas, olga, page):
    save(page, olga)
    client = as_user(personas.olga)
    check = client.get(url("content_publish", page, "it"))
    assert check.status_code == 200
    assert "Publish version 1" in text(check)
    assert queries.published_page("offer", "it") is None
    response = client.post(url("content_publish", page, "it"), {"number": "1"})
    assert response.status_code == 302
    assert queries.published_page("offer", "it").version.number == 1
    assert_audited("public_page.published", actor=personas.olga, target=page)


def test_publish_refuses_a_version_that_is_no_longer_the_latest(as_user, personas, olga, page):
    save(page, olga)
    save(page, olga, based_on=1, title="Il programma, di un collega")
    response = as_user(personas.olga).post(url("content_publish", page, "it"), {"number": "1"})
    assert response.status_code == 422
    body = text(response)
    assert "Someone else changed this page" in body
    assert "Publish version 2" in body
    assert queries.published_page("offer", "it") is None


def test_the_versions_and_restoring_an_old_one(as_user, personas, olga, page):
    save(page, olga, title="Prima")
    content.publish(page, actor=olga, language="it")
    save(page, olga, based_on=1, title="Seconda")
    client = as_user(personas.olga)
    response = client.get(url("content_versions", page, "it") + "?show=1")
    body = text(response)
    assert response.status_code == 200
    assert "Read version 2" in body and "Restore version 1" in body
    assert "Olga Bianchi" in body
    response = client.post(url("content_restore", page, "it", 1), {"based_on": "2"})
    assert response.status_code == 302
    latest = PageTranslation.objects.get(page=page, language="it").latest
    assert (latest.number, latest.title) == (3, "Prima")
    assert_audited(
        "public_page.restored",
        actor=personas.olga,
        target=page,
        detail={"language": "it", "version": 3, "restored": 1},
    )
    assert queries.published_page("offer", "it").version.number == 1  # a draft until published


def test_restoring_after_someone_saved_is_refused(as_user, personas, olga, page):
    save(page, olga, title="Prima")
    save(page, olga, based_on=1, title="Seconda")
    save(page, olga, based_on=2, title="Terza")
    response = as_user(personas.olga).post(url("content_restore", page, "it", 1), {"based_on": "2"})
    assert response.status_code == 422
    assert "Someone else changed this page" in text(response)
    assert PageVersion.objects.filter(page=page, language="it").count() == 3

"""The public site's editor in Chromium: olga, on a wide screen, finds the Spanish translation
older than the source, sees what changed, rewrites it (the description counts its characters
as she types), previews and publishes it; on a 360 px phone the editor stacks without scrolling
sideways. axe-core finds no serious or critical violation on any of these pages. Screenshots go
to the test's temporary folder."""

import pytest

from retorno.conftest import acting
from retorno.outreach import queries
from retorno.outreach.actions import content
from retorno.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_with_a_stale_translation(personas):
    olga = acting(personas.olga)
    page = content.create_page(actor=olga, key="offer", kind="page", source_language="it")

    def save(language, title, body, based_on=None):
        content.save_version(
            page,
            actor=olga,
            language=language,
            title=title,
            description=title,
            body=body,
            based_on=based_on,
        )
        content.publish(page, actor=olga, language=language)

    save("it", "Cosa offre il programma", "## Prima di partire\n\nOrientamento e biglietto.")
    save("es", "Lo que ofrece el programa", "## Antes de salir\n\nOrientación y pasaje.")
    save(
        "it",
        "Cosa offre il programma",
        "## Prima di partire\n\nOrientamento, biglietto e un contributo per ripartire.",
        based_on=1,
    )
    return page


def test_olga_brings_a_stale_translation_up_to_date(live_server, browser, personas, tmp_path):
    page_ = _page_with_a_stale_translation(personas)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(tab, live_server, "olga.outreach")
    tab.goto(f"{live_server.url}/outreach/content/")
    assert "1 older than the source" in tab.inner_text("main")
    assert axe_violations(tab) == []
    tab.screenshot(path=tmp_path / "list-1280.png", full_page=True)
    tab.click("main table a >> text=Cosa offre il programma")
    tab.click("nav[aria-label='Languages of this page'] a >> text=Spanish")
    main = tab.inner_text("main")
    assert "What changed in the source since version 1" in main
    assert "Orientamento, biglietto e un contributo per ripartire." in main
    assert axe_violations(tab) == []
    tab.screenshot(path=tmp_path / "editor-1280.png", full_page=True)
    tab.fill("#id_es-description", "Lo que ofrece el programa a quien vuelve.")
    assert tab.inner_text("#id_es-description-count") == "41 of 200 characters"
    tab.fill("#id_es-body", "## Antes de salir\n\nOrientación, pasaje y una ayuda para empezar.")
    tab.click("section[aria-labelledby='heading-es'] button[type=submit]")
    assert "Version 2 is saved as a draft" in tab.inner_text("main")
    assert "Older than the source" not in tab.inner_text("main nav")
    tab.click("section[aria-labelledby='heading-es'] a >> text=Preview the draft")
    assert "Preview — not published" in tab.inner_text("body")
    assert "una ayuda para empezar" in tab.inner_text("main")
    assert axe_violations(tab) == []
    tab.screenshot(path=tmp_path / "preview-1280.png", full_page=True)
    tab.click("text=Publish version 2")
    assert axe_violations(tab) == []
    tab.screenshot(path=tmp_path / "publish-1280.png", full_page=True)
    tab.click("main button[type=submit]")
    assert "Version 2 is published" in tab.inner_text("main")
    shown = queries.published_page("offer", "es")
    assert shown.version.number == 2 and "una ayuda" in shown.version.body
    tab.click("section[aria-labelledby='heading-es'] a >> text=Versions")
    tab.click("text=Read version 1")
    assert "Restore version 1" in tab.inner_text("main")
    assert axe_violations(tab) == []
    tab.screenshot(path=tmp_path / "versions-1280.png", full_page=True)
    assert errors == []

    phone = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    small = phone.new_page()
    sign_in(small, live_server, "olga.outreach")
    small.goto(f"{live_server.url}/outreach/content/{page_.public_id}/?lang=pt")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert axe_violations(small) == []
    small.screenshot(path=tmp_path / "editor-360.png", full_page=True)
    small.goto(f"{live_server.url}/outreach/content/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(small) == []
    small.screenshot(path=tmp_path / "list-360.png", full_page=True)
    phone.close()
    context.close()

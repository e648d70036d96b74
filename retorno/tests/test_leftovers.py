"""The English-leftover checker the browser journey runs on every page, tested on its own."""

import pytest

from retorno.testing.leftovers import english_in, english_on_page, plural_entries

SNIPPET = """<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>
<a href="#main">{skip}</a>
<form><button lang="it">Italiano</button><button lang="en">English</button></form>
<main id="main"><h1>{heading}</h1>
<label for="s">{label}</label><textarea id="s">Volvió con dos hijos</textarea>
<nav aria-label="{nav}"></nav>
<button type="submit" data-saving="{saving}">{button}</button>
<select><option>{option}</option></select>
<p>María Quispe Huamán · Centro de Formación Profesional Lima</p>
</main></body></html>"""

SPANISH = {
    "lang": "es",
    "title": "Añadir una entrada al diario – Retorno",
    "skip": "Saltar al contenido principal",
    "heading": "Añadir una entrada al diario",
    "label": "Resumen",
    "nav": "Secciones principales",
    "saving": "Guardando…",
    "button": "Guardar entrada",
    "option": "Perú",
}


def msgids(found):
    return sorted(f.split('" in "')[0].lstrip('"') for f in found)


def test_it_finds_an_english_button_in_a_spanish_page():
    found = english_in("Añadir una entrada al diario\nResumen\nSave entry\nCancelar", "es")
    assert found == ['"Save entry" in "…una entrada al diario Resumen [Save entry] Cancelar…"']


def test_it_passes_the_same_page_translated():
    assert (
        english_in("Añadir una entrada al diario\nResumen\nGuardar entrada\nCancelar", "es") == []
    )


def test_it_finds_an_english_sentence_around_translated_words():
    found = english_in("El caso.\nThe case is now in the phase: Preparación.\nSiguiente", "es")
    assert msgids(found) == ["The case is now in the phase: %(phase)s."]


def test_it_finds_english_month_names_and_desk_names():
    found = english_in("Recibido el 4 December 2026 de Lima national desk", "es")
    assert msgids(found) == ["December", "Lima national desk"]


def test_it_matches_whole_words_only_and_ignores_typed_data():
    # "Cancel" inside "Cancelar" is Spanish; the caseworker typed "Save the date" herself.
    assert english_in("Cancelar\nSave the date", "es", ignore=["Save the date"]) == []
    assert english_in("Cancelar\nSave the date", "es") != []


def test_it_finds_english_written_outside_the_catalogue():
    found = english_in("Resumen del caso\nClick here to see the whole history.\nCancelar", "es")
    assert found == [
        'an English word not from the catalogue, "the" in '
        '"…en del caso Click here to see [the] whole history. Cancelar…"'
    ]


def test_it_reads_the_english_plurals_the_compiled_catalogue_drops(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid "%(n)s child"\nmsgid_plural "%(n)s children"\n'
        'msgstr[0] "%(n)s hijo"\nmsgstr[1] "%(n)s hijos"\n',
        encoding="utf-8",
    )
    assert plural_entries(po) == [("%(n)s children", "%(n)s hijo %(n)s hijos")]


@pytest.mark.browser
def test_on_a_page_it_reads_titles_labels_and_attributes_but_not_other_languages(page):
    page.set_content(SNIPPET.format(**SPANISH))
    assert english_on_page(page, "es") == []

    english = {
        **SPANISH,
        "title": "Add a journal entry – Retorno",
        "nav": "Main sections",
        "saving": "Saving…",
        "button": "Save entry",
        "option": "Peru",
    }
    page.set_content(SNIPPET.format(**english))
    assert msgids(english_on_page(page, "es")) == sorted(
        ["Add a journal entry", "Main sections", "Saving…", "Save entry", "Peru"]
    )


@pytest.mark.browser
def test_on_a_page_it_says_when_the_page_is_in_another_language(page):
    page.set_content(SNIPPET.format(**SPANISH))
    assert english_on_page(page, "it")[0] == 'the page is in "es", not "it"'


@pytest.mark.browser
def test_the_watch_reports_console_errors_emptied_dates_and_lost_input(page):
    from retorno.testing.leftovers import Watch

    watch = Watch(page, "en")
    page.set_content(
        '<html lang="en"><body><form>'
        '<input type="date" id="id_on" value="04/12/2026">'
        '<input type="date" id="id_due" value="2026-12-04">'
        '<input id="id_need"><input type="checkbox" id="id_share">'
        "</form><script>console.error('boom')</script></body></html>"
    )
    typed = watch.typed({"#id_need": "Curso de costura"})
    page.check("#id_share")
    watch.check("the form")
    page.fill("#id_need", "")  # as a form re-rendered without what was typed
    page.uncheck("#id_share")
    watch.kept("the form again", typed, checked=["#id_share"])
    assert watch.problems == [
        "console error: boom",
        'date field shown empty although the page filled it: id_on: "04/12/2026"',
        "the form lost what was typed in #id_need: 'Curso de costura' is now ''",
        "the form lost the choice #id_share",
    ]
    assert "at: the form again" in watch.report()

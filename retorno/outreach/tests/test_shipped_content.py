"""The public site's shipped texts: every page and country guide is written in the four
languages, fits the page's fields, keeps the same sections in every language, and the command
that loads them publishes each translation once."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from retorno.accounts.middleware import act_as
from retorno.outreach import rendering
from retorno.outreach.actions import content
from retorno.outreach.management.commands.load_public_content import (
    CONTENT,
    GUIDES,
    PAGES,
    Loaded,
    load_public_content,
    parse,
)
from retorno.outreach.models import LANGUAGES, PageTranslation, PageVersion, PublicPage
from retorno.testing.audit import assert_audited

KEYS = (*PAGES, *GUIDES)
TEXTS = [(key, language) for key in KEYS for language in LANGUAGES]
LAST_REVIEWED = {
    "it": "Ultimo aggiornamento: dicembre 2026",
    "es": "Última revisión: diciembre de 2026",
    "pt": "Última revisão: dezembro de 2026",
    "en": "Last reviewed: December 2026",
}


def headings(body: str) -> list[str]:
    return re.findall(r"^(#{2,3}) ", body, flags=re.MULTILINE)


def test_every_folder_shipped_is_a_known_text():
    assert sorted(p.name for p in CONTENT.iterdir() if p.is_dir()) == sorted(KEYS)


@pytest.mark.parametrize(("key", "language"), TEXTS)
def test_each_text_fits_the_page_fields(key, language):
    text = parse(CONTENT / key / f"{language}.md")
    assert 0 < len(text.title) <= 120
    assert 20 <= len(text.description) <= 200
    words = len(text.body.split())
    assert words >= (350 if key.startswith("guide-") else 250), words
    # Nothing that the page's cleaner would drop: the rendered text keeps every heading.
    assert rendering.render(text.body).count("<h2>") == text.body.count("\n## ") + (
        1 if text.body.startswith("## ") else 0
    )


@pytest.mark.parametrize("key", KEYS)
def test_every_language_has_the_same_sections(key):
    shapes = {lang: headings(parse(CONTENT / key / f"{lang}.md").body) for lang in LANGUAGES}
    assert len({tuple(shape) for shape in shapes.values()}) == 1, shapes


@pytest.mark.parametrize("key", GUIDES)
def test_a_guide_covers_the_four_topics_and_says_when_it_was_reviewed(key):
    for language in LANGUAGES:
        body = parse(CONTENT / key / f"{language}.md").body
        assert body.count("\n## ") >= 5, (key, language)
        assert LAST_REVIEWED[language] in "\n".join(body.splitlines()[-3:])


def test_the_desks_page_says_its_addresses_are_examples():
    examples = {
        "it": "sono esempi",
        "es": "son ejemplos",
        "pt": "são exemplos",
        "en": "are examples",
    }
    for language, words in examples.items():
        assert words in parse(CONTENT / "desks" / f"{language}.md").body.split("\n")[0]


def test_the_command_publishes_every_text_and_changes_nothing_the_second_time(personas, capsys):
    call_command("load_public_content")
    assert "60 translations published" in capsys.readouterr().out
    assert PublicPage.objects.filter(kind="page").count() == 7
    assert PublicPage.objects.filter(kind="guide").count() == 8
    assert PageTranslation.objects.filter(published__isnull=False).count() == 4 * (7 + 8)
    peru = PublicPage.objects.get(key="guide-pe")
    assert (peru.country, peru.source_language) == ("PE", "es")
    assert PublicPage.objects.get(key="guide-br").source_language == "pt"
    # Translations follow the version of the source language they were loaded with.
    italian = PageVersion.objects.get(page=peru, language="it")
    assert italian.source_number == 1
    assert PageVersion.objects.get(page=peru, language="es").source_number is None
    # The last text loaded is the last guide's last translation, published by the officer.
    uruguay = PublicPage.objects.get(key="guide-uy")
    assert_audited(
        "public_page.published", actor=personas.olga, target=uruguay, detail={"language": "en"}
    )

    versions = PageVersion.objects.count()
    call_command("load_public_content", "--user", "olga.outreach")
    assert "0 translations published" in capsys.readouterr().out
    assert PageVersion.objects.count() == versions == 60


def _faq_with_a_new_question(tmp_path, monkeypatch):
    source = parse(CONTENT / "faq" / "it.md")
    changed = tmp_path / "faq"
    changed.mkdir()
    (changed / "it.md").write_text(
        f"title: {source.title}\ndescription: {source.description}\n---\n"
        f"{source.body}\n\n## Una domanda nuova\n\nUna risposta nuova.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(
        "retorno.outreach.management.commands.load_public_content.CONTENT", tmp_path
    )


def test_a_changed_file_becomes_a_new_published_version_when_asked(
    personas, tmp_path, monkeypatch, capsys
):
    olga = act_as(personas.olga)
    load_public_content(olga)
    _faq_with_a_new_question(tmp_path, monkeypatch)

    # By default a text that differs from the file is taken for an edit made on the site.
    assert load_public_content(olga) == Loaded(published=0, kept=1)
    faq = PublicPage.objects.get(key="faq")
    assert PageTranslation.objects.get(page=faq, language="it").published.number == 1

    call_command("load_public_content", "--update")
    assert "1 translations published" in capsys.readouterr().out
    published = PageTranslation.objects.get(page=faq, language="it").published
    assert published.number == 2
    assert "Una domanda nuova" in published.body


def test_a_text_edited_on_the_site_is_kept_and_its_draft_not_published(personas, capsys):
    olga = act_as(personas.olga)
    load_public_content(olga)
    faq = PublicPage.objects.get(key="faq")
    first = PageTranslation.objects.get(page=faq, language="es").latest
    content.save_version(
        faq,
        actor=olga,
        language="es",
        title=first.title,
        description=first.description,
        body=first.body + "\n\nUna corrección de la oficina.",
        based_on=first.number,
    )

    call_command("load_public_content")
    out = capsys.readouterr().out
    assert "0 translations published" in out and "1 translations edited on the site" in out
    spanish = PageTranslation.objects.get(page=faq, language="es")
    assert (spanish.latest.number, spanish.published.number) == (2, 1)
    assert "Una corrección de la oficina." in spanish.latest.body


def test_a_user_who_is_not_an_outreach_officer_cannot_load(personas):
    with pytest.raises(CommandError):
        call_command("load_public_content", "--user", "ana.milano")
    assert PublicPage.objects.count() == 0


@pytest.mark.parametrize(("key", "language"), TEXTS)
def test_links_are_safe_and_contacts_are_examples(key, language):
    body = parse(CONTENT / key / f"{language}.md").body
    for target in re.findall(r"\]\(([^)]*)\)", body):
        assert target.split(":", 1)[0] in ("https", "mailto", "tel"), target
        if target.startswith("mailto:"):
            assert target.endswith(".example"), target
    assert "lorem" not in body.lower() and "TODO" not in body


def test_the_desks_page_lists_the_three_european_and_eight_national_desks():
    for language in LANGUAGES:
        body = parse(CONTENT / "desks" / f"{language}.md").body
        assert body.count("\n### ") == 11
        assert body.count("mailto:") == 11

"""The public site's texts: every save is a version, the public reads only what is published,
a missing translation falls back with a notice, and a stale translation is known."""

import pytest

from retorno.accounts.middleware import act_as
from retorno.lib.errors import ActionError
from retorno.outreach import queries, rendering
from retorno.outreach.actions import content
from retorno.outreach.models import PageVersion
from retorno.testing.audit import assert_audited


@pytest.fixture
def olga(personas):
    return act_as(personas.olga)


@pytest.fixture
def page(olga):
    return content.create_page(actor=olga, key="offer", kind="page", source_language="it")


def _save(page, olga, language="it", based_on=None, title="Il programma"):
    return content.save_version(
        page,
        actor=olga,
        language=language,
        title=title,
        description="Cosa offre il programma.",
        body="## Prima di partire\n\nOrientamento.",
        based_on=based_on,
    )


def test_only_outreach_officers_edit(personas, page):
    with pytest.raises(ActionError) as refused:
        content.create_page(actor=act_as(personas.ana), key="faq", kind="page")
    assert refused.value.code == "forbidden"
    assert_audited("public_page.created", actor=personas.olga, target=page)


def test_the_public_never_sees_a_draft(olga, page):
    first = _save(page, olga)
    assert_audited("public_page.saved", actor=olga, target=page, detail={"version": 1})
    assert queries.published_page("offer", "it") is None
    content.publish(page, actor=olga, language="it", number=1)
    assert_audited("public_page.published", actor=olga, target=page, detail={"language": "it"})
    _save(page, olga, based_on=1, title="Il programma, riscritto")
    shown = queries.published_page("offer", "it")
    assert (shown.version.pk, shown.version.title) == (first.pk, "Il programma")


def test_two_editors_cannot_overwrite_each_other(olga, page):
    _save(page, olga)
    _save(page, olga, based_on=1)
    with pytest.raises(ActionError) as refused:
        _save(page, olga, based_on=1)
    assert refused.value.code == "conflict"
    assert PageVersion.objects.filter(page=page).count() == 2
    with pytest.raises(ActionError):
        content.publish(page, actor=olga, language="it", number=1)  # 2 is the latest now


def test_a_missing_translation_falls_back_with_its_language(olga, page):
    _save(page, olga)
    content.publish(page, actor=olga, language="it")
    shown = queries.published_page("offer", "pt")
    assert (shown.language, shown.is_fallback) == ("it", True)
    spanish = _save(page, olga, language="es", title="El programa")
    assert spanish.source_number == 1
    content.publish(page, actor=olga, language="es")
    assert queries.published_page("offer", "es").is_fallback is False


def test_markdown_is_cleaned_of_scripts():
    html = rendering.render("# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    assert "<h2>Title</h2>" in html
    assert "<script" not in html and "javascript:" not in html


def test_restoring_saves_an_old_text_as_a_new_draft(olga, page):
    _save(page, olga, title="Primo")
    content.publish(page, actor=olga, language="it")
    _save(page, olga, based_on=1, title="Secondo")
    restored = content.restore_version(page, actor=olga, language="it", number=1, based_on=2)
    assert (restored.number, restored.title, restored.published_at) == (3, "Primo", None)
    assert_audited(
        "public_page.restored", actor=olga, target=page, detail={"version": 3, "restored": 1}
    )
    assert queries.published_page("offer", "it").version.number == 1
    with pytest.raises(ActionError) as refused:
        content.restore_version(page, actor=olga, language="it", number=2, based_on=2)
    assert refused.value.code == "conflict"
    with pytest.raises(ActionError) as missing:
        content.restore_version(page, actor=olga, language="it", number=9, based_on=3)
    assert missing.value.field == "number"


def test_a_translation_restored_keeps_the_source_version_it_followed(olga, page):
    _save(page, olga)
    _save(page, olga, language="es", title="El programa")
    _save(page, olga, based_on=1, title="Il programma, riscritto")
    _save(page, olga, language="es", based_on=1, title="El programa, nuevo")
    restored = content.restore_version(page, actor=olga, language="es", number=1, based_on=2)
    assert (restored.title, restored.source_number) == ("El programa", 1)


def test_a_guide_needs_one_country_and_a_page_none(olga):
    with pytest.raises(ActionError) as refused:
        content.create_page(actor=olga, key="guide-pe", kind="guide")
    assert refused.value.field == "country"
    content.create_page(actor=olga, key="guide-pe", kind="guide", country="PE")
    with pytest.raises(ActionError) as twice:
        content.create_page(actor=olga, key="guide-pe-2", kind="guide", country="PE")
    assert twice.value.field == "country"
    with pytest.raises(ActionError) as page_with_country:
        content.create_page(actor=olga, key="faq", kind="page", country="PE")
    assert page_with_country.value.field == "country"


def test_a_title_too_long_is_refused_with_its_limit(olga, page):
    with pytest.raises(ActionError) as refused:
        _save(page, olga, title="x" * 121)
    assert refused.value.field == "title"
    assert "120 characters or fewer" in refused.value.message

"""What the editors of the public site read: the state of every page in each of the four
languages (missing, draft only, published, published with a newer draft, older than the source)
and what changed in the source text between two of its versions.

A translation is older than the source when the version it follows (`source_number` of its
latest version) is lower than the source language's latest published version: the public reads
a source text the translation does not say yet."""

import difflib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.outreach.models import LANGUAGES, PageTranslation, PageVersion, PublicPage

MISSING, DRAFT, PUBLISHED, NEWER_DRAFT = "missing", "draft", "published", "newer_draft"
STATE_LABELS = {
    MISSING: pgettext_lazy("translation", "Missing"),
    DRAFT: _("Draft only"),
    PUBLISHED: _("Published"),
    NEWER_DRAFT: _("Published, with a newer draft"),
}
STATE_COLOURS = {MISSING: "danger", DRAFT: "warning", PUBLISHED: "success", NEWER_DRAFT: "info"}


@dataclass(frozen=True)
class Cell:
    """One page in one language, as the editors see it."""

    language: str
    translation: PageTranslation | None
    is_source: bool
    # The source's latest published version, when this translation follows an older one.
    stale_since: int | None = None

    @property
    def name(self):
        return dict(settings.LANGUAGES)[self.language]

    @property
    def state(self) -> str:
        t = self.translation
        if t is None:
            return MISSING
        if t.published_id is None:
            return DRAFT
        return PUBLISHED if t.published_id == t.latest_id else NEWER_DRAFT

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def colour(self) -> str:
        return STATE_COLOURS[self.state]

    @property
    def is_stale(self) -> bool:
        return self.stale_since is not None

    @property
    def follows(self) -> int | None:
        """The source version this translation's latest text follows."""
        return None if self.translation is None else self.translation.latest.source_number


def cells_of(page: PublicPage, translations: dict[str, PageTranslation]) -> list[Cell]:
    """The page's four languages in the site's order, from its translations by language."""
    source = translations.get(page.source_language)
    source_published = source.published.number if source and source.published_id else None
    cells = []
    for code in LANGUAGES:
        t = translations.get(code)
        is_source = code == page.source_language
        stale = None
        if not is_source and t is not None and source_published is not None:
            follows = t.latest.source_number
            if follows is None or follows < source_published:
                stale = source_published
        cells.append(Cell(code, t, is_source, stale))
    return cells


def _translations():
    return PageTranslation.objects.select_related("latest", "published").only(
        "page_id",
        "language",
        "latest",
        "published",
        "latest__number",
        "latest__source_number",
        "latest__title",
        "latest__created_at",
        "published__number",
        "published__published_at",
    )


@dataclass(frozen=True)
class Overview:
    rows: list  # [(page, [Cell, ...]), ...]
    missing: int
    stale: int
    drafts: int


def overview() -> Overview:
    """Every page, the pages first and then the guides, with its four languages; two queries
    whatever the number of pages."""
    pages = list(
        PublicPage.objects.annotate(
            kind_order=Case(
                When(kind=PublicPage.Kind.PAGE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("kind_order", "position", "key")
    )
    by_page: dict[int, dict] = {}
    for t in _translations():
        by_page.setdefault(t.page_id, {})[t.language] = t
    rows = [(page, cells_of(page, by_page.get(page.pk, {}))) for page in pages]
    cells = [cell for _page, row in rows for cell in row]
    return Overview(
        rows=rows,
        missing=sum(c.state == MISSING for c in cells),
        stale=sum(c.is_stale for c in cells),
        drafts=sum(c.state in (DRAFT, NEWER_DRAFT) for c in cells),
    )


def cells_of_page(page: PublicPage) -> list[Cell]:
    return cells_of(page, {t.language: t for t in _translations().filter(page=page)})


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context", "gap"
    text: str


def source_changes(page: PublicPage, since: int | None, until: int) -> list[DiffLine]:
    """What changed in the source text (title, description, body) from version `since` to
    `until`, line by line; empty when nothing did. With no `since`, everything is new."""
    versions = {
        v.number: v
        for v in PageVersion.objects.filter(
            page=page, language=page.source_language, number__in=[n for n in (since, until) if n]
        )
    }
    new = versions.get(until)
    if new is None:
        return []
    old = versions.get(since)

    def lines(v):
        return [] if v is None else [v.title, "", v.description, "", *v.body.splitlines()]

    diff = []
    for line in list(difflib.unified_diff(lines(old), lines(new), n=1, lineterm=""))[2:]:
        if line.startswith("@@"):
            if diff:
                diff.append(DiffLine("gap", ""))
        elif line.startswith("+"):
            diff.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            diff.append(DiffLine("removed", line[1:]))
        else:
            diff.append(DiffLine("context", line[1:]))
    return diff

"""Reads of outreach that deserve a name: the published text of a public page in the reader's
language (or the one available, with a notice), the guides, the sessions of the calendar."""

from dataclasses import dataclass

from django.utils import timezone

from retorno.outreach.models import LANGUAGES, InfoSession, PageTranslation, PageVersion, PublicPage


@dataclass(frozen=True)
class Shown:
    page: PublicPage
    version: PageVersion
    # The language the text is in; differs from the one asked for when it is missing there.
    language: str
    asked: str

    @property
    def is_fallback(self) -> bool:
        return self.language != self.asked


def fallback_order(language: str, source: str) -> list[str]:
    """The languages to try: the reader's, then the page's source, then English, Spanish,
    Italian and Portuguese."""
    order = [language, source, "en", "es", "it", "pt"]
    return [code for i, code in enumerate(order) if code in LANGUAGES and code not in order[:i]]


def published_page(key: str, language: str) -> Shown | None:
    """The published text of a page for a reader of `language`; None when the page does not
    exist or has nothing published in any language. One query."""
    translations = list(
        PageTranslation.objects.filter(page__key=key, published__isnull=False).select_related(
            "page", "published"
        )
    )
    if not translations:
        return None
    by_language = {t.language: t for t in translations}
    page = translations[0].page
    for code in fallback_order(language, page.source_language):
        if code in by_language:
            return Shown(page, by_language[code].published, code, language)
    return None


def published_pages(kind: str, language: str) -> list[Shown]:
    """Every page of a kind that has something published, each in the reader's language or the
    one available; two queries whatever the number of pages."""
    translations = PageTranslation.objects.filter(
        page__kind=kind, published__isnull=False
    ).select_related("page", "published")
    pages: dict[int, dict] = {}
    for t in translations:
        pages.setdefault(t.page_id, {"page": t.page, "by": {}})["by"][t.language] = t
    shown = []
    for entry in pages.values():
        page = entry["page"]
        for code in fallback_order(language, page.source_language):
            if code in entry["by"]:
                shown.append(Shown(page, entry["by"][code].published, code, language))
                break
    return sorted(shown, key=lambda s: (s.page.position, s.page.key))


def upcoming_sessions():
    """Sessions from today on, scheduled or cancelled (shown as cancelled), soonest first."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        InfoSession.objects.filter(starts_at__gte=start)
        .exclude(status=InfoSession.Status.HELD)
        .select_related("campaign")
        .order_by("starts_at")
    )


def published_keys() -> set[str]:
    """The keys of the pages that have something published in some language (for the
    sitemap); one query."""
    return set(
        PageTranslation.objects.filter(published__isnull=False)
        .values_list("page__key", flat=True)
        .distinct()
    )

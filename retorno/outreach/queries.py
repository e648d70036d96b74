"""Reads of outreach that deserve a name: the published text of a public page in the reader's
language (or the one available, with a notice), the guides, the sessions of the calendar."""

from dataclasses import dataclass

from django.db.models import Case, Count, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Role
from retorno.audit.queries import events_for_target
from retorno.outreach import regions
from retorno.outreach.access import leads_visible_to
from retorno.outreach.models import (
    LANGUAGES,
    DeskOutreach,
    InfoSession,
    Lead,
    PageTranslation,
    PageVersion,
    PublicPage,
    RegionRule,
)


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


# --- Leads -------------------------------------------------------------------------------------

LEADS_PER_PAGE = 25


def lead_inbox(leads, *, status="open", source="", region="", overdue=False, today=None):
    """The inbox of a desk (`leads` from outreach.access), filtered: "open" (new and contacted),
    one status, or "all"; new leads first, then the oldest answer-by day first."""
    from_status = {"open": list(Lead.OPEN), "all": None}
    wanted = from_status.get(status, [status])
    if wanted is not None:
        leads = leads.filter(status__in=wanted)
    if source:
        leads = leads.filter(source=source)
    if region:
        leads = leads.filter(region=region)
    if overdue:
        leads = leads.filter(status=Lead.Status.NEW, respond_by__lt=today or timezone.localdate())
    new_first = Case(When(status=Lead.Status.NEW, then=Value(0)), default=Value(1))
    return leads.order_by(new_first, "respond_by", "-created_at", "-pk")


def lead_counts(leads, today) -> dict:
    """How many leads of the desk are new, new and overdue, and open: one query."""
    return leads.aggregate(
        new=Count("pk", filter=Q(status=Lead.Status.NEW)),
        overdue=Count("pk", filter=Q(status=Lead.Status.NEW, respond_by__lt=today)),
        open=Count("pk", filter=Q(status__in=Lead.OPEN)),
    )


def lead_history(lead) -> list:
    """What was done to a lead, oldest first (its reads left out)."""
    return list(
        events_for_target(lead)
        .exclude(verb="lead.viewed")
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def new_leads_count(user) -> int:
    """The badge of the Leads section: the new leads of the user's desk."""
    return leads_visible_to(user).filter(status=Lead.Status.NEW).count()


def my_unanswered_leads(user, today):
    """My work: the new leads of the user's desk not answered by their answer-by day, for the
    desk's outreach officers and caseworkers (coordinators see the inbox's counts). One query."""
    if getattr(user, "role", None) not in (Role.OUTREACH_OFFICER, Role.CASEWORKER):
        return None
    found = (
        leads_visible_to(user)
        .filter(status=Lead.Status.NEW, respond_by__lt=today)
        .aggregate(count=Count("pk"), oldest=Min("respond_by"))
    )
    if not found["count"]:
        return None
    url = reverse("outreach:leads") + "?status=new&overdue=on"
    return {"count": found["count"], "oldest": found["oldest"], "url": url}


def european_desks() -> list:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.EUROPEAN_DESK, is_active=True).order_by(
            "code"
        )
    )


def desk_settings(desks) -> list[DeskOutreach]:
    """Each desk's days for leads (the defaults where nothing was set): one query."""
    found = {s.desk_id: s for s in DeskOutreach.objects.filter(desk__in=desks)}
    return [found.get(d.pk) or DeskOutreach(desk=d) for d in desks]


def region_table(desks) -> list[dict]:
    """Every region with the desk that answers its leads, and whether a rule says so or the
    default of its country: one query besides the desks."""
    rules = {r.region: r for r in RegionRule.objects.select_related("desk")}
    by_code = {d.code: d for d in desks}
    rows = []
    for code, name in regions.REGIONS:
        rule = rules.get(code)
        default = by_code.get(regions.DEFAULT_DESK_BY_COUNTRY.get(regions.country_of(code), ""))
        rows.append(
            {
                "code": code,
                "name": name,
                "desk": rule.desk if rule is not None else default,
                "is_rule": rule is not None,
                "campaign": code in regions.CAMPAIGN_REGIONS,
            }
        )
    return rows

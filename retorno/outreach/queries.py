"""Reads of outreach that deserve a name: the published text of a public page in the reader's
language (or the one available, with a notice), the guides, the sessions of the calendar."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Role
from retorno.audit.queries import events_for_target
from retorno.cases.models import PHASE_ORDER, CaseEvent, Phase
from retorno.outreach import regions
from retorno.outreach.access import leads_visible_to
from retorno.outreach.models import (
    LANGUAGES,
    AttendanceCount,
    DeskOutreach,
    InfoSession,
    Lead,
    PageTranslation,
    PageVersion,
    PublicCount,
    PublicPage,
    RegionRule,
    SignUp,
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


# --- The campaign (staff) ----------------------------------------------------------------------


def campaign_sessions(campaigns, sessions, *, region: str = "", status: str = ""):
    """The campaigns and, for each, its sessions (upcoming first, soonest first; then past, most
    recent first), filtered by region and status. Two queries whatever the number of sessions."""
    now = timezone.now()
    campaigns = list(campaigns.select_related("cycle"))
    sessions = sessions.filter(campaign__in=campaigns).select_related("desk")
    if region:
        sessions = sessions.filter(region=region)
    if status:
        sessions = sessions.filter(status=status)
    by_campaign: dict[int, dict] = {c.pk: {"upcoming": [], "past": []} for c in campaigns}
    for session in sessions.order_by("starts_at", "pk"):
        when = "upcoming" if session.ends_at >= now else "past"
        by_campaign[session.campaign_id][when].append(session)
    for entry in by_campaign.values():
        entry["past"].reverse()
    return [(c, by_campaign[c.pk]["upcoming"], by_campaign[c.pk]["past"]) for c in campaigns]


@dataclass
class RegionFigures:
    region: str
    sessions_held: int = 0
    attended_named: int = 0
    attended_counted: int = 0
    organisations_reached: int = 0
    leads_site: int = 0
    leads_organisation: int = 0
    leads_session: int = 0
    inquiries: int = 0
    departures: int = 0
    reintegrations: int = 0

    @property
    def attendees(self) -> int:
        return self.attended_named + self.attended_counted

    @property
    def leads(self) -> int:
        return self.leads_site + self.leads_organisation + self.leads_session

    @property
    def name(self) -> str:
        return regions.region_name(self.region) if self.region else ""


@dataclass
class CampaignFigures:
    cycle: object
    rows: list  # RegionFigures, one per region with anything, in the order of regions.REGIONS
    total: RegionFigures
    page_views: int
    forms_completed: int


FIGURE_FIELDS = (
    "sessions_held",
    "attended_named",
    "attended_counted",
    "organisations_reached",
    "leads_site",
    "leads_organisation",
    "leads_session",
    "inquiries",
    "departures",
    "reintegrations",
)


def _reached(phase: str):
    """A case that reached `phase` or a later one: where it is now (closed aside), or a change of
    phase its timeline records (how a closed case counts by the furthest phase it reached)."""
    later = PHASE_ORDER[PHASE_ORDER.index(phase) : PHASE_ORDER.index(Phase.CLOSED)]
    history = CaseEvent.objects.filter(
        case=OuterRef("case"), kind="phase_changed", params__phase__in=later
    )
    return Q(case__phase__in=later) | Q(Exists(history))


def campaign_figures(cycle, *, region: str = "") -> CampaignFigures:
    """The figures of a cycle's campaign per region where the person lives or the session was
    held: sessions held, attendees (named as attended, by places, plus counted), organisations
    reached (distinct), leads received during the cycle by source, and how many of those leads
    became inquiry cases, departures (the case reached ready to depart, or was handed over) and
    reintegrations (the case reached reintegration). Counts only, never a person; a constant
    number of aggregate queries whatever the size of the campaign."""
    sessions = InfoSession.objects.filter(campaign__cycle=cycle)
    signups = SignUp.objects.filter(session__campaign__cycle=cycle, attended=True)
    counted = AttendanceCount.objects.filter(session__campaign__cycle=cycle)
    reached = InfoSession.organisations_reached.through.objects.filter(
        infosession__campaign__cycle=cycle
    )
    leads = Lead.objects.filter(
        created_at__date__gte=cycle.starts_on, created_at__date__lte=cycle.ends_on
    )
    if region:
        sessions = sessions.filter(region=region)
        signups = signups.filter(session__region=region)
        counted = counted.filter(session__region=region)
        reached = reached.filter(infosession__region=region)
        leads = leads.filter(region=region)
    rows: dict[str, RegionFigures] = {}

    def row(code):
        return rows.setdefault(code, RegionFigures(code))

    for entry in (
        sessions.filter(status=InfoSession.Status.HELD)
        .values("region")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row(entry["region"]).sessions_held = entry["n"]
    for entry in signups.values("session__region").annotate(n=Sum("places")).order_by():
        row(entry["session__region"]).attended_named = entry["n"] or 0
    for entry in counted.values("session__region").annotate(n=Sum("count")).order_by():
        row(entry["session__region"]).attended_counted = entry["n"] or 0
    for entry in (
        reached.values("infosession__region")
        .annotate(n=Count("localorganisation", distinct=True))
        .order_by()
    ):
        row(entry["infosession__region"]).organisations_reached = entry["n"]
    converted = Q(status=Lead.Status.CONVERTED)
    for entry in (
        leads.values("region")
        .annotate(
            site=Count("pk", filter=Q(source=Lead.Source.SITE)),
            organisation=Count("pk", filter=Q(source=Lead.Source.ORGANISATION)),
            session=Count("pk", filter=Q(source=Lead.Source.SESSION)),
            inquiries=Count("pk", filter=converted),
            departures=Count(
                "pk",
                filter=converted
                & (_reached(Phase.READY_TO_DEPART) | Q(case__handed_over_at__isnull=False)),
            ),
            reintegrations=Count("pk", filter=converted & _reached(Phase.REINTEGRATION)),
        )
        .order_by()
    ):
        figures = row(entry["region"])
        figures.leads_site = entry["site"]
        figures.leads_organisation = entry["organisation"]
        figures.leads_session = entry["session"]
        figures.inquiries = entry["inquiries"]
        figures.departures = entry["departures"]
        figures.reintegrations = entry["reintegrations"]
    order = {code: i for i, (code, _name) in enumerate(regions.REGIONS)}
    ordered = sorted(rows.values(), key=lambda r: (order.get(r.region, len(order)), r.region))
    total = RegionFigures("")
    for name in FIGURE_FIELDS:
        setattr(total, name, sum(getattr(r, name) for r in ordered))
    # An organisation reached in two regions is one organisation.
    total.organisations_reached = reached.values("localorganisation").distinct().count()
    public = PublicCount.objects.filter(day__gte=cycle.starts_on, day__lte=cycle.ends_on)
    by_kind = {
        e["kind"]: e["n"] or 0 for e in public.values("kind").annotate(n=Sum("count")).order_by()
    }
    return CampaignFigures(
        cycle=cycle,
        rows=ordered,
        total=total,
        page_views=by_kind.get(PublicCount.Kind.VIEW, 0),
        forms_completed=by_kind.get(PublicCount.Kind.COMPLETION, 0),
    )


def published_keys() -> set[str]:
    """The keys of the pages that have something published in some language (for the
    sitemap); one query."""
    return set(
        PageTranslation.objects.filter(published__isnull=False)
        .values_list("page__key", flat=True)
        .distinct()
    )

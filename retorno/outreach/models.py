"""The information campaign and the public site.

- Public content: the pages of the public site and the eight country guides (`PublicPage`),
  written in the four languages. Every edit is a new `PageVersion`; what the public reads is the
  version a `PageTranslation` points to as published, never a draft. A translation follows a
  version of the page's source language (`source_number`), so the editor knows which
  translations are missing or older than the source.
- The campaign: a `Campaign` per programme cycle, its `InfoSession`s (region, province, venue,
  audience, capacity), the local organisations involved or reached, the materials, the sign-ups
  (by name, with a waiting list) and the attendance counted by sex, age band and nationality.
- Leads: requests to be contacted from the site, from local organisations and from sessions,
  in the inbox of the European desk that serves where the person lives (`RegionRule`), triaged
  until they become an inquiry case or are closed. Leads and sign-ups are personal data.
- Counts of page views and forms completed, per day, without cookies or anything personal;
  and the tally that rate-limits the public forms per address (a keyed hash, never the address).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from retorno.accounts.models import Organisation
from retorno.cases.models import Case
from retorno.programmes.models import Cycle

LANGUAGES = ("it", "es", "pt", "en")


class PublicPage(models.Model):
    """A page of the public site or a country guide, known by its key ("offer", "guide-pe")."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        GUIDE = "guide", _("Country guide")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("key"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAGE)
    country = CountryField(_("country of return"), blank=True)
    source_language = models.CharField(
        _("source language"), max_length=5, choices=settings.LANGUAGES, default="it"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")
        ordering = ["kind", "position", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="page", country="") | Q(kind="guide") & ~Q(country=""),
                name="outreach_guide_has_country",
            ),
            models.UniqueConstraint(
                fields=["country"], condition=Q(kind="guide"), name="outreach_one_guide_each"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class PageVersion(models.Model):
    """One saved text of a page in one language. Never changed: an edit is a new version."""

    page = models.ForeignKey(
        PublicPage, on_delete=models.CASCADE, related_name="versions", verbose_name=_("page")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    description = models.CharField(
        _("description for search engines"),
        max_length=200,
        help_text=_("One or two sentences shown under the title in search results and shares."),
    )
    body = models.TextField(
        _("text"), help_text=_("Paragraphs, headings (## Heading) and lists (- item).")
    )
    # For a translation: the version of the source language it was translated from.
    source_number = models.PositiveIntegerField(_("translated from version"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        ordering = ["page", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "number"], name="outreach_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page.key} {self.language} v{self.number}"


class PageTranslation(models.Model):
    """A page in one language: its latest version (a draft while newer than the published one)
    and the version the public reads."""

    page = models.ForeignKey(
        PublicPage, on_delete=models.CASCADE, related_name="translations", verbose_name=_("page")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    latest = models.ForeignKey(PageVersion, on_delete=models.PROTECT, related_name="+")
    published = models.ForeignKey(
        PageVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page translation")
        verbose_name_plural = _("page translations")
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="outreach_one_translation"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.language}"

    @property
    def has_draft(self) -> bool:
        return self.published_id != self.latest_id


class Campaign(models.Model):
    """The information campaign of one programme cycle."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("cycle")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-cycle__starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class LocalOrganisation(models.Model):
    """An organisation in Europe that meets migrants: a partner of info sessions, or an
    organisation a session reached. Its address and switchboard only, never a person's."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        ASSOCIATION = "association", _("Association")
        CONSULATE = "consulate", _("Consulate")
        TRADE_UNION = "trade_union", _("Trade union")
        NGO = "ngo", _("NGO")
        OTHER = "other", pgettext_lazy("organisation kind", "Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=6)
    province = models.CharField(_("province"), max_length=60, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("local organisation")
        verbose_name_plural = _("local organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="outreach_local_org_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    MIGRANTS = "migrants", _("Migrants thinking of going home")
    ORGANISATIONS = "organisations", _("Local organisations")
    BOTH = "both", _("Migrants and local organisations")


class InfoSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", pgettext_lazy("info session", "Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("campaign")
    )
    # The European desk that runs the session: its outreach officers and staff see the sign-ups.
    desk = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="info_sessions", verbose_name=_("desk")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the session"), max_length=5, choices=settings.LANGUAGES
    )
    region = models.CharField(_("region"), max_length=6)
    province = models.CharField(_("province"), max_length=60)
    venue = models.CharField(_("venue"), max_length=150)
    address = models.CharField(_("address"), max_length=250)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    capacity = models.PositiveIntegerField(_("places"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    partners = models.ManyToManyField(
        LocalOrganisation,
        related_name="sessions_partnered",
        blank=True,
        verbose_name=_("partner organisations"),
    )
    organisations_reached = models.ManyToManyField(
        LocalOrganisation,
        related_name="sessions_reached",
        blank=True,
        verbose_name=_("organisations reached"),
    )
    # Counted on sign-up and cancellation, under a lock: the seats taken and the waiting list.
    confirmed_count = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("info session")
        verbose_name_plural = _("info sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="outreach_session_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="outreach_session_times"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="outreach_session_capacity"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)


class SessionMaterial(models.Model):
    """A file used at or handed out after a session (slides, leaflet)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        InfoSession, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="outreach/materials/%Y/")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


class SignUp(models.Model):
    """A place asked for at an info session, by name; confirmed while there are places, then on
    the waiting list. Cancelled by the person through the link in their confirmation."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("sign-up", "Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        InfoSession, on_delete=models.PROTECT, related_name="signups", verbose_name=_("session")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The person agreed that their attendance is recorded by name (else only counted).
    consent_attendance = models.BooleanField(_("attendance may be recorded by name"), default=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # SHA-256 of the secret in the cancellation link (the link itself is never stored).
    cancel_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status"], name="outreach_signup_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="signup_reachable"),
            models.CheckConstraint(
                condition=Q(places__gte=1) & Q(places__lte=5), name="signup_places"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AttendanceCount(models.Model):
    """People at a session who are counted, not named: how many of one sex, age band and
    nationality."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Women")
        MALE = "male", _("Men")
        OTHER = "other", _("Another identity")
        UNKNOWN = "unknown", _("Not known")

    class AgeBand(models.TextChoices):
        UNDER_18 = "0-17", _("Under 18")
        FROM_18 = "18-29", _("18 to 29")
        FROM_30 = "30-44", _("30 to 44")
        FROM_45 = "45-59", _("45 to 59")
        FROM_60 = "60+", _("60 and over")
        UNKNOWN = "unknown", _("Not known")

    session = models.ForeignKey(
        InfoSession, on_delete=models.CASCADE, related_name="counts", verbose_name=_("session")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices)
    nationality = CountryField(_("nationality"), blank=True)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("attendance count")
        verbose_name_plural = _("attendance counts")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sex", "age_band", "nationality"], name="outreach_count_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_band} {self.nationality}: {self.count}"


class RegionRule(models.Model):
    """Which European desk answers the leads of people living in a region."""

    region = models.CharField(_("region"), max_length=6, unique=True)
    desk = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="outreach_regions",
        verbose_name=_("desk"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region rule")
        verbose_name_plural = _("region rules")
        ordering = ["region"]

    def __str__(self) -> str:
        return self.region


class DeskOutreach(models.Model):
    """A European desk's settings for its leads."""

    desk = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="outreach", verbose_name=_("desk")
    )
    response_days = models.PositiveSmallIntegerField(
        _("days to answer a lead"),
        default=3,
        help_text=_("A new lead not answered within these days is flagged on My work."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days a lead is kept"),
        default=180,
        help_text=_(
            "A lead that did not become a case is erased this many days after it was closed."
        ),
    )

    class Meta:
        verbose_name = _("desk outreach settings")
        verbose_name_plural = _("desk outreach settings")

    def __str__(self) -> str:
        return str(self.desk_id)


class Lead(models.Model):
    """A request to be contacted: from the site, from a local organisation (with the person's
    consent), or from an info session. Personal data: seen by the staff of the desk it is for."""

    class Source(models.TextChoices):
        SITE = "site", _("Public site")
        ORGANISATION = "organisation", _("Local organisation")
        SESSION = "session", _("Info session")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("lead", "New")
        CONTACTED = "contacted", _("Contacted")
        NOT_INTERESTED = "not_interested", _("Not interested")
        DUPLICATE = "duplicate", _("Duplicate")
        CONVERTED = "converted", _("Became an inquiry case")

    OPEN = (Status.NEW, Status.CONTACTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    desk = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="leads", verbose_name=_("desk")
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default="new")
    given_names = models.CharField(_("given names"), max_length=150)
    surnames = models.CharField(_("surnames"), max_length=150, blank=True)
    channel = models.CharField(
        _("how to be reached"), max_length=10, choices=ContactChannel.choices
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    region = models.CharField(_("region where the person lives"), max_length=6)
    province = models.CharField(_("province"), max_length=60, blank=True)
    return_country = CountryField(_("country of return"))
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES)
    consent_at = models.DateTimeField(_("consent to be contacted given at"))
    # A referral by a local organisation: who referred, and how to reach them.
    referrer_name = models.CharField(_("referring organisation"), max_length=200, blank=True)
    referrer_contact = models.CharField(
        _("contact at the organisation"), max_length=150, blank=True
    )
    referrer_email = models.EmailField(_("organisation's email address"), blank=True)
    referrer_phone = models.CharField(_("organisation's phone"), max_length=30, blank=True)
    session = models.ForeignKey(
        InfoSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("info session"),
    )
    respond_by = models.DateField(_("answer by"))
    note = models.TextField(_("note"), blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("case"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The day the lead is erased (set when it is closed without becoming a case).
    erase_after = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["desk", "status", "created_at"], name="outreach_lead_inbox"),
            models.Index(
                fields=["desk", "respond_by"],
                condition=Q(status="new"),
                name="outreach_lead_unanswered",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="outreach_lead_reachable"
            ),
            models.CheckConstraint(
                condition=~Q(source="organisation") | ~Q(referrer_name=""),
                name="outreach_lead_referrer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class LeadCounter(models.Model):
    """The last lead number of a desk in a year, for references such as MIL-L-2026-0001."""

    desk = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "year"], name="outreach_lead_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.desk_id} {self.year}: {self.last}"


class PublicCount(models.Model):
    """How many times a public page was read, or a public form completed, on one day, in one
    language. No cookie, no address, nothing of the visitor: a number per day."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Page view")
        COMPLETION = "completion", _("Form completed")

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=60)
    language = models.CharField(max_length=5)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "name", "language"], name="outreach_public_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.name} {self.language}: {self.count}"


class SubmissionTally(models.Model):
    """Forms sent from one address in one hour, for the rate limit: a keyed hash of the address
    and the hour, never the address itself; rows older than a day are deleted."""

    key = models.CharField(max_length=64)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="outreach_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.window}: {self.count}"

"""Persons, households, cases and everything recorded along a return journey."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from retorno.accounts.models import Organisation
from retorno.programmes.models import Cycle


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", pgettext_lazy("sex", "Other")
    UNKNOWN = "", _("Not recorded")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal schooling")
    PRIMARY = "primary", _("Primary")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
    VOCATIONAL = "vocational", _("Vocational qualification")
    TERTIARY = "tertiary", _("University or college")
    UNKNOWN = "", _("Not recorded")


class Person(models.Model):
    """A returnee or a member of a returnee's household."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    first_surname = models.CharField(_("first surname"), max_length=150, blank=True)
    second_surname = models.CharField(_("second surname"), max_length=150, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    birth_year_estimated = models.BooleanField(_("year of birth is an estimate"), default=False)
    nationality = CountryField(_("nationality"), blank=True)
    return_country = CountryField(_("country of return"), blank=True)
    return_region = models.CharField(_("region of return"), max_length=100, blank=True)
    return_city = models.CharField(_("city of return"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # E.164 (+51987654321); an imported number that could not be read is kept as typed.
    phone_europe = models.CharField(_("phone in Europe"), max_length=30, blank=True)
    phone_home = models.CharField(_("phone at home"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    address_europe = models.TextField(_("address in Europe"), blank=True)
    address_home = models.TextField(_("address at home"), blank=True)
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    # The desk's own earlier identifier (from a spreadsheet import), kept and searchable.
    desk_reference = models.CharField(
        _("desk's own reference"), max_length=60, blank=True, db_index=True
    )
    # Normalised full name (no accents, lower case) for search; see matching.search_key.
    search_name = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    # Merged into another record: this one stays for the history, pointing at the survivor.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["first_surname", "second_surname", "given_names"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_names="", first_surname="", second_surname=""),
                name="person_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="person_birth_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)

    @property
    def initials(self) -> str:
        parts = [self.given_names, self.first_surname, self.second_surname]
        return " ".join(f"{p.strip()[0].upper()}." for p in parts if p.strip())

    @property
    def birth_date(self):
        if self.birth_year and self.birth_month and self.birth_day:
            try:
                return datetime.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError:
                return None
        return None


class IdentityDocument(models.Model):
    """An identity or tax document of a person."""

    class Type(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        TAX_ID = "tax_id", _("Tax number")
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
        OTHER = "other", pgettext_lazy("document type", "Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person")
    )
    type = models.CharField(_("document type"), max_length=20, choices=Type.choices)
    number = models.CharField(_("document number"), max_length=40)
    # Letters and digits only, upper case: what search and duplicate checks compare.
    number_compact = models.CharField(max_length=40, db_index=True, editable=False)
    issuing_country = CountryField(_("issuing country"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # True when the number's format and check digit were verified for its country.
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["type", "pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.masked}"

    @property
    def masked(self) -> str:
        return f"···{self.number_compact[-4:]}" if self.number_compact else ""


class WorkExperience(models.Model):
    """Work the person did in Europe, and whether it can be certified."""

    class Certifiable(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Not known")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="work_experiences", verbose_name=_("person")
    )
    employer_or_sector = models.CharField(_("employer or sector"), max_length=200)
    role = models.CharField(_("work done"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    started_year = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    ended_year = models.PositiveSmallIntegerField(_("to (year)"), null=True, blank=True)
    certifiable = models.CharField(
        _("can it be certified?"), max_length=10, choices=Certifiable.choices, default="unknown"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experiences")
        ordering = ["-started_year", "pk"]

    def __str__(self) -> str:
        return self.employer_or_sector


class Phase(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    INTAKE = "intake", _("Intake")
    PREPARATION = "preparation", _("Preparation")
    READY_TO_DEPART = "ready_to_depart", _("Ready to depart")
    HANDED_OVER = "handed_over", _("Handed over")
    RECEPTION = "reception", _("Reception")
    REINTEGRATION = "reintegration", _("Reintegration")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = list(Phase.values)
EUROPEAN_PHASES = (Phase.INQUIRY, Phase.INTAKE, Phase.PREPARATION, Phase.READY_TO_DEPART)
NATIONAL_PHASES = (Phase.RECEPTION, Phase.REINTEGRATION, Phase.FOLLOW_UP)


class ClosedReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    WITHDREW = "withdrew", _("The person withdrew")
    DID_NOT_RETURN = "did_not_return", _("Did not return")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", pgettext_lazy("closed reason", "Other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Vulnerability(models.TextChoices):
    LOW_SCHOOLING = "low_schooling", _("Low schooling or professional qualification")
    HARD_TO_CERTIFY = "hard_to_certify", _("Work experience in Europe hard to certify")
    WEAK_NETWORKS = "weak_networks", _("Weak social or family networks at home")
    NEEDS_SUPPORT = "needs_support", _("Needs welfare, psychological or health support")
    JOB_LOSS = "job_loss", _("Returning after job loss or exhausted income")
    GBV = "gbv", _("Survivor of gender-based violence")
    TRAFFICKING = "trafficking", _("Survivor of trafficking")
    CHILDREN = "children", _("Accompanying children")


SENSITIVE_VULNERABILITIES = frozenset({Vulnerability.GBV, Vulnerability.TRAFFICKING})


class Case(models.Model):
    """One return journey of a person and the household members who return with them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="cases", verbose_name=_("cycle")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("returnee")
    )
    owning_desk = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_cases", verbose_name=_("desk")
    )
    # The European desk that opened the case, when it did: after a handover it keeps a
    # read-only view of the summary while the case is open.
    origin_desk = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="originated_cases",
        null=True,
        blank=True,
        verbose_name=_("opened at"),
    )
    caseworkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Assignment",
        through_fields=("case", "user"),
        related_name="assigned_cases",
        verbose_name=_("caseworkers"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, db_index=True)
    phase_changed_at = models.DateTimeField(_("phase since"))
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    sensitive = models.BooleanField(_("sensitive"), default=False, db_index=True)
    # The current vulnerability categories as ",code,code," so a filter is one LIKE; the
    # history is in VulnerabilityProfile.
    vulnerabilities = models.CharField(max_length=200, blank=True, default="")
    travel_date = models.DateField(_("travel date"), null=True, blank=True)
    # Whether the person's consent to the transfer abroad is in force, kept by the consent
    # actions: the sending desk's read-only view depends on it on every list page.
    transfer_consent = models.BooleanField(default=False, editable=False)
    handed_over_at = models.DateTimeField(_("handed over on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase="closed", closed_reason__gt="")
                | (~Q(phase="closed") & Q(closed_reason="")),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["owning_desk", "phase"], name="case_desk_phase"),
            models.Index(fields=["owning_desk", "-updated_at"], name="case_desk_updated"),
            # Covers the visibility rule and the counts by phase (index-only on PostgreSQL).
            models.Index(
                fields=["owning_desk", "sensitive", "phase", "id"], name="case_desk_visibility"
            ),
            models.Index(fields=["origin_desk", "transfer_consent"], name="case_origin_consent"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.CLOSED

    @property
    def vulnerability_codes(self) -> list[str]:
        return [c for c in self.vulnerabilities.split(",") if c]

    @property
    def phase_number(self) -> int:
        return PHASE_ORDER.index(self.phase) + 1


class Assignment(models.Model):
    """A caseworker assigned to a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # Who assigned the case, for "Newly assigned to you" on My work; empty for assignments
    # made before this was recorded.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="assignment_unique"),
        ]
        # A user's cases, read from the index alone (visibility, My work).
        indexes = [
            models.Index(fields=["user", "case"], name="assignment_user_case"),
            # "Newly assigned to you" on My work: the user's latest assignments first.
            models.Index(fields=["user", "assigned_at"], name="assignment_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.user}"


class HouseholdMember(models.Model):
    """A person who returns with the returnee: a child, a partner, someone else."""

    class Relationship(models.TextChoices):
        CHILD = "child", _("Child")
        PARTNER = "partner", pgettext_lazy("relationship", "Partner")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", pgettext_lazy("relationship", "Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="household")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="households")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    returning = models.BooleanField(_("returns with the person"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="household_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_relationship_display()}"


class VulnerabilityProfile(models.Model):
    """The vulnerability categories of a case at one moment; the latest is the current one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="vulnerability_profiles")
    categories = models.JSONField(_("categories"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vulnerability profile")
        verbose_name_plural = _("vulnerability profiles")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.recorded_at:%Y-%m-%d}"


class NeedsAssessment(models.Model):
    """A structured assessment of needs across the dimensions of reintegration."""

    DIMENSIONS = (
        ("economic", _("Economic")),
        ("social", _("Social")),
        ("psychosocial", _("Psychosocial")),
        ("health", _("Health")),
        ("legal", _("Legal and documents")),
        ("education", _("Education and training")),
        ("housing", _("Housing")),
    )

    class Level(models.IntegerChoices):
        NONE = 0, _("No need")
        LOW = 1, _("Some need")
        HIGH = 2, _("Serious need")
        CRITICAL = 3, _("Urgent need")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    economic = models.PositiveSmallIntegerField(_("economic"), choices=Level.choices)
    social = models.PositiveSmallIntegerField(_("social"), choices=Level.choices)
    psychosocial = models.PositiveSmallIntegerField(_("psychosocial"), choices=Level.choices)
    health = models.PositiveSmallIntegerField(_("health"), choices=Level.choices)
    legal = models.PositiveSmallIntegerField(_("legal and documents"), choices=Level.choices)
    education = models.PositiveSmallIntegerField(_("education and training"), choices=Level.choices)
    housing = models.PositiveSmallIntegerField(_("housing"), choices=Level.choices)
    summary = models.TextField(_("summary"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.assessed_on}"

    def scores(self) -> dict[str, int]:
        return {code: getattr(self, code) for code, _label in self.DIMENSIONS}


class Consent(models.Model):
    """The person's consent, or refusal, for one purpose; withdrawal takes effect at once."""

    class Purpose(models.TextChoices):
        CASE_MANAGEMENT = "case_management", _("Case management")
        TRANSFER = "transfer", _("Transfer of the case to the national desk abroad")
        PARTNER_SHARING = "partner_sharing", _("Sharing with a partner organisation")
        STATISTICS = "statistics", _("Use in anonymised statistics")
        FOLLOW_UP = "follow_up", _("Contact for follow-up")

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("Signed form")
        VERBAL_WITH_WITNESS = "verbal_with_witness", _("Verbal, with a witness")
        ELECTRONIC = "electronic", _("Electronic, by the person")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    given = models.BooleanField(_("given"))
    decided_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    witness = models.CharField(_("witness"), max_length=150, blank=True)
    document = models.ForeignKey(
        "Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="partner_sharing", partner__isnull=False)
                | (~Q(purpose="partner_sharing") & Q(partner__isnull=True)),
                name="consent_partner_only_for_sharing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.purpose}"

    @property
    def in_force(self) -> bool:
        return self.given and self.withdrawn_at is None


class JournalEntry(models.Model):
    """A counselling or orientation session, a call, a visit; corrected only by amendment."""

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("Counselling session")
        ORIENTATION = "orientation", _("Orientation session")
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial session")
        LEGAL = "legal", _("Legal session")
        NOTE = "note", _("Note")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    summary = models.TextField(_("summary"))
    confidential = models.BooleanField(_("confidential"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # An amendment points at the entry it corrects; the original stays, marked as amended.
    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendment"
    )
    amendment_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["case", "-occurred_on"], name="journal_case_date")]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()} · {self.occurred_on}"


class Task(models.Model):
    """Something to do on a case, by someone of the desk, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("what to do"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Made by a schedule (a follow-up of the monitoring), not by someone: closing the case
    # cancels it without asking, as it cancels the schedule.
    scheduled = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="task_assignee_due"),
            models.Index(fields=["case", "status", "due_on"], name="task_case_due"),
        ]

    def __str__(self) -> str:
        return self.title


def document_path(instance, filename: str) -> str:
    # No names in paths: documents/<case uuid>/<document uuid>
    return f"documents/{instance.case.public_id}/{instance.public_id}"


class Document(models.Model):
    """An uploaded file: identity papers, certificates, signed consents, proof of work."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        CERTIFICATE = "certificate", _("Certificate")
        CONSENT = "consent", _("Signed consent")
        WORK_PROOF = "work_proof", _("Proof of work experience")
        QUOTE = "quote", _("Supplier quote")
        RECEIPT = "receipt", _("Receipt")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Handover(models.Model):
    """The transfer of a case from a European desk to the national desk of the return country."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving desk")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Sent back")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    situation = models.TextField(_("situation"))
    needs = models.TextField(_("needs"))
    plan_so_far = models.TextField(_("plan so far"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    promises = models.TextField(_("what was promised"), blank=True)
    travel_date = models.DateField(_("travel date"))
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for sending it back"), blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="handover_one_pending"
            ),
        ]
        indexes = [
            # The handovers waiting for a desk: the navigation's badge on every page.
            models.Index(
                fields=["to_desk", "sent_at"],
                name="handover_waiting",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.from_desk.code} → {self.to_desk.code}"


class CaseEvent(models.Model):
    """One line of a case's timeline. Written by the actions, beside their audit event."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    actor_desk = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Values for the translated title and text (never personal data beyond what the case shows).
    params = models.JSONField(default=dict, blank=True)
    # A confidential journal entry's event is seen only by those who may read the entry.
    journal_entry = models.ForeignKey(
        JournalEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["case", "-occurred_at"], name="caseevent_case_when")]

    def __str__(self) -> str:
        return f"{self.case} · {self.kind}"


class ReferenceCounter(models.Model):
    """The last case number a desk used in a year: MIL-2026-0142."""

    desk = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "year"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.desk.code}-{self.year}: {self.last}"


class MatchKey(models.Model):
    """Blocking keys of a person (see matching.blocking_keys): the database finds candidates
    for the duplicate checks with one indexed lookup instead of comparing everyone."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["key"], name="matchkey_key")]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="matchkey_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class NotDuplicate(models.Model):
    """A coordinator said these two records are not the same person."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="notduplicate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ≠ {self.person_b_id}"

"""Monitoring of the return: each programme's follow-up schedule, the follow-ups of each case
after the person's arrival with their contact attempts, the reintegration sustainability survey
(a versioned instrument, data rather than code) and the scores it produced, and what the desk
knows of each case: when the person arrived, how many attempts in a row failed, whether the case
is at risk.

Scores are Decimals between 0 and 1 with three decimals; each survey names the instrument
version that produced its scores, and a published version is never changed.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.accounts.models import Organisation
from retorno.cases.models import Case, Task
from retorno.programmes.models import Programme

DEFAULT_MONTHS = (1, 3, 6, 12, 18)
DEFAULT_SURVEY_MONTHS = (6, 12, 18)
DIMENSIONS = ("economic", "social", "psychosocial")
FIGURES = (*DIMENSIONS, "composite")
BANDS = 5  # of 0.2 each


def band_of(score) -> int | None:
    """The band of 0.2 a score falls in: 0 for [0, 0.2) ... 4 for [0.8, 1]."""
    if score is None:
        return None
    return min(int(Decimal(score) * BANDS), BANDS - 1)


def default_months():
    return list(DEFAULT_MONTHS)


def default_survey_months():
    return list(DEFAULT_SURVEY_MONTHS)


def score_field(verbose_name):
    return models.DecimalField(verbose_name, max_digits=4, decimal_places=3, null=True, blank=True)


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class Instrument(models.Model):
    """A survey instrument (the reintegration sustainability survey), known by its code; its
    questions are in its versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=30, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class InstrumentVersion(models.Model):
    """One version of an instrument: its questions, answer options and their scores, weights and
    thresholds in the four languages, as the JSON document it was loaded from (checked by
    monitoring.instrument.validate). Never changed once loaded: a change is a new version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    # SHA-256 of the definition's canonical JSON: the same file loaded twice is one version.
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument__code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="instrument_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number}"


class Schedule(models.Model):
    """A programme's monitoring: the months after arrival of its follow-ups, those at which the
    survey is taken, how many failed attempts in a row propose closing as lost contact, the
    instrument version it adopted and the drop that puts a case at risk. Without a row of its
    own a programme follows the defaults (monitoring.rules.schedule_of)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.OneToOneField(
        Programme,
        on_delete=models.PROTECT,
        related_name="monitoring_schedule",
        verbose_name=_("programme"),
    )
    months = models.JSONField(_("follow-ups, months after arrival"), default=default_months)
    survey_months = models.JSONField(
        _("survey taken at the follow-ups of months"), default=default_survey_months
    )
    attempts_before_lost = models.PositiveSmallIntegerField(
        _("failed attempts in a row before proposing to close as lost contact"), default=3
    )
    drop_margin = models.DecimalField(
        _("a drop of more than this since the previous survey puts a case at risk"),
        max_digits=4,
        decimal_places=3,
        default="0.150",
    )
    instrument = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("survey version"),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("monitoring schedule")
        verbose_name_plural = _("monitoring schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts_before_lost__gte=1, attempts_before_lost__lte=10),
                name="schedule_attempts_range",
            ),
            models.CheckConstraint(
                condition=Q(drop_margin__gt=0, drop_margin__lt=1), name="schedule_margin_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class CaseMonitoring(models.Model):
    """What the desk knows of the monitoring of one case: when the person arrived (the reception
    date the follow-ups count from), failed attempts in a row, the lost-contact proposal, and
    whether the latest survey puts the case at risk (and why)."""

    class LostContact(models.TextChoices):
        NONE = "", _("No proposal")
        PROPOSED = "proposed", _("Proposed for closing")

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="monitoring", verbose_name=_("case")
    )
    # The desk that follows the case (its owning desk since reception: a case received by a
    # national desk is not handed over again) and whether the case is closed, kept here by the
    # actions so that a desk's monitoring is read from this table's indexes alone.
    desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    closed = models.BooleanField(default=False)
    arrived_on = models.DateField(_("arrived on"))
    failed_in_row = models.PositiveSmallIntegerField(_("failed attempts in a row"), default=0)
    lost_contact = models.CharField(
        _("lost contact"), max_length=10, choices=LostContact.choices, blank=True, default=""
    )
    lost_contact_proposed_at = models.DateTimeField(null=True, blank=True)
    at_risk = models.BooleanField(_("at risk"), default=False)
    # [{"kind": "under" | "drop", "dimension": code or "composite", ...figures}] as strings.
    risk_reasons = models.JSONField(default=list, blank=True)
    at_risk_since = models.DateField(_("at risk since"), null=True, blank=True)
    latest_survey = models.ForeignKey(
        "Survey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The latest survey's scores, copied when it is submitted (the desk's distribution).
    economic = score_field(_("economic"))
    social = score_field(_("social"))
    psychosocial = score_field(_("psychosocial"))
    composite = score_field(_("composite"))
    # Each latest score's band of 0.2 (0 for [0, 0.2) ... 4 for [0.8, 1]); null without a
    # score: the desk's distribution is one ordered read of an index.
    economic_band = models.PositiveSmallIntegerField(null=True, blank=True)
    social_band = models.PositiveSmallIntegerField(null=True, blank=True)
    psychosocial_band = models.PositiveSmallIntegerField(null=True, blank=True)
    composite_band = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monitoring of a case")
        verbose_name_plural = _("monitoring of cases")
        indexes = [
            # The desk page's distribution of the latest scores, grouped in the index's order.
            models.Index(
                fields=[
                    "desk",
                    "economic_band",
                    "social_band",
                    "psychosocial_band",
                    "composite_band",
                ],
                name="monitoring_desk_bands",
                condition=Q(latest_survey__isnull=False, closed=False),
            ),
            models.Index(
                fields=["desk", "at_risk_since"],
                name="monitoring_desk_at_risk",
                condition=Q(at_risk=True, closed=False),
            ),
            models.Index(
                fields=["desk", "lost_contact_proposed_at"],
                name="monitoring_desk_lost_contact",
                condition=Q(lost_contact="proposed", closed=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.case)

    def set_latest(self, survey) -> None:
        """The latest submitted survey, its scores and their bands."""
        self.latest_survey = survey
        for figure in FIGURES:
            value = getattr(survey, figure)
            setattr(self, figure, value)
            setattr(self, f"{figure}_band", band_of(value))


class Method(models.TextChoices):
    """How a person was reached, or tried."""

    HOME_VISIT = "home_visit", _("Home visit")
    DESK_VISIT = "desk_visit", _("Visit at the desk")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    MESSAGE = "message", _("Message")


class FollowUp(models.Model):
    """A monitoring contact planned some months after the person's arrival, and, once done, how
    the person was reached, by whom, and how the plan is going."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("follow-up", "Planned")
        DONE = "done", pgettext_lazy("follow-up", "Done")
        # Not done when the case closed as lost contact: a person not reached.
        MISSED = "missed", _("Not reached: contact lost")
        CANCELLED = "cancelled", pgettext_lazy("follow-up", "Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case")
    )
    # The desk that follows the case (CaseMonitoring.desk), for the desk's counts.
    desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField(_("months after arrival"))
    due_on = models.DateField(_("due on"))
    takes_survey = models.BooleanField(_("with the survey"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    task = models.OneToOneField(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up"
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=12, choices=Method.choices, blank=True)
    reached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("how the plan is going"), blank=True)
    new_needs = models.TextField(_("new needs"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["case", "month"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="follow_up_case_month"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False, method__gt="")
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="follow_up_done_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["desk", "status", "due_on"], name="follow_up_desk_status_due"),
            # Covers the share reached at 3, 6 and 12 months.
            models.Index(
                fields=["desk", "month", "due_on", "status"], name="follow_up_desk_month_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} +{self.month}"


class ContactAttempt(models.Model):
    """A failed attempt to reach the person for a follow-up, and why it failed."""

    class Reason(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        NUMBER_NOT_IN_USE = "not_in_use", _("Number or address not in use")
        NOT_AT_ADDRESS = "not_found", _("Not found at the address")
        DECLINED = "declined", _("Declined the contact")
        OTHER = "other", pgettext_lazy("attempt reason", "Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("follow-up")
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    attempted_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=12, choices=Method.choices)
    reason = models.CharField(_("why it failed"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["attempted_at", "pk"]
        indexes = [models.Index(fields=["follow_up", "attempted_at"], name="attempt_follow_up")]

    def __str__(self) -> str:
        return f"{self.case} {self.attempted_at:%Y-%m-%d}"


class Survey(models.Model):
    """A reintegration sustainability survey of a case: at reception (the baseline) or at a
    follow-up. Saved part-way as a draft; once submitted its scores are computed with its own
    instrument version and never change."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline at reception")
        FOLLOW_UP = "follow_up", _("At a follow-up")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("case")
    )
    kind = models.CharField(_("when"), max_length=10, choices=Kind.choices)
    follow_up = models.OneToOneField(
        FollowUp,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey",
        verbose_name=_("follow-up"),
    )
    instrument = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("survey version"),
    )
    # {question code: option code, or "declined"}
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    economic = score_field(_("economic"))
    social = score_field(_("social"))
    psychosocial = score_field(_("psychosocial"))
    composite = score_field(_("composite"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["case", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(kind="baseline"), name="survey_one_baseline"
            ),
            models.CheckConstraint(
                condition=Q(kind="baseline", follow_up__isnull=True)
                | Q(kind="follow_up", follow_up__isnull=False),
                name="survey_kind_follow_up",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="survey_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status", "submitted_at"], name="survey_case_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"

    def score(self, dimension: str):
        return getattr(self, dimension)

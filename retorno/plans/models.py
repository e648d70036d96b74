"""Personalised reintegration plans: goals per dimension, actions with who is responsible."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.accounts.models import Organisation
from retorno.cases.models import Case


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class Plan(models.Model):
    """One version of a case's reintegration plan. Changing an approved plan makes a new
    version; earlier versions stay readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    class AgreedHow(models.TextChoices):
        SIGNED = "signed", _("Signed by the person")
        VERBAL = "verbal", _("Agreed verbally, with a witness")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at_desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    agreed_on = models.DateField(_("agreed by the person on"), null=True, blank=True)
    agreed_how = models.CharField(
        _("how the person agreed"), max_length=10, choices=AgreedHow.choices, blank=True
    )
    agreement_witness = models.CharField(_("witness"), max_length=150, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    # Everyone who wrote part of this version: none of them may approve it.
    contributors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_unique_number"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "submitted"]),
                name="plan_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · v{self.number}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Goal(models.Model):
    """What the person wants to reach in one dimension of reintegration."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    dimension = models.CharField(_("dimension"), max_length=15, choices=Dimension.choices)
    description = models.TextField(_("goal"))
    position = models.PositiveSmallIntegerField(default=0)
    # The same goal across versions keeps one lineage id, so versions can be compared.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["dimension", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanAction(models.Model):
    """A step towards a goal: what, who is responsible, by when, at what cost."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", pgettext_lazy("action status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")

    class Responsible(models.TextChoices):
        DESK = "desk", _("The desk")
        SERVICE = "service", _("A service from the directory")
        PERSON = "person", _("The person")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("what"))
    responsible = models.CharField(
        _("who is responsible"), max_length=10, choices=Responsible.choices
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("service"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible="service", service__isnull=False)
                | ~Q(responsible="service"),
                name="plan_action_service_when_responsible",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

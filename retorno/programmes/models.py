"""Programmes of assisted return and their cycles. No personal data: grants, outreach and
reports read them without touching a case."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Organisation


class Programme(models.Model):
    """A programme of assisted return; it runs in cycles of about 1,000 people."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        db_table = "cases_programme"  # the table it had in the cases app, kept as it was
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    """One cycle of a programme, with its dates, its target and the desks taking part."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_people = models.PositiveIntegerField(_("people to support"), default=1000)
    desks = models.ManyToManyField(
        Organisation,
        related_name="cycles",
        blank=True,
        verbose_name=_("desks taking part"),
        db_table="cases_cycle_desks",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        db_table = "cases_cycle"  # the table it had in the cases app, kept as it was
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cycle_dates"
            ),
            models.UniqueConstraint(fields=["programme", "name"], name="cycle_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.name}"

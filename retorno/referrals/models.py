"""Referrals from a plan action to a service, answered by the partner in Retorno (or by the
caseworker for an organisation that is not on Retorno)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.accounts.models import Organisation
from retorno.cases.models import Case


class Referral(models.Model):
    """A request to a service to support the person, with the data the person agreed to share."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for a reply")
        ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
        DECLINED = "declined", _("Declined")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", pgettext_lazy("referral status", "Completed")
        NOT_DELIVERED = "not_delivered", _("Not delivered")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed the service")
        CERTIFICATE = "certificate", _("Completed, with a certificate")
        DROPPED_OUT = "dropped_out", _("Dropped out")
        NOT_DELIVERED = "not_delivered", _("Service not delivered")

    OPEN = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)
    CLOSED = (Status.DECLINED, Status.COMPLETED, Status.NOT_DELIVERED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    plan_action = models.ForeignKey(
        "plans.PlanAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("plan action"),
    )
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    # The organisation that answers on Retorno; empty when it is not on Retorno (a letter
    # goes, and the caseworker records the answers).
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("receiving organisation"),
    )
    from_desk = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    need = models.TextField(_("what the person needs"))
    shared_fields = models.JSONField(_("what is shared"), default=list)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.SENT, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    reply_by = models.DateField(_("reply by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # First opened by someone of the receiving organisation: until then it is unread there.
    opened_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "status"], name="referral_recipient_status"),
            models.Index(fields=["from_desk", "status", "reply_by"], name="referral_desk_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def on_retorno(self) -> bool:
        return self.recipient_id is not None


class ReferralUpdate(models.Model):
    """One message of a referral's thread: a change of status or a note, by either side."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=15, choices=Referral.Status.choices, blank=True)
    text = models.TextField(blank=True)
    # Recorded by the desk on behalf of an organisation that is not on Retorno.
    on_behalf = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral update")
        verbose_name_plural = _("referral updates")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral} · {self.status or 'note'}"


class ReferralCounter(models.Model):
    """The last referral number of a year: R-2026-0931."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

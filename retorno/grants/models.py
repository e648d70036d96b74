"""Economic reintegration aid: each cycle's grant policy, each desk's budget envelope in euros,
and the grants paid to returnees in instalments, in local currency, with their receipts.

Amounts are Decimals with their currency (retorno.lib.money), never floats. Euro figures are
what budgets count; a payment in local currency records the rate it was made at, so what was
paid is known in both.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from retorno.accounts.models import Organisation
from retorno.cases.models import Case, Document
from retorno.lib.money import CURRENCIES
from retorno.plans.models import PlanAction
from retorno.programmes.models import Cycle

CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


def money_field(verbose_name, **kwargs):
    # 14 digits, 2 decimals: every currency of the programme fits (CLP and PYG use none).
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class GrantType(models.TextChoices):
    BASIC_NEEDS = "basic_needs", _("Basic needs on arrival")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment or micro-enterprise")
    EDUCATION = "education", _("Education and training")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health care")
    OTHER = "other", pgettext_lazy("grant type", "Other")


class GrantPolicy(models.Model):
    """A cycle's rules for grants. Changing it never changes a grant already approved: each grant
    keeps the figures it was approved under."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.OneToOneField(
        Cycle, on_delete=models.PROTECT, related_name="grant_policy", verbose_name=_("cycle")
    )
    household_cap_eur = money_field(_("cap per household (EUR)"))
    coordination_threshold_eur = money_field(
        _("amount above which programme coordination approves too (EUR)")
    )
    receipts_before_next = models.BooleanField(
        _("receipts of an instalment are needed before the next is paid"), default=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("grant policy")
        verbose_name_plural = _("grant policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(household_cap_eur__gt=0) & Q(coordination_threshold_eur__gt=0),
                name="grant_policy_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.cycle)


class TypeCap(models.Model):
    """The most one grant of a type may be, in euros. A type without a cap is not offered."""

    policy = models.ForeignKey(GrantPolicy, on_delete=models.CASCADE, related_name="caps")
    grant_type = models.CharField(_("grant type"), max_length=20, choices=GrantType.choices)
    cap_eur = money_field(_("cap per grant (EUR)"))

    class Meta:
        verbose_name = _("cap per grant type")
        verbose_name_plural = _("caps per grant type")
        ordering = ["policy", "grant_type"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "grant_type"], name="type_cap_unique"),
            models.CheckConstraint(condition=Q(cap_eur__gt=0), name="type_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grant_type_display()}: {self.cap_eur} EUR"


class Envelope(models.Model):
    """What a desk may commit in a cycle, in euros: the desk's whole envelope (no grant type) and,
    optionally, part of it set aside per grant type. Approvals and payments lock the rows they
    draw on, so two of them can never both take the last part (grants.actions)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="envelopes", verbose_name=_("cycle")
    )
    desk = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="envelopes", verbose_name=_("desk")
    )
    grant_type = models.CharField(
        _("grant type"), max_length=20, choices=GrantType.choices, blank=True
    )
    amount_eur = money_field(_("envelope (EUR)"))
    # Kept by the actions in the same transaction as the grants they count: committed is what
    # approved grants may still pay plus what they paid; paid is what was paid.
    committed_eur = money_field(_("committed (EUR)"), default=0)
    paid_eur = money_field(_("paid (EUR)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")
        ordering = ["cycle", "desk", "grant_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "desk", "grant_type"], name="envelope_unique_part"
            ),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="envelope_not_negative"),
            # No overspending, ever: the database refuses it even if an action were wrong.
            models.CheckConstraint(
                condition=Q(committed_eur__lte=models.F("amount_eur")),
                name="envelope_not_overcommitted",
            ),
            models.CheckConstraint(
                condition=Q(paid_eur__gte=0) & Q(paid_eur__lte=models.F("committed_eur")),
                name="envelope_paid_within_committed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desk} · {self.cycle} · {self.get_grant_type_display() or '*'}"

    @property
    def remaining_eur(self):
        return self.amount_eur - self.committed_eur


class Grant(models.Model):
    """Aid given to a returnee for one action of the economic part of the plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the desk's approval")
        COORDINATION = "coordination", _("Waiting for programme coordination")
        APPROVED = "approved", _("Approved")
        PAYING = "paying", _("Being paid")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", pgettext_lazy("grant status", "Cancelled")
        CLOSED = "closed", _("Closed early")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="grants")
    desk = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grants", verbose_name=_("desk")
    )
    # The action of the plan the grant pays for; versions of a plan share an action's lineage.
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, related_name="grants"
    )
    action_lineage = models.UUIDField()
    grant_type = models.CharField(_("grant type"), max_length=20, choices=GrantType.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    amount = money_field(_("amount"), null=True, blank=True)
    # Units of the currency one euro buys, to estimate the grant in euros (1 for EUR).
    rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    amount_eur = money_field(_("amount (EUR)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # A short business plan, for a self-employment grant.
    business_activity = models.TextField(_("activity"), blank=True)
    business_startup_costs = models.TextField(_("start-up costs"), blank=True)
    business_monthly_income = money_field(_("expected monthly income"), null=True, blank=True)
    business_monthly_costs = money_field(_("expected monthly costs"), null=True, blank=True)
    business_assets = models.TextField(_("what the person already has"), blank=True)

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    desk_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    desk_approved_at = models.DateTimeField(null=True, blank=True)
    coordination_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    coordination_approved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # The policy figures the grant was approved under (a later change to the policy leaves them).
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    needs_coordination = models.BooleanField(default=False)
    receipts_required = models.BooleanField(default=True)
    # What the grant holds against its desk's envelope, in euros: its amount once approved, then
    # what was paid once it is cancelled or closed.
    committed_eur = money_field(_("committed (EUR)"), default=0)
    paid = money_field(_("paid"), default=0)
    paid_eur = money_field(_("paid (EUR)"), default=0)
    # Raised by every change: a form sent from an out-of-date page is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["desk", "cycle", "status"], name="grant_desk_cycle_status"),
            models.Index(fields=["status", "desk"], name="grant_status_desk"),
            # The grants list of a desk, newest first, read from the index without a sort.
            models.Index(fields=["desk", "-created_at", "-id"], name="grant_desk_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="grant_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(committed_eur__gte=0)
                & Q(paid_eur__gte=0)
                & Q(paid_eur__lte=models.F("committed_eur")),
                name="grant_paid_within_committed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_grant_type_display()} · {self.case}"

    @property
    def is_business(self) -> bool:
        return self.grant_type == GrantType.SELF_EMPLOYMENT

    @property
    def remaining(self):
        """What is still to be paid, in the grant's currency."""
        return (self.amount or 0) - self.paid


class GrantDocument(models.Model):
    """A supplier's quote attached to a grant request (the file is a document of the case)."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="quotes")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    amount = money_field(_("amount quoted"), null=True, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.supplier or str(self.document)


class Instalment(models.Model):
    """A planned part of a grant's payment, then its payment."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        IN_KIND = "in_kind", _("Purchase in kind")
        VOUCHER = "voucher", _("Voucher")
        CASH = "cash", _("Cash")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment"))
    planned_on = models.DateField(_("planned for"))
    planned_amount = money_field(_("planned amount"))
    # The payment, once made.
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    amount_paid = money_field(_("amount paid"), null=True, blank=True)
    rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    amount_paid_eur = money_field(_("amount paid (EUR)"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["grant", "number"]
        indexes = [models.Index(fields=["paid_on", "planned_on"], name="instalment_due")]
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="instalment_unique_number"),
            models.CheckConstraint(
                condition=Q(planned_amount__gt=0), name="instalment_planned_positive"
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True)
                | (Q(amount_paid__gt=0) & Q(rate__gt=0) & Q(amount_paid_eur__gt=0)),
                name="instalment_payment_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} · {self.number}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class Receipt(models.Model):
    """A receipt justifying a payment (the file is a document of the case)."""

    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, related_name="receipts")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.document)

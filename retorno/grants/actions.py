"""Every change to grants, policies and envelopes. Each action runs in one transaction, checks
its rules (grants.rules) and raises ActionError with a translated reason that says the figures,
records its audit event, and, for a grant, a line on the case's timeline with the amounts.

No overspending, ever: an approval or a payment locks the grant, then the envelope rows it draws
on (always in the same order), and checks what remains only once it holds the locks, so two of
them competing for the last part of an envelope are taken one after the other and the second is
refused. The database's check constraints refuse an overspent envelope even so. A form sent
twice finds the grant already changed (its version, its status) and records nothing more.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.cases.actions import event, upload_document
from retorno.cases.models import Document
from retorno.cases.rules import audit_case, require_case_open, require_case_owner
from retorno.grants import rules
from retorno.grants.models import (
    Envelope,
    Grant,
    GrantDocument,
    GrantPolicy,
    GrantType,
    Instalment,
    Receipt,
    TypeCap,
)
from retorno.lib.errors import ActionError
from retorno.lib.money import EUR, check_currency, format_amount, to_euros, units_problem

# What a draft's form may change.
DRAFT_FIELDS = (
    "grant_type",
    "purpose",
    "currency",
    "amount",
    "rate",
    "business_activity",
    "business_startup_costs",
    "business_monthly_income",
    "business_monthly_costs",
    "business_assets",
)


def _money(amount, currency) -> str:
    return format_amount(amount, currency)


def _audit(verb, grant: Grant, *, actor, **detail):
    audit_case(
        verb,
        actor=actor,
        case=grant.case,
        target=grant,
        detail={"grant": str(grant.public_id), **detail},
    )


def _check_version(grant: Grant, version) -> None:
    if version is not None and int(version) != grant.version:
        raise ActionError(
            _(
                "Someone else changed this grant while you were working on it. Check what "
                "changed, then try again."
            ),
            code="conflict",
        )


def _locked(grant: Grant) -> Grant:
    """The grant's row, locked until the end of the transaction, read afresh."""
    fresh = Grant.objects.select_for_update().get(pk=grant.pk)
    for name in ("status", "version", "committed_eur", "paid", "paid_eur", "amount_eur"):
        setattr(grant, name, getattr(fresh, name))
    return grant


def _bump(grant: Grant, fields: list[str]) -> None:
    grant.version += 1
    grant.save(update_fields=[*fields, "version", "updated_at"])


def _require_owner(actor, grant: Grant) -> None:
    require_case_owner(actor, grant.case)
    if actor.organisation.pk != grant.desk_id:
        raise ActionError(_("Only the desk that made the request can change it."), code="forbidden")


def _refuse(problems: list[str], *, code: str, field=None) -> None:
    if problems:
        raise ActionError(" ".join(problems), code=code, field=field)


def _euro_estimate(grant: Grant) -> None:
    if grant.amount and (grant.currency == EUR or grant.rate):
        grant.amount_eur = to_euros(grant.amount, grant.currency, grant.rate or 1)
    else:
        grant.amount_eur = None


def _check_draft_values(grant: Grant, policy: GrantPolicy | None) -> None:
    check_currency(grant.currency)
    if grant.currency not in rules.currencies_at(grant.desk):
        raise ActionError(
            _("This desk pays in %(currencies)s.")
            % {"currencies": ", ".join(rules.currencies_at(grant.desk))},
            field="currency",
        )
    if grant.grant_type not in rules.offered_types(policy):
        raise ActionError(
            _("This cycle's policy offers no grant of this type."), field="grant_type"
        )
    if grant.amount is not None:
        if grant.amount <= 0:
            raise ActionError(_("The amount must be more than zero."), field="amount")
        problem = units_problem(grant.amount, grant.currency)
        if problem:
            raise ActionError(problem, field="amount")
    if grant.currency == EUR:
        grant.rate = Decimal(1)
    if grant.amount is not None:
        grant.amount = grant.amount.quantize(Decimal(1).scaleb(-2))
    if grant.rate is not None:
        grant.rate = Decimal(grant.rate).quantize(Decimal("0.000001"))


# ── Policy and envelopes ─────────────────────────────────────────────────────────────────────


@transaction.atomic
def save_policy(
    cycle,
    *,
    actor,
    household_cap_eur: Decimal,
    coordination_threshold_eur: Decimal,
    receipts_before_next: bool,
    caps: dict[str, Decimal | None],
    version: int | None = None,
) -> GrantPolicy:
    """Create or change a cycle's policy. Grants already approved keep the figures they were
    approved under; requests still waiting are checked against the new ones."""
    if not rules.may_edit_policy(actor):
        raise ActionError(_("Your role does not allow this."), code="forbidden")
    for name, value in (
        ("household_cap_eur", household_cap_eur),
        ("coordination_threshold_eur", coordination_threshold_eur),
    ):
        if value is None or value <= 0:
            raise ActionError(_("Enter an amount more than zero."), field=name)
    for grant_type, cap in caps.items():
        if grant_type not in GrantType.values:
            raise ActionError(_("Unknown grant type."), field=f"cap_{grant_type}")
        if cap is not None and cap <= 0:
            raise ActionError(_("Enter an amount more than zero."), field=f"cap_{grant_type}")
        if cap is not None and cap > household_cap_eur:
            raise ActionError(
                _("A grant's cap cannot be more than the cap per household (%(cap)s).")
                % {"cap": rules.euros(household_cap_eur)},
                field=f"cap_{grant_type}",
            )
    if not any(cap for cap in caps.values()):
        raise ActionError(_("Offer at least one grant type, with its cap."))
    policy = GrantPolicy.objects.select_for_update().filter(cycle=cycle).first()
    before = None
    if policy is None:
        policy = GrantPolicy(cycle=cycle)
    else:
        if version is not None and int(version) != policy.version:
            raise ActionError(
                _(
                    "Someone else changed this policy while you were working on it. Check what "
                    "changed, then try again."
                ),
                code="conflict",
            )
        before = _policy_snapshot(policy)
        policy.version += 1
    policy.household_cap_eur = household_cap_eur
    policy.coordination_threshold_eur = coordination_threshold_eur
    policy.receipts_before_next = receipts_before_next
    policy.updated_by = actor
    policy.save()
    TypeCap.objects.filter(policy=policy).exclude(
        grant_type__in=[t for t, cap in caps.items() if cap]
    ).delete()
    for grant_type, cap in caps.items():
        if cap:
            TypeCap.objects.update_or_create(
                policy=policy, grant_type=grant_type, defaults={"cap_eur": cap}
            )
    after = _policy_snapshot(policy)
    if before != after:
        keys = sorted(set(before or {}) | set(after))
        record(
            "grant_policy.changed" if before else "grant_policy.created",
            actor=actor,
            target=policy,
            changes={
                key: [(before or {}).get(key), after.get(key)]
                for key in keys
                if (before or {}).get(key) != after.get(key)
            },
            detail={"cycle": str(cycle.public_id), "version": policy.version},
        )
    return policy


def _policy_snapshot(policy: GrantPolicy) -> dict:
    snapshot = {
        "household_cap_eur": f"{Decimal(policy.household_cap_eur):.2f}",
        "coordination_threshold_eur": f"{Decimal(policy.coordination_threshold_eur):.2f}",
        "receipts_before_next": policy.receipts_before_next,
    }
    for cap in TypeCap.objects.filter(policy=policy):
        snapshot[f"cap_{cap.grant_type}"] = f"{Decimal(cap.cap_eur):.2f}"
    return snapshot


@transaction.atomic
def set_envelope(cycle, desk, *, actor, amount_eur: Decimal, grant_type: str = "") -> Envelope:
    """Set a desk's envelope for a cycle (or the part of it set aside for a grant type). It can
    never go below what is already committed against it."""
    if not rules.is_programme_coordination(actor):
        raise ActionError(_("Only programme coordination sets the budgets."), code="forbidden")
    if not desk.is_desk or desk.kind != desk.Kind.NATIONAL_DESK:
        raise ActionError(_("Budgets are set for national desks."), field="desk")
    if grant_type and grant_type not in GrantType.values:
        raise ActionError(_("Unknown grant type."), field="grant_type")
    if amount_eur is None or amount_eur < 0:
        raise ActionError(_("The amount cannot be negative."), field="amount_eur")
    if amount_eur != amount_eur.quantize(Decimal("0.01")):
        raise ActionError(_("EUR has 2 decimals at most."), field="amount_eur")
    envelope, created = Envelope.objects.select_for_update().get_or_create(
        cycle=cycle, desk=desk, grant_type=grant_type, defaults={"amount_eur": amount_eur}
    )
    before = None if created else envelope.amount_eur
    if amount_eur < envelope.committed_eur:
        raise ActionError(
            _("%(committed)s is already committed: the envelope cannot be less.")
            % {"committed": rules.euros(envelope.committed_eur)},
            field="amount_eur",
        )
    if not grant_type:
        parts = sum(
            e.amount_eur
            for e in Envelope.objects.filter(cycle=cycle, desk=desk).exclude(grant_type="")
        )
        if parts > amount_eur:
            raise ActionError(
                _("The parts set aside by grant type add up to %(parts)s, more than this.")
                % {"parts": rules.euros(parts)},
                field="amount_eur",
            )
    else:
        whole = Envelope.objects.filter(cycle=cycle, desk=desk, grant_type="").first()
        others = sum(
            e.amount_eur
            for e in Envelope.objects.filter(cycle=cycle, desk=desk)
            .exclude(grant_type="")
            .exclude(pk=envelope.pk)
        )
        if whole is None:
            raise ActionError(_("Set the desk's whole envelope first."), field="grant_type")
        if others + amount_eur > whole.amount_eur:
            raise ActionError(
                _(
                    "The parts set aside by grant type would add up to %(parts)s, more than the "
                    "desk's envelope of %(whole)s."
                )
                % {
                    "parts": rules.euros(others + amount_eur),
                    "whole": rules.euros(whole.amount_eur),
                },
                field="amount_eur",
            )
    if before != amount_eur:
        envelope.amount_eur = amount_eur
        envelope.save(update_fields=["amount_eur", "updated_at"])
        record(
            "envelope.set",
            actor=actor,
            target=envelope,
            changes={"amount_eur": [str(before) if before is not None else None, str(amount_eur)]},
            detail={"cycle": str(cycle.public_id), "desk": desk.code, "grant_type": grant_type},
        )
    return envelope


def _draw(envelopes: list[Envelope], amount: Decimal, *, paid: Decimal = Decimal(0)) -> None:
    """Add `amount` euros (negative: give back) to what the envelopes hold committed, and `paid`
    to what they paid. The envelopes were read locked (rules.envelopes_for(..., lock=True)):
    the sums are made here in Decimal, exactly, not by the database (SQLite's are floats)."""
    for envelope in envelopes:
        envelope.committed_eur += amount
        envelope.paid_eur += paid
        envelope.save(update_fields=["committed_eur", "paid_eur", "updated_at"])


# ── A grant's request ────────────────────────────────────────────────────────────────────────


@transaction.atomic
def draft_grant(plan_action, *, actor, grant_type: str, currency: str, **fields) -> Grant:
    """A request drafted from an action of the economic part of the case's plan. It can be
    saved incomplete: submit_grant checks that it is complete."""
    case = plan_action.goal.plan.case
    require_case_owner(actor, case)
    require_case_open(case)
    problem = rules.action_problem(plan_action)
    if problem:
        raise ActionError(problem)
    policy = rules.policy_of(case.cycle)
    if policy is None:
        raise ActionError(
            _("This cycle has no grant policy yet: ask programme coordination to set it.")
        )
    grant = Grant(
        case=case,
        cycle=case.cycle,
        desk=actor.organisation,
        plan_action=plan_action,
        action_lineage=plan_action.lineage,
        grant_type=grant_type,
        currency=currency,
        drafted_by=actor,
    )
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise TypeError(name)
        setattr(grant, name, value if value is not None or name not in ("purpose",) else "")
    _check_draft_values(grant, policy)
    _euro_estimate(grant)
    grant.save()
    _audit("grant.drafted", grant, actor=actor, type=grant_type, **_amounts(grant))
    event(case, "grant_drafted", actor=actor, type=grant_type, amount=_shown(grant))
    return grant


def _amounts(grant: Grant) -> dict:
    return {
        "amount": str(grant.amount) if grant.amount is not None else None,
        "currency": grant.currency,
        "rate": str(grant.rate) if grant.rate is not None else None,
        "amount_eur": str(grant.amount_eur) if grant.amount_eur is not None else None,
    }


def _shown(grant: Grant) -> str:
    if grant.amount is None:
        return ""
    shown = f"{grant.amount} {grant.currency}"
    if grant.currency != EUR and grant.amount_eur is not None:
        shown += f" ({grant.amount_eur} EUR)"
    return shown


@transaction.atomic
def update_grant(grant: Grant, *, actor, version=None, **fields) -> Grant:
    _require_owner(actor, grant)
    _locked(grant)
    _check_version(grant, version)
    if grant.status != Grant.Status.DRAFT:
        raise ActionError(_("Only a draft can be changed."), code="not_draft")
    changes = {}
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise TypeError(name)
        if name in ("purpose", "business_activity", "business_startup_costs", "business_assets"):
            value = (value or "").strip()
        if getattr(grant, name) != value:
            changes[name] = [_jsonable(getattr(grant, name)), _jsonable(value)]
            setattr(grant, name, value)
    _check_draft_values(grant, rules.policy_of(grant.cycle))
    _euro_estimate(grant)
    if changes:
        _bump(grant, [*DRAFT_FIELDS, "amount_eur"])
        audit_case(
            "grant.changed",
            actor=actor,
            case=grant.case,
            target=grant,
            changes=changes,
            detail={"grant": str(grant.public_id)},
        )
    return grant


def _jsonable(value):
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def add_quote(
    grant: Grant, *, actor, uploaded_file, supplier: str = "", amount=None
) -> GrantDocument:
    _require_owner(actor, grant)
    if grant.status != Grant.Status.DRAFT:
        raise ActionError(_("Quotes are added to a draft."), code="not_draft")
    title = _("Quote: %(supplier)s") % {"supplier": supplier} if supplier else _("Supplier quote")
    document = upload_document(
        grant.case,
        actor=actor,
        uploaded_file=uploaded_file,
        kind=Document.Kind.QUOTE,
        title=title,
    )
    quote = GrantDocument.objects.create(
        grant=grant, document=document, supplier=supplier.strip()[:200], amount=amount
    )
    _bump(grant, [])
    _audit(
        "grant.quote_added", grant, actor=actor, document=str(document.public_id), supplier=supplier
    )
    return quote


@transaction.atomic
def remove_quote(quote: GrantDocument, *, actor) -> None:
    grant = quote.grant
    _require_owner(actor, grant)
    if grant.status != Grant.Status.DRAFT:
        raise ActionError(_("Quotes are removed from a draft."), code="not_draft")
    document = quote.document
    quote.delete()
    _bump(grant, [])
    _audit("grant.quote_removed", grant, actor=actor, document=str(document.public_id))


@transaction.atomic
def plan_instalments(grant: Grant, *, actor, instalments: list[tuple], version=None) -> list:
    """Set the instalments still to be paid: (planned date, amount) pairs, in order. With what
    was already paid, they add up to the grant's amount exactly."""
    _require_owner(actor, grant)
    _locked(grant)
    _check_version(grant, version)
    if grant.status not in (Grant.Status.DRAFT, *rules.PAYABLE):
        raise ActionError(_("The instalments of this grant can no longer change."))
    if not instalments:
        raise ActionError(_("Plan at least one instalment."), field="instalments")
    paid = list(grant.instalments.filter(paid_on__isnull=False).order_by("number"))
    paid_total = sum((i.amount_paid for i in paid), Decimal(0))
    planned_total = Decimal(0)
    for planned_on, amount in instalments:
        if planned_on is None:
            raise ActionError(_("Give each instalment its date."), field="instalments")
        if amount is None or amount <= 0:
            raise ActionError(_("Each instalment is more than zero."), field="instalments")
        problem = units_problem(amount, grant.currency)
        if problem:
            raise ActionError(problem, field="instalments")
        planned_total += amount
    if grant.amount is None:
        raise ActionError(_("Enter the grant's amount first."), field="amount")
    if paid_total + planned_total != grant.amount:
        raise ActionError(
            _(
                "The instalments add up to %(total)s; with %(paid)s already paid they must "
                "add up to %(left)s, what is left of the grant's %(amount)s."
            )
            % {
                "total": _money(planned_total, grant.currency),
                "paid": _money(paid_total, grant.currency),
                "left": _money(grant.amount - paid_total, grant.currency),
                "amount": _money(grant.amount, grant.currency),
            },
            field="instalments",
        )
    grant.instalments.filter(paid_on__isnull=True).delete()
    start = (paid[-1].number if paid else 0) + 1
    created = Instalment.objects.bulk_create(
        Instalment(grant=grant, number=start + n, planned_on=day, planned_amount=amount)
        for n, (day, amount) in enumerate(instalments)
    )
    _bump(grant, [])
    _audit(
        "grant.instalments_planned",
        grant,
        actor=actor,
        instalments=[[str(day), str(amount)] for day, amount in instalments],
        currency=grant.currency,
    )
    return created


@transaction.atomic
def submit_grant(grant: Grant, *, actor, version=None) -> Grant:
    _require_owner(actor, grant)
    require_case_open(grant.case)
    _locked(grant)
    _check_version(grant, version)
    if grant.status != Grant.Status.DRAFT:
        raise ActionError(_("This request was already submitted."), code="already_done")
    missing = rules.missing_for_submission(grant)
    if missing:
        raise ActionError(
            _("Before submitting, add %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    policy = rules.policy_of(grant.cycle)
    _refuse(rules.cap_problems(grant, policy), code="over_cap")
    if not grant.instalments.exists():
        Instalment.objects.create(
            grant=grant, number=1, planned_on=timezone.localdate(), planned_amount=grant.amount
        )
    grant.status = Grant.Status.SUBMITTED
    grant.submitted_by = actor
    grant.submitted_at = timezone.now()
    _bump(grant, ["status", "submitted_by", "submitted_at"])
    _audit("grant.submitted", grant, actor=actor, **_amounts(grant))
    event(grant.case, "grant_submitted", actor=actor, type=grant.grant_type, amount=_shown(grant))
    return grant


@transaction.atomic
def approve_grant(grant: Grant, *, actor, version=None, note: str = "") -> Grant:
    """The desk's approval, then programme coordination's above the policy's amount. The last
    approval commits the amount against the envelope."""
    _locked(grant)
    _check_version(grant, version)
    problem = rules.approval_problem(grant, actor)
    if problem:
        code = "already_done" if grant.status not in rules.WAITING else "forbidden"
        raise ActionError(problem, code=code)
    require_case_open(grant.case)
    policy = rules.policy_of(grant.cycle)
    _refuse(rules.cap_problems(grant, policy), code="over_cap")
    now = timezone.now()
    if grant.status == Grant.Status.SUBMITTED:
        grant.desk_approved_by = actor
        grant.desk_approved_at = now
        grant.needs_coordination = grant.amount_eur > policy.coordination_threshold_eur
        if grant.needs_coordination:
            # Checked now so the desk knows; committed only by the last approval.
            _refuse(
                rules.envelope_problems(grant, rules.envelopes_for(grant), grant.amount_eur),
                code="over_budget",
            )
            grant.status = Grant.Status.COORDINATION
            grant.policy_version = policy.version
            _bump(
                grant,
                [
                    "status",
                    "desk_approved_by",
                    "desk_approved_at",
                    "needs_coordination",
                    "policy_version",
                ],
            )
            _audit(
                "grant.approved",
                grant,
                actor=actor,
                stage="desk",
                note=note,
                threshold_eur=str(policy.coordination_threshold_eur),
                **_amounts(grant),
            )
            event(grant.case, "grant_to_coordination", actor=actor, amount=_shown(grant))
            return grant
        fields = ["desk_approved_by", "desk_approved_at", "needs_coordination"]
        stage = "desk"
    else:
        grant.coordination_approved_by = actor
        grant.coordination_approved_at = now
        fields = ["coordination_approved_by", "coordination_approved_at"]
        stage = "coordination"
    envelopes = rules.envelopes_for(grant, lock=True)
    _refuse(rules.envelope_problems(grant, envelopes, grant.amount_eur), code="over_budget")
    _draw(envelopes, grant.amount_eur)
    grant.status = Grant.Status.APPROVED
    grant.committed_eur = grant.amount_eur
    grant.policy_version = policy.version
    grant.receipts_required = policy.receipts_before_next
    grant.decided_by = actor
    grant.decided_at = now
    _bump(
        grant,
        [
            *fields,
            "status",
            "committed_eur",
            "policy_version",
            "receipts_required",
            "decided_by",
            "decided_at",
        ],
    )
    _audit(
        "grant.approved",
        grant,
        actor=actor,
        stage=stage,
        note=note,
        committed_eur=str(grant.committed_eur),
        **_amounts(grant),
    )
    event(grant.case, "grant_approved", actor=actor, amount=_shown(grant))
    return grant


@transaction.atomic
def reject_grant(grant: Grant, *, actor, reason: str, version=None) -> Grant:
    _locked(grant)
    _check_version(grant, version)
    problem = rules.approval_problem(grant, actor)
    if problem:
        code = "already_done" if grant.status not in rules.WAITING else "forbidden"
        raise ActionError(problem, code=code)
    if not (reason or "").strip():
        raise ActionError(_("Say why the request is rejected."), field="reason")
    stage = "desk" if grant.status == Grant.Status.SUBMITTED else "coordination"
    grant.status = Grant.Status.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_reason = reason.strip()
    _bump(grant, ["status", "decided_by", "decided_at", "decision_reason"])
    _audit(
        "grant.rejected",
        grant,
        actor=actor,
        stage=stage,
        reason=grant.decision_reason,
        **_amounts(grant),
    )
    event(
        grant.case,
        "grant_rejected",
        actor=actor,
        amount=_shown(grant),
        reason=grant.decision_reason,
    )
    return grant


# ── Payments ─────────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def record_payment(
    instalment: Instalment,
    *,
    actor,
    paid_on,
    amount: Decimal,
    rate: Decimal,
    method: str,
    receipt_file=None,
    version=None,
) -> Instalment:
    """Pay an instalment, in the grant's currency at the day's rate. What the payment is worth in
    euros is what the envelope counts as paid; if the rate makes the grant cost more euros than
    it committed, the difference must fit what remains in the envelope, like an approval."""
    grant = instalment.grant
    _require_owner(actor, grant)
    _locked(grant)
    _check_version(grant, version)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    instalment.grant = grant
    problem = rules.payment_problem(instalment, grant, receipts_required=grant.receipts_required)
    if problem:
        code = "already_done" if instalment.is_paid else "invalid"
        raise ActionError(problem, code=code)
    if method not in Instalment.Method.values:
        raise ActionError(_("Choose how it was paid."), field="method")
    if paid_on is None:
        raise ActionError(_("Enter the date of the payment."), field="paid_on")
    if paid_on > timezone.localdate():
        raise ActionError(_("A payment cannot be dated in the future."), field="paid_on")
    if amount is None or amount <= 0:
        raise ActionError(_("The amount must be more than zero."), field="amount")
    problem = units_problem(amount, grant.currency)
    if problem:
        raise ActionError(problem, field="amount")
    left = grant.amount - grant.paid
    if amount > left:
        raise ActionError(
            _("%(amount)s is more than what is left to pay of this grant: %(left)s.")
            % {"amount": _money(amount, grant.currency), "left": _money(left, grant.currency)},
            field="amount",
        )
    if grant.currency == EUR:
        rate = Decimal(1)
    if rate is None or rate <= 0:
        raise ActionError(_("The exchange rate must be more than zero."), field="rate")
    rate = Decimal(rate).quantize(Decimal("0.000001"))
    amount_eur = to_euros(amount, grant.currency, rate)
    paid_eur = grant.paid_eur + amount_eur
    envelopes = rules.envelopes_for(grant, lock=True)
    extra = paid_eur - grant.committed_eur
    if extra > 0:
        problems = rules.envelope_problems(grant, envelopes, extra)
        if problems:
            raise ActionError(
                _("At this rate the grant costs %(extra)s more than was committed.")
                % {"extra": rules.euros(extra)}
                + " "
                + " ".join(problems),
                code="over_budget",
            )
        _draw(envelopes, extra)
        grant.committed_eur += extra
    instalment.paid_on = paid_on
    instalment.amount_paid = amount
    instalment.rate = rate
    instalment.amount_paid_eur = amount_eur
    instalment.method = method
    instalment.paid_by = actor
    instalment.recorded_at = timezone.now()
    instalment.save(
        update_fields=[
            "paid_on",
            "amount_paid",
            "rate",
            "amount_paid_eur",
            "method",
            "paid_by",
            "recorded_at",
        ]
    )
    _draw(envelopes, Decimal(0), paid=amount_eur)
    grant.paid += amount
    grant.paid_eur = paid_eur
    if grant.paid == grant.amount:
        grant.status = Grant.Status.PAID
        # Paid in full for fewer euros than committed: the rest goes back to the envelope.
        release = grant.committed_eur - grant.paid_eur
        _draw(envelopes, -release)
        grant.committed_eur = grant.paid_eur
    else:
        grant.status = Grant.Status.PAYING
    _bump(grant, ["paid", "paid_eur", "status", "committed_eur"])
    _audit(
        "grant.payment_recorded",
        grant,
        actor=actor,
        instalment=instalment.number,
        amount=str(amount),
        currency=grant.currency,
        rate=str(rate),
        amount_eur=str(amount_eur),
        method=method,
        paid_on=str(paid_on),
    )
    event(
        grant.case,
        "grant_paid",
        actor=actor,
        number=instalment.number,
        amount=f"{amount} {grant.currency}",
        amount_eur=str(amount_eur),
    )
    if receipt_file is not None:
        add_receipt(instalment, actor=actor, uploaded_file=receipt_file)
    return instalment


@transaction.atomic
def add_receipt(instalment: Instalment, *, actor, uploaded_file) -> Receipt:
    instalment = Instalment.objects.select_related("grant__case").get(pk=instalment.pk)
    grant = instalment.grant
    _require_owner(actor, grant)
    if not instalment.is_paid:
        raise ActionError(_("Receipts are added to an instalment once it is paid."))
    document = upload_document(
        grant.case,
        actor=actor,
        uploaded_file=uploaded_file,
        kind=Document.Kind.RECEIPT,
        title=_("Receipt, instalment %(number)s") % {"number": instalment.number},
    )
    receipt = Receipt.objects.create(instalment=instalment, document=document, added_by=actor)
    _audit(
        "grant.receipt_added",
        grant,
        actor=actor,
        instalment=instalment.number,
        document=str(document.public_id),
    )
    return receipt


# ── Ending a grant ───────────────────────────────────────────────────────────────────────────


@transaction.atomic
def cancel_grant(grant: Grant, *, actor, reason: str, version=None) -> Grant:
    """Withdraw a request, or cancel an approved grant before anything is paid: what it
    committed returns to the envelope."""
    _require_owner(actor, grant)
    _locked(grant)
    _check_version(grant, version)
    if grant.status not in (Grant.Status.DRAFT, *rules.WAITING, Grant.Status.APPROVED):
        if grant.status == Grant.Status.PAYING:
            raise ActionError(_("Part of this grant was paid: close it early instead."))
        raise ActionError(_("This grant can no longer be cancelled."), code="already_done")
    if grant.status == Grant.Status.APPROVED and not actor.can(Capability.MANAGE_CASES):
        raise ActionError(_("Only a coordinator cancels an approved grant."), code="forbidden")
    if not (reason or "").strip():
        raise ActionError(_("Say why the grant is cancelled."), field="reason")
    released = _release(grant)
    grant.status = Grant.Status.CANCELLED
    grant.decision_reason = reason.strip()
    _bump(grant, ["status", "committed_eur", "decision_reason"])
    _audit(
        "grant.cancelled",
        grant,
        actor=actor,
        reason=grant.decision_reason,
        released_eur=str(released),
    )
    event(
        grant.case,
        "grant_cancelled",
        actor=actor,
        reason=grant.decision_reason,
        released_eur=str(released),
    )
    return grant


@transaction.atomic
def close_grant(grant: Grant, *, actor, reason: str, version=None) -> Grant:
    """Close a grant being paid before it is paid in full (the person gave up the business,
    moved away...): what was not paid returns to the envelope."""
    require_case_owner(actor, grant.case)
    if not actor.can(Capability.MANAGE_CASES):
        raise ActionError(_("Only a coordinator closes a grant early."), code="forbidden")
    _locked(grant)
    _check_version(grant, version)
    if grant.status != Grant.Status.PAYING:
        raise ActionError(_("Only a grant being paid can be closed early."), code="invalid")
    if not (reason or "").strip():
        raise ActionError(_("Say why the grant is closed early."), field="reason")
    released = _release(grant)
    grant.instalments.filter(paid_on__isnull=True).delete()
    grant.status = Grant.Status.CLOSED
    grant.decision_reason = reason.strip()
    _bump(grant, ["status", "committed_eur", "decision_reason"])
    _audit(
        "grant.closed",
        grant,
        actor=actor,
        reason=grant.decision_reason,
        paid=str(grant.paid),
        currency=grant.currency,
        released_eur=str(released),
    )
    event(
        grant.case,
        "grant_closed",
        actor=actor,
        reason=grant.decision_reason,
        released_eur=str(released),
    )
    return grant


def _release(grant: Grant) -> Decimal:
    """Give back to the envelope what the grant committed and did not pay."""
    release = grant.committed_eur - grant.paid_eur
    if release:
        _draw(rules.envelopes_for(grant, lock=True), -release)
        grant.committed_eur = grant.paid_eur
    return release

"""The rules of grants, public for the actions, the pages, the API and My work alike: who is
programme coordination, what a request needs before it is submitted, the caps, the envelope,
who may approve (four eyes), and what a payment needs. Each problem is a translated sentence
that says the figures."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.cases.models import Case
from retorno.grants.models import Envelope, Grant, GrantPolicy, GrantType, TypeCap
from retorno.lib.money import COUNTRY_CURRENCY, EUR, format_amount
from retorno.plans.models import Dimension

# The grants that hold part of an envelope (what they committed, or paid before they ended).
HOLDING = (
    Grant.Status.APPROVED,
    Grant.Status.PAYING,
    Grant.Status.PAID,
    Grant.Status.CANCELLED,
    Grant.Status.CLOSED,
)
# The grants that can still be paid.
PAYABLE = (Grant.Status.APPROVED, Grant.Status.PAYING)
# The grants a decision is waiting for.
WAITING = (Grant.Status.SUBMITTED, Grant.Status.COORDINATION)


def euros(amount) -> str:
    return format_amount(amount, EUR)


def is_programme_coordination(user) -> bool:
    """A coordinator of programme coordination: sets envelopes and policies, approves the grants
    above the policy's amount, reads every desk's budget."""
    organisation = getattr(user, "organisation", None)
    return (
        user.can(Capability.MANAGE_CASES)
        and organisation is not None
        and organisation.kind == Organisation.Kind.COORDINATION
    )


def may_edit_policy(user) -> bool:
    return is_programme_coordination(user) or user.can(Capability.MANAGE_ORGANISATIONS)


def may_read_budget(user, desk) -> bool:
    """The budget of a desk: its coordinators, programme coordination, M&E officers."""
    if is_programme_coordination(user) or user.can(Capability.VIEW_STATISTICS):
        return True
    organisation = getattr(user, "organisation", None)
    return (
        user.can(Capability.MANAGE_CASES)
        and organisation is not None
        and organisation.pk == desk.pk
        and organisation.kind == Organisation.Kind.NATIONAL_DESK
    )


def currencies_at(desk) -> list[str]:
    """What a desk pays in: the local currency of its country, and euros."""
    local = COUNTRY_CURRENCY.get(desk.country.code if desk.country else "", EUR)
    return [local, EUR] if local != EUR else [EUR]


def policy_of(cycle) -> GrantPolicy | None:
    return GrantPolicy.objects.filter(cycle=cycle).prefetch_related("caps").first()


def cap_of(policy: GrantPolicy, grant_type: str) -> Decimal | None:
    for cap in policy.caps.all():
        if cap.grant_type == grant_type:
            return cap.cap_eur
    return None


def offered_types(policy: GrantPolicy | None) -> list[str]:
    if policy is None:
        return []
    offered = {cap.grant_type for cap in policy.caps.all()}
    return [value for value in GrantType.values if value in offered]


def action_problem(plan_action) -> str | None:
    """Why a grant cannot be requested from this action of a plan."""
    if plan_action.goal.dimension != Dimension.ECONOMIC:
        return _("A grant is requested from an action of the economic part of the plan.")
    if plan_action.status == plan_action.Status.CANCELLED:
        return _("This action was cancelled.")
    return None


def missing_for_submission(grant: Grant) -> list[str]:
    """What a draft still lacks, as the names of what to fill in (empty: it can be submitted)."""
    missing = []
    if not grant.amount:
        missing.append(_("the amount"))
    if grant.currency != EUR and not grant.rate:
        missing.append(_("the exchange rate"))
    if not grant.purpose.strip():
        missing.append(_("the purpose"))
    if grant.is_business:
        if not grant.business_activity.strip():
            missing.append(_("the activity"))
        if not grant.business_startup_costs.strip():
            missing.append(_("the start-up costs"))
        if grant.business_monthly_income is None:
            missing.append(_("the expected monthly income"))
        if grant.business_monthly_costs is None:
            missing.append(_("the expected monthly costs"))
        if not grant.business_assets.strip():
            missing.append(_("what the person already has"))
        if not grant.quotes.exists():
            missing.append(_("at least one supplier quote"))
    return missing


def household_cases(case: Case):
    """The cases of the case's household: its own, and any other case of a person who returns in
    it, or in whose household its returnee returns."""
    persons = [case.person_id, *case.household.values_list("person_id", flat=True)]
    return Case.objects.filter(
        Q(pk=case.pk) | Q(person_id__in=persons) | Q(household__person_id__in=persons)
    ).values("pk")


def household_committed(grant: Grant) -> Decimal:
    """What the household's other grants in the cycle hold, in euros."""
    total = (
        Grant.objects.filter(
            case__in=household_cases(grant.case), cycle=grant.cycle, status__in=HOLDING
        )
        .exclude(pk=grant.pk)
        .aggregate(total=Sum("committed_eur"))["total"]
    )
    return total or Decimal(0)


def cap_problems(grant: Grant, policy: GrantPolicy) -> list[str]:
    """The caps a request is over, each saying the figures."""
    problems = []
    amount = grant.amount_eur or Decimal(0)
    cap = cap_of(policy, grant.grant_type)
    if cap is None:
        problems.append(
            _("This cycle's policy offers no grant of the type “%(type)s”.")
            % {"type": grant.get_grant_type_display()}
        )
    elif amount > cap:
        problems.append(
            _("%(amount)s is over the cap of %(cap)s for a grant of the type “%(type)s”.")
            % {"amount": euros(amount), "cap": euros(cap), "type": grant.get_grant_type_display()}
        )
    others = household_committed(grant)
    if others + amount > policy.household_cap_eur:
        problems.append(
            _(
                "The household already has %(others)s in grants this cycle; with %(amount)s it "
                "would have %(total)s, over the cap of %(cap)s per household."
            )
            % {
                "others": euros(others),
                "amount": euros(amount),
                "total": euros(others + amount),
                "cap": euros(policy.household_cap_eur),
            }
        )
    return problems


def envelopes_for(grant: Grant, *, lock: bool = False) -> list[Envelope]:
    """The envelope rows a grant draws on: the desk's whole envelope for the cycle and, if one is
    set aside, its grant type's part. Locked in a fixed order when asked (no deadlock)."""
    qs = Envelope.objects.filter(
        cycle=grant.cycle_id, desk=grant.desk_id, grant_type__in=["", grant.grant_type]
    ).order_by("pk")
    if lock:
        qs = qs.select_for_update()
    return list(qs)


def envelope_problems(grant: Grant, envelopes: list[Envelope], amount: Decimal) -> list[str]:
    """Whether `amount` euros more fit what remains in each envelope the grant draws on."""
    if not any(e.grant_type == "" for e in envelopes):
        return [_("The desk has no budget envelope for this cycle: ask programme coordination.")]
    problems = []
    for envelope in envelopes:
        remaining = envelope.amount_eur - envelope.committed_eur
        if amount > remaining:
            if envelope.grant_type:
                text = _(
                    "%(amount)s is more than what remains for “%(type)s” in the desk's "
                    "envelope: %(remaining)s of %(envelope)s."
                )
            else:
                text = _(
                    "%(amount)s is more than what remains in the desk's envelope: "
                    "%(remaining)s of %(envelope)s."
                )
            problems.append(
                text
                % {
                    "amount": euros(amount),
                    "remaining": euros(remaining),
                    "envelope": euros(envelope.amount_eur),
                    "type": envelope.get_grant_type_display(),
                }
            )
    return problems


def approval_problem(grant: Grant, actor) -> str | None:
    """Why the actor cannot decide on (approve or reject) the grant now; None when they can.

    The desk's step: a coordinator of the desk, who neither drafted nor submitted the request.
    Coordination's step: a programme coordination user who did not draft it either."""
    if grant.status == Grant.Status.SUBMITTED:
        if not actor.can(Capability.MANAGE_CASES) or actor.organisation is None:
            return _("Only a coordinator of the desk approves a grant.")
        if actor.organisation.pk != grant.desk_id:
            return _("Only a coordinator of the desk that made the request approves it.")
        if actor.pk in (grant.drafted_by_id, grant.submitted_by_id):
            return _("You prepared this request, so another coordinator must approve it.")
        return None
    if grant.status == Grant.Status.COORDINATION:
        if not is_programme_coordination(actor):
            return _("Programme coordination approves this grant too: it is over the amount.")
        if actor.pk in (grant.drafted_by_id, grant.submitted_by_id, grant.desk_approved_by_id):
            return _("You took part in this request, so someone else must approve it.")
        return None
    return _("Only a grant waiting for approval can be approved or rejected.")


def may_decide(user, grant: Grant) -> bool:
    return approval_problem(grant, user) is None


def payment_problem(instalment, grant: Grant, *, receipts_required: bool) -> str | None:
    """Why this instalment cannot be paid now (order, receipts, state); None when it can."""
    if grant.status not in PAYABLE:
        return _("Only an approved grant is paid.")
    if instalment.is_paid:
        return _("This instalment was already paid.")
    earlier = [i for i in grant.instalments.all() if i.number < instalment.number]
    unpaid = [i for i in earlier if not i.is_paid]
    if unpaid:
        return _("Pay instalment %(number)s first.") % {"number": unpaid[0].number}
    if receipts_required and earlier:
        previous = max(earlier, key=lambda i: i.number)
        if not previous.receipts.exists():
            return _(
                "The policy asks for the receipts of instalment %(number)s before the next "
                "is paid: add them first."
            ) % {"number": previous.number}
    return None


def is_desk_of_grant(user, grant: Grant) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.pk == grant.desk_id


def grant_types_with_caps(policy: GrantPolicy) -> list[tuple[str, str, Decimal | None]]:
    caps = {c.grant_type: c.cap_eur for c in TypeCap.objects.filter(policy=policy)}
    return [(value, label, caps.get(value)) for value, label in GrantType.choices]

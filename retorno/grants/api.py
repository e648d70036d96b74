"""API views for grants, grant policies, budget envelopes and the budget summary, on the same
access policy, rules and audited actions as the pages.

Grants are reached through `retorno.grants.access`: the staff of the desk that works on the case
read and change them, programme coordination reads every desk's (and approves those above the
policy's amount); anyone else gets 404. The API never gives person data, to anyone: a grant
names its case by reference and id only. Every change goes through `retorno.grants.actions`.

Amounts are JSON strings in plain decimal notation ("1720.00", "150000" for CLP), never JSON
numbers: a float cannot say an amount exactly. They are read with `retorno.lib.money`, in the
currency's minor units, and written with exactly them.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from retorno.accounts.roles import Capability
from retorno.cases import actions as case_actions
from retorno.cases.access import get_case_for_user
from retorno.cases.api.cases import CycleRef
from retorno.cases.api.documents import DocumentOutput
from retorno.grants import access, actions, rules
from retorno.grants.models import Envelope, Grant, GrantType, Instalment
from retorno.grants.queries import budget_rows
from retorno.lib.api.fields import (
    CaseRef,
    NeverPartial,
    OrganisationRef,
    UserRef,
    enum_field,
    text_field,
)
from retorno.lib.api.views import CaseAPIView, ManagesCases, query_data, validated_data
from retorno.lib.errors import ActionError
from retorno.lib.money import CURRENCIES, EUR, parse_amount, parse_rate, quantum
from retorno.plans import access as plans_access
from retorno.programmes.models import Cycle

GRANT_TYPE = ("GrantType", GrantType.choices)
GRANT_STATUS = ("GrantStatus", Grant.Status.choices)
METHOD = ("PaymentMethod", Instalment.Method.choices)
CURRENCY = ("GrantCurrency", [(code, code) for code in CURRENCIES])

AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
RATE_PATTERN = r"^[0-9]+(\.[0-9]{1,6})?$"


def _enum(spec, **kwargs):
    return enum_field(spec[0], spec[1], **kwargs)


# Amounts


def amount_text(amount, currency: str | None = EUR) -> str | None:
    """An amount as the API writes it: plain notation, exactly the currency's minor units."""
    if amount is None:
        return None
    return str(Decimal(amount).quantize(quantum(currency or EUR)))


@extend_schema_field(
    {
        "type": "string",
        "pattern": AMOUNT_PATTERN,
        "example": "1720.00",
        "description": "An amount as a string in plain decimal notation, with at most the "
        'currency\'s minor units (none for CLP and PYG: "150000"), never a JSON number.',
    }
)
class AmountField(serializers.Field):
    """An amount sent as text. Its currency is known only once the whole body is read, so the
    field checks that it is text and the serializer reads it (`read_amounts`)."""

    default_error_messages = {
        "number": _('Write the amount as text, for example "1500.00", not as a number.'),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("number")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(
    {
        "type": "string",
        "pattern": RATE_PATTERN,
        "example": "4.3",
        "description": 'Units of the currency one euro buys, as a string ("1080" for CLP, '
        '"4.3" for PEN; "1" for EUR), never a JSON number.',
    }
)
class RateField(AmountField):
    default_error_messages = {
        "number": _('Write the rate as text, for example "4.3", not as a number.'),
    }


@extend_schema_field({"type": "string", "pattern": AMOUNT_PATTERN, "example": "1720.00"})
class AmountOutput(serializers.Field):
    """An amount written with its currency's minor units, from `currency_source` of the
    object (a fixed currency when `currency` is given)."""

    def __init__(self, *, currency=None, currency_source="currency", **kwargs):
        self.currency = currency
        self.currency_source = currency_source
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        self._currency_now = self.currency or _dig(instance, self.currency_source)
        return super().get_attribute(instance)

    def to_representation(self, value):
        return amount_text(value, self._currency_now)


def _dig(obj, dotted: str):
    for name in dotted.split("."):
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name)
    return obj


class EurosOutput(AmountOutput):
    def __init__(self, **kwargs):
        super().__init__(currency=EUR, **kwargs)


@extend_schema_field({"type": "string", "pattern": RATE_PATTERN, "example": "4.300000"})
class RateOutput(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else str(value)


def read_amounts(data: dict, currency: str, names, *, rate_names=()) -> dict:
    """The amount fields of a validated body as Decimals in `currency`; 400 naming each field
    that is not an amount of that currency."""
    errors = {}
    for name in names:
        if data.get(name) is not None:
            try:
                data[name] = parse_amount(data[name], currency)
            except DjangoValidationError as error:
                errors[name] = list(error.messages)
    for name in rate_names:
        if data.get(name) is not None:
            try:
                data[name] = parse_rate(data[name], currency)
            except DjangoValidationError as error:
                errors[name] = list(error.messages)
    if errors:
        raise serializers.ValidationError(errors)
    return data


# Who may call what


class SeesGrants(permissions.BasePermission):
    """The grants list: desk staff and programme coordination; other roles get 403 (a grant of
    theirs does not exist: 404)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and (user.can(Capability.WORK_CASES) or rules.is_programme_coordination(user))
        )


class ReadsBudgets(permissions.BasePermission):
    """Envelopes and budgets: whoever may read a desk's budget (grants.access)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return access.budget_desks_visible_to(request.user).exists()
        return rules.is_programme_coordination(request.user)


class ReadsPolicies(permissions.BasePermission):
    """A policy holds no personal data: who works on cases or reads budgets reads it; it is
    changed by programme coordination and administrators (grants.rules.may_edit_policy)."""

    def has_permission(self, request, view):
        user = request.user
        if request.method in permissions.SAFE_METHODS:
            return bool(
                user.can(Capability.WORK_CASES)
                or rules.may_edit_policy(user)
                or access.budget_desks_visible_to(user).exists()
            )
        return rules.may_edit_policy(user)


class GrantAPIView(CaseAPIView):
    # A grant one may not see does not exist: 404 for every role, checked by grants.access.
    permission_classes = [permissions.IsAuthenticated]


# Output


class GrantRowOutput(serializers.Serializer):
    """A grant in a list: its case by reference only, never the person."""

    id = serializers.UUIDField(source="public_id")
    case = CaseRef()
    desk = OrganisationRef()
    cycle = CycleRef()
    grant_type = _enum(GRANT_TYPE)
    status = _enum(GRANT_STATUS)
    currency = _enum(CURRENCY)
    amount = AmountOutput(allow_null=True, help_text="null while the draft has none.")
    amount_eur = EurosOutput(allow_null=True, help_text="The amount in euros at the grant's rate.")
    committed_eur = EurosOutput(help_text="What the grant holds against the desk's envelope.")
    paid = AmountOutput(help_text="What was paid, in the grant's currency.")
    paid_eur = EurosOutput()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class BusinessPlanOutput(serializers.Serializer):
    """The short business plan of a self-employment grant (empty for other types)."""

    activity = serializers.CharField(source="business_activity")
    startup_costs = serializers.CharField(source="business_startup_costs")
    monthly_income = AmountOutput(source="business_monthly_income", allow_null=True)
    monthly_costs = AmountOutput(source="business_monthly_costs", allow_null=True)
    assets = serializers.CharField(source="business_assets", help_text="What the person has.")


class QuoteOutput(serializers.Serializer):
    document = serializers.UUIDField(source="document.public_id", help_text="A case document.")
    title = serializers.CharField(source="document.title")
    supplier = serializers.CharField()
    amount = AmountOutput(currency_source="grant.currency", allow_null=True)


class PaymentOutput(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = AmountOutput(source="amount_paid", currency_source="grant.currency")
    rate = RateOutput(help_text="Units of the grant's currency one euro bought.")
    amount_eur = EurosOutput(source="amount_paid_eur")
    method = _enum(METHOD)
    paid_by = UserRef()
    recorded_at = serializers.DateTimeField()
    receipts = serializers.ListField(
        child=serializers.UUIDField(), source="receipt_ids", help_text="Case documents."
    )


class InstalmentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField()
    planned_on = serializers.DateField()
    planned_amount = AmountOutput(currency_source="grant.currency")
    payment = serializers.SerializerMethodField(help_text="null until it is paid.")

    @extend_schema_field(PaymentOutput(allow_null=True))
    def get_payment(self, instalment):
        if not instalment.is_paid:
            return None
        instalment.receipt_ids = [r.document.public_id for r in instalment.receipts.all()]
        return PaymentOutput(instalment).data


class GrantOutput(GrantRowOutput):
    """A grant with its business plan, quotes, instalments and payments, and its decisions."""

    plan_action = serializers.UUIDField(source="plan_action.public_id", allow_null=True)
    purpose = serializers.CharField()
    rate = RateOutput(
        allow_null=True, help_text="Units of the currency one euro buys, for the estimate in euros."
    )
    business_plan = BusinessPlanOutput(source="*")
    quotes = QuoteOutput(many=True, source="quotes_list")
    instalments = InstalmentOutput(many=True, source="instalments_list")
    remaining = AmountOutput(help_text="What is still to be paid, in the grant's currency.")
    drafted_by = UserRef()
    submitted_by = UserRef(allow_null=True)
    desk_approved_by = UserRef(allow_null=True)
    desk_approved_at = serializers.DateTimeField(allow_null=True)
    needs_coordination = serializers.BooleanField(
        help_text="Above the policy's amount: programme coordination approves too."
    )
    coordination_approved_by = UserRef(allow_null=True)
    coordination_approved_at = serializers.DateTimeField(allow_null=True)
    decided_by = UserRef(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField(
        help_text="Why it was rejected, cancelled or closed early."
    )
    policy_version = serializers.IntegerField(
        allow_null=True, help_text="The version of the policy it was approved under."
    )
    receipts_required = serializers.BooleanField(
        help_text="The receipts of an instalment are needed before the next is paid."
    )
    may_approve = serializers.BooleanField(help_text="Whether you may approve or reject it now.")
    approval_problem = serializers.CharField(
        allow_null=True,
        help_text="Why you may not approve it now, in your language; null when you may.",
    )


def grant_data(request, grant) -> dict:
    grant.quotes_list = list(grant.quotes.select_related("document", "grant"))
    grant.instalments_list = list(
        grant.instalments.select_related("paid_by").prefetch_related("receipts__document")
    )
    for instalment in grant.instalments_list:
        instalment.grant = grant
    for quote in grant.quotes_list:
        quote.grant = grant
    problem = rules.approval_problem(grant, request.user)
    grant.approval_problem = str(problem) if problem else None
    grant.may_approve = problem is None
    return GrantOutput(grant).data


def reread(request, grant) -> dict:
    return grant_data(request, access.get_grant_for_user(request.user, grant.public_id))


class CapOutput(serializers.Serializer):
    grant_type = _enum(GRANT_TYPE)
    cap_eur = EurosOutput()


class PolicyOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    cycle = CycleRef()
    household_cap_eur = EurosOutput()
    coordination_threshold_eur = EurosOutput(
        help_text="Above this amount programme coordination approves too."
    )
    receipts_before_next = serializers.BooleanField()
    caps = CapOutput(many=True, help_text="The grant types offered, each with its cap.")
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class EnvelopeOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    cycle = CycleRef()
    desk = OrganisationRef()
    grant_type = _enum(GRANT_TYPE, allow_null=True, help_text="null for the desk's whole envelope.")
    amount_eur = EurosOutput()
    committed_eur = EurosOutput()
    paid_eur = EurosOutput()
    remaining_eur = EurosOutput()
    updated_at = serializers.DateTimeField()

    def to_representation(self, envelope):
        data = super().to_representation(envelope)
        data["grant_type"] = data["grant_type"] or None
        return data


class BudgetRowOutput(serializers.Serializer):
    grant_type = _enum(GRANT_TYPE, allow_null=True, help_text="null for the desk's total.")
    envelope_eur = EurosOutput(
        source="envelope", allow_null=True, help_text="null when none is set aside."
    )
    committed_eur = EurosOutput(source="committed")
    paid_eur = EurosOutput(source="paid")
    waiting_eur = EurosOutput(source="waiting", help_text="Requests waiting for approval.")
    remaining_eur = EurosOutput(source="remaining", allow_null=True)

    def to_representation(self, row):
        data = super().to_representation(row)
        data["grant_type"] = data["grant_type"] or None
        return data


class BudgetOutput(serializers.Serializer):
    cycle = CycleRef()
    desk = OrganisationRef()
    rows = BudgetRowOutput(many=True, help_text="One per grant type.")
    total = BudgetRowOutput()


# Input


class GrantListQuery(serializers.Serializer):
    status = serializers.ListField(child=_enum(GRANT_STATUS), required=False)
    grant_type = serializers.ListField(child=_enum(GRANT_TYPE), required=False)
    desk = serializers.CharField(required=False, max_length=20, help_text="A desk's code: LIM")
    cycle = serializers.UUIDField(required=False)
    case = serializers.UUIDField(required=False)


AMOUNT_FIELDS = ("amount", "business_monthly_income", "business_monthly_costs")


class GrantFieldsInput(serializers.Serializer):
    grant_type = _enum(GRANT_TYPE)
    currency = _enum(CURRENCY, help_text="The desk's local currency, or EUR.")
    amount = AmountField(required=False, allow_null=True)
    rate = RateField(
        required=False,
        allow_null=True,
        help_text="Units of the currency one euro buys; 1 (or left out) for EUR.",
    )
    purpose = text_field()
    business_activity = text_field()
    business_startup_costs = text_field()
    business_monthly_income = AmountField(required=False, allow_null=True)
    business_monthly_costs = AmountField(required=False, allow_null=True)
    business_assets = text_field(help_text="What the person already has.")


class GrantDraftInput(GrantFieldsInput):
    plan_action = serializers.UUIDField(
        help_text="An action of the economic part of the case's plan."
    )


class GrantUpdateInput(NeverPartial, GrantFieldsInput):
    """Send the fields that change and the `version` you read."""

    grant_type = _enum(GRANT_TYPE, required=False)
    currency = _enum(CURRENCY, required=False)
    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile by someone else gives 409."
    )


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="The version you read; if it changed meanwhile: 409."
    )


class ApproveInput(VersionInput):
    note = text_field(help_text="Goes in the audit trail.")


class ReasonInput(VersionInput):
    reason = serializers.CharField(help_text="Goes on the case's timeline.")


class PlannedInstalmentInput(serializers.Serializer):
    planned_on = serializers.DateField()
    amount = AmountField()


class InstalmentsInput(VersionInput):
    instalments = PlannedInstalmentInput(
        many=True,
        help_text="The unpaid instalments, in order; with what was paid they add up to the "
        "grant's amount.",
    )


class PaymentInput(VersionInput):
    paid_on = serializers.DateField()
    amount = AmountField(help_text="In the grant's currency.")
    rate = RateField(required=False, help_text="Units of the currency one euro bought that day.")
    method = _enum(METHOD)


class ReceiptInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF or image of the receipt; 10 MB at most.")


class QuoteInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF or image of the quote; 10 MB at most.")
    supplier = text_field(200)
    amount = AmountField(required=False, allow_null=True, help_text="In the grant's currency.")


class CapInput(serializers.Serializer):
    grant_type = _enum(GRANT_TYPE)
    cap_eur = AmountField()


class PolicyInput(serializers.Serializer):
    household_cap_eur = AmountField()
    coordination_threshold_eur = AmountField()
    receipts_before_next = serializers.BooleanField()
    caps = CapInput(many=True, help_text="The grant types offered, each with its cap in euros.")
    version = serializers.IntegerField(
        required=False, help_text="The version you read; if it changed meanwhile: 409."
    )


class EnvelopeQuery(serializers.Serializer):
    cycle = serializers.UUIDField(required=False)
    desk = serializers.CharField(required=False, max_length=20, help_text="A desk's code: LIM")


class EnvelopeInput(serializers.Serializer):
    cycle = serializers.UUIDField()
    desk = serializers.CharField(max_length=20, help_text="A national desk's code: LIM")
    grant_type = _enum(
        GRANT_TYPE,
        required=False,
        allow_null=True,
        help_text="The part set aside for a grant type; left out for the desk's whole envelope.",
    )
    amount_eur = AmountField()


class BudgetQuery(serializers.Serializer):
    cycle = serializers.UUIDField()
    desk = serializers.CharField(max_length=20, help_text="A national desk's code: LIM")


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=query_data(serializer_class, request.query_params))
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _cycle(public_id, *, field=None) -> Cycle:
    cycle = Cycle.objects.filter(public_id=public_id).select_related("programme").first()
    if cycle is None:
        if field:
            raise serializers.ValidationError({field: [_("No such programme cycle.")]})
        raise exceptions.NotFound()
    return cycle


def _desk_for_budget(user, code):
    desk = access.budget_desks_visible_to(user).filter(code=code).first()
    if desk is None:
        raise exceptions.NotFound()
    return desk


# Grants


class GrantCollection(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, SeesGrants]

    @extend_schema(
        operation_id="grants_list",
        parameters=[GrantListQuery],
        responses=GrantRowOutput(many=True),
        description="The grants you may see, latest first: your desk's, or every desk's for "
        "programme coordination. Cases by reference only.",
    )
    def get(self, request):
        query = _query(GrantListQuery, request)
        grants = access.grants_visible_to(request.user).select_related(
            "case", "desk", "cycle__programme"
        )
        if query.get("status"):
            grants = grants.filter(status__in=query["status"])
        if query.get("grant_type"):
            grants = grants.filter(grant_type__in=query["grant_type"])
        if query.get("desk"):
            grants = grants.filter(desk__code=query["desk"])
        if query.get("cycle"):
            grants = grants.filter(cycle__public_id=query["cycle"])
        if query.get("case"):
            grants = grants.filter(case__public_id=query["case"])
        return self.paginate(grants.order_by("-created_at", "-pk"), GrantRowOutput)


class CaseGrants(CaseAPIView):
    @extend_schema(
        operation_id="cases_grants_create",
        request=GrantDraftInput,
        responses={201: GrantOutput},
        description="Draft a grant request from an action of the economic part of the case's "
        "plan. A draft may be incomplete; it is checked in full when it is submitted.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        data = dict(validated_data(GrantDraftInput, request))
        action = (
            plans_access.plan_actions_visible_to(request.user)
            .filter(goal__plan__case=case, public_id=data.pop("plan_action"))
            .select_related("goal__plan__case")
            .first()
        )
        if action is None:
            raise serializers.ValidationError(
                {"plan_action": [_("Choose an action of this case's plan.")]}
            )
        currency = data.pop("currency")
        data = read_amounts(data, currency, AMOUNT_FIELDS, rate_names=("rate",))
        grant = actions.draft_grant(
            action, actor=request.user, grant_type=data.pop("grant_type"), currency=currency, **data
        )
        return Response(reread(request, grant), status=status.HTTP_201_CREATED)


class GrantDetail(GrantAPIView):
    @extend_schema(
        operation_id="grants_retrieve",
        responses=GrantOutput,
        description="A grant with its business plan, quotes, instalments and payments. The "
        "read is recorded in the audit trail.",
    )
    def get(self, request, id):
        grant = access.get_grant_for_user(request.user, id)
        case_actions.record_case_view(grant.case, actor=request.user, page="grant")
        return Response(grant_data(request, grant))

    @extend_schema(
        operation_id="grants_partial_update",
        request=GrantUpdateInput,
        responses={200: GrantOutput},
        description="Change a draft; send the fields that change and the `version` you read. "
        "Someone else's change since then gives 409 `conflict`; a grant that is no longer a "
        "draft gives 400 `not_draft`.",
    )
    def patch(self, request, id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        data = dict(validated_data(GrantUpdateInput, request))
        version = data.pop("version")
        currency = data.get("currency", grant.currency)
        data = read_amounts(data, currency, AMOUNT_FIELDS, rate_names=("rate",))
        actions.update_grant(grant, actor=request.user, version=version, **data)
        return Response(reread(request, grant))


class GrantSubmit(GrantAPIView):
    @extend_schema(
        operation_id="grants_submit_create",
        request=VersionInput,
        responses={200: GrantOutput},
        description="Send a complete draft for the desk's approval (400 `incomplete` naming "
        "what is missing, `over_cap` with the figures; 409 `already_done` if it was sent).",
    )
    def post(self, request, id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        data = validated_data(VersionInput, request)
        actions.submit_grant(grant, actor=request.user, version=data.get("version"))
        return Response(reread(request, grant))


def refuse_if_not_deciding(user, grant) -> None:
    """403 before the body is read for whoever may not decide on a request waiting for a
    decision (grants.rules.approval_problem); the action checks it again under its lock."""
    problem = rules.approval_problem(grant, user)
    if problem and grant.status in rules.WAITING:
        raise ActionError(problem, code="forbidden")


class GrantApprove(GrantAPIView):
    @extend_schema(
        operation_id="grants_approve_create",
        request=ApproveInput,
        responses={200: GrantOutput},
        description="Four eyes: a coordinator of the desk who neither drafted nor submitted "
        "the request approves it; above the policy's amount programme coordination approves "
        "too. 403 `forbidden` saying why for anyone else; 409 `already_done` once decided; "
        "400 `over_cap` or `over_budget` with the figures. The last approval commits the "
        "amount against the desk's envelope.",
    )
    def post(self, request, id):
        grant = access.get_grant_for_user(request.user, id)
        refuse_if_not_deciding(request.user, grant)
        data = validated_data(ApproveInput, request)
        actions.approve_grant(
            grant, actor=request.user, version=data.get("version"), note=data.get("note", "")
        )
        return Response(reread(request, grant))


class GrantReject(GrantAPIView):
    @extend_schema(
        operation_id="grants_reject_create",
        request=ReasonInput,
        responses={200: GrantOutput},
        description="Reject a request waiting for your approval, saying why (the same four "
        "eyes as approving).",
    )
    def post(self, request, id):
        grant = access.get_grant_for_user(request.user, id)
        refuse_if_not_deciding(request.user, grant)
        data = validated_data(ReasonInput, request)
        actions.reject_grant(
            grant, actor=request.user, reason=data["reason"], version=data.get("version")
        )
        return Response(reread(request, grant))


class GrantCancel(GrantAPIView):
    @extend_schema(
        operation_id="grants_cancel_create",
        request=ReasonInput,
        responses={200: GrantOutput},
        description="Withdraw a request, or cancel an approved grant before anything is paid "
        "(a coordinator): what it committed returns to the envelope.",
    )
    def post(self, request, id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        data = validated_data(ReasonInput, request)
        actions.cancel_grant(
            grant, actor=request.user, reason=data["reason"], version=data.get("version")
        )
        return Response(reread(request, grant))


class GrantClose(GrantAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="grants_close_create",
        request=ReasonInput,
        responses={200: GrantOutput},
        description="Close a grant being paid before it is paid in full (a coordinator): what "
        "was not paid returns to the envelope.",
    )
    def post(self, request, id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        data = validated_data(ReasonInput, request)
        actions.close_grant(
            grant, actor=request.user, reason=data["reason"], version=data.get("version")
        )
        return Response(reread(request, grant))


class GrantInstalments(GrantAPIView):
    @extend_schema(
        operation_id="grants_instalments_update",
        request=InstalmentsInput,
        responses={200: GrantOutput},
        description="Plan the instalments still to be paid, replacing the unpaid ones.",
    )
    def put(self, request, id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        data = validated_data(InstalmentsInput, request)
        planned, errors = [], []
        for item in data["instalments"]:
            try:
                amount = parse_amount(item["amount"], grant.currency)
            except DjangoValidationError as error:
                errors.extend(error.messages)
                continue
            planned.append((item["planned_on"], amount))
        if errors:
            raise serializers.ValidationError({"instalments": errors})
        actions.plan_instalments(
            grant, actor=request.user, instalments=planned, version=data.get("version")
        )
        return Response(reread(request, grant))


class InstalmentPayment(GrantAPIView):
    @extend_schema(
        operation_id="grants_instalments_payment_create",
        request=PaymentInput,
        responses={200: GrantOutput},
        description="Record the payment of an instalment, in the grant's currency at the "
        "day's rate; add its receipt with `receipts/`. 400 `over_budget` when at this rate the "
        "grant would cost more euros than remain; 409 `already_done` for a paid instalment.",
    )
    def post(self, request, id, instalment_id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        instalment = access.get_instalment_for_user(request.user, grant, instalment_id)
        instalment.grant = grant
        data = dict(validated_data(PaymentInput, request))
        if grant.currency == EUR:
            data.setdefault("rate", "1")
        elif data.get("rate") is None:
            raise serializers.ValidationError({"rate": [_("Enter the exchange rate.")]})
        data = read_amounts(data, grant.currency, ("amount",), rate_names=("rate",))
        actions.record_payment(
            instalment,
            actor=request.user,
            paid_on=data["paid_on"],
            amount=data["amount"],
            rate=data["rate"],
            method=data["method"],
            version=data.get("version"),
        )
        return Response(reread(request, grant))


class InstalmentReceipts(GrantAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="grants_instalments_receipts_create",
        request=ReceiptInput,
        responses={201: DocumentOutput},
        description="Add a receipt to a paid instalment (multipart/form-data); it becomes a "
        "document of the case.",
    )
    def post(self, request, id, instalment_id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        instalment = access.get_instalment_for_user(request.user, grant, instalment_id)
        instalment.grant = grant
        data = validated_data(ReceiptInput, request)
        receipt = actions.add_receipt(instalment, actor=request.user, uploaded_file=data["file"])
        return Response(DocumentOutput(receipt.document).data, status=status.HTTP_201_CREATED)


class GrantQuotes(GrantAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="grants_quotes_create",
        request=QuoteInput,
        responses={201: QuoteOutput},
        description="Add a supplier's quote to a draft (multipart/form-data); the file becomes "
        "a document of the case.",
    )
    def post(self, request, id):
        grant = access.get_grant_for_user(request.user, id, write=True)
        data = dict(validated_data(QuoteInput, request))
        if data.get("amount") in ("", None):
            data["amount"] = None
        data = read_amounts(data, grant.currency, ("amount",))
        quote = actions.add_quote(
            grant,
            actor=request.user,
            uploaded_file=data["file"],
            supplier=data.get("supplier", ""),
            amount=data["amount"],
        )
        quote.grant = grant
        return Response(QuoteOutput(quote).data, status=status.HTTP_201_CREATED)


# Policies, envelopes, budgets


class CycleGrantPolicy(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ReadsPolicies]

    @extend_schema(
        operation_id="cycles_grant_policy_retrieve",
        responses=PolicyOutput,
        description="The cycle's grant policy: the types offered with their caps, the cap per "
        "household, and the amount above which programme coordination approves too. 404 "
        "`no_policy` when the cycle has none yet.",
    )
    def get(self, request, id):
        cycle = _cycle(id)
        policy = rules.policy_of(cycle)
        if policy is None:
            raise exceptions.NotFound(_("This cycle has no grant policy yet."), code="no_policy")
        policy.cycle = cycle
        return Response(PolicyOutput(policy).data)

    @extend_schema(
        operation_id="cycles_grant_policy_update",
        request=PolicyInput,
        responses={200: PolicyOutput, 201: PolicyOutput},
        description="Set the cycle's policy (201 the first time). Grants already approved keep "
        "the figures they were approved under; requests waiting are checked against the new "
        "ones. Programme coordination and administrators.",
    )
    def put(self, request, id):
        cycle = _cycle(id)
        data = dict(validated_data(PolicyInput, request))
        data = read_amounts(data, EUR, ("household_cap_eur", "coordination_threshold_eur"))
        caps, errors = {}, []
        for item in data["caps"]:
            try:
                caps[item["grant_type"]] = parse_amount(item["cap_eur"], EUR)
            except DjangoValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise serializers.ValidationError({"caps": errors})
        for grant_type in GrantType.values:
            caps.setdefault(grant_type, None)
        existed = rules.policy_of(cycle) is not None
        policy = actions.save_policy(
            cycle,
            actor=request.user,
            household_cap_eur=data["household_cap_eur"],
            coordination_threshold_eur=data["coordination_threshold_eur"],
            receipts_before_next=data["receipts_before_next"],
            caps=caps,
            version=data.get("version"),
        )
        policy = rules.policy_of(cycle)
        policy.cycle = cycle
        return Response(
            PolicyOutput(policy).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class EnvelopeCollection(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ReadsBudgets]

    @extend_schema(
        operation_id="envelopes_list",
        parameters=[EnvelopeQuery],
        responses={
            200: EnvelopeOutput(many=True),
            404: OpenApiResponse(
                description="A desk you may not read, or no such page (`not_found`)."
            ),
        },
        description="The budget envelopes of the desks whose budget you may read (404 for a "
        "desk you may not).",
    )
    def get(self, request):
        query = _query(EnvelopeQuery, request)
        envelopes = Envelope.objects.filter(
            desk__in=access.budget_desks_visible_to(request.user)
        ).select_related("cycle__programme", "desk")
        if query.get("desk"):
            envelopes = envelopes.filter(desk=_desk_for_budget(request.user, query["desk"]))
        if query.get("cycle"):
            envelopes = envelopes.filter(cycle__public_id=query["cycle"])
        return self.paginate(
            envelopes.order_by("cycle__starts_on", "desk__code", "grant_type", "pk"),
            EnvelopeOutput,
        )

    @extend_schema(
        operation_id="envelopes_update",
        request=EnvelopeInput,
        responses={200: EnvelopeOutput},
        description="Set a desk's envelope for a cycle, in euros, or the part of it set aside "
        "for a grant type (programme coordination). It can never be less than what is "
        "committed against it.",
    )
    def put(self, request):
        data = dict(validated_data(EnvelopeInput, request))
        cycle = _cycle(data["cycle"], field="cycle")
        desk = access.budget_desks_visible_to(request.user).filter(code=data["desk"]).first()
        if desk is None:
            raise serializers.ValidationError({"desk": [_("No such national desk.")]})
        data = read_amounts(data, EUR, ("amount_eur",))
        envelope = actions.set_envelope(
            cycle,
            desk,
            actor=request.user,
            amount_eur=data["amount_eur"],
            grant_type=data.get("grant_type") or "",
        )
        envelope.cycle, envelope.desk = cycle, desk
        return Response(EnvelopeOutput(envelope).data)


class Budget(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ReadsBudgets]

    @extend_schema(
        operation_id="budget_retrieve",
        parameters=[BudgetQuery],
        responses={
            200: BudgetOutput,
            404: OpenApiResponse(
                description="A desk you may not read, or no such cycle (`not_found`)."
            ),
        },
        description="A desk's budget in a cycle, in euros, per grant type and in total: the "
        "envelope, what is committed, paid and remaining, and what waits for approval. For "
        "the desk's coordinators, programme coordination and M&E officers (404 for a desk you "
        "may not read).",
    )
    def get(self, request):
        query = _query(BudgetQuery, request)
        desk = _desk_for_budget(request.user, query["desk"])
        cycle = _cycle(query["cycle"])
        rows, total = budget_rows(cycle, desk)
        data = {"cycle": cycle, "desk": desk, "rows": rows, "total": total}
        return Response(BudgetOutput(data).data)

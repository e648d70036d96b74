"""API views for reintegration plans, on the same access policy, actions and audit as the pages.

The plan is part of the case: a case the user works on can be read with its plan, and only the
owning desk changes it (`retorno.cases.access.get_case_for_user`, with `write=True` to change).
Every change goes through `retorno.plans.actions`; reading a plan records a read of the case, as
the plan page does, and printing one records the print. The API speaks codes (status, dimension...).
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response

from retorno.cases import actions as case_actions
from retorno.cases.access import get_case_for_user
from retorno.directory import access as directory_access
from retorno.directory.api import EntryRef
from retorno.lib.api.fields import NeverPartial, OrganisationRef, UserRef, enum_field, text_field
from retorno.lib.api.views import CaseAPIView, ManagesCases, validated_data
from retorno.plans import access, actions, pdf, rules
from retorno.plans.forms import CURRENCIES
from retorno.plans.models import Dimension, Plan, PlanAction

PLAN_STATUS = ("PlanStatus", Plan.Status.choices)
AGREED_HOW = ("PlanAgreedHow", Plan.AgreedHow.choices)
DIMENSION = ("PlanDimension", Dimension.choices)
ACTION_STATUS = ("PlanActionStatus", PlanAction.Status.choices)
RESPONSIBLE = ("PlanActionResponsible", PlanAction.Responsible.choices)
CURRENCY = ("Currency", [(code, code) for code, _label in CURRENCIES if code])
PRINT_LANGUAGE = ("PrintLanguage", [(code, code) for code in pdf.PRINT_LANGUAGES])


def _enum(spec, **kwargs):
    return enum_field(spec[0], spec[1], **kwargs)


# Output


class DirectoryServiceRef(serializers.Serializer):
    """A service of the directory, with the organisation that offers it."""

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    organization = EntryRef()


class PlanActionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    goal = serializers.UUIDField(source="goal.public_id")
    description = serializers.CharField()
    responsible = _enum(RESPONSIBLE)
    service = DirectoryServiceRef(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = _enum(ACTION_STATUS)
    estimated_cost = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    currency = serializers.CharField(help_text="ISO 4217; empty when there is no cost.")
    position = serializers.IntegerField()
    lineage = serializers.UUIDField(
        help_text="The same in every version of the plan: versions are compared by it."
    )


class PlanGoalOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    dimension = _enum(DIMENSION)
    description = serializers.CharField()
    position = serializers.IntegerField()
    lineage = serializers.UUIDField(
        help_text="The same in every version of the plan: versions are compared by it."
    )
    actions = PlanActionOutput(many=True)


class PlanVersionOutput(serializers.Serializer):
    """One version of the plan, without its goals."""

    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField()
    status = _enum(PLAN_STATUS)
    drafted_by = UserRef()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_by = UserRef(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    agreed_on = serializers.DateField(allow_null=True)


class PlanOutput(serializers.Serializer):
    """A version of the plan with its goals and their actions."""

    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField()
    status = _enum(PLAN_STATUS)
    summary = serializers.CharField()
    editable = serializers.BooleanField(help_text="A draft: its summary, goals and actions change.")
    previous = serializers.IntegerField(
        source="previous.number",
        allow_null=True,
        help_text="The number of the approved version this one was copied from.",
    )
    drafted_by = UserRef()
    drafted_at_desk = OrganisationRef()
    created_at = serializers.DateTimeField()
    submitted_by = UserRef(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_by = UserRef(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    agreed_on = serializers.DateField(allow_null=True)
    agreed_how = _enum(AGREED_HOW, allow_null=True)
    agreement_witness = serializers.CharField()
    may_approve = serializers.BooleanField(help_text="Whether you may approve this version now.")
    approval_problem = serializers.CharField(
        allow_null=True,
        help_text="Why you may not approve this version, as a sentence in your language; "
        "null when you may.",
    )
    goals = PlanGoalOutput(many=True, source="goals_list")

    def to_representation(self, plan):
        data = super().to_representation(plan)
        data["agreed_how"] = data["agreed_how"] or None  # not agreed yet
        return data


def plan_data(request, case, plan) -> dict:
    """The version with its goals and actions, and what the user may do with it."""
    plan.case = case  # the case as read through the access policy
    plan.goals_list = list(plan.goals.prefetch_related("actions__service__organization"))
    problem = rules.approval_problem(plan, request.user)
    plan.approval_problem = str(problem) if problem else None
    plan.may_approve = problem is None
    return PlanOutput(plan).data


def current_or_404(case) -> Plan:
    plan = access.current_plan(case)
    if plan is None:
        raise exceptions.NotFound(_("This case has no reintegration plan yet."), code="no_plan")
    return plan


def reread(request, case, plan) -> dict:
    return plan_data(request, case, access.get_plan_version(case, plan.number))


def live_action(user, case, public_id) -> PlanAction:
    """An action of the version people work on, or of the approved version in force (its
    progress is recorded without a new version); 404 otherwise."""
    plan = current_or_404(case)
    in_force = access.plans_of_case(case).filter(status=Plan.Status.APPROVED).first()
    found = (
        access.plan_actions_visible_to(user)
        .filter(goal__plan__in=[p for p in (plan, in_force) if p is not None])
        .filter(public_id=public_id)
        .select_related("goal__plan", "service__organization")
        .first()
    )
    if found is None:
        raise exceptions.NotFound()
    return found


# Input


class PlanDraftInput(serializers.Serializer):
    summary = text_field(help_text="In a few sentences: where the person wants to be in a year.")


class PlanSummaryInput(NeverPartial, PlanDraftInput):
    summary = serializers.CharField(allow_blank=True)


class PlanGoalInput(serializers.Serializer):
    dimension = _enum(DIMENSION)
    description = serializers.CharField(help_text="In the person's words if possible.")


class PlanActionInput(serializers.Serializer):
    description = serializers.CharField()
    responsible = _enum(RESPONSIBLE)
    service = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A service of the directory; needed when `responsible` is `service`.",
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    estimated_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    currency = _enum(CURRENCY, required=False, allow_blank=True)

    def validate_service(self, value):
        if value is None:
            return None
        service = (
            directory_access.services_visible_to(self.context["request"].user)
            .filter(public_id=value)
            .first()
        )
        if service is None:
            raise serializers.ValidationError(_("Choose the service from the directory"))
        return service


class PlanActionStatusInput(serializers.Serializer):
    status = _enum(ACTION_STATUS)


class PlanSendBackInput(serializers.Serializer):
    reason = serializers.CharField(help_text="What should change; it goes on the timeline.")


class PlanAgreementInput(serializers.Serializer):
    agreed_on = serializers.DateField()
    how = _enum(AGREED_HOW)
    witness = text_field(150, help_text="Needed for a verbal agreement.")


def _partial(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data, partial=True, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Views


class CasePlan(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_retrieve",
        responses=PlanOutput,
        description="The version people work on: the draft or the version waiting for "
        "approval if there is one, otherwise the approved version. 404 `no_plan` when the "
        "case has no plan yet.",
    )
    def get(self, request, id):
        case = get_case_for_user(request.user, id)
        case_actions.record_case_view(case, actor=request.user, page="plan")
        return Response(plan_data(request, case, current_or_404(case)))

    @extend_schema(
        operation_id="cases_plan_create",
        request=PlanDraftInput,
        responses={201: PlanOutput},
        description="Start the plan (version 1, a draft). A case with a plan changes it with "
        "a new version instead.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        data = validated_data(PlanDraftInput, request)
        plan = actions.draft_plan(case, actor=request.user, summary=data.get("summary", ""))
        return Response(reread(request, case, plan), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_plan_partial_update",
        request=PlanSummaryInput,
        responses={200: PlanOutput},
        description="Change the summary of the draft.",
    )
    def patch(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        plan = current_or_404(case)
        data = validated_data(PlanSummaryInput, request)
        actions.update_plan_summary(plan, actor=request.user, summary=data["summary"])
        return Response(reread(request, case, plan))


class PlanVersions(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_versions_list",
        responses=PlanVersionOutput(many=True),
        description="Every version of the plan, latest first.",
    )
    def get(self, request, id):
        case = get_case_for_user(request.user, id)
        case_actions.record_case_view(case, actor=request.user, page="plan")
        return self.paginate(access.plans_of_case(case).order_by("-number"), PlanVersionOutput)


class PlanVersion(CaseAPIView):
    @extend_schema(operation_id="cases_plan_versions_retrieve", responses=PlanOutput)
    def get(self, request, id, number):
        case = get_case_for_user(request.user, id)
        plan = access.get_plan_version(case, number)
        case_actions.record_case_view(case, actor=request.user, page="plan")
        return Response(plan_data(request, case, plan))


class PlanPdf(CaseAPIView):
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # The PDF comes as a PDF whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="cases_plan_versions_pdf",
        parameters=[
            OpenApiParameter(
                "language",
                enum=[code for code, _label in PRINT_LANGUAGE[1]],
                description="The language to print in; by default the first the person "
                "speaks that the plan prints in.",
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The plan to take home, as a PDF."
            )
        },
    )
    def get(self, request, id, number):
        case = get_case_for_user(request.user, id)
        plan = access.get_plan_version(case, number)
        language = pdf.language_for(case.person, request.query_params.get("language"))
        content = pdf.render_plan(plan, user=request.user, language=language)
        actions.record_print(plan, actor=request.user, language=language)
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"plan-{case.reference}-v{plan.number}-{language}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class PlanGoals(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_goals_create",
        request=PlanGoalInput,
        responses={201: PlanGoalOutput},
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        plan = current_or_404(case)
        data = validated_data(PlanGoalInput, request)
        goal = actions.add_goal(plan, actor=request.user, **data)
        return Response(PlanGoalOutput(goal).data, status=status.HTTP_201_CREATED)


class PlanGoal(CaseAPIView):
    def _goal(self, request, id, goal_id):
        case = get_case_for_user(request.user, id, write=True)
        return access.get_goal_for_user(request.user, current_or_404(case), goal_id)

    @extend_schema(
        operation_id="cases_plan_goals_partial_update",
        request=PlanGoalInput,
        responses={200: PlanGoalOutput},
        description="Change a goal of the draft; send only what changes.",
    )
    def patch(self, request, id, goal_id):
        goal = self._goal(request, id, goal_id)
        data = _partial(PlanGoalInput, request)
        fields = {"dimension": goal.dimension, "description": goal.description, **data}
        goal = actions.update_goal(goal, actor=request.user, **fields)
        return Response(PlanGoalOutput(goal).data)

    @extend_schema(
        operation_id="cases_plan_goals_destroy",
        request=None,
        responses={204: None},
        description="Remove a goal of the draft with its actions.",
    )
    def delete(self, request, id, goal_id):
        goal = self._goal(request, id, goal_id)
        actions.remove_goal(goal, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanGoalActions(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_goals_actions_create",
        request=PlanActionInput,
        responses={201: PlanActionOutput},
    )
    def post(self, request, id, goal_id):
        case = get_case_for_user(request.user, id, write=True)
        goal = access.get_goal_for_user(request.user, current_or_404(case), goal_id)
        data = validated_data(PlanActionInput, request)
        action = actions.add_action(goal, actor=request.user, **data)
        return Response(PlanActionOutput(action).data, status=status.HTTP_201_CREATED)


class PlanActionDetail(CaseAPIView):
    def _action(self, request, id, action_id):
        case = get_case_for_user(request.user, id, write=True)
        return access.get_action_for_user(request.user, current_or_404(case), action_id)

    @extend_schema(
        operation_id="cases_plan_actions_partial_update",
        request=PlanActionInput,
        responses={200: PlanActionOutput},
        description="Change an action of the draft; send only what changes.",
    )
    def patch(self, request, id, action_id):
        action = self._action(request, id, action_id)
        data = _partial(PlanActionInput, request)
        fields = {name: getattr(action, name) for name in actions.ACTION_FIELDS}
        fields.update(data)
        action = actions.update_action(action, actor=request.user, **fields)
        return Response(PlanActionOutput(action).data)

    @extend_schema(
        operation_id="cases_plan_actions_destroy",
        request=None,
        responses={204: None},
        description="Remove an action of the draft. One a referral was made from stays: "
        "cancel it with its status instead.",
    )
    def delete(self, request, id, action_id):
        action = self._action(request, id, action_id)
        actions.remove_action(action, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanActionStatus(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_actions_status_create",
        request=PlanActionStatusInput,
        responses={200: PlanActionOutput},
        description="Record progress on an action of the approved plan (or of the version "
        "being written) without a new version.",
    )
    def post(self, request, id, action_id):
        case = get_case_for_user(request.user, id, write=True)
        action = live_action(request.user, case, action_id)
        data = validated_data(PlanActionStatusInput, request)
        action = actions.set_action_status(action, actor=request.user, status=data["status"])
        return Response(PlanActionOutput(action).data)


class PlanSubmit(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_submit_create",
        request=None,
        responses={200: PlanOutput},
        description="Send the draft for approval by a coordinator of the desk who did not "
        "write any of it.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        plan = actions.submit_plan(current_or_404(case), actor=request.user)
        return Response(reread(request, case, plan))


class PlanApprove(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="cases_plan_approve_create",
        request=None,
        responses={200: PlanOutput},
        description="Four eyes: a coordinator of the owning desk who wrote no part of the "
        "version approves it (403 `forbidden` otherwise, saying why; 409 `already_done` for "
        "an approved version). The previous approved version is superseded.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        plan = actions.approve_plan(current_or_404(case), actor=request.user)
        return Response(reread(request, case, plan))


class PlanSendBack(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="cases_plan_send_back_create",
        request=PlanSendBackInput,
        responses={200: PlanOutput},
        description="Send the version waiting for approval back to draft, saying what should "
        "change.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        plan = current_or_404(case)
        data = validated_data(PlanSendBackInput, request)
        plan = actions.send_back_plan(plan, actor=request.user, reason=data["reason"])
        return Response(reread(request, case, plan))


class PlanAgreement(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_agreement_create",
        request=PlanAgreementInput,
        responses={200: PlanOutput},
        description="Record that the person agreed to the approved plan.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        plan = current_or_404(case)
        data = validated_data(PlanAgreementInput, request)
        plan = actions.record_agreement(
            plan,
            actor=request.user,
            agreed_on=data["agreed_on"],
            how=data["how"],
            witness=data.get("witness", ""),
        )
        return Response(reread(request, case, plan))


class PlanNewVersion(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_new_version_create",
        request=None,
        responses={201: PlanOutput},
        description="Start a draft copy of the approved plan to change it; the approved "
        "version stays in force until the new one is approved.",
    )
    def post(self, request, id):
        case = get_case_for_user(request.user, id, write=True)
        copy = actions.new_version(current_or_404(case), actor=request.user)
        return Response(reread(request, case, copy), status=status.HTTP_201_CREATED)


# Comparing versions

DIFFERENCE_KIND = ("PlanDifferenceKind", [("goal", "goal"), ("action", "action")])
CHANGE = (
    "PlanDifferenceChange",
    [("same", "same"), ("changed", "changed"), ("added", "added"), ("removed", "removed")],
)


class PlanItemOutput(serializers.Serializer):
    """A goal (dimension, description) or an action (the other fields) in one version."""

    dimension = _enum(DIMENSION, allow_null=True)
    description = serializers.CharField()
    responsible = _enum(RESPONSIBLE, allow_null=True)
    service = DirectoryServiceRef(allow_null=True)
    status = _enum(ACTION_STATUS, allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    estimated_cost = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    currency = serializers.CharField()


class PlanDifferenceOutput(serializers.Serializer):
    kind = _enum(DIFFERENCE_KIND)
    lineage = serializers.UUIDField()
    change = _enum(CHANGE)
    old = PlanItemOutput(allow_null=True, help_text="null when the item was added")
    new = PlanItemOutput(allow_null=True, help_text="null when the item was removed")


class PlanComparisonOutput(serializers.Serializer):
    older = PlanVersionOutput()
    newer = PlanVersionOutput()
    differences = PlanDifferenceOutput(
        many=True,
        help_text="Goal by goal, each followed by its actions, matched by lineage; what the "
        "newer version added comes last.",
    )


class PlanCompareQuery(serializers.Serializer):
    a = serializers.IntegerField(
        required=False, help_text="A version number; by default the one before the latest."
    )
    b = serializers.IntegerField(
        required=False, help_text="A version number; by default the latest."
    )


def _items(plan) -> dict:
    """A version's goals and actions by lineage, as comparable values (codes, not labels)."""
    items = {}
    for goal in plan.goals.prefetch_related("actions__service__organization"):
        items[("goal", goal.lineage)] = {
            "dimension": goal.dimension,
            "description": goal.description,
            "responsible": None,
            "service": None,
            "status": None,
            "due_on": None,
            "estimated_cost": None,
            "currency": "",
        }
        for action in goal.actions.all():
            items[("action", action.lineage)] = {
                "dimension": None,
                "description": action.description,
                "responsible": action.responsible,
                "service": action.service,
                "status": action.status,
                "due_on": action.due_on,
                "estimated_cost": action.estimated_cost,
                "currency": action.currency,
            }
    return items


def differences(older, newer) -> list[dict]:
    """What changed between two versions, matched by lineage as the compare page does."""
    before, after = _items(older), _items(newer)
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old and new:
            change = "same" if old == new else "changed"
        else:
            change = "removed" if old else "added"
        rows.append({"kind": key[0], "lineage": key[1], "change": change, "old": old, "new": new})
    return rows


class PlanCompare(CaseAPIView):
    @extend_schema(
        operation_id="cases_plan_compare_retrieve",
        parameters=[PlanCompareQuery],
        responses=PlanComparisonOutput,
        description="Two versions side by side, goal by goal and action by action.",
    )
    def get(self, request, id):
        case = get_case_for_user(request.user, id)
        query = PlanCompareQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        versions = list(access.plans_of_case(case).order_by("-number"))
        numbers = [p.number for p in versions]
        defaults = {"a": numbers[1:2], "b": numbers[:1]}
        chosen = {}
        for name, default in defaults.items():
            number = query.validated_data.get(name, default[0] if default else None)
            if number not in numbers:
                raise serializers.ValidationError({name: [_("Choose a version of this plan")]})
            chosen[name] = number
        by_number = {p.number: p for p in versions}
        older = by_number[min(chosen.values())]
        newer = by_number[max(chosen.values())]
        case_actions.record_case_view(case, actor=request.user, page="plan")
        data = {"older": older, "newer": newer, "differences": differences(older, newer)}
        return Response(PlanComparisonOutput(data).data)

"""Handovers: sending a case, and the receiving desk's answer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from retorno.accounts import access as accounts_access
from retorno.cases import access, actions
from retorno.cases.api.cases import HANDOVER_RELATED, HandoverOutput, ReturneeOutput
from retorno.cases.forms import desk_staff
from retorno.cases.models import (
    HouseholdMember,
)
from retorno.lib.api.fields import (
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    ManagesCases,
    validated_data,
)


class HandoverInput(serializers.Serializer):
    to_desk = serializers.UUIDField(help_text="The national desk of the country of return")
    situation = serializers.CharField()
    needs = serializers.CharField()
    plan_so_far = text_field()
    risks = text_field()
    promises = text_field()
    travel_date = serializers.DateField()

    def validate_to_desk(self, value):
        desk = (
            accounts_access.organisations_visible_to(self.context["request"].user)
            .filter(public_id=value)
            .first()
        )
        if desk is None:
            raise serializers.ValidationError(_("Choose a national desk"))
        return desk


class HouseholdNameOutput(serializers.Serializer):
    full_name = serializers.CharField(source="person.full_name")
    relationship = enum_field("HouseholdRelationship", HouseholdMember.Relationship.choices)


class HandoverDetailOutput(HandoverOutput):
    """The handover with who returns, for the receiving desk to decide."""

    returnee = ReturneeOutput(source="case.person")
    returning_with = HouseholdNameOutput(many=True)


class CaseHandover(CaseAPIView):
    @extend_schema(
        operation_id="cases_handover_create",
        request=HandoverInput,
        responses={201: HandoverOutput},
        description="Hand a case that is ready to depart over to the national desk; needs the "
        "person's consent to the transfer.",
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(HandoverInput, request)
        handover = actions.hand_over_case(case, actor=request.user, **data)
        return Response(HandoverOutput(handover).data, status=status.HTTP_201_CREATED)


class HandoverList(CaseAPIView):
    @extend_schema(
        operation_id="handovers_list",
        parameters=[
            OpenApiParameter(
                "waiting",
                bool,
                description="Only the handovers waiting for your desk to decide (coordinators)",
            )
        ],
        responses=HandoverOutput(many=True),
        description="Handovers your desk sent or received, latest first.",
    )
    def get(self, request):
        waiting = request.query_params.get("waiting", "").lower() in ("true", "1", "yes")
        if waiting:
            handovers = access.handovers_waiting_for(request.user).order_by("sent_at", "pk")
        else:
            handovers = access.handovers_visible_to(request.user).order_by("-sent_at", "-pk")
        return self.paginate(handovers.select_related(*HANDOVER_RELATED), HandoverOutput)


class HandoverDetail(CaseAPIView):
    @extend_schema(operation_id="handovers_retrieve", responses=HandoverDetailOutput)
    def get(self, request, id):
        handover = access.get_handover_for_user(request.user, id)
        case = access.get_case_for_user(request.user, handover.case.public_id, summary=True)
        actions.record_case_view(case, actor=request.user, page="handover")
        handover.returning_with = case.household.filter(returning=True).select_related("person")
        return Response(HandoverDetailOutput(handover).data)


class AcceptInput(serializers.Serializer):
    caseworker = serializers.UUIDField(help_text="A caseworker of your desk who takes the case")


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class HandoverAccept(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="handovers_accept_create",
        request=AcceptInput,
        responses={200: HandoverOutput},
        description="Your desk takes the case over and the caseworker is assigned to it.",
    )
    def post(self, request, id):
        handover = access.get_handover_for_user(request.user, id, write=True)
        data = validated_data(AcceptInput, request)
        caseworker = desk_staff(handover.to_desk).filter(public_id=data["caseworker"]).first()
        if caseworker is None:
            raise serializers.ValidationError(
                {"caseworker": [_("Choose a caseworker of your desk")]}
            )
        actions.accept_handover(handover, actor=request.user, caseworker=caseworker)
        handover.refresh_from_db()
        return Response(HandoverOutput(handover).data)


class HandoverReturn(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="handovers_return_create",
        request=ReturnInput,
        responses={200: HandoverOutput},
        description="Send the case back to the European desk, saying why.",
    )
    def post(self, request, id):
        handover = access.get_handover_for_user(request.user, id, write=True)
        data = validated_data(ReturnInput, request)
        actions.return_handover(handover, actor=request.user, reason=data["reason"])
        # Sent back, the case is no longer the receiving desk's to read: answer with what
        # they decided, not with a fresh read through the access policy.
        handover.refresh_from_db()
        return Response(HandoverOutput(handover).data)

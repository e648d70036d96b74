"""The household members returning with the person."""

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from retorno.cases import access, actions
from retorno.cases.api.persons import PersonBriefOutput, clean_birth
from retorno.cases.models import (
    HouseholdMember,
    Sex,
)
from retorno.lib.api.fields import (
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    validated_data,
)


class HouseholdMemberInput(serializers.Serializer):
    relationship = enum_field("HouseholdRelationship", HouseholdMember.Relationship.choices)
    returning = serializers.BooleanField(required=False, default=True)
    given_names = text_field(150)
    first_surname = text_field(150)
    second_surname = text_field(150)
    sex = enum_field("Sex", Sex.choices, required=False)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    birth_month = serializers.IntegerField(required=False, allow_null=True)
    birth_day = serializers.IntegerField(required=False, allow_null=True)
    birth_date = serializers.CharField(
        required=False, allow_blank=True, help_text="1986-03-27, 1986-03 or 1986"
    )

    def validate(self, data):
        data = super().validate(data)
        clean_birth(data)
        return data


class HouseholdMemberOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    relationship = enum_field("HouseholdRelationship", HouseholdMember.Relationship.choices)
    returning = serializers.BooleanField()
    person = PersonBriefOutput()


class CaseHousehold(CaseAPIView):
    @extend_schema(operation_id="cases_household_list", responses=HouseholdMemberOutput(many=True))
    def get(self, request, id):
        case = access.get_case_for_user(request.user, id)
        actions.record_case_view(case, actor=request.user, page="household")
        members = case.household.select_related("person").order_by("pk")
        return self.paginate(members, HouseholdMemberOutput)

    @extend_schema(
        operation_id="cases_household_create",
        request=HouseholdMemberInput,
        responses={201: HouseholdMemberOutput},
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(HouseholdMemberInput, request)
        relationship = data.pop("relationship")
        returning = data.pop("returning")
        member = actions.add_household_member(
            case, actor=request.user, relationship=relationship, person=data, returning=returning
        )
        return Response(HouseholdMemberOutput(member).data, status=status.HTTP_201_CREATED)

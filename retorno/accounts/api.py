"""API views for the signed-in user and organisations, on the same access policy as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from retorno.accounts import access
from retorno.accounts.models import Membership, Organisation


class OrganisationOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind", "country", "city", "time_zone", "is_active"]


class MembershipOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = OrganisationOutput(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role"]


class MeOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    language = serializers.CharField(source="preferred_language")
    current_membership = MembershipOutput(source="membership")
    memberships = MembershipOutput(source="all_memberships", many=True)


class MeView(APIView):
    """The signed-in user, the membership this request acts under, and all their memberships."""

    @extend_schema(responses=MeOutput, operation_id="me_retrieve")
    def get(self, request):
        return Response(MeOutput(request.user).data)


class OrganisationQuery(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Organisation.Kind.choices, required=False, allow_blank=True
    )
    country = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    get=extend_schema(
        operation_id="organisations_list",
        parameters=[
            OpenApiParameter(
                "kind",
                enum=["", *Organisation.Kind.values],
                description="Empty for any kind",
                required=False,
            ),
            OpenApiParameter("country", description="ISO 3166 alpha-2 code", required=False),
        ],
    ),
)
class OrganisationList(generics.ListAPIView):
    """Organisations: desks, partners and program coordination. Filter with ?kind= and ?country=."""

    serializer_class = OrganisationOutput

    def get_queryset(self):
        qs = access.organisations_visible_to(self.request.user).order_by("code")
        query = OrganisationQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("kind")
        country = query.validated_data.get("country")
        if kind:
            qs = qs.filter(kind=kind)
        if country:
            qs = qs.filter(country=country.upper())
        return qs


@extend_schema_view(get=extend_schema(operation_id="organisations_retrieve"))
class OrganisationDetail(generics.RetrieveAPIView):
    serializer_class = OrganisationOutput

    def get_object(self):
        return access.get_organisation_for_user(self.request.user, self.kwargs["id"])

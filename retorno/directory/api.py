"""API views for the directory of services, on the same access rules, actions and audit as the
pages (retorno.directory.access and .actions).

One view per URL, one method per operation, each with its own input and output serializers.
The API speaks codes (kind, service_type, status, language codes), not translated labels.
Multilingual texts are objects {"es": "...", "en": "..."} over it, es, pt and en; a change
replaces the whole object of the fields it sends. Field names follow HSDS 3.0.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from retorno.directory import access, actions, queries
from retorno.directory.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceLanguage,
    ServiceType,
)
from retorno.lib.api.fields import CountryCodeField, NeverPartial, OrganisationRef, enum_field
from retorno.lib.api.pagination import PageNumberPagination
from retorno.lib.api.views import query_data

KIND = ("DirectoryOrganizationKind", Organization.Kind.choices)
TYPE = ("ServiceType", ServiceType.choices)
STATUS = ("ServiceStatus", Service.Status.choices)
LANGUAGE = ("ServiceLanguage", ServiceLanguage.choices)
LOCATION_TYPE = ("LocationType", Location.Type.choices)
PHONE_TYPE = ("DirectoryPhoneType", Phone.Type.choices)
FREQ = ("ScheduleFreq", Schedule.Freq.choices)


def _enum(spec, **kwargs):
    return enum_field(spec[0], spec[1], **kwargs)


def _texts(**kwargs):
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='The text in each language it is written in: {"es": "...", "en": "..."}'
        " (it, es, pt, en).",
        **kwargs,
    )


def _optional_text(max_length=None):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True)


# Output


class PhoneOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField(help_text="E.164")
    extension = serializers.IntegerField(allow_null=True)
    type = _enum(PHONE_TYPE)
    description = serializers.CharField()


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "16:30"})
class HourMinuteField(serializers.TimeField):
    """A time written "16:30", which OpenAPI's `time` format ("16:30:00") does not describe."""


class ScheduleOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    freq = _enum(FREQ)
    byday = serializers.CharField(help_text="RFC 5545 BYDAY, like MO,TU,WE")
    opens_at = HourMinuteField(allow_null=True, format="%H:%M", help_text="Local time")
    closes_at = HourMinuteField(allow_null=True, format="%H:%M", help_text="Local time")
    description = serializers.CharField()


class LanguageOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = _enum(LANGUAGE)
    note = serializers.CharField()


class EntryRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class LocationOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization_id = serializers.UUIDField(source="organization.public_id")
    location_type = _enum(LOCATION_TYPE)
    name = serializers.CharField()
    alternate_name = serializers.CharField()
    description = _texts()
    url = serializers.CharField()
    address_1 = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = CountryCodeField()
    not_public = serializers.BooleanField()
    is_active = serializers.BooleanField()
    phones = PhoneOutput(many=True)
    schedules = ScheduleOutput(many=True)
    languages = LanguageOutput(many=True)
    version = serializers.IntegerField()


class ProgramOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization_id = serializers.UUIDField(source="organization.public_id")
    name = serializers.CharField()
    alternate_name = serializers.CharField()
    description = _texts()


class OrganizationOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    country = CountryCodeField()
    kind = _enum(KIND)
    name = serializers.CharField()
    alternate_name = serializers.CharField()
    description = _texts()
    email = serializers.CharField()
    website = serializers.CharField()
    retorno_organisation = OrganisationRef(allow_null=True)
    on_retorno = serializers.BooleanField()
    is_active = serializers.BooleanField()
    phones = PhoneOutput(many=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class OrganizationDetailOutput(OrganizationOutput):
    programs = ProgramOutput(many=True, source="visible_programs")
    locations = LocationOutput(many=True, source="visible_locations")
    services = EntryRef(many=True, source="visible_services")


class ServiceRowOutput(serializers.Serializer):
    """A service as the list shows it."""

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    alternate_name = serializers.CharField()
    service_type = _enum(TYPE)
    status = _enum(STATUS)
    not_public = serializers.BooleanField()
    on_retorno = serializers.SerializerMethodField()
    organization = EntryRef()
    country = CountryCodeField(source="organization.country")
    program = EntryRef(allow_null=True)
    description = _texts()
    cities = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()

    def get_on_retorno(self, service) -> bool:
        return service.organization.retorno_organisation_id is not None

    def get_cities(self, service) -> list[str]:
        cities = []
        for link in getattr(service, "visible_links", []):
            if link.location.city and link.location.city not in cities:
                cities.append(link.location.city)
        return cities

    def get_languages(self, service) -> list[str]:
        return [lang.code for lang in service.languages.all()]


class ServiceOutput(serializers.Serializer):
    """A service with everything the directory knows about it."""

    id = serializers.UUIDField(source="public_id")
    organization = OrganizationOutput()
    program = ProgramOutput(allow_null=True)
    name = serializers.CharField()
    alternate_name = serializers.CharField()
    service_type = _enum(TYPE)
    status = _enum(STATUS)
    not_public = serializers.BooleanField()
    description = _texts()
    eligibility_description = _texts()
    application_process = _texts()
    fees_description = _texts()
    minimum_age = serializers.IntegerField(allow_null=True)
    maximum_age = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()
    email = serializers.CharField()
    phones = PhoneOutput(many=True)
    schedules = ScheduleOutput(many=True)
    languages = LanguageOutput(many=True)
    locations = LocationOutput(many=True, source="visible_locations")
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


# Input


class PhoneInput(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="Any format; E.164 is stored.")
    extension = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    type = _enum(PHONE_TYPE, required=False)
    description = _optional_text(300)


class ScheduleInput(serializers.Serializer):
    freq = _enum(FREQ, required=False)
    byday = _optional_text(40)
    opens_at = serializers.TimeField(required=False, allow_null=True)
    closes_at = serializers.TimeField(required=False, allow_null=True)
    description = _optional_text(300)


class LanguageInput(serializers.Serializer):
    code = _enum(LANGUAGE)
    note = _optional_text(300)


class OrganizationFieldsInput(serializers.Serializer):
    kind = _enum(KIND, required=False)
    name = _optional_text(200)
    alternate_name = _optional_text(200)
    description = _texts(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    retorno_organisation = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The code of the partner organisation on Retorno (like CFPLIM), or null.",
    )
    phones = PhoneInput(many=True, required=False)


class OrganizationCreateInput(OrganizationFieldsInput):
    kind = _enum(KIND)
    name = serializers.CharField(max_length=200)


class OrganizationUpdateInput(NeverPartial, OrganizationFieldsInput):
    """Send the fields that change and the `version` you read."""

    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile by someone else gives 409."
    )


class LocationFieldsInput(serializers.Serializer):
    location_type = _enum(LOCATION_TYPE, required=False)
    name = _optional_text(200)
    alternate_name = _optional_text(200)
    description = _texts(required=False)
    url = serializers.URLField(required=False, allow_blank=True)
    address_1 = _optional_text()
    city = _optional_text(100)
    region = _optional_text(100)
    postal_code = _optional_text(20)
    not_public = serializers.BooleanField(required=False)
    phones = PhoneInput(many=True, required=False)
    schedules = ScheduleInput(many=True, required=False)
    languages = LanguageInput(many=True, required=False)


class LocationCreateInput(LocationFieldsInput):
    name = serializers.CharField(max_length=200)


class LocationUpdateInput(NeverPartial, LocationFieldsInput):
    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile by someone else gives 409."
    )


class ServiceFieldsInput(serializers.Serializer):
    name = _optional_text(200)
    alternate_name = _optional_text(200)
    service_type = _enum(TYPE, required=False)
    status = _enum(STATUS, required=False)
    program = serializers.UUIDField(
        required=False, allow_null=True, help_text="A public programme of the same country."
    )
    description = _texts(required=False)
    eligibility_description = _texts(required=False)
    application_process = _texts(required=False)
    fees_description = _texts(required=False)
    minimum_age = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    maximum_age = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    url = serializers.URLField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    not_public = serializers.BooleanField(required=False)
    locations = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Ids of locations of the service's organisation.",
    )
    phones = PhoneInput(many=True, required=False)
    schedules = ScheduleInput(many=True, required=False)
    languages = LanguageInput(many=True, required=False)


class ServiceCreateInput(ServiceFieldsInput):
    organization = serializers.UUIDField(help_text="The organisation that offers the service.")
    name = serializers.CharField(max_length=200)
    service_type = _enum(TYPE)


class ServiceUpdateInput(NeverPartial, ServiceFieldsInput):
    """Send the fields that change and the `version` you read."""

    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile by someone else gives 409."
    )


class ServiceListQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in the name or description of the service or its organisation; "
        "accents and case ignored",
    )
    country = serializers.ListField(child=CountryCodeField(), required=False)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    service_type = serializers.ListField(child=_enum(TYPE), required=False)
    language = serializers.ListField(child=_enum(LANGUAGE), required=False)
    kind = serializers.ListField(child=_enum(KIND), required=False)
    on_retorno = serializers.BooleanField(required=False, help_text="Only services on Retorno")
    include_inactive = serializers.BooleanField(required=False)
    sort = _enum(("DirectoryServiceSort", [(k, k) for k in queries.SORTS]), required=False)


class OrganizationListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    country = serializers.ListField(child=CountryCodeField(), required=False)
    kind = serializers.ListField(child=_enum(KIND), required=False)


# Views


class ReadsDirectory(permissions.BasePermission):
    """Roles that do not read the directory (the DPO, administrators) get 403."""

    def has_permission(self, request, view):
        return access.may_read(request.user)


class DirectoryAPIView(APIView):
    permission_classes = [permissions.IsAuthenticated, ReadsDirectory]
    pagination_class = PageNumberPagination

    def paginate(self, queryset, output):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(output(page, many=True).data)


def validated_data(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=query_data(serializer_class, request.query_params))
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _parts(data: dict) -> dict:
    """Nested inputs as the actions take them (lists of plain dicts)."""
    for name in ("phones", "schedules", "languages"):
        if name in data:
            data[name] = [dict(item) for item in data[name]]
    return data


def _not_found(field: str, message):
    return serializers.ValidationError({field: [str(message)]})


def _program(user, public_id):
    if public_id is None:
        return None
    try:
        return access.get_program_for_user(user, public_id)
    except Http404:
        raise _not_found("program", _("No public programme has this id")) from None


def _locations(user, ids):
    found = {
        loc.public_id: loc for loc in access.locations_visible_to(user).filter(public_id__in=ids)
    }
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _not_found(
            "locations", _("No location has this id: %(ids)s") % {"ids": ", ".join(missing)}
        )
    return [found[i] for i in ids]


def _organization_detail(request, organization):
    user = request.user
    organization.visible_programs = organization.programs.order_by("name", "public_id")
    organization.visible_locations = (
        access.locations_visible_to(user)
        .filter(organization=organization)
        .select_related("organization")
        .prefetch_related("phones", "schedules", "languages")
        .order_by("name", "public_id")
    )
    organization.visible_services = (
        access.services_visible_to(user)
        .filter(organization=organization)
        .order_by("name", "public_id")
    )
    return OrganizationDetailOutput(organization).data


def _service_detail(request, service_id):
    user = request.user
    service = access.get_service_for_user(user, service_id)
    service.visible_locations = (
        access.locations_visible_to(user)
        .filter(service_at_locations__service=service)
        .select_related("organization")
        .prefetch_related("phones", "schedules", "languages")
        .order_by("name", "public_id")
    )
    return ServiceOutput(service).data


class OrganizationCollection(DirectoryAPIView):
    """Organisations of the directory of every country."""

    @extend_schema(
        operation_id="directory_organisations_list",
        parameters=[OrganizationListQuery],
        responses=OrganizationOutput(many=True),
    )
    def get(self, request):
        filters = _query(OrganizationListQuery, request)
        organizations = queries.search_organizations(
            access.organizations_visible_to(request.user), filters
        )
        organizations = (
            organizations.select_related("retorno_organisation")
            .prefetch_related("phones")
            .order_by("name", "public_id")
        )
        return self.paginate(organizations, OrganizationOutput)

    @extend_schema(
        operation_id="directory_organisations_create",
        request=OrganizationCreateInput,
        responses={201: OrganizationDetailOutput},
        description="Add an organisation to the directory of your national desk's country.",
    )
    def post(self, request):
        country = access.require_maintainer(request.user)
        data = _parts(validated_data(OrganizationCreateInput, request))
        organization = actions.create_organization(actor=request.user, country=country, **data)
        organization = access.get_organization_for_user(request.user, organization.public_id)
        return Response(_organization_detail(request, organization), status=status.HTTP_201_CREATED)


class OrganizationDetail(DirectoryAPIView):
    @extend_schema(
        operation_id="directory_organisations_retrieve", responses=OrganizationDetailOutput
    )
    def get(self, request, id):
        organization = access.get_organization_for_user(request.user, id)
        return Response(_organization_detail(request, organization))

    @extend_schema(
        operation_id="directory_organisations_partial_update",
        request=OrganizationUpdateInput,
        responses={200: OrganizationDetailOutput},
        description="Change an organisation. Someone else's change since you read `version` "
        "gives 409 `conflict`.",
    )
    def patch(self, request, id):
        organization = access.get_organization_for_user(request.user, id, write=True)
        data = _parts(validated_data(OrganizationUpdateInput, request))
        version = data.pop("version")
        actions.update_organization(
            organization, actor=request.user, expected_version=version, **data
        )
        organization = access.get_organization_for_user(request.user, id)
        return Response(_organization_detail(request, organization))


class OrganizationLocations(DirectoryAPIView):
    @extend_schema(
        operation_id="directory_organisations_locations_create",
        request=LocationCreateInput,
        responses={201: LocationOutput},
    )
    def post(self, request, id):
        organization = access.get_organization_for_user(request.user, id, write=True)
        data = _parts(validated_data(LocationCreateInput, request))
        location = actions.create_location(organization, actor=request.user, **data)
        location = access.get_location_for_user(request.user, location.public_id)
        return Response(LocationOutput(location).data, status=status.HTTP_201_CREATED)


class LocationDetail(DirectoryAPIView):
    @extend_schema(operation_id="directory_locations_retrieve", responses=LocationOutput)
    def get(self, request, id):
        return Response(LocationOutput(access.get_location_for_user(request.user, id)).data)

    @extend_schema(
        operation_id="directory_locations_partial_update",
        request=LocationUpdateInput,
        responses={200: LocationOutput},
    )
    def patch(self, request, id):
        location = access.get_location_for_user(request.user, id, write=True)
        data = _parts(validated_data(LocationUpdateInput, request))
        version = data.pop("version")
        actions.update_location(location, actor=request.user, expected_version=version, **data)
        return Response(LocationOutput(access.get_location_for_user(request.user, id)).data)


class ServiceCollection(DirectoryAPIView):
    """Services of the directory of every country, with the list page's filters."""

    @extend_schema(
        operation_id="directory_services_list",
        parameters=[ServiceListQuery],
        responses=ServiceRowOutput(many=True),
    )
    def get(self, request):
        filters = _query(ServiceListQuery, request)
        user = request.user
        locations = access.locations_visible_to(user)
        services = queries.filter_services(
            access.services_visible_to(user), filters, locations=locations
        )
        services = queries.search_services(services, filters.get("q", ""))
        services = queries.sort_services(
            queries.service_rows(services, locations=locations),
            filters.get("sort") or queries.DEFAULT_SORT,
        )
        return self.paginate(services, ServiceRowOutput)

    @extend_schema(
        operation_id="directory_services_create",
        request=ServiceCreateInput,
        responses={201: ServiceOutput},
        description="Add a service to an organisation of your national desk's country.",
    )
    def post(self, request):
        data = _parts(validated_data(ServiceCreateInput, request))
        user = request.user
        try:
            organization = access.get_organization_for_user(
                user, data.pop("organization"), write=True
            )
        except Http404:
            raise _not_found("organization", _("No organisation has this id")) from None
        if "program" in data:
            data["program"] = _program(user, data["program"])
        data["locations"] = _locations(user, data.get("locations", []))
        service = actions.create_service(organization, actor=user, **data)
        return Response(_service_detail(request, service.public_id), status=status.HTTP_201_CREATED)


class ServiceDetail(DirectoryAPIView):
    @extend_schema(operation_id="directory_services_retrieve", responses=ServiceOutput)
    def get(self, request, id):
        return Response(_service_detail(request, id))

    @extend_schema(
        operation_id="directory_services_partial_update",
        request=ServiceUpdateInput,
        responses={200: ServiceOutput},
        description="Change a service, its status included. Someone else's change since you "
        "read `version` gives 409 `conflict`.",
    )
    def patch(self, request, id):
        user = request.user
        service = access.get_service_for_user(user, id, write=True)
        data = _parts(validated_data(ServiceUpdateInput, request))
        version = data.pop("version")
        if "program" in data:
            data["program"] = _program(user, data["program"])
        if "locations" in data:
            data["locations"] = _locations(user, data["locations"])
        actions.update_service(service, actor=user, expected_version=version, **data)
        return Response(_service_detail(request, id))

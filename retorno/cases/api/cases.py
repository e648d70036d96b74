"""Cases: registration, the case list, a case, its phase, closing and reopening."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from retorno.cases import access, actions, queries
from retorno.cases.api.common import error_messages
from retorno.cases.api.persons import PersonBriefOutput, PersonFieldsInput
from retorno.cases.models import (
    ClosedReason,
    Consent,
    Handover,
    IdentityDocument,
    Phase,
    Priority,
    Vulnerability,
)
from retorno.lib import validation
from retorno.lib.api.fields import (
    CaseRef,
    CountryCodeField,
    NeverPartial,
    OrganisationRef,
    UserRef,
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    ManagesCases,
    query_data,
    validated_data,
)
from retorno.lib.errors import ActionError, PossibleDuplicate


class CaseListQuery(serializers.Serializer):
    phase = serializers.ListField(child=enum_field("CasePhase", Phase.choices), required=False)
    return_country = serializers.ListField(child=CountryCodeField(), required=False)
    vulnerability = serializers.ListField(
        child=enum_field("Vulnerability", Vulnerability.choices), required=False
    )
    overdue = serializers.BooleanField(required=False, help_text="Only cases with overdue tasks")
    mine = serializers.BooleanField(required=False, help_text="Only cases assigned to me")
    handed_over = serializers.BooleanField(
        required=False,
        help_text="Also the cases your desk handed over and may still read (access: summary); "
        "always included in a search",
    )
    cycle = serializers.UUIDField(required=False)
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Name (accents and word order ignored), document number or case reference",
    )
    sort = enum_field("CaseSort", [(key, key) for key in queries.SORTS], required=False)


ACCESS_CHOICES = [(access.FULL, "full"), (access.SUMMARY, "summary")]


class CaseRowOutput(serializers.Serializer):
    """A row of the case list. A sensitive case shows the person's initials, not the name."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    access = enum_field("CaseAccess", ACCESS_CHOICES)
    name = serializers.SerializerMethodField()
    phase = enum_field("CasePhase", Phase.choices)
    priority = enum_field("CasePriority", Priority.choices)
    sensitive = serializers.BooleanField()
    return_country = CountryCodeField(source="person.return_country")
    owning_desk = OrganisationRef()
    owned_here = serializers.BooleanField()
    caseworkers = serializers.SerializerMethodField()
    children_returning = serializers.SerializerMethodField()
    next_due = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def get_name(self, case) -> str:
        person = case.person
        if case.sensitive:
            return person.initials
        surnames = " ".join(p for p in (person.first_surname, person.second_surname) if p)
        return ", ".join(p for p in (surnames, person.given_names) if p)

    @extend_schema_field(UserRef(many=True))
    def get_caseworkers(self, case):
        return UserRef([a.user for a in case.assignments.all()], many=True).data

    def get_children_returning(self, case) -> int:
        return case.children_returning or 0


class CycleRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    programme = serializers.CharField(source="programme.code")


class HandoverRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    to_desk = OrganisationRef()
    sent_at = serializers.DateTimeField()


class CaseDetailOutput(serializers.Serializer):
    """The case, for those who work on it."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    access = enum_field("CaseAccess", ACCESS_CHOICES)
    phase = enum_field("CasePhase", Phase.choices)
    phase_changed_at = serializers.DateTimeField()
    closed_reason = enum_field("ClosedReason", ClosedReason.choices, allow_null=True)
    priority = enum_field("CasePriority", Priority.choices)
    sensitive = serializers.BooleanField()
    vulnerabilities = serializers.ListField(
        source="vulnerability_codes", child=enum_field("Vulnerability", Vulnerability.choices)
    )
    travel_date = serializers.DateField(allow_null=True)
    handed_over_at = serializers.DateTimeField(allow_null=True)
    cycle = CycleRef()
    owning_desk = OrganisationRef()
    origin_desk = OrganisationRef(allow_null=True)
    person = PersonBriefOutput()
    caseworkers = UserRef(source="caseworkers_list", many=True)
    pending_handover = HandoverRef(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, case):
        data = super().to_representation(case)
        data["closed_reason"] = data["closed_reason"] or None  # open cases have none
        return data


class ConsentRef(serializers.Serializer):
    decided_on = serializers.DateField()
    method = enum_field("ConsentMethod", Consent.Method.choices)


class HandoverOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = CaseRef()
    status = enum_field("HandoverStatus", Handover.Status.choices)
    from_desk = OrganisationRef()
    to_desk = OrganisationRef()
    sent_by = UserRef()
    sent_at = serializers.DateTimeField()
    travel_date = serializers.DateField()
    situation = serializers.CharField()
    needs = serializers.CharField()
    plan_so_far = serializers.CharField()
    risks = serializers.CharField()
    promises = serializers.CharField()
    consent = ConsentRef()
    decided_by = UserRef(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()


class ReturneeOutput(serializers.Serializer):
    full_name = serializers.CharField()
    preferred_name = serializers.CharField()
    return_country = CountryCodeField()
    return_city = serializers.CharField()


class CaseSummaryOutput(serializers.Serializer):
    """What the sending desk (after a handover) and the receiving desk's coordinators (while
    it waits) may read: the reference, phase, owning desk and the handover summary."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    access = enum_field("CaseAccess", ACCESS_CHOICES)
    phase = enum_field("CasePhase", Phase.choices)
    phase_changed_at = serializers.DateTimeField()
    owning_desk = OrganisationRef()
    returnee = ReturneeOutput(source="person")
    handover = HandoverOutput(allow_null=True)


CASE_READ = PolymorphicProxySerializer(
    component_name="CaseRead",
    serializers=[CaseDetailOutput, CaseSummaryOutput],
    resource_type_field_name=None,
)

HANDOVER_RELATED = (
    "case",
    "from_desk",
    "to_desk",
    "sent_by",
    "decided_by",
    "consent",
)


def case_detail(request, case):
    """The full record of a case for its output serializer."""
    case.caseworkers_list = [
        a.user for a in case.assignments.select_related("user").order_by("assigned_at")
    ]
    case.pending_handover = (
        access.handovers_visible_to(request.user)
        .filter(case=case, status=Handover.Status.PENDING)
        .select_related("to_desk")
        .first()
    )
    return CaseDetailOutput(case).data


def reread_case(request, case):
    return case_detail(request, access.get_case_for_user(request.user, case.public_id))


class RegisterInput(PersonFieldsInput):
    """The person's details, one identity document if known, and how the case starts."""

    document_type = enum_field(
        "IdentityDocumentType", IdentityDocument.Type.choices, required=False
    )
    document_number = text_field(40)
    document_country = CountryCodeField(required=False, allow_blank=True)
    phase = enum_field(
        "CasePhase",
        Phase.choices,
        required=False,
        help_text="inquiry or intake at a European desk; a national desk starts at reception.",
    )
    priority = enum_field("CasePriority", Priority.choices, required=False)
    not_a_duplicate = serializers.BooleanField(
        required=False,
        help_text="Someone who looks like this person is registered already, and you checked "
        "that this is someone else.",
    )

    def validate(self, data):
        data = super().validate(data)
        number = data.pop("document_number", "").strip()
        doc_type = data.pop("document_type", "") or ""
        country = data.pop("document_country", "") or ""
        data["documents"] = []
        if number:
            doc_type = doc_type or "other"
            try:
                check = validation.validate_document(doc_type, number, country or None)
            except DjangoValidationError as error:
                raise serializers.ValidationError(
                    {"document_number": error_messages(error)}
                ) from None
            data["documents"].append(
                {
                    "type": doc_type,
                    "number": check.number,
                    "issuing_country": country,
                    "verified": check.verified,
                }
            )
        elif doc_type:
            raise serializers.ValidationError(
                {"document_number": [_("Enter the document number, or leave out document_type")]}
            )
        return data


class CaseCollection(CaseAPIView):
    """The cases the user works on and those whose summary they may read."""

    @extend_schema(
        operation_id="cases_list",
        parameters=[CaseListQuery],
        responses=CaseRowOutput(many=True),
    )
    def get(self, request):
        query = CaseListQuery(data=query_data(CaseListQuery, request.query_params))
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        user = request.user
        cases = access.cases_for_list(
            user, handed_over=filters.pop("handed_over", False), search=filters.get("search", "")
        )
        cycle = filters.pop("cycle", None)
        if cycle is not None:
            cases = cases.filter(cycle__public_id=cycle)
        cases = queries.filter_cases(cases, filters, user=user)
        cases = queries.search_cases(cases, filters.get("search", ""))
        sort = filters.get("sort") or queries.DEFAULT_SORT
        # The page's ids first, on the plain queryset; only those rows are then annotated
        # (see queries.page_of_cases).
        ordered = queries.sort_cases(cases, sort)
        if sort in ("due", "-due"):
            ordered = queries.annotate_rows(ordered, user=user)
        paginator = self.pagination_class()
        ids = paginator.paginate_queryset(
            ordered.values_list("pk", flat=True), self.request, view=self
        )
        rows = {c.pk: c for c in queries.annotate_rows(cases.filter(pk__in=ids), user=user)}
        page = [rows[pk] for pk in ids if pk in rows]
        access.list_access(user, page)
        return paginator.get_paginated_response(CaseRowOutput(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        request=RegisterInput,
        responses={201: CaseDetailOutput},
        description="Register a person and open their case at your desk.",
    )
    def post(self, request):
        data = validated_data(RegisterInput, request, desk=request.user.organisation)
        documents = data.pop("documents")
        phase = data.pop("phase", None)
        priority = data.pop("priority", None) or Priority.NORMAL
        confirmed = data.pop("not_a_duplicate", False)
        try:
            case = actions.register_returnee(
                actor=request.user,
                person=data,
                documents=documents,
                phase=phase,
                priority=priority,
                confirmed_not_duplicate=confirmed,
            )
        except PossibleDuplicate:
            # The action's rule, said in the API's terms.
            raise ActionError(
                _(
                    "Someone who looks like this person is registered already. Search the "
                    "cases; if this is someone else, send not_a_duplicate: true."
                ),
                field="not_a_duplicate",
                code="possible_duplicate",
            ) from None
        return Response(reread_case(request, case), status=status.HTTP_201_CREATED)


class CasePriorityInput(NeverPartial, serializers.Serializer):
    """The case's priority."""

    priority = enum_field("CasePriority", Priority.choices)


class CaseDetail(CaseAPIView):
    @extend_schema(
        operation_id="cases_retrieve",
        responses=CASE_READ,
        description="The whole case with full access; with summary access (`access`: "
        "`summary`) only the reference, phase, owning desk and the handover summary.",
    )
    def get(self, request, id):
        case = access.get_case_for_user(request.user, id, summary=True)
        actions.record_case_view(case, actor=request.user, page="summary")
        if case.access == access.SUMMARY:
            case.handover = (
                access.handovers_visible_to(request.user)
                .filter(case=case)
                .select_related(*HANDOVER_RELATED)
                .order_by("-sent_at", "-pk")
                .first()
            )
            return Response(CaseSummaryOutput(case).data)
        return Response(case_detail(request, case))

    @extend_schema(
        operation_id="cases_partial_update",
        request=CasePriorityInput,
        responses={200: CaseDetailOutput},
        description="Only the priority changes here; each other change has its own endpoint.",
    )
    def patch(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(CasePriorityInput, request)
        actions.set_priority(case, actor=request.user, priority=data["priority"])
        return Response(reread_case(request, case))


class PhaseInput(serializers.Serializer):
    phase = enum_field("CasePhase", Phase.choices)
    note = text_field(1000)


class CasePhase(CaseAPIView):
    @extend_schema(
        operation_id="cases_phase_create", request=PhaseInput, responses={200: CaseDetailOutput}
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(PhaseInput, request)
        actions.change_phase(case, actor=request.user, to=data["phase"], note=data.get("note", ""))
        return Response(reread_case(request, case))


class CloseInput(serializers.Serializer):
    reason = enum_field("ClosedReason", ClosedReason.choices)
    note = text_field(1000)
    cancel_open_tasks = serializers.BooleanField(
        required=False, default=False, help_text="Needed when the case has open tasks."
    )


class CaseClose(CaseAPIView):
    @extend_schema(
        operation_id="cases_close_create", request=CloseInput, responses={200: CaseDetailOutput}
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(CloseInput, request)
        actions.close_case(
            case,
            actor=request.user,
            reason=data["reason"],
            note=data.get("note", ""),
            cancel_open_tasks=data["cancel_open_tasks"],
        )
        return Response(reread_case(request, case))


class NoteInput(serializers.Serializer):
    note = text_field(1000)


class CaseReopen(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="cases_reopen_create", request=NoteInput, responses={200: CaseDetailOutput}
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(NoteInput, request)
        actions.reopen_case(case, actor=request.user, note=data.get("note", ""))
        return Response(reread_case(request, case))

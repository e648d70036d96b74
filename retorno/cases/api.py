"""API views for persons and cases, on the same access policy, actions and audit as the pages.

One view per URL, one method per operation; each operation has its own input and output
serializers. Objects are obtained only through `retorno.cases.access`; every change goes through
`retorno.cases.actions`; every read of a case or a person is recorded like the pages record it.
The API speaks codes (phase, purpose, kind...), never translated labels.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from retorno.accounts import access as accounts_access
from retorno.accounts.models import Organisation
from retorno.cases import access, actions, matching, queries
from retorno.cases.forms import LANGUAGES, desk_staff
from retorno.cases.models import (
    ClosedReason,
    Consent,
    Document,
    EducationLevel,
    Handover,
    HouseholdMember,
    IdentityDocument,
    JournalEntry,
    Phase,
    Priority,
    Sex,
    Task,
    Vulnerability,
    WorkExperience,
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
from retorno.lib.errors import ActionError


def _messages(error: DjangoValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# Persons


ISO_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
BIRTH_PARTS = ("birth_year", "birth_month", "birth_day")


def clean_birth(data: dict) -> None:
    """Either birth_date ("1986-03-27", "1986-03", "1986") or birth_year, birth_month and
    birth_day; any of them replaces the whole date of birth, all empty clears it."""
    parts = {name: data.pop(name) for name in BIRTH_PARTS if name in data}
    text = data.pop("birth_date", None)
    if text is None and not parts:
        return
    given_parts = {k: v for k, v in parts.items() if v is not None}
    if text and given_parts:
        raise serializers.ValidationError(
            {
                "birth_date": [
                    _("Give either birth_date or birth_year, birth_month and birth_day, not both.")
                ]
            }
        )
    try:
        if text:
            if not ISO_PARTIAL_DATE.fullmatch(text):
                raise serializers.ValidationError(
                    {"birth_date": [_("Enter the date of birth as 1986-03-27, 1986-03 or 1986")]}
                )
            birth = validation.parse_partial_date(text)
        elif given_parts:
            birth = validation.parse_date_parts(
                *(str(parts.get(name) or "") for name in ("birth_day", "birth_month", "birth_year"))
            )
        else:
            birth = None
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            {"birth_date" if text else "birth_year": _messages(error)}
        ) from None
    data["birth_year"] = birth.year if birth else None
    data["birth_month"] = birth.month if birth else None
    data["birth_day"] = birth.day if birth else None


def clean_phones(data: dict, *, desk, person=None) -> None:
    """E.164, read like the form reads them: a number without its country code is one of the
    desk's country (in Europe) or of the country of return (at home)."""
    desk_country = desk.country.code if desk is not None and desk.country else None
    european = desk is not None and desk.kind == Organisation.Kind.EUROPEAN_DESK
    if "return_country" in data:
        return_country = data["return_country"]
    else:
        return_country = person.return_country.code if person is not None else ""
    regions = {
        "phone_europe": desk_country if european else None,
        "phone_home": return_country or desk_country,
    }
    errors = {}
    for name, region in regions.items():
        raw = (data.get(name) or "").strip()
        if name not in data:
            continue
        if not raw:
            data[name] = ""
            continue
        try:
            data[name] = validation.parse_phone(raw, region)
        except DjangoValidationError as error:
            errors[name] = _messages(error)
    if errors:
        raise serializers.ValidationError(errors)


class PersonFieldsInput(serializers.Serializer):
    """A person's details; every field is optional."""

    # The context gives the desk (and the person, when changing one) to read phone numbers
    # written without their country code.

    given_names = text_field(150)
    first_surname = text_field(150)
    second_surname = text_field(150)
    preferred_name = text_field(100)
    sex = enum_field("Sex", Sex.choices, required=False)
    birth_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Any of birth_year, birth_month, birth_day or birth_date replaces the whole "
        "date of birth; the year alone, or the month and year, are enough.",
    )
    birth_month = serializers.IntegerField(required=False, allow_null=True)
    birth_day = serializers.IntegerField(required=False, allow_null=True)
    birth_date = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The date of birth as one ISO string, complete or partial: "
        "1986-03-27, 1986-03 or 1986. Instead of birth_year, birth_month and birth_day.",
    )
    birth_year_estimated = serializers.BooleanField(required=False)
    nationality = CountryCodeField(required=False, allow_blank=True)
    return_country = CountryCodeField(required=False, allow_blank=True)
    return_region = text_field(100)
    return_city = text_field(100)
    languages = serializers.ListField(
        child=enum_field("Language", LANGUAGES), required=False, max_length=10
    )
    phone_europe = text_field(40, help_text="Any format; E.164 is stored.")
    phone_home = text_field(40, help_text="Any format; E.164 is stored.")
    email = serializers.EmailField(required=False, allow_blank=True)
    address_europe = text_field()
    address_home = text_field()
    education_level = enum_field("EducationLevel", EducationLevel.choices, required=False)
    occupation = text_field(200)
    skills = text_field()
    desk_reference = text_field(60)

    def validate(self, data):
        data = super().validate(data)
        clean_birth(data)
        clean_phones(data, desk=self.context["desk"], person=self.context.get("person"))
        return data


class PersonUpdateInput(NeverPartial, PersonFieldsInput):
    """Send the fields that change and the `version` you read."""

    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile by someone else gives 409."
    )


class IdentityDocumentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    type = enum_field("IdentityDocumentType", IdentityDocument.Type.choices)
    number = serializers.CharField()
    issuing_country = CountryCodeField()
    expires_on = serializers.DateField(allow_null=True)
    verified = serializers.BooleanField()


class WorkExperienceOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    employer_or_sector = serializers.CharField()
    role = serializers.CharField()
    country = CountryCodeField()
    started_year = serializers.IntegerField(allow_null=True)
    ended_year = serializers.IntegerField(allow_null=True)
    certifiable = enum_field("WorkCertifiable", WorkExperience.Certifiable.choices)
    notes = serializers.CharField()


class PersonBriefOutput(serializers.Serializer):
    """Who the person is, without contact details or document numbers."""

    id = serializers.UUIDField(source="public_id")
    given_names = serializers.CharField()
    first_surname = serializers.CharField()
    second_surname = serializers.CharField()
    preferred_name = serializers.CharField()
    full_name = serializers.CharField()
    sex = enum_field("Sex", Sex.choices)
    birth_year = serializers.IntegerField(allow_null=True)
    birth_month = serializers.IntegerField(allow_null=True)
    birth_day = serializers.IntegerField(allow_null=True)
    birth_year_estimated = serializers.BooleanField()
    nationality = CountryCodeField()
    return_country = CountryCodeField()
    return_region = serializers.CharField()
    return_city = serializers.CharField()


class PersonOutput(PersonBriefOutput):
    """The person's whole record, with contact details and identity document numbers."""

    languages = serializers.ListField(child=serializers.CharField())
    phone_europe = serializers.CharField()
    phone_home = serializers.CharField()
    email = serializers.CharField()
    address_europe = serializers.CharField()
    address_home = serializers.CharField()
    education_level = enum_field("EducationLevel", EducationLevel.choices)
    occupation = serializers.CharField()
    skills = serializers.CharField()
    desk_reference = serializers.CharField()
    identity_documents = IdentityDocumentOutput(source="documents", many=True)
    work_experiences = WorkExperienceOutput(many=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class PersonDetail(CaseAPIView):
    """A returnee or household member of a case the user works on."""

    def _person(self, request, person_id, *, write=False):
        return access.get_person_for_user(request.user, person_id, write=write)

    @extend_schema(operation_id="persons_retrieve", responses=PersonOutput)
    def get(self, request, id):
        person = self._person(request, id)
        actions.record_person_view(person, actor=request.user, page="person")
        return Response(PersonOutput(person).data)

    @extend_schema(
        operation_id="persons_partial_update",
        request=PersonUpdateInput,
        responses={200: PersonOutput},
        description="Change a person's details. Someone else's change since you read "
        "`version` gives 409 `conflict`: read the person again and retry.",
    )
    def patch(self, request, id):
        person = self._person(request, id, write=True)
        data = validated_data(
            PersonUpdateInput, request, desk=request.user.organisation, person=person
        )
        version = data.pop("version")
        actions.update_person(person, actor=request.user, expected_version=version, **data)
        person = self._person(request, id)
        return Response(PersonOutput(person).data)


# Cases


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
                raise serializers.ValidationError({"document_number": _messages(error)}) from None
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


def look_alike(user, fields: dict, documents: list) -> bool:
    """Whether someone registered already looks like this person (visible to the user or not)."""
    record = matching.PersonRecord(
        key="new",
        given_names=fields.get("given_names", ""),
        first_surname=fields.get("first_surname", ""),
        second_surname=fields.get("second_surname", ""),
        sex=fields.get("sex", ""),
        birth_year=fields.get("birth_year"),
        birth_month=fields.get("birth_month"),
        birth_day=fields.get("birth_day"),
        document_numbers=tuple(d["number"] for d in documents),
        phones=tuple(p for p in (fields.get("phone_europe"), fields.get("phone_home")) if p),
        email=fields.get("email", ""),
    )
    similar, hidden_match = queries.similar_persons(user, record)
    return bool(similar or hidden_match)


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
        if filters.pop("handed_over", False) or filters.get("search"):
            cases = access.case_summaries_visible_to(user)
        else:
            cases = access.cases_visible_to(user)
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
        full = set(access.cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        for case in page:
            case.access = access.FULL if case.pk in full else access.SUMMARY
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
        if not confirmed and look_alike(request.user, data, documents):
            raise ActionError(
                _(
                    "Someone who looks like this person is registered already. Search the "
                    "cases; if this is someone else, send not_a_duplicate: true."
                ),
                field="not_a_duplicate",
                code="possible_duplicate",
            )
        case = actions.register_returnee(
            actor=request.user, person=data, documents=documents, phase=phase, priority=priority
        )
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
        case = access.case_to_change(request, id)
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
        case = access.case_to_change(request, id)
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
        case = access.case_to_change(request, id)
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
        case = access.case_to_change(request, id)
        data = validated_data(NoteInput, request)
        actions.reopen_case(case, actor=request.user, note=data.get("note", ""))
        return Response(reread_case(request, case))


# Household


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
        case = access.case_to_read(request, id)
        actions.record_case_view(case, actor=request.user, page="household")
        members = case.household.select_related("person").order_by("pk")
        return self.paginate(members, HouseholdMemberOutput)

    @extend_schema(
        operation_id="cases_household_create",
        request=HouseholdMemberInput,
        responses={201: HouseholdMemberOutput},
    )
    def post(self, request, id):
        case = access.case_to_change(request, id)
        data = validated_data(HouseholdMemberInput, request)
        relationship = data.pop("relationship")
        returning = data.pop("returning")
        member = actions.add_household_member(
            case, actor=request.user, relationship=relationship, person=data, returning=returning
        )
        return Response(HouseholdMemberOutput(member).data, status=status.HTTP_201_CREATED)


# Consent


class ConsentInput(serializers.Serializer):
    purpose = enum_field("ConsentPurpose", Consent.Purpose.choices)
    given = serializers.BooleanField(help_text="false records a refusal")
    decided_on = serializers.DateField()
    method = enum_field("ConsentMethod", Consent.Method.choices)
    witness = text_field(150)
    partner = serializers.UUIDField(
        required=False, allow_null=True, help_text="The partner organisation, for partner_sharing"
    )
    document = serializers.UUIDField(
        required=False, allow_null=True, help_text="The signed form, a document of the case"
    )

    def validate_partner(self, value):
        if value is None:
            return None
        partner = (
            accounts_access.organisations_visible_to(self.context["request"].user)
            .filter(public_id=value, kind=Organisation.Kind.PARTNER, is_active=True)
            .first()
        )
        if partner is None:
            raise serializers.ValidationError(_("Choose a partner organisation"))
        return partner

    def validate_document(self, value):
        if value is None:
            return None
        document = (
            access.documents_visible_to(self.context["request"].user, self.context["case"])
            .filter(public_id=value)
            .first()
        )
        if document is None:
            raise serializers.ValidationError(_("Choose a document of this case"))
        return document


class ConsentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    purpose = enum_field("ConsentPurpose", Consent.Purpose.choices)
    partner = OrganisationRef(allow_null=True)
    given = serializers.BooleanField()
    in_force = serializers.BooleanField()
    decided_on = serializers.DateField()
    method = enum_field("ConsentMethod", Consent.Method.choices)
    witness = serializers.CharField()
    document = serializers.UUIDField(source="document.public_id", allow_null=True)
    recorded_by = UserRef()
    recorded_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_by = UserRef(allow_null=True)
    withdrawal_note = serializers.CharField()


CONSENT_RELATED = ("partner", "document", "recorded_by", "withdrawn_by")


class CaseConsents(CaseAPIView):
    @extend_schema(
        operation_id="cases_consents_list",
        responses=ConsentOutput(many=True),
        description="Every consent recorded for the case, latest first; `in_force` marks "
        "those that count now.",
    )
    def get(self, request, id):
        case = access.case_to_read(request, id)
        actions.record_case_view(case, actor=request.user, page="consent")
        consents = case.consents.select_related(*CONSENT_RELATED).order_by("-recorded_at", "-pk")
        return self.paginate(consents, ConsentOutput)

    @extend_schema(
        operation_id="cases_consents_create",
        request=ConsentInput,
        responses={201: ConsentOutput},
    )
    def post(self, request, id):
        case = access.case_to_change(request, id)
        data = validated_data(ConsentInput, request, case=case)
        consent = actions.record_consent(
            case,
            actor=request.user,
            purpose=data["purpose"],
            given=data["given"],
            decided_on=data["decided_on"],
            method=data["method"],
            witness=data.get("witness", ""),
            partner=data.get("partner"),
            document=data.get("document"),
        )
        return Response(ConsentOutput(consent).data, status=status.HTTP_201_CREATED)


class WithdrawalOutput(serializers.Serializer):
    consent = ConsentOutput()
    stopped = serializers.ListField(
        child=serializers.CharField(),
        help_text="What stopped because of the withdrawal, as sentences in your language.",
    )


class ConsentWithdraw(CaseAPIView):
    @extend_schema(
        operation_id="cases_consents_withdraw_create",
        request=NoteInput,
        responses={200: WithdrawalOutput},
        description="Withdrawal takes effect at once: a pending handover is sent back, "
        "referrals that depended on the consent stop.",
    )
    def post(self, request, id, consent_id):
        case = access.case_to_change(request, id)
        consent = case.consents.filter(public_id=consent_id).first()
        if consent is None:
            raise Http404
        data = validated_data(NoteInput, request)
        stopped = actions.withdraw_consent(consent, actor=request.user, note=data.get("note", ""))
        consent = case.consents.select_related(*CONSENT_RELATED).get(pk=consent.pk)
        return Response(WithdrawalOutput({"consent": consent, "stopped": stopped}).data)


# Journal


class JournalEntryInput(serializers.Serializer):
    kind = enum_field("JournalEntryKind", JournalEntry.Kind.choices)
    occurred_on = serializers.DateField()
    summary = serializers.CharField()
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440
    )
    participants = text_field(300)
    confidential = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Read only by its author and the owning desk's coordinators.",
    )


class AmendInput(serializers.Serializer):
    summary = serializers.CharField()
    reason = serializers.CharField(max_length=300)


class JournalEntryOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = enum_field("JournalEntryKind", JournalEntry.Kind.choices)
    occurred_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    participants = serializers.CharField()
    summary = serializers.CharField()
    confidential = serializers.BooleanField()
    author = UserRef()
    author_desk = OrganisationRef()
    created_at = serializers.DateTimeField()
    amends = serializers.UUIDField(source="amends.public_id", allow_null=True)
    amendment_reason = serializers.CharField()
    amended_by = serializers.SerializerMethodField(
        help_text="The entry that corrects this one, if any."
    )

    def get_amended_by(self, entry) -> str | None:
        amendment = getattr(entry, "amendment", None)
        return str(amendment.public_id) if amendment is not None else None


JOURNAL_RELATED = ("author", "author_desk", "amends", "amendment")


class CaseJournal(CaseAPIView):
    @extend_schema(
        operation_id="cases_journal_list",
        responses=JournalEntryOutput(many=True),
        description="Confidential entries appear only for their author and the owning desk's "
        "coordinators.",
    )
    def get(self, request, id):
        case = access.case_to_read(request, id)
        actions.record_case_view(case, actor=request.user, page="journal")
        entries = (
            access.journal_visible_to(request.user, case)
            .select_related(*JOURNAL_RELATED)
            .order_by("-occurred_on", "-created_at", "-pk")
        )
        return self.paginate(entries, JournalEntryOutput)

    @extend_schema(
        operation_id="cases_journal_create",
        request=JournalEntryInput,
        responses={201: JournalEntryOutput},
    )
    def post(self, request, id):
        case = access.case_to_change(request, id)
        data = validated_data(JournalEntryInput, request)
        entry = actions.add_journal_entry(case, actor=request.user, **data)
        return Response(JournalEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class JournalAmend(CaseAPIView):
    @extend_schema(
        operation_id="cases_journal_amend_create",
        request=AmendInput,
        responses={201: JournalEntryOutput},
        description="A correction is a new entry pointing at the original, which stays.",
    )
    def post(self, request, id, entry_id):
        case = access.case_to_change(request, id)
        entry = access.get_journal_entry_for_user(request.user, case, entry_id)
        data = validated_data(AmendInput, request)
        amendment = actions.amend_journal_entry(
            entry, actor=request.user, summary=data["summary"], reason=data["reason"]
        )
        return Response(JournalEntryOutput(amendment).data, status=status.HTTP_201_CREATED)


# Tasks


TASK_STATUSES = [*Task.Status.choices, ("all", "all")]


class TaskOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = CaseRef()
    title = serializers.CharField()
    notes = serializers.CharField()
    status = enum_field("TaskStatus", Task.Status.choices)
    due_on = serializers.DateField()
    assignee = UserRef()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class TaskInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    notes = text_field()
    due_on = serializers.DateField()
    assignee = serializers.UUIDField(
        required=False, help_text="Someone who works at the desk; you when left out."
    )


class TaskList(CaseAPIView):
    @extend_schema(
        operation_id="tasks_list",
        parameters=[
            OpenApiParameter(
                "status",
                enum=[code for code, _label in TASK_STATUSES],
                default="open",
                description="open (soonest due first), done, cancelled or all",
            )
        ],
        responses=TaskOutput(many=True),
        description="The tasks assigned to you.",
    )
    def get(self, request):
        wanted = request.query_params.get("status") or Task.Status.OPEN
        if wanted not in dict(TASK_STATUSES):
            raise serializers.ValidationError(
                {"status": [_("Choose open, done, cancelled or all")]}
            )
        tasks = access.tasks_visible_to(request.user).filter(assignee=request.user)
        if wanted != "all":
            tasks = tasks.filter(status=wanted)
        order = ("due_on", "pk") if wanted == Task.Status.OPEN else ("-completed_at", "-pk")
        tasks = tasks.select_related("case", "assignee").order_by(*order)
        return self.paginate(tasks, TaskOutput)


class CaseTasks(CaseAPIView):
    @extend_schema(
        operation_id="cases_tasks_create", request=TaskInput, responses={201: TaskOutput}
    )
    def post(self, request, id):
        case = access.case_to_change(request, id)
        data = validated_data(TaskInput, request)
        assignee = request.user
        if data.get("assignee"):
            assignee = desk_staff(case.owning_desk).filter(public_id=data["assignee"]).first()
            if assignee is None:
                raise serializers.ValidationError(
                    {"assignee": [_("Choose someone who works at the desk")]}
                )
        task = actions.create_task(
            case,
            actor=request.user,
            title=data["title"],
            assignee=assignee,
            due_on=data["due_on"],
            notes=data.get("notes", ""),
        )
        return Response(TaskOutput(task).data, status=status.HTTP_201_CREATED)


class TaskComplete(CaseAPIView):
    @extend_schema(operation_id="tasks_complete_create", request=None, responses={200: TaskOutput})
    def post(self, request, id):
        task = access.get_task_for_user(request.user, id, write=True)
        task = actions.complete_task(task, actor=request.user)
        task = access.get_task_for_user(request.user, id)
        return Response(TaskOutput(task).data)


# Documents


class DocumentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = enum_field("DocumentKind", Document.Kind.choices)
    title = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = UserRef()
    uploaded_at = serializers.DateTimeField()


class DocumentInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, image (JPG, PNG, WEBP, HEIC) or office document; 10 MB at most."
    )
    kind = enum_field("DocumentKind", Document.Kind.choices)
    title = text_field(200)


class CaseDocuments(CaseAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="cases_documents_list", responses=DocumentOutput(many=True))
    def get(self, request, id):
        case = access.case_to_read(request, id)
        actions.record_case_view(case, actor=request.user, page="documents")
        documents = (
            access.documents_visible_to(request.user, case)
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "-pk")
        )
        return self.paginate(documents, DocumentOutput)

    @extend_schema(
        operation_id="cases_documents_create",
        request=DocumentInput,
        responses={201: DocumentOutput},
        description="Upload a file (multipart/form-data). Its real type is read from its content.",
    )
    def post(self, request, id):
        case = access.case_to_change(request, id)
        data = validated_data(DocumentInput, request)
        document = actions.upload_document(
            case,
            actor=request.user,
            uploaded_file=data["file"],
            kind=data["kind"],
            title=data.get("title", ""),
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DocumentDownload(CaseAPIView):
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # The file comes in its own type whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="cases_documents_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, in its own content type."
            )
        },
    )
    def get(self, request, id, document_id):
        case = access.case_to_read(request, id)
        document = access.get_document_for_user(request.user, case, document_id)
        actions.record_document_download(document, actor=request.user)
        extension = actions.ALLOWED_DOCUMENT_TYPES.get(document.content_type, "bin")
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{case.reference}-{document.kind}-{document.public_id.hex[:8]}.{extension}",
            content_type=document.content_type,
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# Handovers


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
        case = access.case_to_change(request, id)
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

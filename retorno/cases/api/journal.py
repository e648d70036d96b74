"""The case journal."""

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from retorno.cases import access, actions
from retorno.cases.models import (
    JournalEntry,
)
from retorno.lib.api.fields import (
    OrganisationRef,
    UserRef,
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    validated_data,
)


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
        case = access.get_case_for_user(request.user, id)
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
        case = access.get_case_for_user(request.user, id, write=True)
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
        case = access.get_case_for_user(request.user, id, write=True)
        entry = access.get_journal_entry_for_user(request.user, case, entry_id)
        data = validated_data(AmendInput, request)
        amendment = actions.amend_journal_entry(
            entry, actor=request.user, summary=data["summary"], reason=data["reason"]
        )
        return Response(JournalEntryOutput(amendment).data, status=status.HTTP_201_CREATED)

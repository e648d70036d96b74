"""Consent: recording and withdrawing it."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from retorno.accounts import access as accounts_access
from retorno.accounts.models import Organisation
from retorno.cases import access, actions
from retorno.cases.api.cases import NoteInput
from retorno.cases.models import (
    Consent,
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
        case = access.get_case_for_user(request.user, id)
        actions.record_case_view(case, actor=request.user, page="consent")
        consents = case.consents.select_related(*CONSENT_RELATED).order_by("-recorded_at", "-pk")
        return self.paginate(consents, ConsentOutput)

    @extend_schema(
        operation_id="cases_consents_create",
        request=ConsentInput,
        responses={201: ConsentOutput},
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
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
        case = access.get_case_for_user(request.user, id, write=True)
        consent = case.consents.filter(public_id=consent_id).first()
        if consent is None:
            raise Http404
        data = validated_data(NoteInput, request)
        stopped = actions.withdraw_consent(consent, actor=request.user, note=data.get("note", ""))
        consent = case.consents.select_related(*CONSENT_RELATED).get(pk=consent.pk)
        return Response(WithdrawalOutput({"consent": consent, "stopped": stopped}).data)

"""API views for referrals and the partner's inbox, on the same access policy, actions and audit
as the pages.

Desk staff reach referrals through the cases they work on; a partner reaches only the referrals
sent to its organisation (any other is a 404), sees the person only through the fields each
shares and only while it is open (`access.shared_with`), and every such read is recorded. Every
change goes through `retorno.referrals.actions`. The API speaks codes, never labels.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response

from retorno.accounts.roles import Capability
from retorno.cases import access as case_access
from retorno.cases import actions as case_actions
from retorno.directory import access as directory_access
from retorno.lib.api.fields import CaseRef, OrganisationRef, UserRef, enum_field
from retorno.lib.api.views import CaseAPIView, query_data, validated_data
from retorno.lib.errors import ActionError
from retorno.plans.api import DirectoryServiceRef, live_action
from retorno.referrals import access, actions, letter, sharing
from retorno.referrals.models import Referral

STATUS = ("ReferralStatus", Referral.Status.choices)
OUTCOME = ("ReferralOutcome", Referral.Outcome.choices)
SHAREABLE = ("ShareableField", [(f.code, f.code) for f in sharing.FIELDS])
LETTER_LANGUAGE = ("LetterLanguage", [(code, code) for code in ("es", "pt", "it", "en")])


def _enum(spec, **kwargs):
    return enum_field(spec[0], spec[1], **kwargs)


# Who may call what


class WorksWithReferrals(permissions.BasePermission):
    """Desk staff and partners; every other role gets 403."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and (user.can(Capability.WORK_CASES) or user.can(Capability.ANSWER_REFERRALS))
        )


class AnswersReferrals(permissions.BasePermission):
    """The inbox is the partners'."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.can(Capability.ANSWER_REFERRALS))


class ReferralAPIView(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, WorksWithReferrals]


# Output


class SharedValueOutput(serializers.Serializer):
    code = _enum(SHAREABLE)
    value = serializers.CharField(help_text="As the organisation reads it; empty when unknown.")


class ReferralUpdateOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = _enum(STATUS, allow_null=True, help_text="null for a note")
    text = serializers.CharField()
    author_name = serializers.CharField()
    author_organisation = OrganisationRef()
    on_behalf = serializers.BooleanField(
        help_text="Recorded by the desk for an organisation that is not on Retorno."
    )
    created_at = serializers.DateTimeField()

    def to_representation(self, update):
        data = super().to_representation(update)
        data["status"] = data["status"] or None
        return data


class OutcomeMixin(serializers.Serializer):
    def to_representation(self, referral):
        data = super().to_representation(referral)
        data["outcome"] = data["outcome"] or None  # no outcome yet: null, not ""
        return data


class ReferralRowOutput(OutcomeMixin, serializers.Serializer):
    """A referral as the case's list shows it to the desk."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = _enum(STATUS)
    service = DirectoryServiceRef()
    recipient = OrganisationRef(
        allow_null=True, help_text="The organisation that answers on Retorno; null if none."
    )
    on_retorno = serializers.BooleanField()
    plan_action = serializers.UUIDField(source="plan_action.public_id", allow_null=True)
    need = serializers.CharField()
    shared_fields = serializers.ListField(child=_enum(SHAREABLE))
    reply_by = serializers.DateField()
    sent_by = UserRef()
    sent_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = _enum(
        OUTCOME,
        allow_null=True,
        help_text="How the service ended, once it is completed or not delivered; else null.",
    )
    outcome_on = serializers.DateField(allow_null=True, help_text="When the service ended.")


class ReferralAnswerMixin(serializers.Serializer):
    may_answer = serializers.BooleanField(
        help_text="Whether you move its status (the partner; the desk for an organisation "
        "that is not on Retorno)."
    )
    next_statuses = serializers.ListField(
        child=_enum(STATUS), help_text="The statuses you may move it to now."
    )
    updates = ReferralUpdateOutput(many=True, source="thread")


class ReferralOutput(ReferralAnswerMixin, ReferralRowOutput):
    """The referral for the desk: everything, with what the organisation sees of the person."""

    case = CaseRef()
    from_desk = OrganisationRef()
    reason = serializers.CharField(help_text="Why it was declined or not delivered.")
    may_manage = serializers.BooleanField(help_text="Whether you add updates as the desk.")
    shared = SharedValueOutput(many=True, help_text="What the organisation reads of the person.")


class PartnerReferralOutput(OutcomeMixin, ReferralAnswerMixin, serializers.Serializer):
    """The referral for the receiving organisation: the person only through the shared
    fields, and only while the referral is open."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = _enum(STATUS)
    service = DirectoryServiceRef()
    from_desk = OrganisationRef()
    reply_by = serializers.DateField()
    reason = serializers.CharField(help_text="Why it was declined or not delivered.")
    sent_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = _enum(
        OUTCOME,
        allow_null=True,
        help_text="How the service ended, once it is completed or not delivered; else null.",
    )
    outcome_on = serializers.DateField(allow_null=True, help_text="When the service ended.")
    shared = SharedValueOutput(
        many=True,
        allow_null=True,
        help_text="What the desk shared of the person; null once the referral is closed.",
    )
    not_shared = serializers.ListField(child=_enum(SHAREABLE))


REFERRAL_READ = PolymorphicProxySerializer(
    component_name="ReferralRead",
    serializers=[ReferralOutput, PartnerReferralOutput],
    resource_type_field_name=None,
)


class InboxRowOutput(serializers.Serializer):
    """A referral in the partner's inbox: nothing of the person."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = _enum(STATUS)
    service = DirectoryServiceRef()
    from_desk = OrganisationRef()
    reply_by = serializers.DateField()
    sent_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    opened_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When someone of your organisation first opened it; null while it is unread.",
    )


class ShareableFieldOutput(serializers.Serializer):
    code = _enum(SHAREABLE)
    label = serializers.CharField(help_text="In your language, to show in a form.")
    default = serializers.BooleanField(help_text="Shared unless the caseworker unticks it.")
    sensitive = serializers.BooleanField(
        help_text="Never shared unless explicitly chosen; the choice is audited."
    )


def _values(rows) -> list[dict]:
    # The pages show "—" for a field the record leaves empty; the API sends it empty.
    return [{"code": r["code"], "value": "" if r["value"] == "—" else r["value"]} for r in rows]


def referral_data(request, referral) -> dict:
    """The referral as this user may read it, with the read recorded as the pages record it."""
    user = request.user
    shared = access.shared_with(user, referral)
    referral.may_answer = access.may_answer(user, referral)
    next_statuses = sorted(actions.NEXT.get(referral.status, set()))
    referral.next_statuses = next_statuses if referral.may_answer else []
    updates = list(referral.updates.select_related("author_organisation"))
    if user.can(Capability.WORK_CASES):
        case = case_access.get_case_for_user(user, referral.case.public_id)
        case_actions.record_case_view(case, actor=user, page="referrals")
        referral.may_manage = access.may_manage(user, referral)
        referral.shared = _values(shared or [])
        referral.thread = updates
        return ReferralOutput(referral).data
    if shared is not None:
        actions.record_view(referral, actor=user)
    need_shared = shared is not None and "need" in referral.shared_fields
    for update in updates:
        # The first message of the thread is the need: only for those it was shared with.
        if update.status == Referral.Status.SENT and not need_shared:
            update.text = ""
    referral.thread = updates
    referral.shared = _values(shared) if shared is not None else None
    referral.not_shared = [f.code for f in sharing.FIELDS if f.code not in referral.shared_fields]
    return PartnerReferralOutput(referral).data


def reread(request, referral) -> dict:
    return referral_data(request, access.get_referral_for_user(request.user, referral.public_id))


# Input


class ReferralInput(serializers.Serializer):
    service = serializers.UUIDField(help_text="A service of the directory.")
    plan_action = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="The action of the plan the referral carries out; it moves on with it.",
    )
    need = serializers.CharField(help_text="What the person needs from this service.")
    shared_fields = serializers.ListField(
        child=_enum(SHAREABLE),
        allow_empty=True,
        help_text="What the organisation may read of the person: codes from "
        "/referrals/shareable-fields/. A name or a way to contact the person is needed.",
    )

    def validate_service(self, value):
        service = (
            directory_access.services_visible_to(self.context["request"].user)
            .select_related("organization")
            .filter(public_id=value)
            .first()
        )
        if service is None:
            raise serializers.ValidationError(_("Choose the service"))
        return service


class ReferralStatusInput(serializers.Serializer):
    status = _enum(STATUS)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A note; the reason, needed to decline and for not delivered.",
    )
    outcome = _enum(
        OUTCOME,
        required=False,
        help_text="With completed or not_delivered: how the service ended (completed and "
        "certificate close it as completed; dropped_out and not_delivered as not delivered). "
        "Without it, the outcome is the status itself.",
    )
    outcome_on = serializers.DateField(
        required=False, help_text="When the service ended; today if omitted."
    )

    def validate(self, data):
        outcome = data.get("outcome")
        if outcome and actions.OUTCOME_STATUS[outcome] != data["status"]:
            raise serializers.ValidationError(
                {"outcome": _("This outcome does not close a referral with that status.")}
            )
        if (outcome or data.get("outcome_on")) and data["status"] not in (
            Referral.Status.COMPLETED,
            Referral.Status.NOT_DELIVERED,
        ):
            raise serializers.ValidationError(
                {"outcome": _("An outcome goes only with completed or not delivered.")}
            )
        return data


class ReferralNoteInput(serializers.Serializer):
    text = serializers.CharField()


class InboxQuery(serializers.Serializer):
    status = serializers.ListField(
        child=_enum(STATUS), required=False, help_text="Repeat for several; all by default."
    )


# Views


REFERRAL_ROW_RELATED = ("sent_by",)


class CaseReferrals(CaseAPIView):
    @extend_schema(
        operation_id="cases_referrals_list",
        responses=ReferralRowOutput(many=True),
        description="The case's referrals, latest first.",
    )
    def get(self, request, id):
        case = case_access.get_case_for_user(request.user, id)
        case_actions.record_case_view(case, actor=request.user, page="referrals")
        referrals = (
            access.referrals_of_case(case)
            .select_related(*REFERRAL_ROW_RELATED)
            .order_by("-sent_at", "-pk")
        )
        return self.paginate(referrals, ReferralRowOutput)

    @extend_schema(
        operation_id="cases_referrals_create",
        request=ReferralInput,
        responses={201: ReferralOutput},
        description="Refer the person to a service. Needs the person's consent in force to "
        "share with its organisation (400 `no_consent` otherwise); one open referral per "
        "service.",
    )
    def post(self, request, id):
        case = case_access.get_case_for_user(request.user, id, write=True)
        data = validated_data(ReferralInput, request)
        plan_action = None
        if data.get("plan_action"):
            try:
                plan_action = live_action(request.user, case, data["plan_action"])
            except exceptions.NotFound as error:  # for a field of the body: a 400
                raise serializers.ValidationError(
                    {"plan_action": [_("Choose an action of this case's plan.")]}
                ) from error
        referral = actions.refer(
            case,
            actor=request.user,
            service=data["service"],
            need=data["need"],
            shared_fields=data["shared_fields"],
            plan_action=plan_action,
        )
        return Response(reread(request, referral), status=status.HTTP_201_CREATED)


class ReferralDetail(ReferralAPIView):
    @extend_schema(
        operation_id="referrals_retrieve",
        responses=REFERRAL_READ,
        description="For the desk, the whole referral with what the organisation sees. For "
        "the receiving organisation, the shared fields while it is open (the read is "
        "recorded), its history after.",
    )
    def get(self, request, id):
        referral = access.get_referral_for_user(request.user, id)
        return Response(referral_data(request, referral))


class ReferralStatus(ReferralAPIView):
    @extend_schema(
        operation_id="referrals_status_create",
        request=ReferralStatusInput,
        responses={200: REFERRAL_READ},
        description="Accept, decline, start, complete or not delivered: the receiving "
        "organisation, or the desk for one that is not on Retorno. Declined and not_delivered "
        "need the reason in `text`. Completed and not_delivered record the outcome (`outcome`, "
        "`outcome_on`). Completing it marks the plan's action done.",
    )
    def post(self, request, id):
        referral = access.get_referral_for_user(request.user, id, write=True)
        data = validated_data(ReferralStatusInput, request)
        try:
            if data["status"] in (Referral.Status.COMPLETED, Referral.Status.NOT_DELIVERED):
                actions.record_outcome(
                    referral,
                    actor=request.user,
                    outcome=data.get("outcome") or data["status"],
                    outcome_on=data.get("outcome_on") or timezone.localdate(),
                    note=data.get("text", ""),
                )
            else:
                actions.change_status(
                    referral, actor=request.user, status=data["status"], text=data.get("text", "")
                )
        except ActionError as error:
            if error.field in ("reason", "note"):  # the action names the pages' fields
                error.field = "text"
            raise
        return Response(reread(request, referral))


class ReferralUpdates(ReferralAPIView):
    @extend_schema(
        operation_id="referrals_updates_create",
        request=ReferralNoteInput,
        responses={201: ReferralUpdateOutput},
        description="Add a note to the referral's thread, for the other side to read.",
    )
    def post(self, request, id):
        referral = access.get_referral_for_user(request.user, id, write=True)
        data = validated_data(ReferralNoteInput, request)
        update = actions.add_update(referral, actor=request.user, text=data["text"])
        return Response(ReferralUpdateOutput(update).data, status=status.HTTP_201_CREATED)


class ReferralLetter(CaseAPIView):
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # The PDF comes as a PDF whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="referrals_letter",
        parameters=[
            OpenApiParameter(
                "language",
                enum=[code for code, _label in LETTER_LANGUAGE[1]],
                description="By default the language of the organisation's country.",
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The letter for an organisation that is not on Retorno, with the "
                "shared fields only.",
            )
        },
    )
    def get(self, request, id):
        referral = access.get_referral_for_user(request.user, id)
        case_access.get_case_for_user(request.user, referral.case.public_id)
        language = letter.language_for(referral, request.query_params.get("language"))
        content = letter.render_letter(referral, user=request.user, language=language)
        actions.record_letter(referral, actor=request.user, language=language)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="referral-{referral.reference}-{language}.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response


class ShareableFields(ReferralAPIView):
    pagination_class = None

    @extend_schema(
        operation_id="referrals_shareable_fields_list",
        responses=ShareableFieldOutput(many=True),
        description="What a referral may share of the person, in the order forms show it: the "
        "same list the pages, the letter and the access rules read.",
    )
    def get(self, request):
        return Response(ShareableFieldOutput(sharing.FIELDS, many=True).data)


class Inbox(ReferralAPIView):
    permission_classes = [permissions.IsAuthenticated, AnswersReferrals]

    @extend_schema(
        operation_id="inbox_list",
        parameters=[InboxQuery],
        responses=InboxRowOutput(many=True),
        description="The referrals sent to your organisation, the soonest reply due first.",
    )
    def get(self, request):
        query = InboxQuery(data=query_data(InboxQuery, request.query_params))
        query.is_valid(raise_exception=True)
        referrals = access.inbox_for(request.user).select_related("service__organization")
        if query.validated_data.get("status"):
            referrals = referrals.filter(status__in=query.validated_data["status"])
        return self.paginate(referrals.order_by("reply_by", "pk"), InboxRowOutput)

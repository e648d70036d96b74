"""API views for monitoring: survey instruments and their versions, programmes' schedules, a
case's monitoring, follow-ups, contact attempts and surveys, and a desk's monitoring figures, on
the same access policy, rules and audited actions as the pages.

A case's monitoring is part of the case (`retorno.monitoring.access`): the staff of the desk that
works on it read and change it; anyone else gets 404, and whoever reads it but may not change it
403. Each read of it is recorded in the audit trail. A desk's figures name cases by reference
only. Instrument versions and schedules hold no person: every member of staff reads them,
programme coordination changes them. Every change goes through `retorno.monitoring.actions`.

Scores and margins are JSON strings ("0.772"), never JSON numbers; a score is null when there
were not enough answers to give one.
"""

from decimal import Decimal, InvalidOperation

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response

from retorno.cases import actions as case_actions
from retorno.cases.access import get_case_for_user
from retorno.lib.api.fields import (
    CaseRef,
    NeverPartial,
    OrganisationRef,
    UserRef,
    enum_field,
    text_field,
)
from retorno.lib.api.views import CaseAPIView, ManagesCases, validated_data
from retorno.monitoring import access, actions, instrument, queries, rules
from retorno.monitoring.models import ContactAttempt, FollowUp, Method, Survey
from retorno.plans import access as plans_access
from retorno.plans.models import PlanAction
from retorno.programmes.models import Programme

METHOD = ("ContactMethod", Method.choices)
FOLLOW_UP_STATUS = ("FollowUpStatus", FollowUp.Status.choices)
ATTEMPT_REASON = ("AttemptReason", ContactAttempt.Reason.choices)
SURVEY_KIND = ("SurveyKind", Survey.Kind.choices)
SURVEY_STATUS = ("SurveyStatus", Survey.Status.choices)
ACTION_STATUS = ("PlanActionStatus", PlanAction.Status.choices)
RISK_KIND = ("RiskKind", [("under", "under"), ("drop", "drop")])
LOST_CONTACT = ("LostContact", [("proposed", "proposed")])
FIGURE = ("ScoreFigure", [(f, f) for f in queries.FIGURES])

SCORE_PATTERN = r"^[01]\.[0-9]{3}$"
MARGIN_PATTERN = r"^0?\.[0-9]{1,3}$|^0$"


def _enum(spec, **kwargs):
    return enum_field(spec[0], spec[1], **kwargs)


# Fields


@extend_schema_field(
    {
        "type": "string",
        "pattern": SCORE_PATTERN,
        "nullable": True,
        "example": "0.772",
        "description": "A score between 0 and 1 with three decimals, as a string; null when "
        "there were not enough answers to give one.",
    }
)
class ScoreOutput(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        try:
            return super().get_attribute(instance)
        except (KeyError, AttributeError):
            return None

    def to_representation(self, value):
        return None if value is None else f"{Decimal(value):.3f}"


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[0-9]+(\.[0-9]+)?$",
        "example": "0.15",
        "description": "A decimal between 0 and 1 (exclusive) with at most three decimals, as "
        "a string, never a JSON number.",
    }
)
class MarginField(serializers.Field):
    default_error_messages = {
        "number": _('Write the margin as text, for example "0.15", not as a number.'),
        "invalid": _("Write a margin between 0 and 1, such as 0.15."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("number")
        try:
            value = Decimal(data.strip())
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite() or not 0 < value < 1 or value.as_tuple().exponent < -3:
            self.fail("invalid")
        return value

    def to_representation(self, value):
        return f"{Decimal(value):.3f}"


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "example": {"eco_income": "some", "soc_network": "declined"},
        "description": 'Question code: the code of the option chosen, or "declined" (does '
        "not want to answer). An empty string leaves the question unanswered.",
    }
)
class AnswersField(serializers.Field):
    default_error_messages = {
        "invalid": _("Answers are question codes with the code of the option chosen."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict) or any(
            not isinstance(k, str) or not isinstance(v, str) for k, v in data.items()
        ):
            self.fail("invalid")
        return {code: option for code, option in data.items() if option}

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "example": "0.2"})
class BoundOutput(serializers.Field):
    """A band's bound, with one decimal: "0.0", "0.2" ... "1.0"."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return f"{Decimal(value):.1f}"


# Who may call what


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "membership", None))


class SchedulesAndInstruments(permissions.BasePermission):
    """Instrument versions and schedules hold no person: every member of staff reads them;
    programme coordination and administrators change them (monitoring.rules)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return _staff(request.user)
        return rules.may_change_schedule(request.user)


class ReadsDeskMonitoring(permissions.BasePermission):
    """A desk's monitoring: its coordinators, and programme coordination for every desk; other
    roles get 403 (a desk they may not read: 404)."""

    def has_permission(self, request, view):
        return access.monitoring_desks_visible_to(request.user).exists()


# Output


class InstrumentVersionRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField(source="instrument.code")
    number = serializers.IntegerField()


class InstrumentVersionRowOutput(InstrumentVersionRef):
    checksum = serializers.CharField(help_text="SHA-256 of the definition's canonical JSON.")
    loaded_at = serializers.DateTimeField()


class InstrumentVersionOutput(InstrumentVersionRowOutput):
    loaded_by = UserRef(allow_null=True)
    definition = serializers.JSONField(
        help_text="The version's questions, options, scores, weights and thresholds, in the "
        "four languages, as it was loaded."
    )


class ProgrammeRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField()
    name = serializers.CharField()


class MonitoringScheduleOutput(serializers.Serializer):
    programme = ProgrammeRef()
    months = serializers.ListField(
        child=serializers.IntegerField(), help_text="Follow-ups, months after arrival."
    )
    survey_months = serializers.ListField(
        child=serializers.IntegerField(), help_text="The follow-ups that take the survey."
    )
    attempts_before_lost = serializers.IntegerField(
        help_text="Failed attempts in a row before the case is proposed for closing as lost "
        "contact."
    )
    drop_margin = MarginField(
        read_only=True,
        help_text="A drop of more than this since the previous survey puts a case at risk.",
    )
    instrument = InstrumentVersionRef(allow_null=True)
    version = serializers.IntegerField(
        help_text="0 while the programme follows the defaults; send it back with a change."
    )
    updated_at = serializers.DateTimeField(allow_null=True)


class MonitoringScheduleSetOutput(MonitoringScheduleOutput):
    planned = serializers.IntegerField(help_text="Follow-ups planned by the change.")
    cancelled = serializers.IntegerField(help_text="Follow-ups cancelled by the change.")


class ScoresOutput(serializers.Serializer):
    economic = ScoreOutput()
    social = ScoreOutput()
    psychosocial = ScoreOutput()
    composite = ScoreOutput()


class SurveyScoresOutput(serializers.Serializer):
    """A submitted survey's scores, with the instrument version that produced them."""

    id = serializers.UUIDField(source="public_id")
    kind = _enum(SURVEY_KIND)
    month = serializers.IntegerField(source="follow_up.month", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    instrument = InstrumentVersionRef()
    scores = ScoresOutput(source="*")


RiskReasonOutput = type(
    "RiskReasonOutput",
    (serializers.Serializer,),
    {
        "__doc__": "Why a case is at risk: a dimension under its threshold, or a figure that "
        "dropped by more than the programme's margin since the previous survey.",
        "kind": _enum(RISK_KIND),
        "dimension": _enum(FIGURE),
        "score": ScoreOutput(help_text="For `under`."),
        "threshold": ScoreOutput(help_text="For `under`."),
        "from": ScoreOutput(help_text="For `drop`: the previous survey's figure."),
        "to": ScoreOutput(help_text="For `drop`: this survey's figure."),
    },
)


class CaseMonitoringOutput(serializers.Serializer):
    case = CaseRef()
    monitored = serializers.BooleanField(
        help_text="false until the case enters reception and its follow-ups are planned."
    )
    arrived_on = serializers.DateField(allow_null=True)
    failed_in_row = serializers.IntegerField(help_text="Failed contact attempts in a row.")
    attempts_before_lost = serializers.IntegerField()
    lost_contact = _enum(
        LOST_CONTACT,
        allow_null=True,
        help_text="`proposed` when the case waits for the coordinator's decision.",
    )
    lost_contact_proposed_at = serializers.DateTimeField(allow_null=True)
    at_risk = serializers.BooleanField()
    at_risk_since = serializers.DateField(allow_null=True)
    risk_reasons = RiskReasonOutput(many=True)
    latest = SurveyScoresOutput(allow_null=True, help_text="The latest submitted survey.")
    scores_over_time = SurveyScoresOutput(many=True, help_text="Submitted surveys, oldest first.")
    version = serializers.IntegerField()


class AttemptOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    follow_up = serializers.UUIDField(source="follow_up.public_id")
    attempted_at = serializers.DateTimeField()
    method = _enum(METHOD)
    reason = _enum(ATTEMPT_REASON)
    note = serializers.CharField()
    by = UserRef()


class AttemptCreatedOutput(AttemptOutput):
    failed_in_row = serializers.IntegerField(help_text="Failed attempts in a row, this included.")
    lost_contact = _enum(LOST_CONTACT, allow_null=True)


class FollowUpOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    month = serializers.IntegerField(help_text="Months after arrival.")
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    takes_survey = serializers.BooleanField()
    status = _enum(FOLLOW_UP_STATUS)
    done_on = serializers.DateField(allow_null=True)
    method = _enum(METHOD, allow_null=True, help_text="How the person was reached.")
    reached_by = UserRef(allow_null=True)
    note = serializers.CharField(help_text="How the plan is going.")
    new_needs = serializers.CharField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    failed_attempts = serializers.IntegerField()
    task = serializers.UUIDField(source="task.public_id", allow_null=True)
    survey = serializers.UUIDField(source="survey_id_public", allow_null=True)
    version = serializers.IntegerField()


class FollowUpDetailOutput(FollowUpOutput):
    attempts = AttemptOutput(many=True, source="attempts_list")


class SurveyRowOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = _enum(SURVEY_KIND)
    follow_up = serializers.UUIDField(source="follow_up.public_id", allow_null=True)
    month = serializers.IntegerField(source="follow_up.month", allow_null=True)
    status = _enum(SURVEY_STATUS)
    instrument = InstrumentVersionRef()
    scores = ScoresOutput(source="*", help_text="null until submitted.")
    started_by = UserRef()
    started_at = serializers.DateTimeField()
    submitted_by = UserRef(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class SurveyOutput(SurveyRowOutput):
    answers = AnswersField(read_only=True)
    missing_required = serializers.ListField(
        child=serializers.CharField(),
        help_text="The codes of the required questions still to answer.",
    )


class CountsOutput(serializers.Serializer):
    overdue = serializers.IntegerField()
    due = serializers.IntegerField(help_text="Due within the next 14 days.")
    done = serializers.IntegerField()


class ReachedOutput(serializers.Serializer):
    month = serializers.IntegerField()
    expected = serializers.IntegerField(help_text="Follow-ups of that month whose date has come.")
    reached = serializers.IntegerField()
    share = serializers.IntegerField(allow_null=True, help_text="Percent; null when none due.")


class BandOutput(serializers.Serializer):
    low = BoundOutput()
    high = BoundOutput()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class DistributionOutput(serializers.Serializer):
    figure = _enum(FIGURE)
    rows = BandOutput(many=True)
    total = serializers.IntegerField()
    none = serializers.IntegerField(help_text="Latest surveys without this score.")


class AtRiskOutput(serializers.Serializer):
    case = CaseRef()
    at_risk_since = serializers.DateField(allow_null=True)
    risk_reasons = RiskReasonOutput(many=True)
    scores = ScoresOutput(source="latest_survey", allow_null=True)


class OverdueOutput(serializers.Serializer):
    case = CaseRef()
    follow_up = serializers.UUIDField(source="public_id")
    month = serializers.IntegerField()
    due_on = serializers.DateField()


class DeskMonitoringOutput(serializers.Serializer):
    desk = OrganisationRef()
    counts = CountsOutput()
    reached = ReachedOutput(many=True, help_text="The share reached at 3, 6 and 12 months.")
    distribution = DistributionOutput(many=True, help_text="The latest scores, in bands.")
    at_risk_count = serializers.IntegerField()
    at_risk = AtRiskOutput(many=True, help_text="The first 20, longest at risk first.")
    overdue = OverdueOutput(many=True, help_text="The 20 most overdue follow-ups.")


# Input


class MonitoringScheduleInput(serializers.Serializer):
    months = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    survey_months = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    attempts_before_lost = serializers.IntegerField()
    drop_margin = MarginField()
    instrument = serializers.UUIDField(
        required=False, help_text="An instrument version; left out, the one adopted stays."
    )
    version = serializers.IntegerField(
        help_text="The version you read (0 for the defaults); a change made meanwhile gives 409."
    )


class LostContactInput(serializers.Serializer):
    close = serializers.BooleanField(
        help_text="true closes the case as lost contact; false keeps following it."
    )
    note = text_field(help_text="Goes on the case's timeline.")


class ActionStatusInput(serializers.Serializer):
    action = serializers.UUIDField(help_text="An action of the case's plan.")
    status = _enum(ACTION_STATUS)


class RecordInput(serializers.Serializer):
    done_on = serializers.DateField()
    method = _enum(METHOD)
    note = text_field(help_text="How the plan is going.")
    new_needs = text_field()
    action_statuses = ActionStatusInput(many=True, required=False)
    open_revision = serializers.BooleanField(
        required=False, default=False, help_text="Open a new version of the approved plan."
    )
    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile gives 409."
    )


class AttemptInput(serializers.Serializer):
    method = _enum(METHOD)
    reason = _enum(ATTEMPT_REASON)
    note = text_field()
    attempted_at = serializers.DateTimeField(required=False, help_text="Now, when left out.")


class SurveyStartInput(serializers.Serializer):
    follow_up = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="The follow-up the survey is taken at; left out for the baseline.",
    )


class SurveyAnswersInput(NeverPartial, serializers.Serializer):
    answers = AnswersField()
    version = serializers.IntegerField(
        help_text="The version you read; a change made meanwhile gives 409."
    )


# Helpers


def _programme(public_id) -> Programme:
    programme = Programme.objects.filter(public_id=public_id).first()
    if programme is None:
        raise exceptions.NotFound()
    return programme


def schedule_data(programme, schedule) -> dict:
    schedule.programme = programme
    return {
        "programme": programme,
        "months": sorted(schedule.months),
        "survey_months": sorted(schedule.survey_months),
        "attempts_before_lost": schedule.attempts_before_lost,
        "drop_margin": schedule.drop_margin,
        "instrument": schedule.instrument,
        "version": schedule.version,
        "updated_at": schedule.updated_at if schedule.pk else None,
    }


def monitoring_data(case) -> dict:
    monitoring = access.monitoring_of(case)
    surveys = queries.scores_over_time(case)
    limit = rules.schedule_of(case.cycle.programme).attempts_before_lost
    if monitoring is None:
        return {
            "case": case,
            "monitored": False,
            "arrived_on": None,
            "failed_in_row": 0,
            "attempts_before_lost": limit,
            "lost_contact": None,
            "lost_contact_proposed_at": None,
            "at_risk": False,
            "at_risk_since": None,
            "risk_reasons": [],
            "latest": surveys[-1] if surveys else None,
            "scores_over_time": surveys,
            "version": 0,
        }
    return {
        "case": case,
        "monitored": True,
        "arrived_on": monitoring.arrived_on,
        "failed_in_row": monitoring.failed_in_row,
        "attempts_before_lost": limit,
        "lost_contact": monitoring.lost_contact or None,
        "lost_contact_proposed_at": monitoring.lost_contact_proposed_at
        if monitoring.lost_contact
        else None,
        "at_risk": monitoring.at_risk,
        "at_risk_since": monitoring.at_risk_since,
        "risk_reasons": monitoring.risk_reasons,
        "latest": surveys[-1] if surveys else None,
        "scores_over_time": surveys,
        "version": monitoring.version,
    }


def _annotated(follow_ups):
    return follow_ups.select_related("reached_by", "task", "survey").annotate(
        failed_attempts=Count("attempts")
    )


def _prepare_follow_ups(rows) -> None:
    today = timezone.localdate()
    for follow_up in rows:
        follow_up.overdue = follow_up.status == FollowUp.Status.PLANNED and follow_up.due_on < today
        survey = follow_up.survey if _has_survey(follow_up) else None
        follow_up.survey_id_public = survey.public_id if survey else None
        follow_up.method = follow_up.method or None


def _has_survey(follow_up) -> bool:
    try:
        follow_up.survey  # noqa: B018 - selected with the row
    except Survey.DoesNotExist:
        return False
    return True


def follow_up_data(case, public_id) -> dict:
    follow_up = _annotated(access.of_case(case, FollowUp)).filter(public_id=public_id).first()
    if follow_up is None:
        raise exceptions.NotFound()
    _prepare_follow_ups([follow_up])
    follow_up.attempts_list = list(
        access.attempts_of(case).filter(follow_up=follow_up).order_by("attempted_at", "pk")
    )
    return FollowUpDetailOutput(follow_up).data


def survey_data(survey) -> dict:
    definition = survey.instrument.definition
    survey.missing_required = [
        q["code"] for q in instrument.missing_required(definition, survey.answers)
    ]
    return SurveyOutput(survey).data


def reread_survey(request, case, survey) -> dict:
    fresh = access.get_survey_for_user(request.user, case, survey.public_id)
    return survey_data(fresh)


def _case(request, id, *, write=False):
    return get_case_for_user(request.user, id, write=write)


def _viewed(request, case) -> None:
    case_actions.record_case_view(case, actor=request.user, page="monitoring")


NOT_VISIBLE = OpenApiResponse(description="A case you may not see (`not_found`).")


# Instruments


class InstrumentCollection(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, SchedulesAndInstruments]

    @extend_schema(
        operation_id="monitoring_instruments_list",
        responses=InstrumentVersionRowOutput(many=True),
        description="The versions of the survey instruments, by code and number.",
    )
    def get(self, request):
        versions = access.instrument_versions_visible_to(request.user)
        return self.paginate(
            versions.order_by("instrument__code", "number", "pk"), InstrumentVersionRowOutput
        )

    @extend_schema(
        operation_id="monitoring_instruments_create",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            201: InstrumentVersionOutput,
            200: OpenApiResponse(
                InstrumentVersionOutput, description="The same definition, loaded already."
            ),
        },
        description="Load a version of an instrument: the body is its definition "
        "(docs/monitoring-survey.md). 201 when loaded; 200 when the same definition was loaded "
        "already; 409 `conflict` when that number is loaded with other questions (a version "
        "never changes); 400 naming the problems. Programme coordination and administrators.",
    )
    def post(self, request):
        definition = request.data
        if not isinstance(definition, dict):
            raise serializers.ValidationError(
                {"definition": [_("Send the survey definition as a JSON object.")]}
            )
        version, created = actions.load_instrument_version(dict(definition), actor=request.user)
        version = access.get_instrument_version_for_user(request.user, version.public_id)
        return Response(
            InstrumentVersionOutput(version).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class InstrumentDetail(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, SchedulesAndInstruments]

    @extend_schema(
        operation_id="monitoring_instruments_retrieve",
        responses=InstrumentVersionOutput,
        description="An instrument version with its definition.",
    )
    def get(self, request, id):
        version = access.get_instrument_version_for_user(request.user, id)
        return Response(InstrumentVersionOutput(version).data)


# Schedules


class ScheduleDetail(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, SchedulesAndInstruments]

    @extend_schema(
        operation_id="monitoring_schedules_retrieve",
        responses=MonitoringScheduleOutput,
        description="A programme's monitoring schedule; the defaults (version 0) while it has "
        "none of its own.",
    )
    def get(self, request, id):
        programme = _programme(id)
        schedule = rules.schedule_of(programme)
        return Response(MonitoringScheduleOutput(schedule_data(programme, schedule)).data)

    @extend_schema(
        operation_id="monitoring_schedules_update",
        request=MonitoringScheduleInput,
        responses={200: MonitoringScheduleSetOutput},
        description="Set a programme's schedule with the `version` you read (409 `conflict` "
        "when someone changed it meanwhile). The follow-ups not yet done of its open cases are "
        "planned again; the answer says how many were planned and cancelled. Programme "
        "coordination and administrators.",
    )
    def put(self, request, id):
        programme = _programme(id)
        data = validated_data(MonitoringScheduleInput, request)
        version = rules.schedule_of(programme).instrument
        if data.get("instrument"):
            try:
                version = access.get_instrument_version_for_user(request.user, data["instrument"])
            except Http404:
                raise serializers.ValidationError(
                    {"instrument": [_("No such survey version.")]}
                ) from None
        if version is None:
            raise serializers.ValidationError({"instrument": [_("Choose a survey version.")]})
        schedule, counts = actions.set_schedule(
            programme,
            actor=request.user,
            months=data["months"],
            survey_months=data["survey_months"],
            attempts_before_lost=data["attempts_before_lost"],
            drop_margin=data["drop_margin"],
            instrument_version=version,
            expected_version=data["version"],
        )
        data = {**schedule_data(programme, schedule), **counts}
        return Response(MonitoringScheduleSetOutput(data).data)


# A case's monitoring


class CaseMonitoringDetail(CaseAPIView):
    @extend_schema(
        operation_id="cases_monitoring_retrieve",
        responses={200: CaseMonitoringOutput, 404: NOT_VISIBLE},
        description="The monitoring of a case: when the person arrived, failed attempts in a "
        "row, the lost-contact proposal, whether it is at risk and why, and its scores over "
        "time. The read is recorded in the audit trail.",
    )
    def get(self, request, id):
        case = _case(request, id)
        _viewed(request, case)
        return Response(CaseMonitoringOutput(monitoring_data(case)).data)


class CaseLostContact(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ManagesCases]

    @extend_schema(
        operation_id="cases_monitoring_lost_contact_create",
        request=LostContactInput,
        responses={200: CaseMonitoringOutput},
        description="The coordinator's decision on a case proposed for closing as lost "
        "contact: close it, or keep following it (the count of failed attempts starts again). "
        "409 `already_done` when the case is not proposed.",
    )
    def post(self, request, id):
        case = _case(request, id, write=True)
        data = validated_data(LostContactInput, request)
        actions.decide_lost_contact(
            case, actor=request.user, close=data["close"], note=data.get("note", "")
        )
        case = _case(request, id)
        return Response(CaseMonitoringOutput(monitoring_data(case)).data)


# Follow-ups and attempts


class CaseFollowUps(CaseAPIView):
    @extend_schema(
        operation_id="cases_follow_ups_list",
        responses={200: FollowUpOutput(many=True), 404: NOT_VISIBLE},
        description="A case's follow-ups, by month after arrival.",
    )
    def get(self, request, id):
        case = _case(request, id)
        _viewed(request, case)
        follow_ups = _annotated(access.of_case(case, FollowUp)).order_by("month", "pk")
        return self.paginate(follow_ups, FollowUpOutput, prepare=_prepare_follow_ups)


class FollowUpDetail(CaseAPIView):
    @extend_schema(
        operation_id="cases_follow_ups_retrieve",
        responses=FollowUpDetailOutput,
        description="A follow-up with its failed contact attempts.",
    )
    def get(self, request, id, follow_up_id):
        case = _case(request, id)
        follow_up = access.get_follow_up_for_user(request.user, case, follow_up_id)
        _viewed(request, case)
        return Response(follow_up_data(case, follow_up.public_id))


class FollowUpRecord(CaseAPIView):
    @extend_schema(
        operation_id="cases_follow_ups_record_create",
        request=RecordInput,
        responses={200: FollowUpDetailOutput},
        description="The person was reached: when, how, how the plan is going (its actions' "
        "status, a note, new needs, a new version of the plan when asked), with the `version` "
        "you read. Ends the run of failed attempts and any lost-contact proposal. 409 "
        "`already_done` for a follow-up done, `conflict` for a stale version.",
    )
    def post(self, request, id, follow_up_id):
        case = _case(request, id, write=True)
        follow_up = access.get_follow_up_for_user(request.user, case, follow_up_id, write=True)
        data = validated_data(RecordInput, request)
        wanted = {str(item["action"]): item["status"] for item in data.get("action_statuses", [])}
        found = {
            str(action.public_id): action
            for action in plans_access.plan_actions_visible_to(request.user)
            .filter(goal__plan__case=case, public_id__in=list(wanted))
            .select_related("goal__plan")
        }
        unknown = sorted(set(wanted) - set(found))
        if unknown:
            raise serializers.ValidationError(
                {
                    "action_statuses": [
                        _("These actions are not part of this case's plan: %(ids)s")
                        % {"ids": ", ".join(unknown)}
                    ]
                }
            )
        actions.record_follow_up(
            follow_up,
            actor=request.user,
            done_on=data["done_on"],
            method=data["method"],
            note=data.get("note", ""),
            new_needs=data.get("new_needs", ""),
            action_statuses={found[key]: value for key, value in wanted.items()},
            open_revision=data["open_revision"],
            expected_version=data["version"],
        )
        return Response(follow_up_data(case, follow_up.public_id))


class FollowUpAttempts(CaseAPIView):
    @extend_schema(
        operation_id="cases_follow_ups_attempts_list",
        responses=AttemptOutput(many=True),
        description="A follow-up's failed contact attempts, oldest first.",
    )
    def get(self, request, id, follow_up_id):
        case = _case(request, id)
        follow_up = access.get_follow_up_for_user(request.user, case, follow_up_id)
        _viewed(request, case)
        attempts = access.attempts_of(case).filter(follow_up=follow_up)
        return self.paginate(attempts.order_by("attempted_at", "pk"), AttemptOutput)

    @extend_schema(
        operation_id="cases_follow_ups_attempts_create",
        request=AttemptInput,
        responses={201: AttemptCreatedOutput},
        description="A failed attempt to reach the person, and why. After the programme's "
        "number of failed attempts in a row the case is proposed to the desk's coordinators "
        "for closing as lost contact (`lost_contact`: `proposed`).",
    )
    def post(self, request, id, follow_up_id):
        case = _case(request, id, write=True)
        follow_up = access.get_follow_up_for_user(request.user, case, follow_up_id, write=True)
        data = validated_data(AttemptInput, request)
        attempt = actions.record_attempt(
            follow_up,
            actor=request.user,
            method=data["method"],
            reason=data["reason"],
            attempted_at=data.get("attempted_at"),
            note=data.get("note", ""),
        )
        attempt = access.attempts_of(case).get(pk=attempt.pk)
        monitoring = access.monitoring_of(case)
        attempt.failed_in_row = monitoring.failed_in_row
        attempt.lost_contact = monitoring.lost_contact or None
        return Response(AttemptCreatedOutput(attempt).data, status=status.HTTP_201_CREATED)


# Surveys


def _surveys(case):
    return access.of_case(case, Survey).select_related(
        "instrument__instrument", "follow_up", "started_by", "submitted_by"
    )


class CaseSurveys(CaseAPIView):
    @extend_schema(
        operation_id="cases_surveys_list",
        responses={200: SurveyRowOutput(many=True), 404: NOT_VISIBLE},
        description="A case's sustainability surveys, drafts and submitted, with their scores "
        "and the instrument version that produced them.",
    )
    def get(self, request, id):
        case = _case(request, id)
        _viewed(request, case)
        surveys = _surveys(case).order_by("started_at", "pk")
        return self.paginate(surveys, SurveyRowOutput)

    @extend_schema(
        operation_id="cases_surveys_create",
        request=SurveyStartInput,
        responses={201: SurveyOutput},
        description="Start a survey with the programme's instrument version: at a follow-up, "
        "or the baseline at reception when `follow_up` is left out. 409 `already_done` when "
        "that survey is started already.",
    )
    def post(self, request, id):
        case = _case(request, id, write=True)
        data = validated_data(SurveyStartInput, request)
        follow_up = None
        if data.get("follow_up"):
            try:
                follow_up = access.get_follow_up_for_user(request.user, case, data["follow_up"])
            except Http404:
                raise serializers.ValidationError(
                    {"follow_up": [_("Choose a follow-up of this case.")]}
                ) from None
        survey = actions.start_survey(case, actor=request.user, follow_up=follow_up)
        return Response(reread_survey(request, case, survey), status=status.HTTP_201_CREATED)


class SurveyDetail(CaseAPIView):
    @extend_schema(
        operation_id="cases_surveys_retrieve",
        responses=SurveyOutput,
        description="A survey with its answers and the required questions still to answer.",
    )
    def get(self, request, id, survey_id):
        case = _case(request, id)
        survey = access.get_survey_for_user(request.user, case, survey_id)
        _viewed(request, case)
        return Response(reread_survey(request, case, survey))

    @extend_schema(
        operation_id="cases_surveys_partial_update",
        request=SurveyAnswersInput,
        responses={200: SurveyOutput},
        description="Keep the answers given so far, to finish later, with the `version` you "
        "read (409 `conflict` when stale, `already_done` once submitted).",
    )
    def patch(self, request, id, survey_id):
        case = _case(request, id, write=True)
        survey = access.get_survey_for_user(request.user, case, survey_id, write=True)
        data = validated_data(SurveyAnswersInput, request)
        actions.save_survey(
            survey, actor=request.user, answers=data["answers"], expected_version=data["version"]
        )
        return Response(reread_survey(request, case, survey))


class SurveySubmit(CaseAPIView):
    @extend_schema(
        operation_id="cases_surveys_submit_create",
        request=SurveyAnswersInput,
        responses={200: SurveyOutput},
        description='Submit the survey: every required question answered ("declined" is an '
        "answer), else 400 `invalid` naming the questions still to answer in "
        "`fields.answers`. The scores are computed with the survey's own instrument version; "
        "a case under a threshold or dropped by more than the margin is at risk.",
    )
    def post(self, request, id, survey_id):
        case = _case(request, id, write=True)
        survey = access.get_survey_for_user(request.user, case, survey_id, write=True)
        data = validated_data(SurveyAnswersInput, request)
        actions.submit_survey(
            survey, actor=request.user, answers=data["answers"], expected_version=data["version"]
        )
        return Response(reread_survey(request, case, survey))


# A desk's monitoring


class DeskMonitoring(CaseAPIView):
    permission_classes = [permissions.IsAuthenticated, ReadsDeskMonitoring]

    @extend_schema(
        operation_id="monitoring_desks_retrieve",
        responses={
            200: DeskMonitoringOutput,
            404: OpenApiResponse(description="A desk you may not read (`not_found`)."),
        },
        description="A desk's monitoring figures: follow-ups overdue, due and done; the share "
        "reached at 3, 6 and 12 months; the distribution of the latest scores; the cases at "
        "risk, by reference. For the desk's coordinators and programme coordination; sensitive "
        "cases count only where you may see them.",
    )
    def get(self, request, id):
        desk = access.get_monitoring_desk_for_user(request.user, id)
        counted = access.counted_for(request.user, desk)
        figures = queries.desk_monitoring(counted, timezone.localdate())
        figures["at_risk"] = list(figures["at_risk"][: queries.LIST_ROWS])
        return Response(DeskMonitoringOutput({"desk": desk, **figures}).data)

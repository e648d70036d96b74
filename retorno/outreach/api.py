"""API views for outreach.

- `/api/v1/public/…`: what a partner site needs, without a token: the published pages and
  country guides in a language (a page missing in that language comes in the one available,
  saying so), the info sessions to come, and a place at a session (rate-limited per address,
  as the public site's forms are). Nothing about any person is ever answered there.
- `/api/v1/leads/…`: the leads, behind the same access policy as the pages
  (`retorno.outreach.access`): the staff of the European desk a lead is for; anyone else gets
  404. Reading a lead is recorded in the audit trail.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from retorno.lib import request_context
from retorno.lib.api.fields import CountryCodeField, OrganisationRef, enum_field, text_field
from retorno.lib.api.pagination import PageNumberPagination
from retorno.lib.api.views import validated_data
from retorno.lib.errors import ActionError, PossibleDuplicate
from retorno.outreach import access, queries, regions, rendering
from retorno.outreach.actions import leads as lead_actions
from retorno.outreach.actions import public
from retorno.outreach.actions import sessions as session_actions
from retorno.outreach.models import (
    LANGUAGES,
    AttendanceCount,
    Audience,
    ContactChannel,
    InfoSession,
    Lead,
    PublicPage,
    SignUp,
)

LANGUAGE = ("SiteLanguage", [(code, code) for code in LANGUAGES])
PAGE_KIND = ("PublicPageKind", PublicPage.Kind.choices)
AUDIENCE = ("SessionAudience", Audience.choices)
SESSION_STATUS = ("InfoSessionStatus", InfoSession.Status.choices)
SIGNUP_STATUS = ("SignUpStatus", SignUp.Status.choices)
LEAD_SOURCE = ("LeadSource", Lead.Source.choices)
LEAD_STATUS = ("LeadStatus", Lead.Status.choices)
CHANNEL = ("ContactChannel", ContactChannel.choices)

LANGUAGE_PARAMETER = OpenApiParameter(
    "language",
    str,
    enum=list(LANGUAGES),
    description="The reader's language (it, es, pt, en); English when left out.",
)


def _language(request) -> str:
    language = request.query_params.get("language", "en")
    if language not in LANGUAGES:
        raise serializers.ValidationError(
            {"language": [_("Choose one of the site's languages: it, es, pt, en.")]}
        )
    return language


class PublicAPIView(APIView):
    """No token, no session: the public part of the API."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


# --- Public pages ------------------------------------------------------------------------------


class PageRowOutput(serializers.Serializer):
    key = serializers.CharField()
    kind = enum_field(*PAGE_KIND)
    country = serializers.SerializerMethodField()
    language = enum_field(*LANGUAGE, help_text="The language the text is in.")
    is_fallback = serializers.BooleanField(
        help_text="True when the page is not available in the language asked for and comes in "
        "the one available."
    )
    title = serializers.CharField()
    description = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()

    def get_country(self, shown) -> str:
        return shown.page.country.code or ""

    def to_representation(self, shown):
        version = shown.version
        return {
            "key": shown.page.key,
            "kind": shown.page.kind,
            "country": self.get_country(shown),
            "language": shown.language,
            "is_fallback": shown.is_fallback,
            "title": version.title,
            "description": version.description,
            "version": version.number,
            "published_at": serializers.DateTimeField().to_representation(version.published_at),
        }


class PageOutput(PageRowOutput):
    body = serializers.CharField(help_text="The text as written, in Markdown.")
    body_html = serializers.CharField(help_text="The text as HTML, cleaned to a few safe tags.")

    def to_representation(self, shown):
        data = super().to_representation(shown)
        data["body"] = shown.version.body
        data["body_html"] = str(rendering.render(shown.version.body))
        return data


class PublicPages(PublicAPIView):
    @extend_schema(
        operation_id="public_pages_list",
        parameters=[LANGUAGE_PARAMETER],
        responses=PageRowOutput(many=True),
        description="The published pages and country guides, each in the language asked for or "
        "the one available. Never a draft.",
    )
    def get(self, request):
        language = _language(request)
        shown = queries.published_pages(PublicPage.Kind.PAGE, language) + queries.published_pages(
            PublicPage.Kind.GUIDE, language
        )
        return Response(PageRowOutput(shown, many=True).data)


class PublicPageDetail(PublicAPIView):
    @extend_schema(
        operation_id="public_pages_retrieve",
        parameters=[LANGUAGE_PARAMETER],
        responses=PageOutput,
        description="One published page or country guide by its key (`faq`, `guide-pe`).",
    )
    def get(self, request, key):
        language = _language(request)
        shown = queries.published_page(key, language)
        if shown is None:
            raise NotFound
        return Response(PageOutput(shown).data)


# --- Public sessions and sign-ups ---------------------------------------------------------------


class SessionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    description = serializers.CharField()
    language = enum_field(*LANGUAGE, help_text="The language the session is held in.")
    region = serializers.CharField(help_text="ISO 3166-2 code of the region, such as IT-25.")
    region_name = serializers.SerializerMethodField()
    province = serializers.CharField()
    venue = serializers.CharField()
    address = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    audience = enum_field(*AUDIENCE)
    status = enum_field(*SESSION_STATUS)
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField()
    waiting_list = serializers.SerializerMethodField(
        help_text="True when every place is taken: a sign-up goes on the waiting list."
    )

    def get_region_name(self, session) -> str:
        return regions.region_name(session.region)

    def get_waiting_list(self, session) -> bool:
        return session.places_left == 0


class SessionQuery(serializers.Serializer):
    region = serializers.ChoiceField(
        choices=[code for code, _name in regions.REGIONS], required=False
    )


class PublicSessions(PublicAPIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="public_sessions_list",
        parameters=[SessionQuery],
        responses=SessionOutput(many=True),
        description="The info sessions from today on, soonest first (a cancelled one says so).",
    )
    def get(self, request):
        query = SessionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        sessions = queries.upcoming_sessions()
        if query.validated_data.get("region"):
            sessions = sessions.filter(region=query.validated_data["region"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(sessions, request, view=self)
        return paginator.get_paginated_response(SessionOutput(page, many=True).data)


def _public_session(id) -> InfoSession:
    session = access.public_sessions().filter(public_id=id).first()
    if session is None:
        raise NotFound
    return session


class PublicSessionDetail(PublicAPIView):
    @extend_schema(operation_id="public_sessions_retrieve", responses=SessionOutput)
    def get(self, request, id):
        return Response(SessionOutput(_public_session(id)).data)


class SignUpInput(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = text_field(30)
    language = enum_field(*LANGUAGE)
    places = serializers.IntegerField(min_value=1, max_value=5, default=1)
    consent_attendance = serializers.BooleanField(
        default=False, help_text="The person agrees that their attendance is recorded by name."
    )


class SignUpOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = enum_field(*SIGNUP_STATUS)
    places = serializers.IntegerField()
    cancel_secret = serializers.CharField(
        help_text="Give it back to cancel the place; shown only once, never kept by Retorno."
    )


class CancelInput(serializers.Serializer):
    secret = serializers.CharField(max_length=100)


class CancelOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = enum_field(*SIGNUP_STATUS)


TOO_MANY = OpenApiResponse(
    description="Too many requests from this address: try again in an hour (`throttled`)."
)


def _too_many():
    return Throttled(
        wait=3600, detail=_("Too many requests from this address. Please try again in an hour.")
    )


class PublicSignUps(PublicAPIView):
    @extend_schema(
        operation_id="public_sessions_signups_create",
        request=SignUpInput,
        responses={201: SignUpOutput, 429: TOO_MANY},
        description="Ask for places at a session: confirmed while places are left, else on the "
        "waiting list. An email or a phone number is needed.",
    )
    def post(self, request, id):
        session = _public_session(id)
        data = validated_data(SignUpInput, request)
        if not public.allow_submission(request_context.current().ip_address):
            raise _too_many()
        signup, secret = public.sign_up(session, **data)
        return Response(
            SignUpOutput({**vars(signup), "cancel_secret": secret}).data,
            status=status.HTTP_201_CREATED,
        )


class PublicSignUpCancel(PublicAPIView):
    @extend_schema(
        operation_id="public_signups_cancel_create",
        request=CancelInput,
        responses={200: CancelOutput, 429: TOO_MANY},
        description="Cancel a place with the secret given when it was asked for; the place goes "
        "to the first person on the waiting list.",
    )
    def post(self, request, id):
        data = validated_data(CancelInput, request)
        if not public.allow_submission(request_context.current().ip_address):
            raise _too_many()
        signup = public.signup_by_link(id, data["secret"])
        if signup is None:
            raise NotFound
        public.cancel_sign_up(signup)
        signup.refresh_from_db()
        return Response(CancelOutput(signup).data)


# --- Leads -------------------------------------------------------------------------------------


class WorksLeads(permissions.BasePermission):
    def has_permission(self, request, view):
        return access.may_work_leads(request.user)


class LeadRowOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    source = enum_field(*LEAD_SOURCE)
    status = enum_field(*LEAD_STATUS)
    desk = OrganisationRef()
    region = serializers.CharField()
    province = serializers.CharField()
    return_country = CountryCodeField()
    language = enum_field(*LANGUAGE)
    created_at = serializers.DateTimeField()
    respond_by = serializers.DateField()


class LeadOutput(LeadRowOutput):
    given_names = serializers.CharField()
    surnames = serializers.CharField()
    channel = enum_field(*CHANNEL)
    phone = serializers.CharField()
    email = serializers.CharField()
    consent_at = serializers.DateTimeField()
    referrer_name = serializers.CharField()
    referrer_contact = serializers.CharField()
    referrer_email = serializers.CharField()
    referrer_phone = serializers.CharField()
    session = serializers.UUIDField(source="session.public_id", allow_null=True, default=None)
    note = serializers.CharField()
    case = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_case(self, lead) -> str | None:
        return lead.case.reference if lead.case_id else None


class LeadQuery(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=Lead.Status.choices, required=False)
    source = serializers.MultipleChoiceField(choices=Lead.Source.choices, required=False)


class LeadCollection(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="leads_list",
        parameters=[LeadQuery],
        responses=LeadRowOutput(many=True),
        description="The leads of your desk, newest first; no names in the list.",
    )
    def get(self, request):
        data = {}
        for name in ("status", "source"):
            if name in request.query_params:
                data[name] = request.query_params.getlist(name)
        query = LeadQuery(data=data)
        query.is_valid(raise_exception=True)
        leads = access.leads_visible_to(request.user).select_related("desk")
        if query.validated_data.get("status"):
            leads = leads.filter(status__in=query.validated_data["status"])
        if query.validated_data.get("source"):
            leads = leads.filter(source__in=query.validated_data["source"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(leads.order_by("-created_at", "-pk"), request, self)
        return paginator.get_paginated_response(LeadRowOutput(page, many=True).data)


class LeadDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]

    @extend_schema(
        operation_id="leads_retrieve",
        responses=LeadOutput,
        description="One lead with what the person sent; the read is recorded.",
    )
    def get(self, request, id):
        lead = access.get_lead_for_user(request.user, id)
        lead_actions.record_lead_view(lead, actor=request.user)
        lead = (
            access.leads_visible_to(request.user)
            .select_related("desk", "session", "case")
            .get(pk=lead.pk)
        )
        return Response(LeadOutput(lead).data)


# --- Triage ------------------------------------------------------------------------------------


class TriageInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The lead's version you read; a lead changed meanwhile is 409."
    )
    note = text_field(2000)


class DuplicateInput(TriageInput):
    case_reference = text_field(30, help_text="The case this lead is a duplicate of, if any.")


class ConvertInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    not_a_duplicate = serializers.BooleanField(
        default=False,
        help_text="Send true once you checked that the person is not registered already.",
    )


def _triaged(request, id, serializer_class, act):
    lead = access.get_lead_for_user(request.user, id, write=True)
    data = dict(validated_data(serializer_class, request))
    lead = act(lead, data)
    lead = (
        access.leads_visible_to(request.user)
        .select_related("desk", "session", "case")
        .get(pk=lead.pk)
    )
    return Response(LeadOutput(lead).data)


class LeadContacted(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]

    @extend_schema(
        operation_id="leads_contacted_create",
        request=TriageInput,
        responses=LeadOutput,
        description="The person was reached (a note says how); the lead stays open.",
    )
    def post(self, request, id):
        return _triaged(
            request,
            id,
            TriageInput,
            lambda lead, d: lead_actions.mark_contacted(lead, actor=request.user, **d),
        )


class LeadNotInterested(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]

    @extend_schema(
        operation_id="leads_not_interested_create",
        request=TriageInput,
        responses=LeadOutput,
        description="Close the lead: the person does not want to take part.",
    )
    def post(self, request, id):
        return _triaged(
            request,
            id,
            TriageInput,
            lambda lead, d: lead_actions.mark_not_interested(lead, actor=request.user, **d),
        )


class LeadDuplicate(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]

    @extend_schema(
        operation_id="leads_duplicate_create",
        request=DuplicateInput,
        responses=LeadOutput,
        description="Close the lead as a duplicate of another lead or of a case.",
    )
    def post(self, request, id):
        return _triaged(
            request,
            id,
            DuplicateInput,
            lambda lead, d: lead_actions.mark_duplicate(lead, actor=request.user, **d),
        )


class LeadConvert(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]

    @extend_schema(
        operation_id="leads_convert_create",
        request=ConvertInput,
        responses=LeadOutput,
        description="Open an inquiry case at your desk with the person's data; the "
        "registration's duplicate check applies (`possible_duplicate`).",
    )
    def post(self, request, id):
        def convert(lead, data):
            try:
                return lead_actions.convert_to_inquiry(
                    lead,
                    actor=request.user,
                    version=data["version"],
                    confirmed_not_duplicate=data["not_a_duplicate"],
                )
            except PossibleDuplicate:
                raise ActionError(
                    _(
                        "Someone who looks like this person is registered already. Search the "
                        "cases; if this is someone else, send not_a_duplicate: true."
                    ),
                    field="not_a_duplicate",
                    code="possible_duplicate",
                ) from None

        return _triaged(request, id, ConvertInput, convert)


# --- Attendance --------------------------------------------------------------------------------


class CountRow(serializers.Serializer):
    sex = enum_field("AttendanceSex", AttendanceCount.Sex.choices)
    age_band = enum_field("AttendanceAgeBand", AttendanceCount.AgeBand.choices)
    nationality = CountryCodeField(required=False, allow_blank=True, default="")
    count = serializers.IntegerField(min_value=0)


class AttendedSignUp(serializers.Serializer):
    id = serializers.UUIDField()
    attended = serializers.BooleanField()


class AttendanceOutput(serializers.Serializer):
    attended = AttendedSignUp(many=True, help_text="Those who agreed to be recorded by name.")
    counts = CountRow(many=True)


class AttendanceInput(serializers.Serializer):
    attended = AttendedSignUp(many=True, required=False, default=list)
    counts = CountRow(many=True, required=False)


class SessionAttendance(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksLeads]

    def _answer(self, request, session):
        named = access.signups_visible_to(request.user).filter(
            session=session, consent_attendance=True, attended__isnull=False
        )
        return Response(
            AttendanceOutput(
                {
                    "attended": [{"id": s.public_id, "attended": s.attended} for s in named],
                    "counts": session.counts.all(),
                }
            ).data
        )

    @extend_schema(
        operation_id="outreach_sessions_attendance_retrieve",
        responses=AttendanceOutput,
        description="Who came, by name where they agreed to it, and the people counted by sex, "
        "age band and nationality: for the staff of the desk that runs the session.",
    )
    def get(self, request, id):
        session = access.get_session_for_user(request.user, id)
        if not access.may_see_signups(request.user, session):
            raise NotFound
        return self._answer(request, session)

    @extend_schema(
        operation_id="outreach_sessions_attendance_update",
        request=AttendanceInput,
        responses=AttendanceOutput,
        description="Record who came (by sign-up) and replace the counts, when given.",
    )
    def put(self, request, id):
        session = access.get_session_for_user(request.user, id, write=True)
        data = validated_data(AttendanceInput, request)
        with transaction.atomic():
            if data["attended"]:
                session_actions.record_attendance(
                    session,
                    actor=request.user,
                    attended={str(row["id"]): row["attended"] for row in data["attended"]},
                )
            if "counts" in data:
                session_actions.set_counts(
                    session, actor=request.user, rows=[dict(row) for row in data["counts"]]
                )
        return self._answer(request, session)

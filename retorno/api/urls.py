from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from retorno.accounts import api as accounts_api
from retorno.cases import api as cases_api
from retorno.directory import api as directory_api
from retorno.grants import api as grants_api
from retorno.monitoring import api as monitoring_api
from retorno.outreach import api as outreach_api
from retorno.plans import api as plans_api
from retorno.referrals import api as referrals_api

case = "cases/<uuid:id>/"
plan = case + "plan/"
grant = "grants/<uuid:id>/"
instalment = grant + "instalments/<uuid:instalment_id>/"
follow_up = case + "follow-ups/<uuid:follow_up_id>/"
survey = case + "surveys/<uuid:survey_id>/"

urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("organisations/", accounts_api.OrganisationList.as_view(), name="api-organisations"),
    path(
        "organisations/<uuid:id>/",
        accounts_api.OrganisationDetail.as_view(),
        name="api-organisation",
    ),
    path("cases/", cases_api.CaseCollection.as_view(), name="api-cases"),
    path(case, cases_api.CaseDetail.as_view(), name="api-case"),
    path(case + "phase/", cases_api.CasePhase.as_view(), name="api-case-phase"),
    path(case + "close/", cases_api.CaseClose.as_view(), name="api-case-close"),
    path(case + "reopen/", cases_api.CaseReopen.as_view(), name="api-case-reopen"),
    path(case + "household/", cases_api.CaseHousehold.as_view(), name="api-case-household"),
    path(case + "consents/", cases_api.CaseConsents.as_view(), name="api-case-consents"),
    path(
        case + "consents/<uuid:consent_id>/withdraw/",
        cases_api.ConsentWithdraw.as_view(),
        name="api-case-consent-withdraw",
    ),
    path(case + "journal/", cases_api.CaseJournal.as_view(), name="api-case-journal"),
    path(
        case + "journal/<uuid:entry_id>/amend/",
        cases_api.JournalAmend.as_view(),
        name="api-case-journal-amend",
    ),
    path(case + "tasks/", cases_api.CaseTasks.as_view(), name="api-case-tasks"),
    path(case + "documents/", cases_api.CaseDocuments.as_view(), name="api-case-documents"),
    path(
        case + "documents/<uuid:document_id>/download/",
        cases_api.DocumentDownload.as_view(),
        name="api-case-document-download",
    ),
    path(case + "handover/", cases_api.CaseHandover.as_view(), name="api-case-handover"),
    path("persons/<uuid:id>/", cases_api.PersonDetail.as_view(), name="api-person"),
    path("tasks/", cases_api.TaskList.as_view(), name="api-tasks"),
    path("tasks/<uuid:id>/complete/", cases_api.TaskComplete.as_view(), name="api-task-complete"),
    path("handovers/", cases_api.HandoverList.as_view(), name="api-handovers"),
    path("handovers/<uuid:id>/", cases_api.HandoverDetail.as_view(), name="api-handover"),
    path(
        "handovers/<uuid:id>/accept/",
        cases_api.HandoverAccept.as_view(),
        name="api-handover-accept",
    ),
    path(
        "handovers/<uuid:id>/return/",
        cases_api.HandoverReturn.as_view(),
        name="api-handover-return",
    ),
    path(
        "directory/organisations/",
        directory_api.OrganizationCollection.as_view(),
        name="api-directory-organisations",
    ),
    path(
        "directory/organisations/<uuid:id>/",
        directory_api.OrganizationDetail.as_view(),
        name="api-directory-organisation",
    ),
    path(
        "directory/organisations/<uuid:id>/locations/",
        directory_api.OrganizationLocations.as_view(),
        name="api-directory-organisation-locations",
    ),
    path(
        "directory/locations/<uuid:id>/",
        directory_api.LocationDetail.as_view(),
        name="api-directory-location",
    ),
    path(
        "directory/services/",
        directory_api.ServiceCollection.as_view(),
        name="api-directory-services",
    ),
    path(
        "directory/services/<uuid:id>/",
        directory_api.ServiceDetail.as_view(),
        name="api-directory-service",
    ),
    # Reintegration plans
    path(plan, plans_api.CasePlan.as_view(), name="api-case-plan"),
    path(plan + "versions/", plans_api.PlanVersions.as_view(), name="api-case-plan-versions"),
    path(
        plan + "versions/<int:number>/",
        plans_api.PlanVersion.as_view(),
        name="api-case-plan-version",
    ),
    path(
        plan + "versions/<int:number>/pdf/",
        plans_api.PlanPdf.as_view(),
        name="api-case-plan-version-pdf",
    ),
    path(plan + "compare/", plans_api.PlanCompare.as_view(), name="api-case-plan-compare"),
    path(plan + "goals/", plans_api.PlanGoals.as_view(), name="api-case-plan-goals"),
    path(plan + "goals/<uuid:goal_id>/", plans_api.PlanGoal.as_view(), name="api-case-plan-goal"),
    path(
        plan + "goals/<uuid:goal_id>/actions/",
        plans_api.PlanGoalActions.as_view(),
        name="api-case-plan-goal-actions",
    ),
    path(
        plan + "actions/<uuid:action_id>/",
        plans_api.PlanActionDetail.as_view(),
        name="api-case-plan-action",
    ),
    path(
        plan + "actions/<uuid:action_id>/status/",
        plans_api.PlanActionStatus.as_view(),
        name="api-case-plan-action-status",
    ),
    path(plan + "submit/", plans_api.PlanSubmit.as_view(), name="api-case-plan-submit"),
    path(plan + "approve/", plans_api.PlanApprove.as_view(), name="api-case-plan-approve"),
    path(plan + "send-back/", plans_api.PlanSendBack.as_view(), name="api-case-plan-send-back"),
    path(plan + "agreement/", plans_api.PlanAgreement.as_view(), name="api-case-plan-agreement"),
    path(
        plan + "new-version/", plans_api.PlanNewVersion.as_view(), name="api-case-plan-new-version"
    ),
    # Referrals, and the partner's inbox
    path(case + "referrals/", referrals_api.CaseReferrals.as_view(), name="api-case-referrals"),
    path(
        "referrals/shareable-fields/",
        referrals_api.ShareableFields.as_view(),
        name="api-referral-shareable-fields",
    ),
    path("referrals/<uuid:id>/", referrals_api.ReferralDetail.as_view(), name="api-referral"),
    path(
        "referrals/<uuid:id>/status/",
        referrals_api.ReferralStatus.as_view(),
        name="api-referral-status",
    ),
    path(
        "referrals/<uuid:id>/updates/",
        referrals_api.ReferralUpdates.as_view(),
        name="api-referral-updates",
    ),
    path(
        "referrals/<uuid:id>/letter/",
        referrals_api.ReferralLetter.as_view(),
        name="api-referral-letter",
    ),
    path("inbox/", referrals_api.Inbox.as_view(), name="api-inbox"),
    # Grants, their policies and budgets
    path(case + "grants/", grants_api.CaseGrants.as_view(), name="api-case-grants"),
    path("grants/", grants_api.GrantCollection.as_view(), name="api-grants"),
    path(grant, grants_api.GrantDetail.as_view(), name="api-grant"),
    path(grant + "submit/", grants_api.GrantSubmit.as_view(), name="api-grant-submit"),
    path(grant + "approve/", grants_api.GrantApprove.as_view(), name="api-grant-approve"),
    path(grant + "reject/", grants_api.GrantReject.as_view(), name="api-grant-reject"),
    path(grant + "cancel/", grants_api.GrantCancel.as_view(), name="api-grant-cancel"),
    path(grant + "close/", grants_api.GrantClose.as_view(), name="api-grant-close"),
    path(grant + "quotes/", grants_api.GrantQuotes.as_view(), name="api-grant-quotes"),
    path(
        grant + "instalments/",
        grants_api.GrantInstalments.as_view(),
        name="api-grant-instalments",
    ),
    path(
        instalment + "payment/",
        grants_api.InstalmentPayment.as_view(),
        name="api-grant-instalment-payment",
    ),
    path(
        instalment + "receipts/",
        grants_api.InstalmentReceipts.as_view(),
        name="api-grant-instalment-receipts",
    ),
    path(
        "cycles/<uuid:id>/grant-policy/",
        grants_api.CycleGrantPolicy.as_view(),
        name="api-cycle-grant-policy",
    ),
    path("envelopes/", grants_api.EnvelopeCollection.as_view(), name="api-envelopes"),
    path("budget/", grants_api.Budget.as_view(), name="api-budget"),
    # Monitoring of the return
    path(
        "monitoring/instruments/",
        monitoring_api.InstrumentCollection.as_view(),
        name="api-monitoring-instruments",
    ),
    path(
        "monitoring/instruments/<uuid:id>/",
        monitoring_api.InstrumentDetail.as_view(),
        name="api-monitoring-instrument",
    ),
    path(
        "monitoring/schedules/<uuid:id>/",
        monitoring_api.ScheduleDetail.as_view(),
        name="api-monitoring-schedule",
    ),
    path(
        "monitoring/desks/<uuid:id>/",
        monitoring_api.DeskMonitoring.as_view(),
        name="api-monitoring-desk",
    ),
    path(
        case + "monitoring/",
        monitoring_api.CaseMonitoringDetail.as_view(),
        name="api-case-monitoring",
    ),
    path(
        case + "monitoring/lost-contact/",
        monitoring_api.CaseLostContact.as_view(),
        name="api-case-monitoring-lost-contact",
    ),
    path(case + "follow-ups/", monitoring_api.CaseFollowUps.as_view(), name="api-case-follow-ups"),
    path(follow_up, monitoring_api.FollowUpDetail.as_view(), name="api-case-follow-up"),
    path(
        follow_up + "record/",
        monitoring_api.FollowUpRecord.as_view(),
        name="api-case-follow-up-record",
    ),
    path(
        follow_up + "attempts/",
        monitoring_api.FollowUpAttempts.as_view(),
        name="api-case-follow-up-attempts",
    ),
    path(case + "surveys/", monitoring_api.CaseSurveys.as_view(), name="api-case-surveys"),
    path(survey, monitoring_api.SurveyDetail.as_view(), name="api-case-survey"),
    path(survey + "submit/", monitoring_api.SurveySubmit.as_view(), name="api-case-survey-submit"),
    # The information campaign: the public part (no token) and the leads
    path("public/pages/", outreach_api.PublicPages.as_view(), name="api-public-pages"),
    path(
        "public/pages/<slug:key>/",
        outreach_api.PublicPageDetail.as_view(),
        name="api-public-page",
    ),
    path("public/sessions/", outreach_api.PublicSessions.as_view(), name="api-public-sessions"),
    path(
        "public/sessions/<uuid:id>/",
        outreach_api.PublicSessionDetail.as_view(),
        name="api-public-session",
    ),
    path(
        "public/sessions/<uuid:id>/signups/",
        outreach_api.PublicSignUps.as_view(),
        name="api-public-signups",
    ),
    path(
        "public/signups/<uuid:id>/cancel/",
        outreach_api.PublicSignUpCancel.as_view(),
        name="api-public-signup-cancel",
    ),
    path("leads/", outreach_api.LeadCollection.as_view(), name="api-leads"),
    path("leads/<uuid:id>/", outreach_api.LeadDetail.as_view(), name="api-lead"),
    path(
        "leads/<uuid:id>/contacted/",
        outreach_api.LeadContacted.as_view(),
        name="api-lead-contacted",
    ),
    path(
        "leads/<uuid:id>/not-interested/",
        outreach_api.LeadNotInterested.as_view(),
        name="api-lead-not-interested",
    ),
    path(
        "leads/<uuid:id>/duplicate/",
        outreach_api.LeadDuplicate.as_view(),
        name="api-lead-duplicate",
    ),
    path("leads/<uuid:id>/convert/", outreach_api.LeadConvert.as_view(), name="api-lead-convert"),
    path(
        "outreach/sessions/<uuid:id>/attendance/",
        outreach_api.SessionAttendance.as_view(),
        name="api-session-attendance",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from retorno.accounts import api as accounts_api
from retorno.cases import api as cases_api
from retorno.directory import api as directory_api

case = "cases/<uuid:id>/"

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
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

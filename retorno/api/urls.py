from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from retorno.accounts import api as accounts_api

urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("organisations/", accounts_api.OrganisationList.as_view(), name="api-organisations"),
    path(
        "organisations/<uuid:id>/",
        accounts_api.OrganisationDetail.as_view(),
        name="api-organisation",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

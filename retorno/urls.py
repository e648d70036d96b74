from django.urls import include, path

from retorno import views
from retorno.accounts import views as accounts_views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("session/ended/", views.session_ended, name="session_ended"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("accounts/", include("allauth.urls")),
    path("", include("retorno.accounts.urls")),
    path("", include("retorno.programmes.urls")),
    path("", include("retorno.cases.urls")),
    path("", include("retorno.directory.urls")),
    path("", include("retorno.plans.urls")),
    path("", include("retorno.referrals.urls")),
    path("audit/", include("retorno.audit.urls")),
    path("api/v1/", include("retorno.api.urls")),
]

handler404 = "retorno.views.not_found"
handler500 = "retorno.views.server_error"
handler403 = "retorno.views.forbidden"

from django.urls import include, path, re_path

from retorno import views
from retorno.accounts import views as accounts_views
from retorno.api import errors as api_errors
from retorno.lib.plugins import registry
from retorno.outreach.views import public as outreach_public

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("session/ended/", views.session_ended, name="session_ended"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("accounts/", include("allauth.urls")),
    # For search engines: the public site's pages in four languages; staff paths stay out.
    path("robots.txt", outreach_public.robots_txt, name="robots_txt"),
    path("sitemap.xml", outreach_public.sitemap_xml, name="sitemap_xml"),
    # Every app's pages, as its plugin.py declares them.
    *(path(prefix, include(module)) for prefix, module in registry().urls),
    path("api/v1/", include("retorno.api.urls")),
    # Anything else under /api/: 404 in the API's error shape, whatever the method.
    re_path(r"^api/(?P<path>.*)$", api_errors.unknown_path, name="api-unknown-path"),
]

handler404 = "retorno.views.not_found"
handler500 = "retorno.views.server_error"
handler403 = "retorno.views.forbidden"

"""Outreach's pages: the campaign's staff pages under /outreach/ (the public site's content, the
campaign and its sessions, the leads), and the public site under a language prefix (/es/, /it/,
/pt/, /en/), readable without signing in."""

from django.urls import include, path, re_path

app_name = "outreach"

urlpatterns = [
    path("outreach/content/", include("retorno.outreach.urls_content")),
    path("outreach/leads/", include("retorno.outreach.urls_leads")),
    path("outreach/", include("retorno.outreach.urls_sessions")),
    re_path(r"^(?P<lang>it|es|pt|en)/", include("retorno.outreach.urls_public")),
]

"""Outreach's pages: the campaign's staff pages under /outreach/, and the public site under a
language prefix (/es/, /it/, /pt/, /en/), readable without signing in."""

from django.urls import include, path, re_path

app_name = "outreach"

urlpatterns = [
    path("outreach/content/", include("retorno.outreach.urls_content")),
    path("outreach/", include("retorno.outreach.urls_staff")),
    re_path(r"^(?P<lang>it|es|pt|en)/", include("retorno.outreach.urls_public")),
]

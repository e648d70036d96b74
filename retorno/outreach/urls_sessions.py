"""The campaign's staff pages, under /outreach/: campaigns and sessions, a session's materials,
sign-ups, attendance counts and organisations, the local organisations, the figures."""

from django.urls import path

from retorno.outreach.views import sessions as views

session = "sessions/<uuid:session_id>/"

urlpatterns = [
    path("", views.campaign, name="campaign"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<uuid:campaign_id>/", views.campaign_edit, name="campaign_edit"),
    path("sessions/new/", views.session_create, name="session_create"),
    path(session, views.session, name="session"),
    path(session + "edit/", views.session_edit, name="session_edit"),
    path(session + "cancel/", views.session_cancel, name="session_cancel"),
    path(session + "held/", views.session_held, name="session_held"),
    path(session + "materials/", views.materials, name="materials"),
    path(session + "materials/<uuid:material_id>/", views.material, name="material"),
    path(session + "signups/", views.signups, name="signups"),
    path(session + "counts/", views.counts, name="counts"),
    path(session + "organisations/", views.session_organisations, name="session_organisations"),
    path("organisations/", views.organisations, name="organisations"),
    path("figures/", views.figures, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
]

"""The leads pages, under /outreach/leads/: a desk's inbox, a lead and its triage, the settings
of leads."""

from django.urls import path

from retorno.outreach.views import leads

urlpatterns = [
    path("", leads.inbox, name="leads"),
    path("settings/", leads.lead_settings, name="lead_settings"),
    path("<uuid:lead_id>/", leads.lead_page, name="lead"),
]

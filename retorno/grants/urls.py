from django.urls import path

from retorno.grants import views

app_name = "grants"

grant = "<uuid:grant_id>/"
instalment = grant + "instalments/<uuid:instalment_id>/"

urlpatterns = [
    path("", views.grant_list, name="list"),
    path("case/<uuid:case_id>/", views.case_grants, name="case"),
    path("new/<uuid:action_id>/", views.create, name="create"),
    path(grant, views.detail, name="detail"),
    path(grant + "edit/", views.edit, name="edit"),
    path(grant + "quotes/add/", views.quote_add, name="quote_add"),
    path(grant + "quotes/<uuid:document_id>/remove/", views.quote_remove, name="quote_remove"),
    path(grant + "instalments/", views.instalments, name="instalments"),
    path(grant + "submit/", views.submit, name="submit"),
    path(grant + "decide/", views.decide, name="decide"),
    path(instalment + "pay/", views.pay, name="pay"),
    path(instalment + "receipt/", views.receipt, name="receipt"),
    path(grant + "cancel/", views.cancel, name="cancel"),
    path(grant + "close/", views.close, name="close"),
    path(grant + "documents/<uuid:document_id>/", views.document, name="document"),
    path("budget/", views.budget, name="budget"),
    path("budget/<uuid:desk_id>/", views.budget_desk, name="budget_desk"),
    path("budget/<uuid:desk_id>/export/", views.budget_export, name="budget_export"),
    path("budget/<uuid:desk_id>/envelopes/", views.envelopes, name="envelopes"),
    path("policy/<uuid:cycle_id>/", views.policy, name="policy"),
]

from django.urls import path

from retorno.plans import views

app_name = "plans"

case = "cases/<uuid:case_id>/plan/"

urlpatterns = [
    path(case, views.plan, name="plan"),
    path(case + "start/", views.plan_start, name="start"),
    path(case + "summary/", views.summary_edit, name="summary"),
    path(case + "goals/add/", views.goal_form, name="goal_add"),
    path(case + "goals/<uuid:goal_id>/", views.goal_form, name="goal_edit"),
    path(case + "goals/<uuid:goal_id>/actions/add/", views.action_form, name="action_add"),
    path(case + "actions/<uuid:action_id>/", views.action_form, name="action_edit"),
    path(case + "actions/<uuid:action_id>/status/", views.action_status, name="action_status"),
    path(case + "submit/", views.submit, name="submit"),
    path(case + "approve/", views.approve, name="approve"),
    path(case + "send-back/", views.send_back, name="send_back"),
    path(case + "agreement/", views.agreement, name="agreement"),
    path(case + "new-version/", views.new_version, name="new_version"),
    path(case + "versions/<int:number>/", views.version, name="version"),
    path(case + "versions/<int:number>/pdf/", views.plan_pdf, name="pdf"),
    path(case + "compare/", views.compare, name="compare"),
]

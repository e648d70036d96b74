from django.urls import path

from retorno.monitoring import views

app_name = "monitoring"

case = "case/<uuid:case_id>/"
follow_up = case + "follow-ups/<uuid:follow_up_id>/"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("desk/<uuid:desk_id>/", views.desk_of, name="desk_of"),
    path(case, views.case_monitoring, name="case"),
    path(follow_up + "record/", views.record, name="record"),
    path(follow_up + "attempt/", views.attempt, name="attempt"),
    path(case + "lost-contact/", views.decide, name="decide"),
    path(case + "surveys/start/", views.survey_start, name="survey_start"),
    path(case + "surveys/<uuid:survey_id>/", views.survey, name="survey"),
    path("schedule/<uuid:programme_id>/", views.schedule, name="schedule"),
    path("instrument/<uuid:version_id>/", views.instrument_version, name="instrument"),
]

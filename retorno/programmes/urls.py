from django.urls import path

from retorno.programmes import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path("programmes/<uuid:programme_id>/", views.programme_detail, name="detail"),
    path("programmes/<uuid:programme_id>/cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<uuid:cycle_id>/", views.cycle_edit, name="cycle"),
]

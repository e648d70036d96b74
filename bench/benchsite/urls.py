from django.urls import include, path

from bench.benchsite import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("bench/static-list/", views.static_list, name="bench-static-list"),
    path("", include("retorno.urls")),
]

handler404 = "retorno.views.not_found"
handler500 = "retorno.views.server_error"
handler403 = "retorno.views.forbidden"

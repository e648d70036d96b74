from django.urls import path

from retorno.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.profile, name="profile"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/switch-desk/", views.switch_desk, name="switch_desk"),
    path("users/", views.users, name="users"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<uuid:user_id>/", views.user_detail, name="user"),
    path("users/<uuid:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<uuid:user_id>/roles/add/", views.membership_add, name="membership_add"),
    path(
        "roles/<uuid:membership_id>/deactivate/",
        views.membership_deactivate,
        name="membership_deactivate",
    ),
    path(
        "roles/<uuid:membership_id>/reactivate/",
        views.membership_reactivate,
        name="membership_reactivate",
    ),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "organisations/<uuid:organisation_id>/",
        views.organisation_detail,
        name="organisation",
    ),
    path(
        "organisations/<uuid:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
]

from django.urls import path

from retorno.referrals import views

app_name = "referrals"

urlpatterns = [
    path("cases/<uuid:case_id>/referrals/", views.case_referrals, name="case"),
    path("cases/<uuid:case_id>/referrals/new/", views.new, name="new"),
    path("cases/<uuid:case_id>/referrals/consent/", views.prepare_consent, name="prepare_consent"),
    path("cases/<uuid:case_id>/referrals/consent/record/", views.record_consent, name="consent"),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path("referrals/<uuid:referral_id>/letter/", views.letter_pdf, name="letter"),
    path("referrals/<uuid:referral_id>/update/", views.add_update, name="update"),
    path("referrals/<uuid:referral_id>/outcome/", views.outcome, name="outcome"),
    path(
        "referrals/<uuid:referral_id>/<str:status>/",
        views.answer,
        name="answer",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:referral_id>/", views.inbox_detail, name="inbox_detail"),
]

"""The public site under /<lang>/: pages, country guides, info sessions with sign-up and the
iCalendar feed, "Ask to be contacted" and the organisations' referrals. No sign-in, no cookie."""

from django.urls import path, re_path

from retorno.outreach.views import public

PAGES = "|".join(public.CONTENT_PAGES)

urlpatterns = [
    path("", public.home, name="public_home"),
    re_path(rf"^(?P<key>{PAGES})/$", public.page, name="public_page"),
    path("guides/", public.guides, name="public_guides"),
    re_path(r"^guides/(?P<country>[a-z]{2})/$", public.guide, name="public_guide"),
    path("sessions/", public.sessions, name="public_sessions"),
    path("sessions/calendar.ics", public.sessions_calendar, name="public_sessions_calendar"),
    path("sessions/<uuid:public_id>/", public.session, name="public_session"),
    path(
        "sessions/<uuid:public_id>/calendar.ics",
        public.session_calendar,
        name="public_session_calendar",
    ),
    path(
        "sessions/signed-up/<uuid:public_id>/<str:secret>/",
        public.signed_up,
        name="public_signed_up",
    ),
    path(
        "sessions/signed-up/<uuid:public_id>/<str:secret>/cancel/",
        public.cancel,
        name="public_cancel",
    ),
    path("contact/", public.contact, name="public_contact"),
    path("contact/thanks/", public.contact_thanks, name="public_contact_thanks"),
    path("refer/", public.refer, name="public_refer"),
    path("refer/thanks/", public.refer_thanks, name="public_refer_thanks"),
    # Anything else under a language: the public site's own "page not found", in that language.
    re_path(r"^(?P<rest>.+)$", public.missing, name="public_not_found"),
]

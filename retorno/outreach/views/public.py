"""The public site, read without signing in, under /<lang>/ (it, es, pt, en): the programme's
pages, the country guides with the directory's public services, the calendar of info sessions
with sign-up and cancellation by link, "Ask to be contacted" and the organisations' referrals.

No page sets a cookie: no session, no CSRF token (the forms are exempt and held by
outreach.spam instead), no language cookie (the language is in the address). Content pages
may be cached by browsers and proxies for five minutes; what a form answers never is."""

import datetime
import zoneinfo
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_countries import countries

from retorno.directory import access as directory_access
from retorno.directory import models as directory
from retorno.lib.errors import ActionError
from retorno.lib.views import form_error
from retorno.outreach import access, queries, regions, spam
from retorno.outreach.actions import public as actions
from retorno.outreach.forms.public import ContactForm, ReferralForm, SignUpForm
from retorno.outreach.models import LANGUAGES, InfoSession
from retorno.outreach.rendering import render as render_markdown

CONTENT_PAGES = ("offer", "eligibility", "how-it-works", "faq", "desks", "privacy")
OG_LOCALES = {"it": "it_IT", "es": "es_ES", "pt": "pt_PT", "en": "en_GB"}
TIME_ZONES = {"IT": "Europe/Rome", "ES": "Europe/Madrid", "PT": "Europe/Lisbon"}
CACHE_SECONDS = 300


# --- The frame of every public page ------------------------------------------------------------


def public_view(view):
    """A public page: no CSRF cookie, rendered in the language of the address."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, lang, **kwargs):
        with translation.override(lang):
            response = view(request, lang, **kwargs)
        response["Content-Language"] = lang
        return response

    return wrapped


def cacheable(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def navigation(lang: str) -> list[dict]:
    items = [
        ("offer", _("What we offer")),
        ("eligibility", _("Who can take part")),
        ("how-it-works", _("How it works")),
        ("guides", _("Country guides")),
        ("sessions", _("Info sessions")),
        ("contact", _("Ask to be contacted")),
        ("faq", _("FAQ")),
        ("desks", _("Desks")),
    ]
    links = []
    for key, label in items:
        if key in CONTENT_PAGES:
            url = reverse("outreach:public_page", kwargs={"lang": lang, "key": key})
        else:
            url = reverse(f"outreach:public_{key}", kwargs={"lang": lang})
        links.append({"key": key, "label": label, "url": url})
    return links


def same_page_in(request, code: str) -> str:
    """The address of the page being shown, in another language."""
    match = request.resolver_match
    try:
        return reverse(match.view_name, kwargs={**match.kwargs, "lang": code})
    except NoReverseMatch:
        return reverse("outreach:public_home", kwargs={"lang": code})


def frame(request, lang: str, *, title: str, description: str = "", section: str = "", **extra):
    """What base.html needs: title and description, canonical and alternate addresses in the
    four languages, Open Graph, the navigation with the current section marked."""
    languages = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"].capitalize(),
            "url": same_page_in(request, code),
            "absolute": request.build_absolute_uri(same_page_in(request, code)),
            "current": code == lang,
        }
        for code in LANGUAGES
    ]
    return {
        "lang": lang,
        "title": title,
        "description": description
        or _("Assisted voluntary return from Italy, Spain and Portugal to Latin America."),
        "canonical": request.build_absolute_uri(request.path),
        "og_locale": OG_LOCALES[lang],
        "languages": languages,
        "navigation": navigation(lang),
        "section": section,
        **extra,
    }


def not_found(request, lang: str):
    context = frame(request, lang, title=_("Page not found"), noindex=True)
    response = render(request, "outreach/public/404.html", context, status=404)
    response.retorno_page = True  # DebugNotFoundMiddleware leaves it alone
    return response


@public_view
def missing(request, lang, rest):
    if not rest.endswith("/"):  # as APPEND_SLASH would: /es/offer goes to /es/offer/
        return redirect(f"{request.path}/", permanent=True)
    return not_found(request, lang)


def shown_page(shown, lang: str) -> dict:
    """A published text ready for the template, with the notice when it is in another
    language than the reader's."""
    notice = ""
    if shown.is_fallback:
        notice = _("This page is not yet available in %(language)s; it is shown in %(shown)s.") % {
            "language": get_language_info(lang)["name_translated"],
            "shown": get_language_info(shown.language)["name_translated"],
        }
    return {
        "title": shown.version.title,
        "description": shown.version.description,
        "body": render_markdown(shown.version.body),
        "language": shown.language,
        "notice": notice,
    }


# --- Pages ---------------------------------------------------------------------------------------


@public_view
def home(request, lang):
    return content_page(request, lang, key="home")


def content_page(request, lang, *, key):
    shown = queries.published_page(key, lang)
    if shown is None:
        return not_found(request, lang)
    text = shown_page(shown, lang)
    section = "" if key == "home" else key
    context = frame(
        request, lang, title=text["title"], description=text["description"], section=section
    )
    context.update({"text": text, "is_home": key == "home"})
    actions.count("view", key, lang)
    return cacheable(render(request, "outreach/public/page.html", context))


@public_view
def page(request, lang, key):
    return content_page(request, lang, key=key)


def return_countries() -> list[tuple[str, str]]:
    named = [(code.lower(), countries.name(code)) for code in directory.RETURN_COUNTRIES]
    return sorted(named, key=lambda pair: pair[1])


@public_view
def guides(request, lang):
    context = frame(
        request,
        lang,
        title=_("Country guides"),
        description=_("What to know before returning to each of the eight countries."),
        section="guides",
    )
    context["countries"] = return_countries()
    actions.count("view", "guides", lang)
    return cacheable(render(request, "outreach/public/guides.html", context))


def public_services(country: str) -> list[dict]:
    """The directory's services shown to the public in one country, grouped by type of service,
    each with its organisation, programme, public locations and phones: five queries whatever
    the number of services."""
    services = (
        directory_access.services_visible_to_public()
        .filter(organization__country=country)
        .select_related("organization", "program")
        .prefetch_related(
            Prefetch(
                "locations",
                queryset=directory_access.locations_visible_to_public().order_by("city", "name"),
                to_attr="public_locations",
            ),
            Prefetch("phones", queryset=directory.Phone.objects.order_by("pk")),
            Prefetch("organization__phones", queryset=directory.Phone.objects.order_by("pk")),
        )
        .order_by("service_type", "name")
    )
    labels = dict(directory.ServiceType.choices)
    groups: OrderedDict[str, dict] = OrderedDict()
    for service in services:
        group = groups.setdefault(
            service.service_type,
            {"label": labels.get(service.service_type, service.service_type), "services": []},
        )
        phones = list(service.phones.all()) or list(service.organization.phones.all())
        group["services"].append(
            {
                "name": service.name,
                "description": directory.pick_text(service.description),
                "organisation": service.organization.name,
                "program": service.program.name if service.program else "",
                "cities": sorted({loc.city for loc in service.public_locations if loc.city}),
                "phones": [phone.number for phone in phones],
                "url": service.url or service.organization.website,
                "email": service.email or service.organization.email,
            }
        )
    return sorted(groups.values(), key=lambda g: str(g["label"]))


@public_view
def guide(request, lang, country):
    code = country.upper()
    if code not in directory.RETURN_COUNTRIES or country != country.lower():
        return not_found(request, lang)
    name = countries.name(code)
    shown = queries.published_page(f"guide-{country}", lang)
    text = shown_page(shown, lang) if shown is not None else None
    context = frame(
        request,
        lang,
        title=text["title"] if text else _("Guide to returning to %(country)s") % {"country": name},
        description=text["description"] if text else "",
        section="guides",
    )
    context.update(
        {
            "text": text,
            "country_name": name,
            "services_heading": _("Public programmes and services in %(country)s")
            % {"country": name},
            "groups": public_services(code),
        }
    )
    actions.count("view", f"guide-{country}", lang)
    return cacheable(render(request, "outreach/public/guide.html", context))


# --- Info sessions -----------------------------------------------------------------------------


def venue_zone(session) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(TIME_ZONES.get(regions.country_of(session.region), "Europe/Rome"))


def session_row(session) -> dict:
    zone = venue_zone(session)
    if session.status == InfoSession.Status.CANCELLED:
        availability, state = _("Cancelled"), "cancelled"
    elif session.places_left <= 0:
        availability, state = _("Full: waiting list"), "full"
    else:
        availability = translation.ngettext(
            "%(count)s place left", "%(count)s places left", session.places_left
        ) % {"count": session.places_left}
        state = "open"
    return {
        "session": session,
        "starts": timezone.localtime(session.starts_at, zone),
        "ends": timezone.localtime(session.ends_at, zone),
        "zone": zone.key,
        "region_name": regions.region_name(session.region),
        "language_name": get_language_info(session.language)["name_translated"],
        "availability": availability,
        "state": state,
        "open": state != "cancelled" and session.starts_at > timezone.now(),
    }


def region_filter_choices() -> list:
    return regions.grouped_choices(countries.name)


@public_view
def sessions(request, lang):
    region = request.GET.get("region", "")
    if region not in regions.REGION_NAMES:
        region = ""
    listed = access.public_sessions().filter(pk__in=queries.upcoming_sessions().values("pk"))
    if region:
        listed = listed.filter(region=region)
    months: OrderedDict[tuple, dict] = OrderedDict()
    for session in listed.order_by("starts_at"):
        row = session_row(session)
        key = (row["starts"].year, row["starts"].month)
        months.setdefault(key, {"month": row["starts"].date().replace(day=1), "rows": []})
        months[key]["rows"].append(row)
    context = frame(
        request,
        lang,
        title=_("Info sessions"),
        description=_("Free information sessions on returning home, near where you live."),
        section="sessions",
    )
    context.update(
        {"months": list(months.values()), "region": region, "regions": region_filter_choices()}
    )
    actions.count("view", "sessions", lang)
    return cacheable(render(request, "outreach/public/sessions.html", context))


def public_session_or_none(public_id):
    return access.public_sessions().filter(public_id=public_id).first()


def signup_page(request, lang, session, form, status=200):
    row = session_row(session)
    context = frame(
        request,
        lang,
        title=session.title,
        description=_("Info session on %(date)s in %(place)s.")
        % {"date": date_format(row["starts"].date(), "DATE_FORMAT"), "place": session.province},
        section="sessions",
    )
    context.update({"row": row, "form": form})
    return render(request, "outreach/public/session.html", context, status=status)


@public_view
def session(request, lang, public_id):
    found = public_session_or_none(public_id)
    if found is None:
        return not_found(request, lang)
    if request.method != "POST":
        actions.count("view", "session", lang)
        return private(signup_page(request, lang, found, SignUpForm()))
    try:
        spam.check(request.POST, SignUpForm.form_name)
    except spam.Rejected as rejected:
        return rejected_page(request, lang, rejected)
    form = SignUpForm(request.POST)
    if form.is_valid():
        try:
            spam.check_rate(spam.client_address(request))
        except spam.Rejected as rejected:
            return rejected_page(request, lang, rejected)
        try:
            signup, secret = actions.sign_up(
                found,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                language=lang,
                places=form.cleaned_data["places"],
                consent_attendance=form.cleaned_data["consent_attendance"],
            )
        except ActionError as error:
            form_error(form, error)
        else:
            actions.count("completion", "signup", lang)
            link = request.build_absolute_uri(signed_up_url(lang, signup, secret))
            if signup.email:
                transaction.on_commit(lambda: email_confirmation(signup, link))
            return redirect(signed_up_url(lang, signup, secret), permanent=False)
    return private(signup_page(request, lang, found, form, status=422))


def signed_up_url(lang, signup, secret) -> str:
    return reverse(
        "outreach:public_signed_up",
        kwargs={"lang": lang, "public_id": signup.public_id, "secret": secret},
    )


def email_confirmation(signup, link: str) -> None:
    """The confirmation with the cancellation link, in the person's language."""
    with translation.override(signup.language):
        row = session_row(signup.session)
        context = {"signup": signup, "row": row, "link": link}
        if signup.status == signup.Status.WAITING:
            subject = _("You are on the waiting list: %(title)s") % {"title": signup.session.title}
        else:
            subject = _("Your place is confirmed: %(title)s") % {"title": signup.session.title}
        body = render_to_string("outreach/public/email_signup.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [signup.email])


def email_promoted(signup) -> None:
    """A place freed by a cancellation went to this person on the waiting list."""
    with translation.override(signup.language):
        row = session_row(signup.session)
        subject = _("A place is now yours: %(title)s") % {"title": signup.session.title}
        body = render_to_string(
            "outreach/public/email_promoted.txt", {"signup": signup, "row": row}
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [signup.email])


@public_view
def signed_up(request, lang, public_id, secret):
    signup = actions.signup_by_link(public_id, secret)
    if signup is None:
        return not_found(request, lang)
    row = session_row(signup.session)
    context = frame(request, lang, title=_("Your place at the info session"), noindex=True)
    context.update(
        {
            "signup": signup,
            "row": row,
            "cancel_url": reverse(
                "outreach:public_cancel",
                kwargs={"lang": lang, "public_id": public_id, "secret": secret},
            ),
        }
    )
    return private(render(request, "outreach/public/signed_up.html", context))


@public_view
def cancel(request, lang, public_id, secret):
    signup = actions.signup_by_link(public_id, secret)
    if signup is None:
        return not_found(request, lang)
    back = reverse(
        "outreach:public_signed_up",
        kwargs={"lang": lang, "public_id": public_id, "secret": secret},
    )
    if request.method == "POST" and signup.status != signup.Status.CANCELLED:
        promoted = actions.cancel_sign_up(signup)
        for candidate in promoted:
            if candidate.email:
                transaction.on_commit(lambda c=candidate: email_promoted(c))
        return redirect(back)
    if signup.status == signup.Status.CANCELLED:
        return redirect(back)
    context = frame(request, lang, title=_("Cancel your place"), noindex=True)
    context.update({"signup": signup, "row": session_row(signup.session), "back": back})
    return private(render(request, "outreach/public/cancel.html", context))


def calendar_event(session, request, lang):
    # Import here: start-up cost (only the two calendar addresses need icalendar).
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"{session.public_id}@retorno")
    event.add("dtstamp", session.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", session.title)
    event.add("location", f"{session.venue}, {session.address}")
    url = request.build_absolute_uri(
        reverse("outreach:public_session", kwargs={"lang": lang, "public_id": session.public_id})
    )
    event.add("description", f"{session.description}\n\n{url}".strip())
    event.add("url", url)
    cancelled = session.status == InfoSession.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_response(request, lang, sessions_, filename: str):
    # Import here: start-up cost (only the two calendar addresses need icalendar).
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Retorno//Info sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Retorno info sessions"))
    for item in sessions_:
        calendar.add_component(calendar_event(item, request, lang))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return cacheable(response)


@public_view
def sessions_calendar(request, lang):
    listed = access.public_sessions().filter(pk__in=queries.upcoming_sessions().values("pk"))
    return calendar_response(request, lang, listed.order_by("starts_at"), "retorno-sessions.ics")


@public_view
def session_calendar(request, lang, public_id):
    found = public_session_or_none(public_id)
    if found is None:
        raise Http404
    return calendar_response(request, lang, [found], f"session-{found.public_id}.ics")


# --- Ask to be contacted, refer a person ---------------------------------------------------------


def rejected_page(request, lang, rejected: spam.Rejected):
    """A submission refused as spam: nothing is stored, the person is told what to do."""
    if rejected.status == 429:
        message = _(
            "Too many forms were sent from your connection in the last hour. "
            "Please try again later, or call the desk."
        )
    else:
        message = _(
            "We could not accept this form. If you are a person, go back, wait a few seconds, "
            "check the form and send it again."
        )
    context = frame(request, lang, title=_("The form was not sent"), noindex=True)
    context["message"] = message
    return private(
        render(request, "outreach/public/rejected.html", context, status=rejected.status)
    )


def lead_form(request, lang, *, form_class, submit, name: str, template: str, title: str):
    if request.method == "POST":
        try:
            spam.check(request.POST, form_class.form_name)
        except spam.Rejected as rejected:
            return rejected_page(request, lang, rejected)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                spam.check_rate(spam.client_address(request))
            except spam.Rejected as rejected:
                return rejected_page(request, lang, rejected)
            try:
                submit(fields=form.lead_fields(), consent=form.cleaned_data["consent"])
            except ActionError as error:
                form_error(form, error)
            else:
                actions.count("completion", name, lang)
                return redirect(f"outreach:public_{name}_thanks", lang=lang)
        status = 422
    else:
        form = form_class(initial={"language": lang})
        actions.count("view", name, lang)
        status = 200
    context = frame(request, lang, title=title, section="contact" if name == "contact" else "")
    context.update({"form": form, "privacy_url": privacy_url(lang)})
    return private(render(request, template, context, status=status))


def privacy_url(lang: str) -> str:
    return reverse("outreach:public_page", kwargs={"lang": lang, "key": "privacy"})


@public_view
def contact(request, lang):
    return lead_form(
        request,
        lang,
        form_class=ContactForm,
        submit=actions.submit_contact_request,
        name="contact",
        template="outreach/public/contact.html",
        title=_("Ask to be contacted"),
    )


@public_view
def refer(request, lang):
    return lead_form(
        request,
        lang,
        form_class=ReferralForm,
        submit=actions.submit_organisation_referral,
        name="refer",
        template="outreach/public/refer.html",
        title=_("Refer a person to the programme"),
    )


def thanks(request, lang, *, referral: bool):
    context = frame(request, lang, title=_("Thank you, we received your request"), noindex=True)
    context.update({"referral": referral, "days": 3})
    return private(render(request, "outreach/public/thanks.html", context))


@public_view
def contact_thanks(request, lang):
    return thanks(request, lang, referral=False)


@public_view
def refer_thanks(request, lang):
    return thanks(request, lang, referral=True)


# --- For search engines --------------------------------------------------------------------------


def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Allow: /{code}/" for code in LANGUAGES),
        "Allow: /static/outreach/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        "Disallow: /outreach/",
        *(f"Disallow: /{code}/sessions/signed-up/" for code in LANGUAGES),
        "Disallow: /",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return cacheable(HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8"))


def sitemap_xml(request):
    """Every public page and guide in the four languages, each with its alternates."""
    addresses = []
    published = queries.published_keys()
    for key in ("home", *CONTENT_PAGES):
        if key not in published:
            continue
        addresses.append(
            {
                code: (
                    reverse("outreach:public_home", kwargs={"lang": code})
                    if key == "home"
                    else reverse("outreach:public_page", kwargs={"lang": code, "key": key})
                )
                for code in LANGUAGES
            }
        )
    for name in ("guides", "sessions", "contact"):
        addresses.append(
            {code: reverse(f"outreach:public_{name}", kwargs={"lang": code}) for code in LANGUAGES}
        )
    for code_upper in directory.RETURN_COUNTRIES:
        addresses.append(
            {
                code: reverse(
                    "outreach:public_guide", kwargs={"lang": code, "country": code_upper.lower()}
                )
                for code in LANGUAGES
            }
        )
    urls = [
        {
            "loc": request.build_absolute_uri(by_language[code]),
            "alternates": [
                (other, request.build_absolute_uri(by_language[other])) for other in LANGUAGES
            ],
        }
        for by_language in addresses
        for code in LANGUAGES
    ]
    body = render_to_string("outreach/public/sitemap.xml", {"urls": urls})
    return cacheable(HttpResponse(body, content_type="application/xml; charset=utf-8"))

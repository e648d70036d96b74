"""Site-wide pages: the home page each role lands on, static pages, session and error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.timezone import localdate
from django.views.decorators.cache import never_cache

from retorno.accounts.roles import Capability
from retorno.api import errors as api_errors
from retorno.lib.plugins import registry


def home(request):
    user = request.user
    if not user.is_authenticated:
        # A visitor lands on the public site, in the language their browser prefers.
        language = translation.get_language_from_request(request)
        if language not in ("it", "es", "pt", "en"):
            language = "en"
        return redirect(f"/{language}/")
    context = {
        "membership": user.membership,
        "capabilities": [c for c in Capability if user.membership is not None and user.can(c)],
    }
    if user.membership is not None and user.can(Capability.WORK_CASES):
        context.update(my_work(user))
        return render(request, "cases/my_work.html", context)
    if user.membership is not None and user.can(Capability.ANSWER_REFERRALS):
        return redirect("referrals:inbox")
    if user.membership is not None and user.can(Capability.RUN_OUTREACH):
        # Outreach officers do not work on cases, but leads wait for them on My work too.
        context["attention"] = attention(user, localdate())
        context["shows_attention"] = True
    return render(request, "home.html", context)


def attention(user, today) -> list[dict]:
    """ "Needs your attention": what the apps declare in their plugin.py, in their order."""
    found_items = []
    for item in registry().my_work:
        found = item.context(user, today)
        if found:
            found_items.append({"key": item.key, "template": item.template, **found})
    return found_items


def my_work(user) -> dict:
    """ "Needs your attention" first, then my cases by phase (UX §2.2)."""
    from django.utils import timezone

    from retorno.cases import access as case_access
    from retorno.cases import queries as case_queries
    from retorno.cases.models import Phase

    today = timezone.localdate()
    my_counts = case_queries.assigned_counts_by_phase(user)
    desk_counts = None
    if user.can(Capability.MANAGE_CASES):
        desk_counts = case_queries.counts_by_phase(case_access.cases_visible_to(user))
    phases = [
        {
            "code": code,
            "label": Phase(code).label,
            "mine": my_counts[code],
            "desk": desk_counts[code] if desk_counts else None,
        }
        for code in Phase.values
        if code != Phase.CLOSED  # "my open cases": closed ones are in the case list
    ]
    return {
        "today": today,
        "attention": attention(user, today),
        "phases": phases,
        "is_coordinator": user.can(Capability.MANAGE_CASES),
        "my_total": sum(my_counts.values()) - my_counts[Phase.CLOSED],
    }


@login_required
@never_cache
def session_keepalive(request):
    # "Stay signed in": renews the session now, whatever the minute-long throttle says.
    import time

    request.session["_seen"] = int(time.time())
    return HttpResponse(status=204)


def session_ended(request):
    if request.user.is_authenticated:
        from allauth.account.adapter import get_adapter

        get_adapter(request).logout(request)
    return render(request, "session_ended.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")


def cookies(request):
    return render(request, "pages/cookies.html")


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.not_found(request, exception)
    response = render(request, "errors/404.html", status=404)
    response.retorno_page = True  # DebugNotFoundMiddleware leaves it alone
    return response


def forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        return JsonResponse(
            api_errors.error_body("permission_denied", _("Your role does not allow this.")),
            status=403,
        )
    return render(request, "errors/403.html", status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_errors.server_error(request)
    return render(request, "errors/500.html", status=500)

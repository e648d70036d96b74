from django.conf import settings

from retorno.accounts.navigation import sections_for


def navigation(request):
    user = getattr(request, "user", None)
    context = {
        "RETORNO_VERSION": settings.RETORNO_VERSION,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
    }
    if user is not None and user.is_authenticated and getattr(user, "membership", None):
        context["nav_sections"] = sections_for(user, request.path)
        context["current_membership"] = user.membership
        context["can_switch_desk"] = len(getattr(user, "all_memberships", [])) > 1
    return context
